"""Render the Council report: a self-contained HTML file (inline CSS and SVG), the PDF of the
same HTML (WeasyPrint, offline) and an XLSX twin.

    python -m ingestion.publish.reporting --from 2018 --to 2025 [--out DIR] [--db council.duckdb]
        [--as-of YYYY-MM-DD]

Reads only the published Council marts (``published/council.duckdb``, read-only) and writes
``council_report_<from>_<to>.html`` / ``.pdf`` / ``.xlsx`` under ``reports_dir()`` (or
``--out``). The HTML is drawn in :mod:`~ingestion.publish.reporting.document`, the workbook in
:mod:`~ingestion.publish.reporting.workbook`; this module stages, scans and puts them in place.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import pyarrow as pa

from ingestion import config
from ingestion.publish.reporting.data import load_report_data
from ingestion.publish.reporting.document import num, pct, render_html
from ingestion.publish.reporting.workbook import write_workbook
from ingestion.publish.scan import markup_text, personal_values, refuse_on_hits, scan_text
from ingestion.warehouse.build import build_file

HEADLINE_KEYS = (
    "activities",
    "people_trained",
    "participations",
    "completions",
    "certificates",
    "developing_share",
    "ldc_lldc_sids_share",
    "women_share",
    "completion_rate",
    "pass_rate",
    "avg_satisfaction_1_5",
    "suppressed",
)


def default_council_db() -> Path:
    from ingestion.publish.council import council_db

    return council_db()


def write_pdf(html: str, path: Path) -> Path:
    """The PDF of ``html`` (its print stylesheet: A4, page numbers), rendered offline.

    The fetcher allows ``data:`` URLs only and fails the render on any other: the HTML is
    self-contained, so a reference to the network or the disk is a bug, not a font to fetch.
    Fonts come from the machine (fontconfig).
    """
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    HTML(string=html, url_fetcher=fetcher).write_pdf(path)
    return path


def render_report(
    period_from: int,
    period_to: int,
    out_dir: Path | None = None,
    council_db: Path | None = None,
    personal: pa.Table | None = None,
    as_of: dt.date | None = None,
) -> dict:
    """Render the report for ``period_from``..``period_to``; returns ``{html, pdf, xlsx,
    headline}``.

    ``as_of``: the date the figures are as of (default: the day the Council file was
    published); a year it does not reach the end of is flagged as a part year.

    The HTML and the workbook are scanned for the private tier's personal values
    (``personal``, default: read from the build file) before anything is put in place (the PDF
    is rendered from the scanned HTML); a hit raises
    :class:`~ingestion.publish.scan.PersonalDataFound` and leaves the previous report.

    ``headline`` holds the period's figures for every bureau together (activities,
    people_trained, developing_share, women_share, ldc_lldc_sids_share, certificates,
    completions, ...), the period actually covered (clamped to the years with data) and its
    part years.
    """
    db = Path(council_db or default_council_db())
    if not db.is_file():
        raise FileNotFoundError(f"no Council marts at {db}: run publish_council first")
    data = load_report_data(db, period_from, period_to, as_of)
    out_dir = Path(out_dir or config.reports_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    generated_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    stem = f"council_report_{period_from}_{period_to}"
    paths = {kind: out_dir / f"{stem}.{kind}" for kind in ("html", "pdf", "xlsx")}
    staged = {kind: path.with_name(path.name + ".incoming") for kind, path in paths.items()}

    html = render_html(data, generated_at, db.name)
    try:
        write_workbook(data, staged["xlsx"], generated_at, db.name)
        values = personal_values(build_file()) if personal is None else personal
        problems = scan_text(markup_text(html), values, paths["html"].name)
        problems += scan_text(_workbook_text(staged["xlsx"]), values, paths["xlsx"].name)
        if problems:
            refuse_on_hits(problems, "the Council report")
        write_pdf(html, staged["pdf"])
        staged["html"].write_text(html, encoding="utf-8")
    except BaseException:
        for path in staged.values():
            path.unlink(missing_ok=True)
        raise
    for kind in ("xlsx", "pdf", "html"):
        os.replace(staged[kind], paths[kind])

    headline = {key: data.headline.get(key) for key in HEADLINE_KEYS}
    headline.update(
        period_from=data.period_from,
        period_to=data.period_to,
        requested_from=period_from,
        requested_to=period_to,
        as_of=data.as_of.isoformat() if data.as_of else None,
        part_years=data.part_years,
    )
    return {**paths, "headline": headline}


def _workbook_text(path: Path) -> str:
    """The text of a workbook's cells (shared strings and inline values), for the value scan."""
    import re
    import zipfile

    with zipfile.ZipFile(path) as book:
        parts = [n for n in book.namelist() if n.startswith("xl/") and n.endswith(".xml")]
        xml = "\n".join(book.read(n).decode("utf-8", "replace") for n in parts)
    return re.sub(r"<[^>]+>", " ", xml)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev report", description="Render the Council report (HTML, PDF and XLSX)."
    )
    this_year = dt.date.today().year
    parser.add_argument("--from", dest="period_from", type=int, default=2018, help="first year")
    parser.add_argument("--to", dest="period_to", type=int, default=this_year, help="last year")
    parser.add_argument("--out", type=Path, help="output folder (default data/reports)")
    parser.add_argument(
        "--db", type=Path, help="Council marts (default data/published/council.duckdb)"
    )
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        help="the date the figures are as of; its year, if not over, is flagged as a part year "
        "(default: the day the Council file was published)",
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.period_from > args.period_to:
        parser.error("--from must not be after --to")
    try:
        result = render_report(
            args.period_from, args.period_to, args.out, args.db, as_of=args.as_of
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"HTML: {result['html']}\nPDF:  {result['pdf']}\nXLSX: {result['xlsx']}")
    h = result["headline"]
    if h["period_from"] is None:
        print("no data for the requested period")
    else:
        print(
            f"{h['period_from']}–{h['period_to']}: {num(h['activities'])} activities, "
            f"{num(h['people_trained'])} people trained, "
            f"{pct(h['developing_share'])} from developing countries, "
            f"{pct(h['women_share'])} women, {num(h['certificates'])} certificates"
        )
        if h["part_years"]:
            years = ", ".join(str(y) for y in h["part_years"])
            print(f"part year: {years} (figures as of {h['as_of']})")
    return 0
