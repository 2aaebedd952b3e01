"""Render the Council report: a self-contained HTML file (inline CSS and SVG), the PDF of the
same HTML (WeasyPrint, offline) and an XLSX twin.

    python -m ingestion.publish.reporting --from 2018 --to 2025 [--out DIR] [--db council.duckdb]
        [--as-of YYYY-MM-DD]

Reads only the published Council marts (``published/council.duckdb``, read-only) and writes
``council_report_<from>_<to>.html`` / ``.pdf`` / ``.xlsx`` under ``reports_dir()`` (or
``--out``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

import pyarrow as pa
from jinja2 import Environment, FileSystemLoader, Undefined
from markupsafe import Markup

from ingestion import config
from ingestion.publish.reporting import charts
from ingestion.publish.reporting.data import (
    BUREAU_ORDER,
    GENDER_ORDER,
    ReportData,
    load_report_data,
)
from ingestion.publish.reporting.labels import label
from ingestion.publish.reporting.workbook import write_workbook
from ingestion.publish.scan import personal_values, refuse_on_hits, scan_text
from ingestion.warehouse.build import build_file

TEMPLATES = Path(__file__).with_name("templates")
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
# The document lists the first candidates; the workbook has them all.
ACADEMY_IN_DOCUMENT = 25
# The width of a chart drawn beside another (the SVG's own units): narrow enough that its
# 12-unit text stays readable when two share an A4 page.
PAIRED_WIDTH = 440


def default_council_db() -> Path:
    from ingestion.publish.council import council_db

    return council_db()


def _missing(value) -> bool:
    return value is None or isinstance(value, Undefined)


def _num(value) -> str:
    if _missing(value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def _pct(value) -> str:
    return "—" if _missing(value) else f"{value * 100:.0f}%"


def _people(value, suppressed=False) -> str:
    """A people count; a suppressed cell shows "<5", never the number."""
    if suppressed:
        return "<5"
    return _num(value)


def _environment(vocabulary: dict[str, dict[str, str]]) -> Environment:
    """The template environment; its ``label`` filter reads the Council file's labels."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=_num,
        pct=_pct,
        people=_people,
        label=lambda value, kind=None: label(value, kind, vocabulary),
    )
    return env


def _bureaux(rows: list[dict]) -> list[str]:
    present = {r["bureau"] for r in rows if r["bureau"] != "ALL"}
    return [b for b in BUREAU_ORDER if b in present] + sorted(present - set(BUREAU_ORDER))


def _year(value, data: ReportData) -> str:
    """A year, with "*" when it is a part year."""
    return f"{value}*" if data.is_part_year(value) else str(value)


def _date(value: dt.date | None) -> str:
    return "—" if value is None else f"{value.day} {value:%B %Y}"


def build_charts(data: ReportData) -> dict[str, Markup]:
    """Every chart of the report as inline SVG."""
    if not data.has_data:
        return {}
    years = data.years
    trend = data.trend.rows
    bureaux = _bureaux(trend)
    by_key = {(r["year"], r["bureau"]): r for r in trend}

    def series(measure: str) -> dict[str, list]:
        return {
            label(b, "bureau", data.vocabulary): [
                (by_key.get((y, b)) or {}).get(measure) for y in years
            ]
            for b in [*bureaux, "ALL"]
        }

    regions = data.regions.rows
    region_names = [r["region_label"] for r in regions]
    gender_rows = []
    gender_by_bureau: dict[str, dict[str, float | None]] = {}
    for r in data.gender.rows:
        gender_by_bureau.setdefault(r["bureau"], {})[r["gender_label"]] = r["people_trained"]
    for b in [*_bureaux(data.gender.rows), "ALL"]:
        if b in gender_by_bureau:
            gender_rows.append(("All" if b == "ALL" else b, gender_by_bureau[b]))
    topics = data.duplication_topics.rows[:15]
    part = data.part_years

    svgs = {
        "activities_trend": charts.line_chart(
            years,
            series("activities"),
            "Activities delivered per bureau and year",
            "activities",
            width=PAIRED_WIDTH,
            height=290,
            partial=part,
        ),
        "people_trend": charts.line_chart(
            years,
            series("people_trained"),
            "People trained per bureau and year",
            "people",
            width=PAIRED_WIDTH,
            height=290,
            partial=part,
        ),
        "regions_people": charts.hbar_chart(
            region_names,
            {"people trained": [r["people_trained"] for r in regions]},
            "People trained per region",
            width=PAIRED_WIDTH,
        ),
        "regions_activities": charts.hbar_chart(
            region_names,
            {"activities": [r["activities"] for r in regions]},
            "Activities per region",
            width=PAIRED_WIDTH,
        ),
        "regions_shares": charts.hbar_chart(
            region_names,
            {
                "developing countries": [r["developing_share"] for r in regions],
                "women": [r["women_share"] for r in regions],
            },
            "Share of people trained from developing countries, and women, per region",
            width=2 * PAIRED_WIDTH,
            percent=True,
        ),
        "gender": charts.stacked_share_chart(
            gender_rows,
            [label(g, "gender", data.vocabulary) for g in GENDER_ORDER],
            "People trained by gender (as recorded) and bureau",
            width=PAIRED_WIDTH,
        ),
        "duplication_pairs": charts.hbar_chart(
            [t["topic_label"] for t in topics],
            {"overlapping activity pairs": [t["overlapping_pairs"] for t in topics]},
            "Overlapping activities of different bureaux, per topic",
            width=PAIRED_WIDTH,
        ),
        "duplication_people": charts.hbar_chart(
            [t["topic_label"] for t in topics],
            {"people served by 2+ bureaux": [t["shared_participants"] for t in topics]},
            "People served by more than one bureau on the same topic",
            width=PAIRED_WIDTH,
        ),
    }
    return {name: Markup(svg) for name, svg in svgs.items()}


def _largest(rows: list[dict], measure: str, key: str) -> dict | None:
    """The row with the largest published ``measure`` (suppressed and unknown rows left out)."""
    known = [r for r in rows if r.get(measure) is not None and r.get(key) != "ALL"]
    return max(known, key=lambda r: r[measure]) if known else None


def summary_points(data: ReportData) -> list[str]:
    """The summary's sentences, each from published figures only (a largest cell, a count)."""
    if not data.has_data:
        return []
    points = []
    bureau = _largest(data.by_bureau.rows, "people_trained", "bureau")
    if bureau:
        points.append(
            f"{label(bureau['bureau'], 'bureau_name', data.vocabulary)} trained the most people: "
            f"{_num(bureau['people_trained'])}, in {_num(bureau['activities'])} activities."
        )
    region = _largest(data.regions.rows, "people_trained", "region")
    if region:
        points.append(
            f"{region['region_label']} is the region with the most people trained "
            f"({_num(region['people_trained'])})."
        )
    topics = [t for t in data.duplication_topics.rows if t.get("overlapping_pairs")]
    if topics:
        points.append(
            f"Bureaux overlap on {len(topics)} topic{'s' if len(topics) != 1 else ''}; the most "
            f"on {topics[0]['topic_label']} "
            f"({_num(topics[0]['overlapping_pairs'])} activity pairs)."
        )
    candidates = data.academy_candidates.rows
    if candidates:
        similar = sum(bool(r.get("similar_academy_course")) for r in candidates)
        points.append(
            f"{_num(len(candidates))} activities held outside the ITU Academy qualify as "
            f"candidates for it; {_num(similar)} of them resemble an existing Academy course."
        )
    return points


def participant_region_table(data: ReportData) -> tuple[list[int], list[tuple[str, dict]]]:
    """The years and, per participant region (the 'All regions' margin last), its cells by
    year: the rows of the report's participant-region table."""
    years = sorted({r["year"] for r in data.participant_regions.rows})
    rows: dict[str, dict] = {}
    for r in data.participant_regions.rows:
        rows.setdefault(r["participant_region_label"], {})[r["year"]] = r
    return years, list(rows.items())


def render_html(data: ReportData, generated_at: str, source: str) -> str:
    template = _environment(data.vocabulary).get_template("report.html.j2")
    gender_table: dict[str, dict[str, dict]] = {}
    for r in data.gender.rows:
        gender_table.setdefault(r["bureau"], {})[r["gender"]] = r
    gender_order = [*_bureaux(data.gender.rows), "ALL"]
    women_share = {r["bureau"]: r["women_share"] for r in data.by_bureau.rows}
    women_share["ALL"] = data.headline.get("women_share")
    return template.render(
        data=data,
        years=data.years,
        part_years=data.part_years,
        as_of=_date(data.as_of),
        trend_bureaux=[*_bureaux(data.trend.rows), "ALL"],
        trend_by_key={(r["year"], r["bureau"]): r for r in data.trend.rows},
        genders=GENDER_ORDER,
        gender_table=[(b, gender_table[b]) for b in gender_order if b in gender_table],
        women_share=women_share,
        participant_regions=participant_region_table(data),
        headline=data.headline,
        summary=summary_points(data),
        candidates=data.academy_candidates.rows[:ACADEMY_IN_DOCUMENT],
        charts=build_charts(data),
        generated_at=generated_at,
        source=source,
        bureau_colours=charts.BUREAU_COLOURS,
        bureau_names=data.vocabulary.get("bureau", {}),
        year=lambda y: _year(y, data),
    )


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
        problems = scan_text(html, values, paths["html"].name)
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
            f"{h['period_from']}–{h['period_to']}: {_num(h['activities'])} activities, "
            f"{_num(h['people_trained'])} people trained, "
            f"{_pct(h['developing_share'])} from developing countries, "
            f"{_pct(h['women_share'])} women, {_num(h['certificates'])} certificates"
        )
        if h["part_years"]:
            years = ", ".join(str(y) for y in h["part_years"])
            print(f"part year: {years} (figures as of {h['as_of']})")
    return 0
