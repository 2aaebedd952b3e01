"""The report's tables as an Excel workbook: a README sheet, then one sheet per table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from ingestion.publish.reporting.data import ReportData, Table

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
SHARE_SUFFIXES = ("_share", "_rate", "share_a", "share_b")

# (sheet title, attribute of ReportData, what the sheet holds)
SHEETS = (
    ("Headline by bureau", "by_bureau", "Headline figures per bureau over the whole period."),
    ("Trend by year", "trend", "Headline figures per year and bureau (ALL = every bureau)."),
    ("Regions", "regions", "Activities and people trained per region of the activity."),
    ("Gender", "gender", "People trained per gender (as recorded) and bureau."),
    ("Quality by topic", "quality", "Completion, pass rate and satisfaction per bureau and topic."),
    (
        "Duplication",
        "duplication",
        "Overlapping activities and shared participants per bureau pair and topic.",
    ),
    ("Duplication by topic", "duplication_topics", "All bureau pairs together, per topic."),
    (
        "Academy candidates",
        "academy_candidates",
        "Activities outside the ITU Academy worth featuring on it.",
    ),
    (
        "Activity figures",
        "activity_figures",
        "Finest grain: year × bureau × region × topic × activity type × delivery mode.",
    ),
)


def _write_table(ws, table: Table) -> None:
    ws.append(table.columns)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in table.rows:
        ws.append([row[c] for c in table.columns])
    for i, column in enumerate(table.columns, start=1):
        letter = get_column_letter(i)
        longest = max([len(str(column))] + [len(str(r[column])) for r in table.rows[:500]])
        ws.column_dimensions[letter].width = min(max(10, longest + 2), 60)
        if column.endswith(SHARE_SUFFIXES) or column in ("quality_score",):
            for cell in ws[letter][1:]:
                cell.number_format = "0.0%"
        elif column in ("avg_satisfaction_1_5", "avg_overlap_score"):
            for cell in ws[letter][1:]:
                cell.number_format = "0.00"
        elif column not in ("year", "period_from", "period_to", "candidate_rank"):
            for cell in ws[letter][1:]:
                if isinstance(cell.value, int):
                    cell.number_format = "#,##0"
    ws.freeze_panes = "A2"
    if table.rows:
        ws.auto_filter.ref = ws.dimensions


def write_workbook(data: ReportData, path: Path, generated_at: str, source: str) -> Path:
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    period = f"{data.period_from}–{data.period_to}" if data.has_data else "no data for this period"
    lines = [
        ("ITU capacity development — Council report",),
        (),
        ("Period requested", f"{data.requested_from}–{data.requested_to}"),
        ("Period covered", period),
        ("Generated", generated_at),
        ("Source", source),
        (),
        ("Definitions",),
        ("people_trained", "distinct people (resolved across platforms) who took part"),
        ("activities", "distinct activities that started in the period"),
        (
            "developing_share",
            "share of people trained from developing countries (of known country)",
        ),
        (
            "ldc_lldc_sids_share",
            "share from least developed, landlocked developing or small island developing states",
        ),
        ("women_share", "share of women among people trained recorded as women or men"),
        (
            "completion_rate / pass_rate",
            "on participations where the platform records completion / an assessment",
        ),
        ("avg_satisfaction_1_5", "mean satisfaction on a 1–5 scale, where collected"),
        (),
        ("Small cells",),
        ("suppressed", "TRUE: the row describes fewer than 5 people; its people figures are blank"),
        ("partially_suppressed", "TRUE: some figure of the row describes 1–4 people and is blank"),
        ("", "No figure computed from 1 to 4 people is published. Blank = unknown or withheld."),
        (),
        ("Sheets",),
    ]
    lines += [(title, about) for title, _, about in SHEETS]
    for line in lines:
        readme.append(list(line))
    readme["A1"].font = Font(bold=True, size=14)
    for row in readme.iter_rows():
        if len(row) and row[0].value in ("Definitions", "Small cells", "Sheets"):
            row[0].font = Font(bold=True)
    readme.column_dimensions["A"].width = 30
    readme.column_dimensions["B"].width = 100

    for title, attribute, _ in SHEETS:
        _write_table(wb.create_sheet(title), getattr(data, attribute))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
