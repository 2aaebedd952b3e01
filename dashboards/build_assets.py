"""Build the dashboards through Superset's REST API, then export them as the committed YAML.

    make dashboards                       # in one terminal: Superset running
    dashboards/.venv/bin/python dashboards/build_assets.py [--url http://127.0.0.1:8088]

How the YAML in ``dashboards/assets/`` was made, and how to remake it from scratch after a
change of design. Everyday edits go through Superset's UI instead, then
``build_assets.py --export-only`` writes the YAML back for review. Either way the
committed files are exactly what Superset's ``/api/v1/assets/export/`` writes, with the
machine-specific warehouse path replaced by a placeholder that ``start.py`` fills in.

Every count is a ``COUNT(DISTINCT key)``: the facts datasets list an activity once per language
(so a language filter works), and distinct counts make that repetition harmless. Rates are
shares 0-1 of the participations where the platform records the outcome; satisfaction is put on
the same 0-1 scale ((score - 1) / 4 on the harmonised 1-5 scale).
"""

from __future__ import annotations

import argparse
import io
import json
import shutil
import sys
import uuid
import zipfile
from pathlib import Path

import requests
import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from start import ASSETS, DATABASE_NAME, URI_PLACEHOLDER, data_dir  # noqa: E402

DOCS_LINK = (
    "**Data dictionary:** what every table and column means is in the "
    "[dbt docs](/dbt-docs/) (`make docs`). Figures come from the published warehouse, "
    "refreshed every night."
)

# --- datasets ---------------------------------------------------------------------------------

# The datasets show the warehouse's English labels (reference.code_labels, through each mart's
# <code>_label column) under the column names the charts and filters use; bureaux keep their
# abbreviations and countries their ISO codes (the world map reads cca2).
FACTS_SQL = """
-- One row per activity x language x participation (activities without participants kept).
select
    a.activity_key,
    a.platform,
    a.bureau,
    a.org_unit,
    extract(year from a.start_date)::integer as year,
    make_date(extract(year from a.start_date)::integer, 1, 1) as year_start,
    coalesce(a.region_label, 'Not specified') as activity_region,
    a.country as activity_country,
    coalesce(a.topic_label, 'Unclassified') as topic,
    coalesce(a.activity_type_label, 'Unclassified') as activity_type,
    coalesce(a.delivery_mode_label, 'Not recorded') as delivery_mode,
    a.on_itu_academy,
    coalesce(l.language, 'Not recorded') as language,
    p.participation_key,
    c.participant_key,
    coalesce(r.region_label, 'Not specified') as participant_region,
    r.country as participant_country,
    coalesce(r.gender_label, 'Unknown') as gender,
    p.completed,
    p.passed,
    p.certified,
    p.satisfaction_1_5
from core.activities as a
left join (
    select activity_key, unnest(language_labels) as language from core.activities
) as l on l.activity_key = a.activity_key
left join core.participations as p on p.activity_key = a.activity_key
left join core.participant_records as r on r.participant_record_key = p.participant_record_key
left join core.participant_crosswalk as c on c.participant_record_key = p.participant_record_key
"""


def _rate(flag: str) -> str:
    return (
        f"count(distinct participation_key) filter (where {flag}) * 1.0 / "
        f"nullif(count(distinct participation_key) filter (where {flag} is not null), 0)"
    )


# satisfaction once per participation (the rows repeat per language), on the 0-1 scale
SATISFACTION = (
    "(list_avg(list_transform(list_distinct(list({'k': participation_key, 's': satisfaction_1_5}) "
    "filter (where satisfaction_1_5 is not null)), x -> x.s)) - 1) / 4"
)

FACTS_METRICS = {
    "activities": ("Activities", "count(distinct activity_key)", ",d"),
    "people": ("People (resolved across platforms)", "count(distinct participant_key)", ",d"),
    "participations": ("Participations", "count(distinct participation_key)", ",d"),
    "completions": (
        "Completions",
        "count(distinct participation_key) filter (where completed)",
        ",d",
    ),
    "certificates": (
        "Certificates",
        "count(distinct participation_key) filter (where certified)",
        ",d",
    ),
    "completion_rate": ("Completion rate", _rate("completed"), ".0%"),
    "pass_rate": ("Pass rate", _rate("passed"), ".0%"),
    "certification_rate": ("Certification rate", _rate("certified"), ".0%"),
    "satisfaction": ("Satisfaction (0-100 %)", SATISFACTION, ".0%"),
}

PAIRS_SQL = """
-- One row per overlapping pair x each side's bureau, platform, type and language.
select
    o.activity_key_a || ' / ' || o.activity_key_b as pair_key,
    least(o.bureau_a, o.bureau_b) || ' - ' || greatest(o.bureau_a, o.bureau_b) as bureau_pair,
    o.is_cross_bureau,
    coalesce(o.topic_label, 'Unclassified') as topic,
    coalesce(o.region_label, 'Not specified') as activity_region,
    extract(year from o.start_date_a)::integer as year,
    make_date(extract(year from o.start_date_a)::integer, 1, 1) as year_start,
    o.days_apart,
    o.score,
    o.shared_participants,
    aa.title as title_a,
    ab.title as title_b,
    side.bureau,
    side.platform,
    coalesce(side.activity_type, 'Unclassified') as activity_type,
    coalesce(side.language, 'Not recorded') as language
from overlap.activity_overlaps as o
join core.activities as aa on aa.activity_key = o.activity_key_a
join core.activities as ab on ab.activity_key = o.activity_key_b
cross join lateral (
    select s.bureau, s.platform, s.activity_type_label as activity_type, unnest(
        case when len(s.language_labels) = 0 then [null] else s.language_labels end
    ) as language
    from core.activities as s
    where s.activity_key in (o.activity_key_a, o.activity_key_b)
) as side
"""

PAIRS_METRICS = {
    "overlapping_pairs": ("Overlapping pairs", "count(distinct pair_key)", ",d"),
    "cross_bureau_pairs": (
        "Cross-bureau pairs",
        "count(distinct pair_key) filter (where is_cross_bureau)",
        ",d",
    ),
    "avg_score": ("Average overlap score", "avg(score)", ".2f"),
}

SHARED_SQL = """
-- People who took the same topic from more than one bureau, once per bureau that reached them.
select
    s.participant_key,
    coalesce(s.topic_label, 'Unclassified') as topic,
    unnest(s.bureaux) as bureau,
    s.n_bureaux,
    extract(year from s.first_start_date)::integer as year,
    coalesce(p.region_label, 'Not specified') as participant_region
from overlap.shared_participants as s
left join core.participants as p on p.participant_key = s.participant_key
"""

SHARED_METRICS = {
    "shared_people": (
        "People reached by more than one bureau on a topic",
        "count(distinct participant_key)",
        ",d",
    ),
}

PROFILE_SQL = """
select
    platform,
    entity,
    field,
    entity || '.' || field as entity_field,
    is_recorded,
    records,
    completeness_pct / 100.0 as completeness,
    harmonized_pct / 100.0 as harmonized,
    convention,
    observed_values
from core.platform_profile
"""

PROFILE_METRICS = {
    "completeness": ("Filled", "avg(completeness)", ".0%"),
    "harmonized": ("Harmonised", "avg(harmonized)", ".0%"),
}

UNMAPPED_SQL = "select platform, field, kind, term, count from core.unmapped_terms"
UNMAPPED_METRICS = {"unmapped": ("Unmapped terms (rows)", "sum(count)", ",d")}

# The Council marts publish codes with their English labels beside them: a dataset shows the
# label under the column charts and filters use (topic), the code beside it (topic_code).
CANDIDATES_SQL = """
select
    candidate_rank, activity_key, year, bureau, platform, org_unit, title,
    topic_label as topic, activity_type_label as activity_type,
    delivery_mode_label as delivery_mode, region_label as activity_region, people_trained,
    completion_rate, pass_rate, avg_satisfaction_1_5, quality_score, best_academy_match,
    recommendation, topic as topic_code, activity_type as activity_type_code,
    delivery_mode as delivery_mode_code, region as activity_region_code
from council.academy_candidates
"""
CANDIDATES_METRICS = {
    "candidates": ("Candidate activities", "count(distinct activity_key)", ",d"),
    "people_trained": ("People trained", "sum(people_trained)", ",d"),
}

DATASETS = {
    "capdev_facts": (FACTS_SQL, FACTS_METRICS),
    "capdev_overlap_pairs": (PAIRS_SQL, PAIRS_METRICS),
    "capdev_shared_participants": (SHARED_SQL, SHARED_METRICS),
    "capdev_platform_profile": (PROFILE_SQL, PROFILE_METRICS),
    "capdev_unmapped_terms": (UNMAPPED_SQL, UNMAPPED_METRICS),
    "capdev_academy_candidates": (CANDIDATES_SQL, CANDIDATES_METRICS),
}
# Council datasets are added by council_datasets() once their columns are known.

# --- charts -----------------------------------------------------------------------------------


def big(name: str, metric: str, fmt: str = "SMART_NUMBER") -> dict:
    return {
        "name": name,
        "viz_type": "big_number_total",
        "params": {"metric": metric, "header_font_size": 0.4, "y_axis_format": fmt},
        "width": 3,
        "height": 25,
    }


def trend(name: str, metrics: list[str], groupby: list[str], fmt: str = "SMART_NUMBER") -> dict:
    return {
        "name": name,
        "viz_type": "echarts_timeseries_line",
        "params": {
            "x_axis": "year_start",
            "time_grain_sqla": "P1Y",
            "metrics": metrics,
            "groupby": groupby,
            "x_axis_time_format": "%Y",
            "y_axis_format": fmt,
            "markerEnabled": True,
            "show_legend": True,
            "legendOrientation": "top",
            "rich_tooltip": True,
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }


def bars(name: str, x: str, metrics: list[str], groupby: list[str], fmt="SMART_NUMBER") -> dict:
    return {
        "name": name,
        "viz_type": "echarts_timeseries_bar",
        "params": {
            "x_axis": x,
            "metrics": metrics,
            "groupby": groupby,
            "y_axis_format": fmt,
            "show_legend": True,
            "legendOrientation": "top",
            "rich_tooltip": True,
            "x_axis_sort_asc": True,
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }


def heatmap(name: str, x: str, y: str, metric: str, fmt: str = "SMART_NUMBER") -> dict:
    return {
        "name": name,
        "viz_type": "heatmap_v2",
        "params": {
            "x_axis": x,
            "groupby": y,
            "metric": metric,
            "linear_color_scheme": "blue_white_yellow",
            "normalize_across": "heatmap",
            "show_legend": True,
            "show_values": True,
            "sort_x_axis": "alpha_asc",
            "sort_y_axis": "alpha_asc",
            "y_axis_format": fmt,
            "value_bounds": [None, None],
            "left_margin": "auto",
            "bottom_margin": "auto",
            "row_limit": 10000,
        },
        "width": 12,
        "height": 60,
    }


def table(name: str, groupby: list[str], metrics: list[str], width: int = 12) -> dict:
    return {
        "name": name,
        "viz_type": "table",
        "params": {
            "query_mode": "aggregate",
            "groupby": groupby,
            "metrics": metrics,
            "order_desc": True,
            "row_limit": 1000,
            "show_cell_bars": True,
            "table_timestamp_format": "smart_date",
        },
        "width": width,
        "height": 60,
    }


def raw_table(name: str, columns: list[str], order_by: list, width: int = 12) -> dict:
    return {
        "name": name,
        "viz_type": "table",
        "params": {
            "query_mode": "raw",
            "all_columns": columns,
            "order_by_cols": [json.dumps(o) for o in order_by],
            "row_limit": 500,
            "server_pagination": False,
        },
        "width": width,
        "height": 60,
    }


def world_map(name: str, entity: str, metric: str) -> dict:
    return {
        "name": name,
        "viz_type": "world_map",
        "params": {
            "entity": entity,
            "country_fieldtype": "cca2",
            "metric": metric,
            "show_bubbles": False,
            "color_picker": {"r": 0, "g": 122, "b": 135, "a": 1},
            "linear_color_scheme": "blue_white_yellow",
            "color_by": "metric",
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }


FILTERS_FACTS = [
    ("Bureau", "bureau"),
    ("Year", "year"),
    ("Participant's region", "participant_region"),
    ("Activity's region", "activity_region"),
    ("Topic", "topic"),
    ("Activity type", "activity_type"),
    ("Language", "language"),
    ("Platform", "platform"),
]


def dashboards() -> list[dict]:
    """Each dashboard: its charts (dataset, spec) and native filters (name, dataset, column)."""
    return [
        {
            "title": "Stocktaking",
            "slug": "stocktaking",
            "about": "What ITU's three bureaux and the General Secretariat ran, for whom, and "
            "with what result: every platform on one taxonomy, people counted once across "
            "platforms.",
            "charts": [
                ("capdev_facts", big("Activities", "activities")),
                ("capdev_facts", big("People", "people")),
                ("capdev_facts", big("Completions", "completions")),
                ("capdev_facts", big("Certificates", "certificates")),
                (
                    "capdev_facts",
                    trend("Activities per year, by bureau", ["activities"], ["bureau"]),
                ),
                ("capdev_facts", trend("People per year, by bureau", ["people"], ["bureau"])),
                (
                    "capdev_facts",
                    heatmap("Activities: bureau x topic", "topic", "bureau", "activities"),
                ),
                (
                    "capdev_facts",
                    world_map("People by participant's country", "participant_country", "people"),
                ),
                (
                    "capdev_facts",
                    bars(
                        "Activities by type and bureau", "activity_type", ["activities"], ["bureau"]
                    ),
                ),
                (
                    "capdev_facts",
                    table(
                        "By topic",
                        ["topic"],
                        ["activities", "people", "completions", "certificates"],
                    ),
                ),
            ],
            "filters": [(n, "capdev_facts", c) for n, c in FILTERS_FACTS],
        },
        {
            "title": "Quality",
            "slug": "quality",
            "about": "Completion, pass, certification and satisfaction, all as shares of the "
            "participations whose platform records them (satisfaction: the harmonised 1-5 score "
            "as (score - 1) / 4), so they compare on one scale.",
            "charts": [
                ("capdev_facts", big("Completion rate", "completion_rate", ".0%")),
                ("capdev_facts", big("Pass rate", "pass_rate", ".0%")),
                ("capdev_facts", big("Certification rate", "certification_rate", ".0%")),
                ("capdev_facts", big("Satisfaction", "satisfaction", ".0%")),
                (
                    "capdev_facts",
                    trend(
                        "Quality per year",
                        ["completion_rate", "pass_rate", "certification_rate", "satisfaction"],
                        [],
                        ".0%",
                    ),
                ),
                (
                    "capdev_facts",
                    bars(
                        "Quality by bureau",
                        "bureau",
                        ["completion_rate", "pass_rate", "certification_rate", "satisfaction"],
                        [],
                        ".0%",
                    ),
                ),
                (
                    "capdev_facts",
                    heatmap(
                        "Completion rate: bureau x topic",
                        "topic",
                        "bureau",
                        "completion_rate",
                        ".0%",
                    ),
                ),
                (
                    "capdev_facts",
                    table(
                        "Quality by platform",
                        ["platform"],
                        [
                            "participations",
                            "completion_rate",
                            "pass_rate",
                            "certification_rate",
                            "satisfaction",
                        ],
                    ),
                ),
            ],
            "filters": [(n, "capdev_facts", c) for n, c in FILTERS_FACTS],
        },
        {
            "title": "Duplication",
            "slug": "duplication",
            "about": "Pairs of activities of two units that are the same course delivered twice "
            "(same topic, audience and period, titles naming the same subjects), and people "
            "reached on one topic by more than one bureau.",
            "charts": [
                ("capdev_overlap_pairs", big("Overlapping pairs", "overlapping_pairs")),
                ("capdev_overlap_pairs", big("Cross-bureau pairs", "cross_bureau_pairs")),
                (
                    "capdev_shared_participants",
                    big("People reached by several bureaux", "shared_people"),
                ),
                (
                    "capdev_overlap_pairs",
                    heatmap(
                        "Overlapping pairs: bureau pair x topic",
                        "topic",
                        "bureau_pair",
                        "overlapping_pairs",
                    ),
                ),
                (
                    "capdev_overlap_pairs",
                    trend(
                        "Overlapping pairs per year, by bureau pair",
                        ["overlapping_pairs"],
                        ["bureau_pair"],
                    ),
                ),
                (
                    "capdev_shared_participants",
                    bars("Shared participants by topic", "topic", ["shared_people"], []),
                ),
                (
                    "capdev_overlap_pairs",
                    table(
                        "Overlapping activities",
                        ["bureau_pair", "topic", "title_a", "title_b"],
                        ["avg_score"],
                    ),
                ),
            ],
            "filters": [
                ("Bureau", "capdev_overlap_pairs", "bureau"),
                ("Year", "capdev_overlap_pairs", "year"),
                ("Activity's region", "capdev_overlap_pairs", "activity_region"),
                ("Participant's region", "capdev_shared_participants", "participant_region"),
                ("Topic", "capdev_overlap_pairs", "topic"),
                ("Activity type", "capdev_overlap_pairs", "activity_type"),
                ("Language", "capdev_overlap_pairs", "language"),
                ("Platform", "capdev_overlap_pairs", "platform"),
            ],
        },
        {
            "title": "Platform differences",
            "slug": "platform-differences",
            "about": "What each platform records and how: share of records with each field "
            "filled, share harmonised onto the common vocabulary, and the platform's own "
            "convention (docs/platform-conventions.md).",
            "charts": [
                (
                    "capdev_platform_profile",
                    heatmap(
                        "Field filled, by platform",
                        "platform",
                        "entity_field",
                        "completeness",
                        ".0%",
                    ),
                ),
                (
                    "capdev_platform_profile",
                    heatmap(
                        "Field harmonised, by platform",
                        "platform",
                        "entity_field",
                        "harmonized",
                        ".0%",
                    ),
                ),
                (
                    "capdev_platform_profile",
                    raw_table(
                        "Conventions",
                        ["platform", "entity", "field", "convention", "observed_values"],
                        [["platform", True]],
                    ),
                ),
                (
                    "capdev_unmapped_terms",
                    bars("Unmapped terms by platform", "platform", ["unmapped"], ["kind"]),
                ),
            ],
            "filters": [
                ("Platform", "capdev_platform_profile", "platform"),
                ("Entity", "capdev_platform_profile", "entity"),
            ],
        },
        {
            "title": "ITU Academy candidates",
            "slug": "academy-candidates",
            "about": "Activities run outside the ITU Academy that could move onto it: reach, "
            "quality and the closest Academy course (council.academy_candidates).",
            "charts": [
                ("capdev_academy_candidates", big("Candidate activities", "candidates")),
                ("capdev_academy_candidates", big("People they trained", "people_trained")),
                (
                    "capdev_academy_candidates",
                    bars(
                        "Candidates by bureau and recommendation",
                        "bureau",
                        ["candidates"],
                        ["recommendation"],
                    ),
                ),
                (
                    "capdev_academy_candidates",
                    bars("Candidates by topic", "topic", ["candidates"], []),
                ),
                (
                    "capdev_academy_candidates",
                    raw_table(
                        "Candidates",
                        [
                            "candidate_rank",
                            "title",
                            "bureau",
                            "platform",
                            "topic",
                            "year",
                            "people_trained",
                            "quality_score",
                            "recommendation",
                            "best_academy_match",
                        ],
                        [["candidate_rank", True]],
                    ),
                ),
            ],
            "filters": [
                ("Bureau", "capdev_academy_candidates", "bureau"),
                ("Year", "capdev_academy_candidates", "year"),
                ("Activity's region", "capdev_academy_candidates", "activity_region"),
                ("Topic", "capdev_academy_candidates", "topic"),
                ("Activity type", "capdev_academy_candidates", "activity_type"),
                ("Platform", "capdev_academy_candidates", "platform"),
            ],
        },
    ]


def council_datasets() -> dict:
    """The Council marts: already deduplicated, suppressed (cells under 5 people) and rounded."""
    figures = (
        "activities",
        "participations",
        "people_trained",
        "completions",
        "certificates",
    )
    metrics = {
        name: (name.replace("_", " ").capitalize(), f"sum({name})", ",d") for name in figures
    }
    metrics |= {
        share: (label, f"avg({share})", ".0%")
        for share, label in (
            ("women_share", "Women (share)"),
            ("developing_share", "From developing countries (share)"),
            ("ldc_lldc_sids_share", "From LDC, LLDC or SIDS (share)"),
        )
    }
    # bureaux by their abbreviations (BDT, BR, TSB, GS, ALL), as in the Council report
    headline = """
select * exclude (bureau_label), make_date(year, 1, 1) as year_start
from council.headline_figures
"""
    cells = """
select
    * exclude (bureau_label, region, region_label, topic, topic_label, activity_type,
        activity_type_label, delivery_mode, delivery_mode_label),
    region_label as activity_region, topic_label as topic,
    activity_type_label as activity_type, delivery_mode_label as delivery_mode,
    region as activity_region_code, topic as topic_code, activity_type as activity_type_code,
    delivery_mode as delivery_mode_code, make_date(year, 1, 1) as year_start
from council.activity_figures
"""
    return {
        "capdev_council_headline": (headline, metrics),
        "capdev_council_activity_figures": (cells, metrics),
    }


def council_dashboard() -> dict:
    return {
        "title": "Council headline figures",
        "slug": "council",
        "about": "The figures of the Council report (council schema): people counted once "
        "across platforms, bureau ALL = every bureau together, cells describing fewer than 5 "
        "people withheld and counts rounded (docs/council.md).",
        "charts": [
            (
                "capdev_council_headline",
                trend("People trained per year, by bureau", ["people_trained"], ["bureau"]),
            ),
            (
                "capdev_council_headline",
                trend(
                    "Women trained (share) per year, by bureau", ["women_share"], ["bureau"], ".0%"
                ),
            ),
            (
                "capdev_council_activity_figures",
                heatmap("Activities: bureau x topic", "topic", "bureau", "activities"),
            ),
            (
                "capdev_council_headline",
                raw_table(
                    "Headline figures",
                    [
                        "year",
                        "bureau",
                        "activities",
                        "people_trained",
                        "completions",
                        "certificates",
                        "women_share",
                        "developing_share",
                        "ldc_lldc_sids_share",
                        "suppressed",
                    ],
                    [["year", False]],
                ),
            ),
        ],
        "filters": [
            ("Bureau", "capdev_council_headline", "bureau"),
            ("Year", "capdev_council_headline", "year"),
            ("Activity's region", "capdev_council_activity_figures", "activity_region"),
            ("Topic", "capdev_council_activity_figures", "topic"),
            ("Activity type", "capdev_council_activity_figures", "activity_type"),
        ],
    }


# --- the API ----------------------------------------------------------------------------------


class Superset:
    """A logged-in admin session on Superset's REST API."""

    def __init__(self, url: str, password: str) -> None:
        self.url = url.rstrip("/")
        self.http = requests.Session()
        token = self.http.post(
            f"{self.url}/api/v1/security/login",
            json={"username": "admin", "password": password, "provider": "db", "refresh": False},
            timeout=60,
        )
        token.raise_for_status()
        self.http.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
        csrf = self.http.get(f"{self.url}/api/v1/security/csrf_token/", timeout=60)
        csrf.raise_for_status()
        self.http.headers["X-CSRFToken"] = csrf.json()["result"]
        self.http.headers["Referer"] = self.url

    def call(self, method: str, path: str, **kwargs) -> dict:
        response = self.http.request(method, f"{self.url}/api/v1/{path}", timeout=300, **kwargs)
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:2000]}")
        return response.json() if response.content else {}

    def ids(self, resource: str) -> list[int]:
        query = "(page_size:1000)"
        return [row["id"] for row in self.call("GET", f"{resource}/?q={query}")["result"]]


def wipe(api: Superset) -> None:
    """Remove every dashboard, chart and dataset: the build starts from nothing."""
    for resource in ("dashboard", "chart", "dataset"):
        for ident in api.ids(resource):
            api.call("DELETE", f"{resource}/{ident}")


def create_dataset(api: Superset, database_id: int, name: str, sql: str, metrics: dict) -> int:
    ident = api.call(
        "POST",
        "dataset/",
        json={"database": database_id, "schema": "main", "table_name": name, "sql": sql.strip()},
    )["id"]
    api.call("PUT", f"dataset/{ident}/refresh")
    current = api.call("GET", f"dataset/{ident}")["result"]
    columns = [
        {
            k: c[k]
            for k in ("id", "column_name", "type", "is_dttm", "groupby", "filterable")
            if k in c
        }
        for c in current["columns"]
    ]
    for column in columns:
        column["is_dttm"] = column["column_name"] == "year_start"
    api.call(
        "PUT",
        f"dataset/{ident}",
        json={
            "columns": columns,
            "main_dttm_col": "year_start" if any(c["is_dttm"] for c in columns) else None,
            "metrics": [
                {"metric_name": key, "verbose_name": label, "expression": expr, "d3format": fmt}
                for key, (label, expr, fmt) in metrics.items()
            ],
        },
    )
    return ident


def layout(title: str, about: str, placed: list[tuple[int, str, dict]]) -> dict:
    """position_json: a header, the description with the docs link, then rows of charts."""
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": title}},
    }
    rows: list[list[dict]] = [[{"kind": "markdown", "width": 12, "height": 20}]]
    width = 0
    for chart_id, name, spec in placed:
        if width + spec["width"] > 12 or not rows[-1] or rows[-1][0].get("kind") == "markdown":
            rows.append([])
            width = 0
        rows[-1].append({"kind": "chart", "id": chart_id, "name": name, **spec})
        width += spec["width"]
    for r, row in enumerate(rows):
        row_id = f"ROW-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for c, item in enumerate(row):
            if item["kind"] == "markdown":
                item_id = "MARKDOWN-about"
                position[item_id] = {
                    "type": "MARKDOWN",
                    "id": item_id,
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {"width": 12, "height": 20, "code": f"{about}\n\n{DOCS_LINK}"},
                }
            else:
                item_id = f"CHART-{r}-{c}"
                position[item_id] = {
                    "type": "CHART",
                    "id": item_id,
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {
                        "width": item["width"],
                        "height": item["height"],
                        "chartId": item["id"],
                        "sliceName": item["name"],
                        "uuid": item["uuid"],
                    },
                }
            position[row_id]["children"].append(item_id)
    return position


def native_filter(name: str, dataset_id: int, column: str, excluded: list[int]) -> dict:
    return {
        "id": f"NATIVE_FILTER-{uuid.uuid5(uuid.NAMESPACE_URL, name + column).hex[:20]}",
        "name": name,
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "targets": [{"datasetId": dataset_id, "column": {"name": column}}],
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "description": "",
    }


def build(api: Superset) -> None:
    databases = api.call("GET", "database/?q=(page_size:100)")["result"]
    database_id = next(d["id"] for d in databases if d["database_name"] == DATABASE_NAME)
    wipe(api)
    dataset_ids = {
        name: create_dataset(api, database_id, name, sql, metrics)
        for name, (sql, metrics) in {**DATASETS, **council_datasets()}.items()
    }
    columns = {
        name: {c["column_name"] for c in api.call("GET", f"dataset/{i}")["result"]["columns"]}
        for name, i in dataset_ids.items()
    }
    for board in [*dashboards(), council_dashboard()]:
        dashboard_id = api.call(
            "POST",
            "dashboard/",
            json={"dashboard_title": board["title"], "slug": board["slug"], "published": True},
        )["id"]
        placed = []
        chart_dataset = {}
        for dataset, spec in board["charts"]:
            params = {
                **spec["params"],
                "viz_type": spec["viz_type"],
                "datasource": f"{dataset_ids[dataset]}__table",
                "adhoc_filters": [],
            }
            chart_id = api.call(
                "POST",
                "chart/",
                json={
                    "slice_name": spec["name"],
                    "viz_type": spec["viz_type"],
                    "datasource_id": dataset_ids[dataset],
                    "datasource_type": "table",
                    "params": json.dumps(params),
                    "dashboards": [dashboard_id],
                },
            )["id"]
            # the export finds a dashboard's charts in its layout by uuid
            chart_uuid = api.call("GET", f"chart/{chart_id}")["result"]["uuid"]
            placed.append((chart_id, spec["name"], {**spec, "uuid": chart_uuid}))
            chart_dataset[chart_id] = dataset
        filters = []
        for name, dataset, column in board["filters"]:
            # a filter applies to the charts whose dataset has its column
            excluded = [c for c, d in chart_dataset.items() if column not in columns[d]]
            filters.append(native_filter(name, dataset_ids[dataset], column, excluded))
        metadata = {
            "native_filter_configuration": filters,
            "cross_filters_enabled": False,
            "color_scheme": "supersetColors",
            "refresh_frequency": 0,
            "timed_refresh_immune_slices": [],
            "expanded_slices": {},
            "label_colors": {},
            "shared_label_colors": [],
            "default_filters": "{}",
        }
        api.call(
            "PUT",
            f"dashboard/{dashboard_id}",
            json={
                "position_json": json.dumps(layout(board["title"], board["about"], placed)),
                "json_metadata": json.dumps(metadata),
            },
        )
        print(f"built {board['title']}: {len(placed)} charts, {len(filters)} filters")


def export(api: Superset) -> None:
    """Write Superset's assets export into dashboards/assets/ (the committed YAML)."""
    response = api.http.get(f"{api.url}/api/v1/assets/export/", timeout=300)
    response.raise_for_status()
    shutil.rmtree(ASSETS, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        for member in bundle.namelist():
            if not member.endswith(".yaml"):
                continue
            relative = Path(*Path(member).parts[1:])  # drop the export's dated top folder
            text = bundle.read(member).decode()
            if relative.parts[0] == "databases":
                config = yaml.safe_load(text)
                config["sqlalchemy_uri"] = URI_PLACEHOLDER
                config.pop("extra", None)  # start.py sets the engine's lock-down itself
                config["extra"] = {"allows_virtual_table_explore": True}
                text = yaml.safe_dump(config, sort_keys=False)
            target = ASSETS / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    print(f"exported to {ASSETS}: {sum(1 for _ in ASSETS.rglob('*.yaml'))} files")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--export-only", action="store_true")
    args = parser.parse_args(argv)
    password = (data_dir() / "superset" / "admin_password").read_text().strip()
    api = Superset(args.url, password)
    if not args.export_only:
        build(api)
    export(api)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
