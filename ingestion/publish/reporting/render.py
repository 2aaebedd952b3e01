"""Render the Council report: one self-contained HTML file (inline CSS and SVG) and an XLSX twin.

    python -m ingestion.publish.reporting --from 2018 --to 2025 [--out DIR] [--db council.duckdb]

Reads only the published Council marts (``published/council.duckdb``, read-only) and writes
``council_report_<from>_<to>.html`` / ``.xlsx`` under ``reports_dir()`` (or ``--out``).
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


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(num=_num, pct=_pct, people=_people)
    return env


def _bureaux(rows: list[dict]) -> list[str]:
    present = {r["bureau"] for r in rows if r["bureau"] != "ALL"}
    return [b for b in BUREAU_ORDER if b in present] + sorted(present - set(BUREAU_ORDER))


def build_charts(data: ReportData) -> dict[str, Markup]:
    """Every chart of the report as inline SVG."""
    if not data.has_data:
        return {}
    years = list(range(data.period_from, data.period_to + 1))
    trend = data.trend.rows
    bureaux = _bureaux(trend)
    by_key = {(r["year"], r["bureau"]): r for r in trend}

    def series(measure: str) -> dict[str, list]:
        return {
            ("All bureaux" if b == "ALL" else b): [
                (by_key.get((y, b)) or {}).get(measure) for y in years
            ]
            for b in [*bureaux, "ALL"]
        }

    regions = data.regions.rows
    region_names = [r["region"] for r in regions]
    gender_rows = []
    gender_by_bureau: dict[str, dict[str, float | None]] = {}
    for r in data.gender.rows:
        gender_by_bureau.setdefault(r["bureau"], {})[r["gender"]] = r["people_trained"]
    for b in [*_bureaux(data.gender.rows), "ALL"]:
        if b in gender_by_bureau:
            gender_rows.append(("All" if b == "ALL" else b, gender_by_bureau[b]))
    topics = data.duplication_topics.rows[:15]

    svgs = {
        "activities_trend": charts.line_chart(
            years, series("activities"), "Activities delivered per bureau and year", "activities"
        ),
        "people_trend": charts.line_chart(
            years, series("people_trained"), "People trained per bureau and year", "people"
        ),
        "regions_people": charts.hbar_chart(
            region_names,
            {"people trained": [r["people_trained"] for r in regions]},
            "People trained per region",
        ),
        "regions_activities": charts.hbar_chart(
            region_names,
            {"activities": [r["activities"] for r in regions]},
            "Activities per region",
        ),
        "regions_shares": charts.hbar_chart(
            region_names,
            {
                "developing countries": [r["developing_share"] for r in regions],
                "women": [r["women_share"] for r in regions],
            },
            "Share of people trained from developing countries, and women, per region",
            width=1120,
            percent=True,
        ),
        "gender": charts.stacked_share_chart(
            gender_rows, GENDER_ORDER, "People trained by gender (as recorded) and bureau"
        ),
        "duplication_pairs": charts.hbar_chart(
            [t["topic"] for t in topics],
            {"overlapping activity pairs": [t["overlapping_pairs"] for t in topics]},
            "Overlapping activities of different bureaux, per topic",
        ),
        "duplication_people": charts.hbar_chart(
            [t["topic"] for t in topics],
            {"people served by 2+ bureaux": [t["shared_participants"] for t in topics]},
            "People served by more than one bureau on the same topic",
        ),
    }
    return {name: Markup(svg) for name, svg in svgs.items()}


def render_html(data: ReportData, generated_at: str, source: str) -> str:
    template = _environment().get_template("report.html.j2")
    years = list(range(data.period_from, data.period_to + 1)) if data.has_data else []
    gender_table: dict[str, dict[str, dict]] = {}
    for r in data.gender.rows:
        gender_table.setdefault(r["bureau"], {})[r["gender"]] = r
    gender_order = [*_bureaux(data.gender.rows), "ALL"]
    women_share = {r["bureau"]: r["women_share"] for r in data.by_bureau.rows}
    women_share["ALL"] = data.headline.get("women_share")
    return template.render(
        data=data,
        years=years,
        trend_bureaux=[*_bureaux(data.trend.rows), "ALL"],
        trend_by_key={(r["year"], r["bureau"]): r for r in data.trend.rows},
        genders=GENDER_ORDER,
        gender_table=[(b, gender_table[b]) for b in gender_order if b in gender_table],
        women_share=women_share,
        headline=data.headline,
        charts=build_charts(data),
        generated_at=generated_at,
        source=source,
        bureau_colours=charts.BUREAU_COLOURS,
    )


def _write_atomically(path: Path, text: str) -> None:
    staged = path.with_name(path.name + ".incoming")
    staged.write_text(text, encoding="utf-8")
    os.replace(staged, path)


def render_report(
    period_from: int,
    period_to: int,
    out_dir: Path | None = None,
    council_db: Path | None = None,
    personal: pa.Table | None = None,
) -> dict:
    """Render the report for ``period_from``..``period_to``; returns ``{html, xlsx, headline}``.

    Both files are scanned for the private tier's personal values (``personal``, default: read
    from the build file) before they are put in place; a hit raises
    :class:`~ingestion.publish.scan.PersonalDataFound` and leaves the previous report.

    ``headline`` holds the period's figures for every bureau together (activities,
    people_trained, developing_share, women_share, ldc_lldc_sids_share, certificates,
    completions, ...) and the period actually covered (clamped to the years with data).
    """
    db = Path(council_db or default_council_db())
    if not db.is_file():
        raise FileNotFoundError(f"no Council marts at {db}: run publish_council first")
    data = load_report_data(db, period_from, period_to)
    out_dir = Path(out_dir or config.reports_dir())
    out_dir.mkdir(parents=True, exist_ok=True)
    generated_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    stem = f"council_report_{period_from}_{period_to}"
    html_path, xlsx_path = out_dir / f"{stem}.html", out_dir / f"{stem}.xlsx"

    html = render_html(data, generated_at, db.name)
    staged_xlsx = xlsx_path.with_name(xlsx_path.name + ".incoming")
    write_workbook(data, staged_xlsx, generated_at, db.name)
    values = personal_values(build_file()) if personal is None else personal
    problems = scan_text(html, values, html_path.name)
    problems += scan_text(_workbook_text(staged_xlsx), values, xlsx_path.name)
    if problems:
        staged_xlsx.unlink(missing_ok=True)
        refuse_on_hits(problems, "the Council report")
    _write_atomically(html_path, html)
    os.replace(staged_xlsx, xlsx_path)

    headline = {key: data.headline.get(key) for key in HEADLINE_KEYS}
    headline.update(
        period_from=data.period_from,
        period_to=data.period_to,
        requested_from=period_from,
        requested_to=period_to,
    )
    return {"html": html_path, "xlsx": xlsx_path, "headline": headline}


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
        prog="capdev report", description="Render the Council report (HTML + XLSX)."
    )
    this_year = dt.date.today().year
    parser.add_argument("--from", dest="period_from", type=int, default=2018, help="first year")
    parser.add_argument("--to", dest="period_to", type=int, default=this_year, help="last year")
    parser.add_argument("--out", type=Path, help="output folder (default data/reports)")
    parser.add_argument(
        "--db", type=Path, help="Council marts (default data/published/council.duckdb)"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    if args.period_from > args.period_to:
        parser.error("--from must not be after --to")
    try:
        result = render_report(args.period_from, args.period_to, args.out, args.db)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"HTML: {result['html']}\nXLSX: {result['xlsx']}")
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
    return 0
