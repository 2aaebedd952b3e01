"""The Council report's workbook: readable headers, number formats, published totals, charts."""

from __future__ import annotations

import re
import zipfile

import duckdb
import pytest
from openpyxl import load_workbook

HEADER_ROW = 3
TABLE_SHEETS = (
    "Headline by bureau",
    "Trend by year",
    "Trend by year, long",
    "Regions",
    "Gender",
    "Quality by topic",
    "Duplication",
    "Duplication by topic",
    "Academy candidates",
    "Activity figures",
)


@pytest.fixture(scope="module")
def workbook(report):
    wb = load_workbook(report["xlsx"])
    yield wb
    wb.close()


def _table(ws) -> tuple[list[str], list[dict]]:
    rows = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    header = list(rows[0])
    return header, [dict(zip(header, r, strict=True)) for r in rows[1:] if any(r)]


def _all_bureaux(db) -> dict:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(
            "select * from period_figures where period_from = 2019 and period_to = 2024 "
            "and bureau = 'ALL' and dimension = 'overall'"
        )
        names = [d[0] for d in result.description]
        return dict(zip(names, result.fetchone(), strict=True))
    finally:
        con.close()


def test_headers_are_readable_and_frozen(workbook):
    for name in TABLE_SHEETS:
        ws = workbook[name]
        header, _ = _table(ws)
        for text in header:
            assert text and not re.fullmatch(r"[a-z0-9]+(_[a-z0-9]+)+", text), (name, text)
            assert text[0].isupper(), (name, text)
        assert ws.freeze_panes in ("A4", "B4"), (name, ws.freeze_panes)
        assert str(ws["A2"].value).startswith("Source: Council marts, "), name
        assert "1 to 4 people are withheld" in str(ws["A2"].value), name


@pytest.mark.parametrize(
    ("sheet", "first_column", "label"),
    [
        ("Headline by bureau", "Bureau", "All bureaux (each person once)"),
        ("Regions", "Region", "All regions (each person once)"),
    ],
)
def test_total_row_is_the_published_all_bureaux_figure(
    workbook, council_db, sheet, first_column, label
):
    """The total is the marts' ALL row, never a sum computed in the workbook."""
    ws = workbook[sheet]
    header, rows = _table(ws)
    total = rows[-1]
    assert total[first_column] == label
    published = _all_bureaux(council_db)
    columns = {
        "Activities": "activities",
        "People trained": "people_trained",
        "Participations": "participations",
        "Completions": "completions",
        "Certificates": "certificates",
        "Share from developing countries": "developing_share",
        "Women's share (of women and men)": "women_share",
    }
    for title, column in columns.items():
        assert total[title] == published[column], (sheet, title)
    # no formula anywhere: every figure is a published value
    for row in ws.iter_rows():
        for cell in row:
            assert not (isinstance(cell.value, str) and cell.value.startswith("=")), cell
    # the total row is set apart and outside the filter range
    last = ws.max_row
    assert ws.cell(row=last, column=1).font.bold
    assert ws.auto_filter.ref.endswith(str(last - 1))


def test_number_formats(workbook):
    ws = workbook["Headline by bureau"]
    header, _ = _table(ws)
    formats = {
        "People trained": "#,##0",
        "Activities": "#,##0",
        "Share from developing countries": "0.0%",
        "Completion rate": "0.0%",
        "Satisfaction (1–5)": "0.00",
    }
    for title, number_format in formats.items():
        column = header.index(title) + 1
        for row in range(HEADER_ROW + 1, ws.max_row + 1):
            assert ws.cell(row=row, column=column).number_format == number_format, title


def test_native_charts(workbook, report):
    assert len(workbook["Trend by year"]._charts) == 2
    assert len(workbook["Headline by bureau"]._charts) == 2
    assert len(workbook["Regions"]._charts) == 2
    with zipfile.ZipFile(report["xlsx"]) as book:
        charts = [n for n in book.namelist() if re.match(r"xl/charts/chart\d+\.xml$", n)]
        assert len(charts) == 6
        kinds = " ".join(book.read(n).decode() for n in charts)
    assert kinds.count("<lineChart>") == 2 and kinds.count("<barChart>") == 4


def test_trend_sheet_flags_the_part_year(workbook):
    header, rows = _table(workbook["Trend by year"])
    assert header[:3] == ["Year", "Part year", "Activities, BDT"]
    assert "People trained, All bureaux" in header
    assert [(r["Year"], r["Part year"]) for r in rows][-2:] == [(2023, False), (2024, True)]


def test_full_candidates_list_with_labels(workbook, council_db):
    _, rows = _table(workbook["Academy candidates"])
    con = duckdb.connect(str(council_db), read_only=True)
    try:
        (count,) = con.execute(
            "select count(*) from academy_candidates where year between 2019 and 2024"
        ).fetchone()
    finally:
        con.close()
    assert len(rows) == count > 25
    assert [r["Rank in period"] for r in rows] == list(range(1, count + 1))
    assert {r["Delivery mode"] for r in rows} == {"Online, live", "In person", "Online, self-paced"}
    assert {r["Delivery mode (code)"] for r in rows} == {
        "online_live",
        "in_person",
        "online_self_paced",
    }
