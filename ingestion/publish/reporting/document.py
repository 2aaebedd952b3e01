"""The report's HTML: the template environment and its filters, the charts (a table of what
each one draws), the summary's sentences and the tables prepared for the template.

Everything here reads :class:`~ingestion.publish.reporting.data.ReportData`, the published
Council marts only, and shows each code by the label the file publishes beside it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

from jinja2 import Environment, FileSystemLoader, Undefined
from markupsafe import Markup

from ingestion.publish.reporting import charts
from ingestion.publish.reporting.data import BUREAU_ORDER, GENDER_ORDER, ReportData
from ingestion.publish.reporting.labels import label

TEMPLATES = Path(__file__).with_name("templates")
# The document lists the first candidates; the workbook has them all.
ACADEMY_IN_DOCUMENT = 25
# The width of a chart drawn beside another (the SVG's own units): narrow enough that its
# 12-unit text stays readable when two share an A4 page.
PAIRED_WIDTH = 440
# The topics the duplication charts show (the marts order them by overlapping pairs).
TOPICS_CHARTED = 15

# The trend charts, one line per bureau and one for all bureaux: name -> (measure, title,
# y axis title).
TREND_CHARTS = {
    "activities_trend": (
        "activities",
        "Activities delivered per bureau and year",
        "activities",
    ),
    "people_trend": ("people_trained", "People trained per bureau and year", "people"),
}


class Bars(NamedTuple):
    """A horizontal bar chart: one group of bars per row of ``rows``, one bar per series."""

    rows: str  # "regions" (all bureaux, by activity region) or "topics" (duplication)
    category: str  # the column naming each group
    series: dict[str, str]  # the legend's name of each series -> its column
    title: str
    width: int = PAIRED_WIDTH
    percent: bool = False


BAR_CHARTS = {
    "regions_people": Bars(
        "regions", "region_label", {"people trained": "people_trained"}, "People trained per region"
    ),
    "regions_activities": Bars(
        "regions", "region_label", {"activities": "activities"}, "Activities per region"
    ),
    "regions_shares": Bars(
        "regions",
        "region_label",
        {"developing countries": "developing_share", "women": "women_share"},
        "Share of people trained from developing countries, and women, per region",
        width=2 * PAIRED_WIDTH,
        percent=True,
    ),
    "duplication_pairs": Bars(
        "topics",
        "topic_label",
        {"overlapping activity pairs": "overlapping_pairs"},
        "Overlapping activities of different bureaux, per topic",
    ),
    "duplication_people": Bars(
        "topics",
        "topic_label",
        {"people served by 2+ bureaux": "shared_participants"},
        "People served by more than one bureau on the same topic",
    ),
}


def _missing(value) -> bool:
    return value is None or isinstance(value, Undefined)


def num(value) -> str:
    """A figure as the report prints it: thousands separators, "—" when missing."""
    if _missing(value):
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.2f}"


def pct(value) -> str:
    """A share as a whole percentage, "—" when missing."""
    return "—" if _missing(value) else f"{value * 100:.0f}%"


def _people(value, suppressed=False) -> str:
    """A people count; a suppressed cell shows "<5", never the number."""
    if suppressed:
        return "<5"
    return num(value)


def _environment(vocabulary: dict[str, dict[str, str]]) -> Environment:
    """The template environment; its ``label`` filter reads the Council file's labels."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        num=num,
        pct=pct,
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


def _trend_series(data: ReportData, measure: str) -> dict[str, list]:
    """``measure`` per year, one series per bureau and one for all bureaux."""
    by_key = {(r["year"], r["bureau"]): r for r in data.trend.rows}
    return {
        label(b, "bureau", data.vocabulary): [
            (by_key.get((y, b)) or {}).get(measure) for y in data.years
        ]
        for b in [*_bureaux(data.trend.rows), "ALL"]
    }


def _gender_rows(data: ReportData) -> list[tuple[str, dict[str, float | None]]]:
    """People trained per gender label, per bureau (all bureaux last, as "All")."""
    by_bureau: dict[str, dict[str, float | None]] = {}
    for r in data.gender.rows:
        by_bureau.setdefault(r["bureau"], {})[r["gender_label"]] = r["people_trained"]
    return [
        ("All" if b == "ALL" else b, by_bureau[b])
        for b in [*_bureaux(data.gender.rows), "ALL"]
        if b in by_bureau
    ]


def build_charts(data: ReportData) -> dict[str, Markup]:
    """Every chart of the report as inline SVG."""
    if not data.has_data:
        return {}
    svgs = {
        name: charts.line_chart(
            data.years,
            _trend_series(data, measure),
            title,
            y_title,
            width=PAIRED_WIDTH,
            height=290,
            partial=data.part_years,
        )
        for name, (measure, title, y_title) in TREND_CHARTS.items()
    }
    tables = {
        "regions": data.regions.rows,
        "topics": data.duplication_topics.rows[:TOPICS_CHARTED],
    }
    for name, bars in BAR_CHARTS.items():
        rows = tables[bars.rows]
        svgs[name] = charts.hbar_chart(
            [r[bars.category] for r in rows],
            {series: [r[column] for r in rows] for series, column in bars.series.items()},
            bars.title,
            width=bars.width,
            percent=bars.percent,
        )
    svgs["gender"] = charts.stacked_share_chart(
        _gender_rows(data),
        [label(g, "gender", data.vocabulary) for g in GENDER_ORDER],
        "People trained by gender (as recorded) and bureau",
        width=PAIRED_WIDTH,
    )
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
            f"{num(bureau['people_trained'])}, in {num(bureau['activities'])} activities."
        )
    region = _largest(data.regions.rows, "people_trained", "region")
    if region:
        points.append(
            f"{region['region_label']} is the region with the most people trained "
            f"({num(region['people_trained'])})."
        )
    topics = [t for t in data.duplication_topics.rows if t.get("overlapping_pairs")]
    if topics:
        points.append(
            f"Bureaux overlap on {len(topics)} topic{'s' if len(topics) != 1 else ''}; the most "
            f"on {topics[0]['topic_label']} "
            f"({num(topics[0]['overlapping_pairs'])} activity pairs)."
        )
    candidates = data.academy_candidates.rows
    if candidates:
        similar = sum(bool(r.get("similar_academy_course")) for r in candidates)
        points.append(
            f"{num(len(candidates))} activities held outside the ITU Academy qualify as "
            f"candidates for it; {num(similar)} of them resemble an existing Academy course."
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
    """The report's self-contained HTML (inline CSS and SVG)."""
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
