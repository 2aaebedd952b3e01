"""The report's tables as an Excel workbook: a README sheet, then one sheet per table.

Each table sheet: a title row, a source and small-cells row, then the table under a header row
of readable names (frozen, filterable), numbers with number formats, and where the marts
publish one, an all-bureaux (or all-regions) total row. A total row is the marts' own ``ALL``
figure, never a sum computed here: people do not add up across bureaux, and a sum of the
published cells must not be set beside a total to difference a withheld cell from. Native Excel
charts (openpyxl) on the by-bureau, trend and regions sheets.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ingestion.publish.reporting.data import BUREAU_ORDER, ReportData
from ingestion.publish.reporting.labels import column_label, label

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="medium", color="1F4E79"))
NOTE_FONT = Font(italic=True, color="5F6B76", size=9)
PART_YEAR_FONT = Font(italic=True, color="8A5A00")
HEADER_ROW = 3  # title, source note, header

PERCENT, DECIMAL, INTEGER, YEAR, TEXT = "0.0%", "0.00", "#,##0", "0", None
SMALL_CELLS = (
    "Small cells: figures describing 1 to 4 people are withheld (blank, with Suppressed = TRUE); "
    "a blank share or rate is withheld or not recorded. Participations, completions and "
    "certificates are rounded to the nearest 5."
)
FIGURES = (
    ("activities", INTEGER),
    ("people_trained", INTEGER),
    ("participations", INTEGER),
    ("completions", INTEGER),
    ("certificates", INTEGER),
    ("completion_rate", PERCENT),
    ("pass_rate", PERCENT),
    ("avg_satisfaction_1_5", DECIMAL),
    ("developing_share", PERCENT),
    ("ldc_lldc_sids_share", PERCENT),
    ("women_share", PERCENT),
    ("suppressed", TEXT),
    ("partially_suppressed", TEXT),
)


@dataclass
class Sheet:
    title: str
    about: str  # one line: what the sheet holds (README and the sheet's title row)
    source: str  # the Council table (and its filter) the rows come from
    columns: tuple[tuple[str, str | None], ...]  # (key, number format)
    rows: list[dict]
    total: dict | None = None  # a published total, written last and set apart


def _format_for(column: str) -> str | None:
    if column in ("suppressed", "partially_suppressed"):
        return TEXT
    if column in ("year", "period_from", "period_to", "candidate_rank", "rank_in_period"):
        return YEAR
    if column.endswith(("_share", "_rate", "share_a", "share_b")) or column == "quality_score":
        return PERCENT
    if column in ("avg_satisfaction_1_5", "avg_overlap_score", "title_similarity"):
        return DECIMAL
    return INTEGER


def _write(ws, sheet: Sheet, period: str) -> tuple[int, int]:
    """Write ``sheet``; returns the rows of its first and last data row (before the total)."""
    ws["A1"] = f"{sheet.title} — {sheet.about}"
    ws["A1"].font = Font(bold=True, size=13, color="1F4E79")
    ws["A2"] = f"Source: Council marts, {sheet.source}, {period}. {SMALL_CELLS}"
    ws["A2"].font = NOTE_FONT
    keys = [key for key, _ in sheet.columns]
    for i, key in enumerate(keys, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=column_label(key))
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HEADER_ROW].height = 32
    first = HEADER_ROW + 1
    row_no = first - 1
    for row_no, row in enumerate(sheet.rows, start=first):
        for i, (key, fmt) in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=row_no, column=i, value=row.get(key))
            if fmt:
                cell.number_format = fmt
            if row.get("part_year"):
                cell.font = PART_YEAR_FONT
    last = row_no
    if sheet.total is not None:
        total_row = last + 1
        for i, (key, fmt) in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=total_row, column=i, value=sheet.total.get(key))
            cell.font, cell.border = TOTAL_FONT, TOTAL_BORDER
            if fmt:
                cell.number_format = fmt
    for i, key in enumerate(keys, start=1):
        values = [len(str(r.get(key))) for r in sheet.rows[:500] if r.get(key) is not None]
        longest = max([min(len(column_label(key)), 24), *values]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(9, longest), 60)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    if sheet.rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(keys))}{last}"
    return first, last


def _labelled(rows: list[dict], vocabulary: dict, *columns: str, **extra) -> list[dict]:
    """Rows for a sheet: each code column shows the label the file publishes beside it
    (``<column>_label``), the code itself moves to a machine column ``<column>_code``; a bureau
    keeps its abbreviation (``ALL``: "All bureaux")."""
    out = []
    for r in rows:
        row = {**r, **{k: f(r) for k, f in extra.items()}}
        for c in columns:
            row[f"{c}_code"] = r.get(c)
            row[c] = r.get(f"{c}_label") or r.get(c)
        if "bureau" in row:
            row["bureau"] = label(r["bureau"], "bureau", vocabulary)
        out.append(row)
    return out


def _codes(*columns: str) -> tuple[tuple[str, str], ...]:
    """The machine columns of a sheet's codes, after its figures."""
    return tuple((f"{c}_code", TEXT) for c in columns)


# the code columns of the candidates and activity sheets, labelled, their codes kept apart
CANDIDATE_CODES = ("topic", "activity_type", "delivery_mode", "region")
ACTIVITY_CODES = ("region", "topic", "activity_type", "delivery_mode")


def _sheets(data: ReportData) -> list[Sheet]:
    part = data.is_part_year
    figures = tuple(FIGURES)
    headline_total = (
        {**data.headline, "bureau": "All bureaux (each person once)"} if data.headline else None
    )
    trend_long = _labelled(data.trend.rows, data.vocabulary, part_year=lambda r: part(r["year"]))
    gender = _labelled(data.gender.rows, data.vocabulary, "gender")
    candidates = [
        {**r, "rank_in_period": i}
        for i, r in enumerate(
            _labelled(
                data.academy_candidates.rows,
                data.vocabulary,
                *CANDIDATE_CODES,
                part_year=lambda r: part(r["year"]),
            ),
            start=1,
        )
    ]
    activity = _labelled(
        data.activity_figures.rows,
        data.vocabulary,
        *ACTIVITY_CODES,
        part_year=lambda r: part(r["year"]),
    )
    labels = {c for c in data.quality.columns + data.duplication.columns if c.endswith("_label")}
    quality_columns = tuple(
        (c, _format_for(c)) for c in data.quality.columns if c not in ("bureau", "topic", *labels)
    )
    duplication_columns = tuple(
        (c, _format_for(c))
        for c in data.duplication.columns
        if c not in ("bureau_a", "bureau_b", "topic", "suppressed", *labels)
    )
    return [
        Sheet(
            "Headline by bureau",
            "headline figures per bureau over the whole period, and all bureaux together",
            "period_figures (dimension overall)",
            (("bureau", TEXT), *figures),
            _labelled(data.by_bureau.rows, data.vocabulary),
            headline_total,
        ),
        Sheet(
            "Trend by year",
            "activities and people trained per year and bureau (* part year)",
            "headline_figures",
            (),  # wide: written by _trend_sheet
            [],
        ),
        Sheet(
            "Trend by year, long",
            "every headline figure per year and bureau, one row each (for filters and pivots)",
            "headline_figures",
            (("year", YEAR), ("part_year", TEXT), ("bureau", TEXT), *figures),
            trend_long,
        ),
        Sheet(
            "Regions",
            "activities and people trained per region of the activity, all bureaux",
            "period_figures (all bureaux, dimension region)",
            (("region", TEXT), *figures, *_codes("region")),
            _labelled(data.regions.rows, data.vocabulary, "region"),
            {**data.headline, "region": "All regions (each person once)"}
            if data.headline
            else None,
        ),
        Sheet(
            "Gender",
            "people trained per gender (as recorded) and bureau",
            "period_figures (dimension gender)",
            (("bureau", TEXT), ("gender", TEXT), ("people_trained", INTEGER))
            + (("suppressed", TEXT), ("gender_code", TEXT)),
            gender,
        ),
        Sheet(
            "Quality by topic",
            "completion, pass rate and satisfaction per bureau and topic",
            "period_figures (each bureau, dimension topic)",
            (("bureau", TEXT), ("topic", TEXT), *quality_columns, *_codes("topic")),
            _labelled(data.quality.rows, data.vocabulary, "topic"),
        ),
        Sheet(
            "Duplication",
            "overlapping activities and shared participants per bureau pair and topic",
            "duplication_by_period (each pair of bureaux)",
            (("bureau_a", TEXT), ("bureau_b", TEXT), ("topic", TEXT), *duplication_columns)
            + (("suppressed", TEXT), *_codes("topic")),
            _labelled(data.duplication.rows, data.vocabulary, "topic"),
        ),
        Sheet(
            "Duplication by topic",
            "all bureau pairs together, per topic",
            "duplication_by_period (all pairs)",
            (
                ("topic", TEXT),
                ("overlapping_pairs", INTEGER),
                ("shared_participants", INTEGER),
                ("suppressed", TEXT),
                *_codes("topic"),
            ),
            _labelled(data.duplication_topics.rows, data.vocabulary, "topic"),
        ),
        Sheet(
            "Academy candidates",
            f"all {len(candidates)} activities outside the ITU Academy worth featuring on it "
            "(the report lists the first 25)",
            "academy_candidates",
            (
                ("rank_in_period", YEAR),
                ("year", YEAR),
                ("part_year", TEXT),
                ("bureau", TEXT),
                ("title", TEXT),
                ("topic", TEXT),
                ("activity_type", TEXT),
                ("delivery_mode", TEXT),
                ("region", TEXT),
                ("people_trained", INTEGER),
                ("completion_rate", PERCENT),
                ("pass_rate", PERCENT),
                ("avg_satisfaction_1_5", DECIMAL),
                ("quality_score", PERCENT),
                ("similar_academy_course", TEXT),
                ("best_academy_match", TEXT),
                ("recommendation", TEXT),
                ("candidate_rank", YEAR),
                *_codes(*CANDIDATE_CODES),
            ),
            candidates,
        ),
        Sheet(
            "Activity figures",
            "finest grain: year × bureau × region × topic × activity type × delivery mode",
            "activity_figures",
            (
                ("year", YEAR),
                ("part_year", TEXT),
                ("bureau", TEXT),
                ("region", TEXT),
                ("topic", TEXT),
                ("activity_type", TEXT),
                ("delivery_mode", TEXT),
                *figures,
                *_codes(*ACTIVITY_CODES),
            ),
            activity,
        ),
    ]


def _trend_sheet(ws, sheet: Sheet, data: ReportData, period: str) -> None:
    """Year × bureau, activities then people trained, with a native line chart of each."""
    trend = {(r["year"], r["bureau"]): r for r in data.trend.rows}
    present = {b for _, b in trend}
    bureaux = [b for b in BUREAU_ORDER if b in present] + sorted(
        present - set(BUREAU_ORDER) - {"ALL"}
    )
    bureaux += ["ALL"] if "ALL" in present else []
    ws["A1"] = f"{sheet.title} — {sheet.about}"
    ws["A1"].font = Font(bold=True, size=13, color="1F4E79")
    ws["A2"] = (
        f"Source: Council marts, headline_figures, {period}. All bureaux counts each person "
        f"once a year. {SMALL_CELLS}"
    )
    ws["A2"].font = NOTE_FONT
    headers = ["Year", "Part year"]
    for measure in ("Activities", "People trained"):
        headers += [f"{measure}, {label(b, 'bureau', data.vocabulary)}" for b in bureaux]
    for i, text in enumerate(headers, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[get_column_letter(i)].width = 10 if i <= 2 else 14
    ws.row_dimensions[HEADER_ROW].height = 45
    row_no = HEADER_ROW
    for row_no, year in enumerate(data.years, start=HEADER_ROW + 1):
        values = [year, data.is_part_year(year)]
        for measure in ("activities", "people_trained"):
            values += [(trend.get((year, b)) or {}).get(measure) for b in bureaux]
        for i, value in enumerate(values, start=1):
            cell = ws.cell(row=row_no, column=i, value=value)
            cell.number_format = YEAR if i == 1 else INTEGER
            if data.is_part_year(year):
                cell.font = PART_YEAR_FONT
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    if row_no == HEADER_ROW:
        return
    years = Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=row_no)
    for n, (measure, y_title) in enumerate(
        (("Activities", "activities"), ("People trained", "people trained"))
    ):
        chart = LineChart()
        chart.title = f"{measure} per year and bureau" + (
            f" ({', '.join(map(str, data.part_years))}: part year)" if data.part_years else ""
        )
        chart.y_axis.title, chart.x_axis.title = y_title, "year"
        chart.y_axis.numFmt = INTEGER
        chart.height, chart.width = 8, 16
        first_col = 3 + n * len(bureaux)
        series = Reference(
            ws,
            min_col=first_col,
            max_col=first_col + len(bureaux) - 1,
            min_row=HEADER_ROW,
            max_row=row_no,
        )
        chart.add_data(series, titles_from_data=True)
        chart.set_categories(years)
        ws.add_chart(chart, f"A{row_no + 3 + n * 17}")


def _bar_chart(ws, title: str, categories: Reference, data: Reference, anchor: str) -> None:
    chart = BarChart()
    chart.type = "bar"
    chart.title = title
    chart.y_axis.numFmt = INTEGER
    chart.height, chart.width = 8, 16
    chart.legend = None
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    ws.add_chart(chart, anchor)


def write_workbook(data: ReportData, path: Path, generated_at: str, source: str) -> Path:
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    period = f"{data.period_from}–{data.period_to}" if data.has_data else "no data for this period"
    part = ", ".join(str(y) for y in data.part_years)
    sheets = _sheets(data)
    lines = [
        ("ITU capacity development — Council report",),
        (),
        ("Period requested", f"{data.requested_from}–{data.requested_to}"),
        ("Period covered", period),
        ("Figures as of", data.as_of.isoformat() if data.as_of else ""),
        ("Part year", f"{part}: not over, not comparable with full years" if part else "none"),
        ("Generated", generated_at),
        ("Source", f"Council marts ({source}), aggregates only"),
        (),
        ("Definitions",),
        ("People trained", "distinct people (resolved across platforms) who took part"),
        ("Activities", "distinct activities that started in the period"),
        (
            "Share from developing countries",
            "share of people trained from developing countries (of known country)",
        ),
        (
            "Share from LDCs, LLDCs, SIDS",
            "share from least developed, landlocked developing or small island developing states",
        ),
        ("Women's share", "share of women among people trained recorded as women or men"),
        (
            "Completion rate / pass rate",
            "on participations where the platform records completion / an assessment",
        ),
        ("Satisfaction (1–5)", "mean satisfaction on a 1–5 scale, where collected"),
        (
            "Totals",
            "an 'All bureaux' or 'All regions' row is the marts' published total, in which each "
            "person counts once: the rows above it do not add up to it",
        ),
        (),
        ("Small cells",),
        ("Suppressed", "TRUE: the row describes fewer than 5 people; its people figures are blank"),
        ("Partly suppressed", "TRUE: some figure of the row describes 1–4 people and is blank"),
        ("", "No figure computed from 1 to 4 people is published. Blank = unknown or withheld."),
        (
            "",
            "Participations, completions and certificates are rounded to the nearest 5.",
        ),
        (),
        ("Sheets",),
    ]
    lines += [(sheet.title, sheet.about) for sheet in sheets]
    for line in lines:
        readme.append(list(line))
    readme["A1"].font = Font(bold=True, size=14)
    for row in readme.iter_rows():
        if len(row) and row[0].value in ("Definitions", "Small cells", "Sheets"):
            row[0].font = Font(bold=True)
    readme.column_dimensions["A"].width = 32
    readme.column_dimensions["B"].width = 100

    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        if sheet.title == "Trend by year":
            _trend_sheet(ws, sheet, data, period)
            continue
        first, last = _write(ws, sheet, period)
        if last < first or sheet.title not in ("Headline by bureau", "Regions"):
            continue
        keys = [key for key, _ in sheet.columns]
        categories = Reference(ws, min_col=1, min_row=first, max_row=last)
        anchor_col = get_column_letter(len(keys) + 2)
        for n, measure in enumerate(("people_trained", "activities")):
            col = keys.index(measure) + 1
            values = Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last)
            name = sheet.title.split(" ")[-1] if sheet.title != "Regions" else "region"
            _bar_chart(
                ws,
                f"{column_label(measure)} per {name}, {period}",
                categories,
                values,
                f"{anchor_col}{HEADER_ROW + n * 17}",
            )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
