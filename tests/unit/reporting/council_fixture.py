"""A small hand-made ``council.duckdb`` with the Council marts' columns, for report tests.

Deterministic figures for 2018–2024 and four bureaux; a few cells are suppressed (people null,
``suppressed = true``) the way the dbt models publish them. Codes in the code columns, and beside
each its English label, taken from the project's own code lists (the dbt seeds that
``reference.code_labels`` is made of), as the marts publish them.
"""

from __future__ import annotations

import csv
import random
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa

SEEDS = Path(__file__).resolve().parents[3] / "dbt_project" / "seeds"
BUREAUX = ("BDT", "BR", "TSB", "GS")
PARTICIPANT_REGIONS = ("Africa", "Americas", "Arab States", "Europe", "unknown")
REGIONS = ("Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe", "unknown")
TOPICS = (
    "spectrum_management",
    "cybersecurity",
    "digital_inclusion_accessibility",
    "emergency_telecommunications",
    "standardization_conformity",
)
YEARS = range(2018, 2025)
# delivery modes as the marts publish them: codes (the report shows their labels)
DELIVERY_MODES = ("online_live", "in_person", "online_self_paced")


def code_labels() -> dict[str, dict[str, str]]:
    """The English label of every code, per list, from the seeds (as reference.code_labels)."""
    lists: dict[str, dict[str, str]] = defaultdict(dict)
    with open(SEEDS / "vocabularies.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            lists[row["vocabulary"]][row["code"]] = row["label_en"]
    for vocabulary, seed in (
        ("topic", "taxonomy_topics"),
        ("activity_type", "taxonomy_activity_types"),
    ):
        with open(SEEDS / f"{seed}.csv", encoding="utf-8") as f:
            lists[vocabulary].update({row["code"]: row["label_en"] for row in csv.DictReader(f)})
    with open(SEEDS / "org_units.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["org_unit"] == row["bureau"]:
                lists["bureau"][row["bureau"]] = row["org_unit_name"]
    return lists


# the label column of each code column: (table, code column, label column, code list)
LABELLED = (
    ("headline_figures", "bureau", "bureau_label", "bureau"),
    ("period_figures", "bureau", "bureau_label", "bureau"),
    ("period_figures", "dimension", "dimension_label", "dimension"),
    ("activity_figures", "bureau", "bureau_label", "bureau"),
    ("activity_figures", "region", "region_label", "region"),
    ("activity_figures", "topic", "topic_label", "topic"),
    ("activity_figures", "activity_type", "activity_type_label", "activity_type"),
    ("activity_figures", "delivery_mode", "delivery_mode_label", "delivery_mode"),
    ("duplication_by_period", "bureau_a", "bureau_a_label", "bureau"),
    ("duplication_by_period", "bureau_b", "bureau_b_label", "bureau"),
    ("duplication_by_period", "topic", "topic_label", "topic"),
    ("duplication_summary", "bureau_a", "bureau_a_label", "bureau"),
    ("duplication_summary", "bureau_b", "bureau_b_label", "bureau"),
    ("duplication_summary", "topic", "topic_label", "topic"),
    ("academy_candidates", "bureau", "bureau_label", "bureau"),
    ("academy_candidates", "topic", "topic_label", "topic"),
    ("academy_candidates", "activity_type", "activity_type_label", "activity_type"),
    ("academy_candidates", "delivery_mode", "delivery_mode_label", "delivery_mode"),
    ("academy_candidates", "region", "region_label", "region"),
    ("people_by_group", "bureau", "bureau_label", "bureau"),
    ("people_by_group", "participant_region", "participant_region_label", "region"),
    ("people_by_group", "activity_region", "activity_region_label", "region"),
    ("people_by_group", "gender", "gender_label", "gender"),
    ("people_by_group", "country_group", "country_group_label", "country_group"),
)


def _add_labels(con: duckdb.DuckDBPyConnection) -> None:
    """Add the label columns, filled from the code lists (period_figures' categories from the
    list their dimension names: participant_region -> region; overall -> overall)."""
    lists = code_labels()
    labels = pa.Table.from_pylist(
        [
            {"vocabulary": v, "code": c, "label_en": label}
            for v, codes in lists.items()
            for c, label in codes.items()
        ]
    )
    con.register("labels", labels)
    for table, column, label_column, vocabulary in LABELLED:
        con.execute(f"alter table {table} add column {label_column} varchar").fetchall()
        con.execute(
            f"update {table} set {label_column} = (select label_en from labels "
            f"where vocabulary = '{vocabulary}' and code = {table}.{column})"
        ).fetchall()
    con.execute("alter table period_figures add column category_label varchar").fetchall()
    con.execute(
        "update period_figures set category_label = (select label_en from labels "
        "where code = period_figures.category and vocabulary = case period_figures.dimension "
        "when 'participant_region' then 'region' else period_figures.dimension end)"
    ).fetchall()
    con.unregister("labels")


CANDIDATES = 60  # more than the report lists (25): the workbook has them all

MEASURE_COLUMNS = """
    activities integer, participations bigint, people_trained bigint, completions bigint,
    certificates bigint, completion_rate double, pass_rate double, avg_satisfaction_1_5 double,
    developing_share double, ldc_lldc_sids_share double, women_share double,
    suppressed boolean, partially_suppressed boolean
"""


def _measures(rng: random.Random, people: int, activities: int) -> tuple:
    if 1 <= people < 5:
        return (activities, None, None, None, None, None, None, None, None, None, None, True, False)
    completions = int(people * rng.uniform(0.4, 0.9))
    certificates = int(completions * rng.uniform(0.3, 0.9))
    small = (1 <= completions < 5) or (1 <= certificates < 5)
    return (
        activities,
        int(people * 1.2),
        people,
        None if 1 <= completions < 5 else completions,
        None if 1 <= certificates < 5 else certificates,
        round(rng.uniform(0.5, 0.95), 3),
        round(rng.uniform(0.5, 0.95), 3),
        round(rng.uniform(3.2, 4.7), 2),
        round(rng.uniform(0.6, 0.8), 3),
        round(rng.uniform(0.15, 0.35), 3),
        round(rng.uniform(0.3, 0.5), 3),
        False,
        small,
    )


def build_council_db(path: Path, seed: int = 3) -> Path:
    rng = random.Random(seed)
    rows: dict[str, list] = defaultdict(list)
    con = duckdb.connect(str(path))
    try:
        con.execute(
            f"""
            create table headline_figures (year integer, bureau varchar, {MEASURE_COLUMNS});
            create table period_figures (period_from integer, period_to integer, bureau varchar,
                dimension varchar, category varchar, {MEASURE_COLUMNS});
            create table activity_figures (year integer, bureau varchar, region varchar,
                topic varchar, activity_type varchar, delivery_mode varchar, {MEASURE_COLUMNS});
            create table duplication_summary (bureau_a varchar, bureau_b varchar, topic varchar,
                first_year integer, last_year integer, overlapping_pairs integer,
                activities_a integer, activities_b integer, catalogue_share_a double,
                catalogue_share_b double, avg_overlap_score double,
                shared_participants bigint, suppressed boolean);
            create table duplication_by_period (period_from integer, period_to integer,
                bureau_a varchar, bureau_b varchar, topic varchar, overlapping_pairs integer,
                activities_a integer, activities_b integer, catalogue_share_a double,
                catalogue_share_b double, avg_overlap_score double,
                shared_participants bigint, suppressed boolean);
            create table academy_candidates (activity_key varchar, year integer, bureau varchar,
                platform varchar, org_unit varchar, title varchar, topic varchar,
                activity_type varchar, delivery_mode varchar, region varchar,
                people_trained bigint, completion_rate double, pass_rate double,
                avg_satisfaction_1_5 double, quality_score double,
                similar_academy_course boolean, best_academy_match varchar,
                title_similarity double, overlaps_academy_activity boolean,
                academy_courses_on_topic integer, recommendation varchar,
                candidate_rank integer);
            """
        ).fetchall()
        scale = {"BDT": 900, "BR": 250, "TSB": 400, "GS": 150}
        for year in YEARS:
            total_people, total_acts = 0, 0
            for b in BUREAUX:
                people = int(scale[b] * (1 + 0.12 * (year - 2018)) * rng.uniform(0.8, 1.2))
                acts = max(3, people // 30)
                if b == "GS" and year == 2018:
                    people = 3  # a suppressed cell
                total_people += people
                total_acts += acts
                rows["headline_figures"].append([year, b, *_measures(rng, people, acts)])
            rows["headline_figures"].append(
                [year, "ALL", *_measures(rng, int(total_people * 0.9), total_acts)]
            )
            for region in REGIONS:
                for topic in TOPICS[:3]:
                    people = rng.choice([0, 2, 12, 40, 85])
                    rows["activity_figures"].append(
                        [
                            year,
                            "BDT",
                            region,
                            topic,
                            "workshop",
                            DELIVERY_MODES[len(rows["activity_figures"]) % 3],
                            *_measures(rng, people, rng.randint(1, 4)),
                        ]
                    )
        # Period figures for every (from, to) pair.
        for p_from in YEARS:
            for p_to in YEARS:
                if p_to < p_from:
                    continue
                years = p_to - p_from + 1
                cells = []
                for b in (*BUREAUX, "ALL"):
                    base = scale.get(b, 1500) * years
                    cells.append((b, "overall", "ALL", base, base // 25))
                    for region in REGIONS:
                        cells.append((b, "region", region, base // 7, base // 175))
                    for topic in TOPICS:
                        standardization = topic == "standardization_conformity"
                        people = 4 if (b == "GS" and standardization) else base // 5
                        cells.append((b, "topic", topic, people, base // 125))
                    for gender, share in (("F", 0.38), ("M", 0.55), ("X", 0.002)):
                        cells.append((b, "gender", gender, int(base * share), base // 25))
                    cells.append((b, "gender", "unknown", int(base * 0.068), base // 25))
                for b, dim, cat, people, acts in cells:
                    rows["period_figures"].append(
                        [p_from, p_to, b, dim, cat, *_measures(rng, people, acts)]
                    )
                for a, bb in (("BDT", "BR"), ("BDT", "TSB"), ("BR", "TSB"), ("ALL", "ALL")):
                    for topic in TOPICS[:4]:
                        pairs = rng.randint(1, 6) * years
                        shared = rng.choice([0, 3, 8, 25]) * years
                        sup = 1 <= shared < 5
                        rows["duplication_by_period"].append(
                            [
                                p_from,
                                p_to,
                                a,
                                bb,
                                topic,
                                pairs,
                                pairs,
                                pairs,
                                0.1,
                                0.2,
                                0.8,
                                None if sup else shared,
                                sup,
                            ]
                        )
        for table, values in rows.items():
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where table_name = ? "
                    "order by column_index",
                    [table],
                ).fetchall()
            ]
            frame = pa.Table.from_pylist([dict(zip(columns, v, strict=True)) for v in values])
            con.register("frame", frame)
            con.execute(f"insert into {table} select * from frame").fetchall()
            con.unregister("frame")
        con.execute(
            """
            insert into duplication_summary
            select bureau_a, bureau_b, topic, period_from, period_to, overlapping_pairs,
                activities_a, activities_b, catalogue_share_a, catalogue_share_b,
                avg_overlap_score, shared_participants, suppressed
            from duplication_by_period where period_from = 2018 and period_to = 2024
            """
        ).fetchall()
        for rank in range(1, CANDIDATES + 1):
            b = BUREAUX[rank % 4]
            similar = rank % 3 == 0
            con.execute(
                "insert into academy_candidates values "
                "(?, ?, ?, 'regional_offices', 'RO-Africa', ?, ?, 'workshop', ?, "
                "'Africa', ?, 0.8, 0.75, 4.3, 0.78, ?, ?, 0.9, false, 2, ?, ?)",
                [
                    f"act-{rank}",
                    2018 + rank % 7,
                    b,
                    f"Regional workshop on {TOPICS[rank % 5].replace('_', ' ')} #{rank}",
                    TOPICS[rank % 5],
                    DELIVERY_MODES[rank % 3],
                    400 - rank * 5,
                    similar,
                    f"{TOPICS[rank % 5].replace('_', ' ')} (Academy course)" if similar else None,
                    "merge into the existing Academy course"
                    if similar
                    else "feature on the Academy",
                    rank,
                ],
            )
        # people_by_group: people by their own region per year (the report's slice: all
        # bureaux, every activity region, gender and country group), rounded to 5 as the mart
        # publishes them; Arab States 2021 hidden
        con.execute(
            """
            create table people_by_group (year integer, bureau varchar,
                participant_region varchar, activity_region varchar, gender varchar,
                country_group varchar, people_trained bigint, suppressed boolean)
            """
        ).fetchall()
        for year in YEARS:
            for region in (*PARTICIPANT_REGIONS, "ALL"):
                hidden = (year, region) == (2021, "Arab States")
                people = None if hidden else 40 + 10 * len(region) + 5 * (year - 2018)
                con.execute(
                    "insert into people_by_group values (?, 'ALL', ?, 'ALL', 'ALL', 'ALL', ?, ?)",
                    [year, region, people, hidden],
                )
        _add_labels(con)
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return path
