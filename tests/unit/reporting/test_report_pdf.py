"""The Council report's PDF, looked at page by page as images (pypdfium2), and its text read back.

The PDF is WeasyPrint's rendering of the report's HTML (print stylesheet, A4). A page is
rendered to pixels to prove it holds something (no blank page); its text, extracted from the
PDF, must show the headline tiles and the same figures as the Council marts.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pypdfium2 as pdfium
import pytest
from PIL import ImageStat

from ingestion.publish.reporting.render import write_pdf

A4 = (595, 842)  # points, portrait
# The headline tiles: their label, and the column of the marts' all-bureaux row they show.
TILES = (
    ("activities delivered", "activities"),
    ("people trained", "people_trained"),
    ("from developing countries", "developing_share"),
    ("from LDCs, LLDCs, SIDS", "ldc_lldc_sids_share"),
    ("women (of women and men)", "women_share"),
    ("certificates issued", "certificates"),
    ("course completions", "completions"),
)
HEADINGS = (
    "Summary",
    "1. Definitions and method",
    "2. Figures by bureau",
    "3. Trends per bureau",
    "4. Regions",
    "5. Duplication between bureaux",
    "6. Quality by bureau and topic",
    "7. Candidates for the ITU Academy",
)


@pytest.fixture(scope="module")
def pdf(report):
    document = pdfium.PdfDocument(report["pdf"])
    yield document
    document.close()


@pytest.fixture(scope="module")
def pages_text(pdf) -> list[str]:
    texts = []
    for page in pdf:
        textpage = page.get_textpage()
        # one space for any run of whitespace: table cells and wrapped lines read as words
        texts.append(re.sub(r"\s+", " ", textpage.get_text_range()))
        textpage.close()
    return texts


def _marts(db: Path, sql: str, params: list) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(sql, params)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()


def _all_bureaux(db: Path) -> dict:
    (row,) = _marts(
        db,
        "select * from period_figures where period_from = ? and period_to = ? "
        "and bureau = 'ALL' and dimension = 'overall'",
        [2019, 2024],
    )
    return row


def _shown(value) -> str:
    """A figure as the report prints it."""
    return f"{value * 100:.0f}%" if isinstance(value, float) else f"{value:,}"


def test_page_count_and_sizes(pdf):
    assert 6 <= len(pdf) <= 16, f"{len(pdf)} pages"
    for page in pdf:
        width, height = (round(v) for v in page.get_size())
        assert (width, height) in (A4, A4[::-1]), (width, height)  # A4, portrait or landscape
    assert [round(v) for v in pdf[0].get_size()] == list(A4)


def test_no_blank_page(pdf):
    for number, page in enumerate(pdf, start=1):
        image = page.render(scale=0.5, grayscale=True).to_pil().convert("L")
        stats = ImageStat.Stat(image)
        inked = sum(image.histogram()[:200]) / (image.width * image.height)
        # more than the running header and the footer: a page with content on it
        assert stats.stddev[0] > 12 and inked > 0.01, (
            f"page {number} looks blank (stddev {stats.stddev[0]:.1f}, inked {inked:.3%})"
        )


def test_first_page_shows_the_masthead_and_headline_tiles(pdf, pages_text, council_db):
    image = pdf[0].render(scale=1).to_pil().convert("RGB")
    # the masthead: a band of the report's blue (#1f4e79) across the top of the first page
    band = [image.getpixel((x, 80)) for x in range(80, image.width - 80, 40)]
    assert all(abs(r - 0x1F) < 12 and abs(g - 0x4E) < 12 and abs(b - 0x79) < 12 for r, g, b in band)
    text = pages_text[0]
    assert "Capacity development: figures for Council" in text
    row = _all_bureaux(council_db)
    for tile, column in TILES:
        assert f"{_shown(row[column])} {tile}" in text, (tile, _shown(row[column]))


def test_sections_in_order_each_on_its_own_page(pages_text):
    first_page = []
    for heading in HEADINGS:
        pages = [i for i, text in enumerate(pages_text) if heading in text]
        assert pages, f"{heading!r} not in the PDF"
        first_page.append(pages[0])
    assert first_page == sorted(first_page)
    assert len(set(first_page[1:])) == len(HEADINGS) - 1  # each chapter starts a page


def test_figures_by_bureau_equal_the_council_marts(pages_text, council_db):
    page = next(t for t in pages_text if "2. Figures by bureau" in t)
    rows = _marts(
        council_db,
        "select * from period_figures where period_from = 2019 and period_to = 2024 "
        "and dimension = 'overall' order by bureau",
        [],
    )
    for row in rows:
        name = "All bureaux" if row["bureau"] == "ALL" else row["bureau"]
        figures = " ".join(
            _shown(row[c])
            for c in ("activities", "people_trained", "developing_share", "ldc_lldc_sids_share")
        )
        assert f"{name} {figures}" in page, (name, figures)


def test_trend_equals_the_council_marts_and_flags_the_part_year(pages_text, council_db):
    page = next(t for t in pages_text if "3. Trends per bureau" in t)
    rows = _marts(
        council_db,
        "select * from headline_figures where year between 2019 and 2024 order by year, "
        "case bureau when 'BDT' then 1 when 'BR' then 2 when 'TSB' then 3 "
        "when 'GS' then 4 else 5 end",
        [],
    )
    for year in range(2019, 2025):
        cells = " ".join(
            f"{_shown(r['activities'])} "
            + ("<5" if r["suppressed"] else _shown(r["people_trained"]))
            for r in rows
            if r["year"] == year
        )
        label = f"{year}*" if year == 2024 else str(year)
        assert f"{label} {cells}" in page, (label, cells)
    assert "part year (2024)" in page  # the charts' note
    assert "2023*" not in page


def test_every_page_after_the_first_has_a_running_title_and_page_number(pages_text):
    total = len(pages_text)
    for number, text in enumerate(pages_text, start=1):
        assert f"Page {number} of {total}" in text
        if number > 1:
            assert "report to Council, 2019–2024 (2024 part year)" in text


def test_candidates_top_25_in_the_document(pages_text, council_db):
    start = next(i for i, t in enumerate(pages_text) if "7. Candidates for the ITU Academy" in t)
    text = " ".join(pages_text[start:])
    assert "The 25 highest-ranked of" in text and "the full list is in the workbook" in text
    ranked = _marts(
        council_db,
        "select title from academy_candidates where year between 2019 and 2024 "
        "order by candidate_rank",
        [],
    )
    # the fixture's titles end with "#<rank>": the 25 first are listed, the 26th is not
    numbers = [r["title"].rsplit("#", 1)[1] for r in ranked]
    for n in numbers[:25]:
        assert f"#{n} " in text, n
    assert f"#{numbers[25]} " not in text


def test_the_pdf_renders_offline_only(tmp_path):
    """Anything but a data: URL fails the render instead of reaching the network."""
    from weasyprint.urls import FatalURLFetchingError

    with pytest.raises(FatalURLFetchingError):
        write_pdf('<p>x</p><img src="http://example.invalid/logo.png">', tmp_path / "x.pdf")
    tiny = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    write_pdf(f'<p>x</p><img src="{tiny}">', tmp_path / "ok.pdf")
    assert (tmp_path / "ok.pdf").read_bytes()[:5] == b"%PDF-"
