"""The report's tables as an Excel workbook: a README sheet, then one sheet per table.

Each table sheet: a title row, a source and small-cells row, then the table under a header row
of readable names (frozen, filterable), numbers with number formats, and where the marts
publish one, an all-bureaux (or all-regions) total row. A total row is the marts' own ``ALL``
figure, never a sum computed here: people do not add up across bureaux, and a sum of the
published cells must not be set beside a total to difference a withheld cell from. Native Excel
charts (openpyxl) on the by-bureau, trend and regions sheets.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, LineChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from ingestion.publish.reporting.data import BUREAU_ORDER, ReportData
from ingestion.publish.reporting.labels import column_label, label
from ingestion.publish.reporting.sheets import INTEGER, YEAR, Sheet, build_sheets

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TOTAL_FONT = Font(bold=True)
TOTAL_BORDER = Border(top=Side(style="medium", color="1F4E79"))
NOTE_FONT = Font(italic=True, color="5F6B76", size=9)
PART_YEAR_FONT = Font(italic=True, color="8A5A00")
HEADER_ROW = 3  # title, source note, header

SMALL_CELLS = (
    "Small cells: figures describing 1 to 4 people are withheld (blank, with Suppressed = TRUE); "
    "a blank share or rate is withheld or not recorded. Participations, completions and "
    "certificates are rounded to the nearest 5."
)


def _heading(ws, sheet: Sheet, note: str) -> None:
    """The title row (the sheet's title and what it holds) and the source note under it."""
    ws["A1"] = f"{sheet.title} — {sheet.about}"
    ws["A1"].font = Font(bold=True, size=13, color="1F4E79")
    ws["A2"] = note
    ws["A2"].font = NOTE_FONT


def _header(ws, texts: list[str], height: int) -> None:
    """The header row: readable names, white on blue, wrapped."""
    for i, text in enumerate(texts, start=1):
        cell = ws.cell(row=HEADER_ROW, column=i, value=text)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[HEADER_ROW].height = height


def _cells(
    ws,
    row_no: int,
    formats: list[str | None],
    values: list,
    font: Font | None = None,
    border: Border | None = None,
) -> None:
    """One row of cells: each value with its column's number format (``None``: none)."""
    for i, (fmt, value) in enumerate(zip(formats, values, strict=True), start=1):
        cell = ws.cell(row=row_no, column=i, value=value)
        if fmt:
            cell.number_format = fmt
        if font:
            cell.font = font
        if border:
            cell.border = border


def _write(ws, sheet: Sheet, period: str) -> tuple[int, int]:
    """Write ``sheet``; returns the rows of its first and last data row (before the total)."""
    _heading(ws, sheet, f"Source: Council marts, {sheet.source}, {period}. {SMALL_CELLS}")
    keys = [key for key, _ in sheet.columns]
    formats = [fmt for _, fmt in sheet.columns]
    _header(ws, [column_label(key) for key in keys], 32)
    first = HEADER_ROW + 1
    row_no = first - 1
    for row_no, row in enumerate(sheet.rows, start=first):
        font = PART_YEAR_FONT if row.get("part_year") else None
        _cells(ws, row_no, formats, [row.get(key) for key in keys], font)
    last = row_no
    if sheet.total is not None:
        values = [sheet.total.get(key) for key in keys]
        _cells(ws, last + 1, formats, values, TOTAL_FONT, TOTAL_BORDER)
    for i, key in enumerate(keys, start=1):
        values = [len(str(r.get(key))) for r in sheet.rows[:500] if r.get(key) is not None]
        longest = max([min(len(column_label(key)), 24), *values]) + 2
        ws.column_dimensions[get_column_letter(i)].width = min(max(9, longest), 60)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)
    if sheet.rows:
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(keys))}{last}"
    return first, last


def _trend_bureaux(trend: dict) -> list[str]:
    """The bureaux of the trend in the report's order, all bureaux last."""
    present = {b for _, b in trend}
    bureaux = [b for b in BUREAU_ORDER if b in present] + sorted(
        present - set(BUREAU_ORDER) - {"ALL"}
    )
    return bureaux + (["ALL"] if "ALL" in present else [])


def _trend_sheet(ws, sheet: Sheet, data: ReportData, period: str) -> None:
    """Year × bureau, activities then people trained, with a native line chart of each."""
    trend = {(r["year"], r["bureau"]): r for r in data.trend.rows}
    bureaux = _trend_bureaux(trend)
    _heading(
        ws,
        sheet,
        f"Source: Council marts, headline_figures, {period}. All bureaux counts each person "
        f"once a year. {SMALL_CELLS}",
    )
    headers = ["Year", "Part year"]
    for measure in ("Activities", "People trained"):
        headers += [f"{measure}, {label(b, 'bureau', data.vocabulary)}" for b in bureaux]
    _header(ws, headers, 45)
    for i in range(1, len(headers) + 1):
        ws.column_dimensions[get_column_letter(i)].width = 10 if i <= 2 else 14
    formats = [YEAR] + [INTEGER] * (len(headers) - 1)
    row_no = HEADER_ROW
    for row_no, year in enumerate(data.years, start=HEADER_ROW + 1):
        values = [year, data.is_part_year(year)]
        for measure in ("activities", "people_trained"):
            values += [(trend.get((year, b)) or {}).get(measure) for b in bureaux]
        _cells(ws, row_no, formats, values, PART_YEAR_FONT if data.is_part_year(year) else None)
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=2)
    if row_no > HEADER_ROW:
        _trend_charts(ws, data, len(bureaux), row_no)


def _trend_charts(ws, data: ReportData, bureaux: int, last: int) -> None:
    """A line chart of each measure of the trend sheet (``bureaux`` columns each), under it."""
    years = Reference(ws, min_col=1, min_row=HEADER_ROW + 1, max_row=last)
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
        first_col = 3 + n * bureaux
        series = Reference(
            ws, min_col=first_col, max_col=first_col + bureaux - 1, min_row=HEADER_ROW, max_row=last
        )
        chart.add_data(series, titles_from_data=True)
        chart.set_categories(years)
        ws.add_chart(chart, f"A{last + 3 + n * 17}")


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


# The README's definitions and small-cell rules, after the period lines, before the sheets.
DEFINITIONS = (
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
    ("", "Participations, completions and certificates are rounded to the nearest 5."),
    (),
    ("Sheets",),
)
README_HEADINGS = ("Definitions", "Small cells", "Sheets")


def _readme(
    ws, data: ReportData, sheets: list[Sheet], period: str, generated_at: str, source: str
) -> None:
    """The README sheet: the period and its part years, the definitions, the sheets."""
    part = ", ".join(str(y) for y in data.part_years)
    lines = [
        ("ITU capacity development — Council report",),
        (),
        ("Period requested", f"{data.requested_from}–{data.requested_to}"),
        ("Period covered", period),
        ("Figures as of", data.as_of.isoformat() if data.as_of else ""),
        ("Part year", f"{part}: not over, not comparable with full years" if part else "none"),
        ("Generated", generated_at),
        ("Source", f"Council marts ({source}), aggregates only"),
        *DEFINITIONS,
        *((sheet.title, sheet.about) for sheet in sheets),
    ]
    for line in lines:
        ws.append(list(line))
    ws["A1"].font = Font(bold=True, size=14)
    for row in ws.iter_rows():
        if len(row) and row[0].value in README_HEADINGS:
            row[0].font = Font(bold=True)
    ws.column_dimensions["A"].width = 32
    ws.column_dimensions["B"].width = 100


def _bar_charts(ws, sheet: Sheet, first: int, last: int, period: str) -> None:
    """People trained and activities per row of ``sheet``, beside its table."""
    keys = [key for key, _ in sheet.columns]
    categories = Reference(ws, min_col=1, min_row=first, max_row=last)
    anchor_col = get_column_letter(len(keys) + 2)
    for n, measure in enumerate(("people_trained", "activities")):
        col = keys.index(measure) + 1
        values = Reference(ws, min_col=col, min_row=HEADER_ROW, max_row=last)
        _bar_chart(
            ws,
            f"{column_label(measure)} per {sheet.chart}, {period}",
            categories,
            values,
            f"{anchor_col}{HEADER_ROW + n * 17}",
        )


def write_workbook(data: ReportData, path: Path, generated_at: str, source: str) -> Path:
    """The workbook at ``path``: the README sheet, then one sheet per table of
    :data:`~ingestion.publish.reporting.sheets.SHEETS`."""
    wb = Workbook()
    readme = wb.active
    readme.title = "README"
    period = f"{data.period_from}–{data.period_to}" if data.has_data else "no data for this period"
    sheets = build_sheets(data)
    _readme(readme, data, sheets, period, generated_at, source)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title)
        if sheet.wide:
            _trend_sheet(ws, sheet, data, period)
            continue
        first, last = _write(ws, sheet, period)
        if sheet.chart and last >= first:
            _bar_charts(ws, sheet, first, last, period)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
