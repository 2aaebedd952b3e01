"""Identity resolution against the ground truth, scored on *pairs of records*.

A pair is predicted when both records carry the same ``participant_key`` (the private tier's
``private.participant_keys`` maps the truth's platform record keys to it), and true when the
ground truth (``person_records.parquet``) gives them the same ``person_id``; a truth record
missing from the warehouse is a person of its own (every loss counts). Pairs are counted with
combinatorics, never enumerated: Σ C(n, 2) over clusters, over persons, and over the
(cluster, person) intersections for the true positives.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.evaluate.metrics import (
    TARGETS,
    count,
    fmt,
    precision_recall_f1,
    target_cell,
    verdict,
)

# The country guard's promise: no person holds records that state two different countries (a
# record without a country can join anyone: the truth's count below counts those merges too).
_CLUSTERS_MERGING_RECORDED_COUNTRIES = """(
    select keys.participant_key
    from private.participant_keys as keys
    inner join intermediate.int_participant_records_for_linking as records
        on keys.platform = records.platform
        and keys.source_record_key = records.source_record_key
    where records.country is not null
    group by keys.participant_key having count(distinct records.country) > 1)"""
_CLUSTERS_MERGING_TRUE_COUNTRIES = """(
    select cluster from eval_identity where true_country is not null
    group by cluster having count(distinct true_country) > 1)"""


def _pairs_sql(expr: str) -> str:
    return f"coalesce(sum({expr} * ({expr} - 1) // 2), 0)"


def pair_metrics(con: duckdb.DuckDBPyConnection, table: str) -> dict:
    """Pairwise precision / recall / F1 from a table of (cluster, person) per record.

    ``table`` holds one row per record with columns ``cluster`` (predicted) and ``person``
    (true). Returns counts and ratios (ratios are None when undefined).
    """
    predicted, true, both = con.sql(
        f"""
        with per_cluster as (select count(*) as n from {table} group by cluster),
             per_person as (select count(*) as n from {table} group by person),
             per_both as (select count(*) as n from {table} group by cluster, person)
        select
            (select {_pairs_sql("n")} from per_cluster),
            (select {_pairs_sql("n")} from per_person),
            (select {_pairs_sql("n")} from per_both)
        """
    ).fetchall()[0]
    predicted, true, both = int(predicted), int(true), int(both)
    precision, recall, f1 = precision_recall_f1(both, predicted, both, true)
    return {
        "predicted_pairs": predicted,
        "true_pairs": true,
        "true_positive_pairs": both,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def evaluate_identity(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """Pairwise precision, recall and F1 of the resolved persons, with the record counts and
    the clusters that merge people of different countries."""
    person_records = truth_dir / "person_records.parquet"
    persons = truth_dir / "persons.parquet"
    con.execute(
        f"""
        create or replace temp table eval_identity as
        select
            -- a truth record the warehouse lost is a person of its own: a miss, never skipped
            coalesce(
                keys.participant_key,
                'missing|' || truth.platform || '|' || cast(truth.source_record_key as varchar)
            ) as cluster,
            truth.person_id as person,
            persons.country_iso2 as true_country,
            keys.participant_key is not null as matched
        from read_parquet('{person_records}') as truth
        left join private.participant_keys as keys
            on truth.platform = keys.platform
            and cast(truth.source_record_key as varchar) = keys.source_record_key
        left join read_parquet('{persons}') as persons
            on truth.person_id = persons.person_id
        """
    ).fetchall()
    matched, clusters, people = con.sql(
        "select count(*) filter (matched), count(distinct cluster), count(distinct person) "
        "from eval_identity"
    ).fetchall()[0]
    return {
        **pair_metrics(con, "eval_identity"),
        "crosswalk_records": count(con, "core.participant_crosswalk"),
        "truth_records": count(con, f"read_parquet('{person_records}')"),
        "matched_records": int(matched),
        "predicted_persons": int(clusters),
        "true_persons": int(people),
        "clusters_merging_countries": count(con, _CLUSTERS_MERGING_TRUE_COUNTRIES),
        "clusters_merging_recorded_countries": count(con, _CLUSTERS_MERGING_RECORDED_COUNTRIES),
    }


def format_identity(identity: dict) -> list[str]:
    """The identity rows of the printout, under their header."""
    lines = [f"{'area':<9} {'measure':<31} {'value':>13} {'target':>8}  ok"]
    for name, shown, value, target in (
        ("pairwise precision", fmt(identity["precision"]), None, None),
        ("pairwise recall", fmt(identity["recall"]), None, None),
        ("pairwise F1", fmt(identity["f1"]), identity["f1"], TARGETS["identity_f1"]),
        (
            "predicted / true persons",
            f"{identity['predicted_persons']:,} / {identity['true_persons']:,}",
            None,
            None,
        ),
        (
            "clusters merging 2+ countries",
            fmt(identity["clusters_merging_countries"]),
            None,
            None,
        ),
        (
            "... of which by recorded countries",
            fmt(identity["clusters_merging_recorded_countries"]),
            None,
            None,
        ),
    ):
        lines.append(
            f"{'identity':<9} {name:<31} {shown:>13} {target_cell(target):>8}  "
            f"{verdict(value, target)}"
        )
    return lines
