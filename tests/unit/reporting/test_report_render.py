"""The Council report renders from a hand-made council.duckdb and displays in a real browser.

The HTML is opened in headless Chromium (Debian's ``/usr/bin/chromium``): a screenshot proves it
renders, and the DOM after rendering must hold the SVG charts. Chromium is required, not
optional: install it with ``apt-get install -y chromium``.
"""

from __future__ import annotations

import re
import struct
import zipfile

import pyarrow as pa
import pytest
from chromium import run_chromium
from conftest import PERSONAL
from openpyxl import load_workbook

from ingestion.publish.reporting import render_report
from ingestion.publish.reporting.charts import (
    hbar_chart,
    line_chart,
    nice_ticks,
    stacked_share_chart,
)
from ingestion.publish.scan import PersonalDataFound, markup_text, scan_text

# The document's sections, in the order the issue asks for.
SECTIONS = (
    "summary",
    "definitions",
    "bureaux",
    "trend",
    "regions",
    "duplication",
    "quality",
    "academy",
)


def test_report_files_and_headline(report):
    assert report["html"].is_file() and report["xlsx"].is_file() and report["pdf"].is_file()
    assert report["html"].name == "council_report_2019_2024.html"
    assert report["pdf"].name == "council_report_2019_2024.pdf"
    assert report["pdf"].parent == report["html"].parent == report["xlsx"].parent
    headline = report["headline"]
    assert headline["period_from"] == 2019 and headline["period_to"] == 2024
    assert headline["as_of"] == "2024-06-30" and headline["part_years"] == [2024]
    assert headline["people_trained"] > 0 and headline["activities"] > 0
    assert 0 < headline["developing_share"] < 1 and 0 < headline["women_share"] < 1
    assert not list(report["html"].parent.glob("*.incoming"))


def test_html_is_self_contained(report):
    html = report["html"].read_text(encoding="utf-8")
    assert "<script" not in html.lower()
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html, re.IGNORECASE)
    assert "@import" not in html and "url(" not in html
    assert html.count("<svg") >= 7
    # the suppressed GS 2018 cell is outside the period; inside it, suppressed people show "<5"
    assert "&lt;5" in html
    for section in ("headline", "trend", "regions", "gender", "duplication", "academy"):
        assert f'id="{section}"' in html


def test_sections_come_in_the_order_of_the_issue(report):
    html = report["html"].read_text(encoding="utf-8")
    positions = [html.index(f'<section id="{section}"') for section in SECTIONS]
    assert positions == sorted(positions), "sections out of order"
    # the definitions come before the first figure table, not at the bottom
    assert html.index('id="definitions"') < html.index("<table")


def test_every_table_has_its_source_and_small_cells_note(report):
    html = report["html"].read_text(encoding="utf-8")
    for section in re.split(r"<section ", html)[1:]:
        for table in re.finditer(r"<table", section):
            after = section[table.start() :]
            end = after.index("</table>")
            note = re.search(r'<p class="source">(.*?)</p>', after[end:], re.DOTALL)
            assert note, f"a table without a source note: {after[:200]}"
            assert "Council marts, table <code>" in note.group(1)
            assert "Small cells:" in note.group(1)


def test_labels_not_codes(report):
    html = report["html"].read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    codes = ("in_person", "online_live", "online_self_paced", ">ALL<", " ALL ", "unknown")
    for code in (*codes, "spectrum_management", "standardization_conformity"):
        assert code not in text, code
    # the labels the file publishes beside the codes (reference.code_labels)
    assert "In person" in text and "Online, live" in text and "Not specified" in text
    assert "Spectrum management" in text and "Female" in text and "Unknown" in text
    assert "All bureaux" in text


def test_part_year_is_flagged(report):
    html = report["html"].read_text(encoding="utf-8")
    assert "2024: part year, figures as of 30 June 2024" in html  # masthead
    assert 'class="part-year-flag"' in html  # under the tiles
    assert re.search(r'<tr class="part-year"><td>2024\*</td>', html)  # trend table
    assert html.count("* part year (2024)") == 2  # both trend charts
    assert "2023*" not in html


def test_document_lists_25_candidates_and_points_to_the_workbook(report, council_db):
    import duckdb

    html = report["html"].read_text(encoding="utf-8")
    academy = html[html.index('<section id="academy"') :]
    body = academy[academy.index("<tbody>") : academy.index("</tbody>")]
    assert body.count("<tr>") == 25
    (total,) = (
        duckdb.connect(str(council_db), read_only=True)
        .execute("select count(*) from academy_candidates where year between 2019 and 2024")
        .fetchone()
    )
    assert total > 25
    assert f"of {total} candidates" in academy and "the full list is in the workbook" in academy


def test_report_in_real_chromium(report, tmp_path):
    screenshot = tmp_path / "report.png"
    shot = run_chromium(
        [f"--screenshot={screenshot}", "--window-size=1280,2000", report["html"].as_uri()],
        tmp_path / "profile-shot",
        offline=True,
    )
    assert screenshot.is_file(), f"no screenshot: {shot.stderr[-2000:]}"
    data = screenshot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1280, 2000)
    assert len(data) > 50_000, "the screenshot is nearly empty: the page did not render"

    dom = run_chromium(["--dump-dom", report["html"].as_uri()], tmp_path / "profile-dom")
    assert dom.returncode == 0, dom.stderr[-2000:]
    rendered = dom.stdout
    assert rendered.count("<svg") >= 7
    assert len(re.findall(r"<polyline[^>]*class=\"series\"", rendered)) >= 8  # 4 bureaux + all, x2
    assert len(re.findall(r"<rect[^>]*class=\"bar\"", rendered)) >= 20
    assert "Capacity development: figures for Council" in rendered


def test_workbook_has_readme_and_one_sheet_per_table(report):
    wb = load_workbook(report["xlsx"], read_only=True)
    assert wb.sheetnames[0] == "README"
    assert {
        "Headline by bureau",
        "Trend by year",
        "Trend by year, long",
        "Regions",
        "Gender",
        "Duplication",
        "Academy candidates",
    } <= set(wb.sheetnames)
    trend = list(wb["Trend by year, long"].iter_rows(values_only=True))
    assert trend[2][:4] == ("Year", "Part year", "Bureau", "Activities")
    assert {row[0] for row in trend[3:]} == {2019, 2020, 2021, 2022, 2023, 2024}
    assert {row[0] for row in trend[3:] if row[1]} == {2024}
    readme = [row for row in wb["README"].iter_rows(values_only=True) if row and row[0]]
    assert any(row[0] == "Period covered" and row[1] == "2019–2024" for row in readme)
    assert any(row[0] == "Part year" and str(row[1]).startswith("2024") for row in readme)
    wb.close()
    with zipfile.ZipFile(report["xlsx"]) as z:  # a real xlsx package
        assert "xl/workbook.xml" in z.namelist()


def test_period_is_clamped_to_the_years_with_data(council_db, tmp_path):
    result = render_report(2015, 2030, tmp_path, council_db=council_db, personal=PERSONAL)
    assert (result["headline"]["period_from"], result["headline"]["period_to"]) == (2018, 2024)
    html = result["html"].read_text(encoding="utf-8")
    assert "requested 2015–2030" in html


def test_period_without_data_renders_an_empty_report(council_db, tmp_path):
    result = render_report(2030, 2031, tmp_path, council_db=council_db, personal=PERSONAL)
    assert result["headline"]["period_from"] is None
    assert "No data for this period" in result["html"].read_text(encoding="utf-8")


def test_missing_council_db_is_a_clear_error(tmp_path):
    with pytest.raises(FileNotFoundError, match="no Council marts"):
        render_report(2018, 2024, tmp_path, council_db=tmp_path / "missing.duckdb")


def test_a_report_naming_a_person_is_not_published(council_db, tmp_path):
    # words of the report's own title stand in for a name the private tier lists
    leaky = pa.table({"kind": ["full_name"], "personal_value": ["capacity development"]})
    with pytest.raises(PersonalDataFound, match="personal value"):
        render_report(2019, 2023, tmp_path, council_db=council_db, personal=leaky)
    assert not list(tmp_path.glob("council_report_*"))


def test_the_report_scan_reads_text_and_attributes_not_tag_names():
    # a person named "Li Li" must not be found in every list of the report ...
    li_li = pa.table({"kind": ["full_name"], "personal_value": ["li li"]})
    listing = "<ul><li>Africa</li><li>Europe</li></ul>"
    assert scan_text(listing, li_li, "raw markup")  # what reading the markup as words did
    assert scan_text(markup_text(listing), li_li, "report.html") == []
    # ... but is found wherever the document really shows the name, in text or attribute
    for shown in ("<p>Trained: <b>Li Li</b></p>", '<img alt="Li  Li" src="x.png">'):
        assert scan_text(markup_text(shown), li_li, "report.html") == [
            "report.html: 1 personal value(s)"
        ]
    # entities are read as the characters they stand for
    amy = pa.table({"kind": ["email"], "personal_value": ["amy@example.org"]})
    assert scan_text(markup_text("<td>amy&#64;example.org</td>"), amy, "report.html")


def test_charts_escape_labels_and_skip_missing_values():
    svg = line_chart([2019, 2020, 2021], {"BDT": [1, None, 3]}, "A <b> & c")
    assert "A &lt;b&gt; &amp; c" in svg and "<b>" not in svg
    assert svg.count("<circle") == 2  # the missing 2020 point is not drawn as zero
    bars = hbar_chart(["Africa", "Europe"], {"people": [120, None]}, "People")
    assert "suppressed" in bars
    shares = stacked_share_chart([("BDT", {"women": 40, "men": 60})], ["women", "men"], "G")
    assert "40%" in shares and "60%" in shares
    assert nice_ticks(87) == [0, 20, 40, 60, 80, 100]


def test_part_year_follows_the_as_of_date():
    import datetime as dt

    from ingestion.publish.reporting.data import ReportData

    data = ReportData(2022, 2026, 2022, 2026, (2022, 2026), as_of=dt.date(2026, 12, 6))
    assert data.part_years == [2026]
    data.as_of = dt.date(2026, 12, 31)  # the year's last day: a full year
    assert data.part_years == []
    data.as_of = dt.date(2025, 3, 1)  # 2025 not over, 2026 not begun
    assert data.part_years == [2025, 2026]


def test_capdev_council_report_writes_html_pdf_and_xlsx(council_db, tmp_path, monkeypatch, capsys):
    from ingestion.cli import main as capdev
    from ingestion.publish.reporting import render

    monkeypatch.setattr(render, "personal_values", lambda _build: PERSONAL)
    argv = ["--from", "2022", "--to", "2023", "--db", str(council_db), "--out", str(tmp_path)]
    assert capdev(["council", "report", *argv, "--as-of", "2023-03-31"]) == 0
    out = capsys.readouterr().out
    assert "part year: 2023 (figures as of 2023-03-31)" in out
    for suffix in ("html", "pdf", "xlsx"):
        assert (tmp_path / f"council_report_2022_2023.{suffix}").is_file()
        assert f"council_report_2022_2023.{suffix}" in out


def test_report_shows_people_by_their_own_region(report):
    """The participant-region table (from people_by_group), apart from the activity regions,
    with a suppressed cell shown as withheld and the period's years as columns."""
    html = report["html"].read_text(encoding="utf-8")
    start = html.index('id="participant-regions"')
    table = html[start : html.index("</table>", start)]
    assert "People trained by their own region" in table
    rows = {
        re.search(r"<td>([^<]*)</td>", row).group(1): re.findall(r'<td class="n">([^<]*)</td>', row)
        for row in table.split("<tr")[2:]
    }
    assert list(rows) == [
        "Africa",
        "Americas",
        "Arab States",
        "Europe",
        "Not specified",
        "All regions",
    ]
    assert all(len(cells) == 6 for cells in rows.values())  # 2019..2024
    assert rows["Arab States"][2] == "&lt;5"  # 2021: suppressed
    assert rows["Africa"][0] == "105"  # 40 + 10 * 6 + 5
    assert "people_by_group" in html[start:]
    assert "rounded to the nearest 5" in html[start:]
