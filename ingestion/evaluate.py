"""``capdev evaluate``: how well the warehouse recovers the sandbox's ground truth.

It reads the build file: the truth names platform record keys, which only the private tier maps
to the published keys (``private.participant_keys``). Identity resolution is scored on *pairs
of records*: a pair is predicted when both records carry the same ``participant_key``, and true
when the ground truth (``person_records.parquet``) gives them the same ``person_id``; a truth
record missing from the warehouse is a person of its own (every loss counts). Pairs are counted with
combinatorics, never enumerated: Σ C(n, 2) over clusters, over persons, and over the
(cluster, person) intersections for the true positives.

Activity overlaps are scored on unordered pairs of activities against the generator's intent:
the truth pairs (``activity_overlaps.parquet``: every two activities it made as one course
delivered twice, in the generator's activity keys) are mapped to warehouse ``activity_key``s
through (platform, source_activity_key) and looked up in ``overlap.activity_overlaps``. Recall
is counted from the truth: every truth pair is one, and one whose activity the warehouse lost
(or merged with the other) is a miss. Precision is counted from the predictions: a predicted
pair is right when it is a truth pair. The planned near misses (``near_miss_of`` in
``activities.parquet``: the same topic, region and weeks, another course) flagged as
duplicates are counted apart, as the false positives that matter most. The same figures are
given per vocabulary part of the course names (``by_vocabulary``): a truth pair belongs to the
part its course names came from (``course_vocabulary`` of the truth pair: a whole duplicate group
is named from one part), a predicted pair to the held-out part when either of its activities has
a held-out course name (a wrong flag on unseen wording is a failure on the held-out part), a near
miss to its activity's part. Every truth pair is in exactly one part: the parts add up to all.

The taxonomy is scored per activity: the true activity type and topic of every ground-truth
activity (``activities.parquet``) against ``core.activities``, separately for the activities
worded from the sandbox's in-sample vocabulary and those worded from its held-out vocabulary
(``vocabulary``; docs/taxonomy.md). Accuracy counts a lost activity as a miss; the unmapped share
is the share left without a type (or topic), a lost activity included. The held-out figures are
the ones to quote: the seeds never saw that wording.

Read-only: the warehouse is opened ``read_only`` and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.warehouse.build import build_file

#: The targets the project commits to at scale 1.
TARGETS = {
    "identity_f1": 0.97,
    # overlaps and taxonomy: on the held-out vocabulary (the in-sample figure is shown beside
    # it, never alone)
    "overlap_precision": 0.90,
    "overlap_recall": 0.90,
    "taxonomy_type_accuracy": 0.95,
    "taxonomy_topic_accuracy": 0.95,
}
VOCABULARIES = ("in_sample", "held_out")


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
    return _set_metrics(int(predicted), int(true), int(both))


def _set_metrics(predicted: int, true: int, both: int) -> dict:
    """Precision, recall and F1 from predicted, true and true-positive counts."""
    precision = both / predicted if predicted else None
    recall = both / true if true else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {
        "predicted_pairs": predicted,
        "true_pairs": true,
        "true_positive_pairs": both,
        "precision": precision,
        "recall": recall,
        "f1": f1,
    }


def evaluate_identity(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
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
    metrics = pair_metrics(con, "eval_identity")
    (crosswalk_rows,) = con.sql("select count(*) from core.participant_crosswalk").fetchall()[0]
    (truth_rows,) = con.sql(f"select count(*) from read_parquet('{person_records}')").fetchall()[0]
    matched, clusters, people = con.sql(
        "select count(*) filter (matched), count(distinct cluster), count(distinct person) "
        "from eval_identity"
    ).fetchall()[0]
    (cross_country,) = con.sql(
        """
        select count(*) from (
            select cluster from eval_identity where true_country is not null
            group by cluster having count(distinct true_country) > 1)
        """
    ).fetchall()[0]
    # The country guard's promise: no person holds records that state two different countries
    # (a record without a country can join anyone: the truth above counts those merges too).
    (cross_recorded,) = con.sql(
        """
        select count(*) from (
            select keys.participant_key
            from private.participant_keys as keys
            inner join intermediate.int_participant_records_for_linking as records
                on keys.platform = records.platform
                and keys.source_record_key = records.source_record_key
            where records.country is not null
            group by keys.participant_key having count(distinct records.country) > 1)
        """
    ).fetchall()[0]
    return {
        **metrics,
        "crosswalk_records": int(crosswalk_rows),
        "truth_records": int(truth_rows),
        "matched_records": int(matched),
        "predicted_persons": int(clusters),
        "true_persons": int(people),
        "clusters_merging_countries": int(cross_country),
        "clusters_merging_recorded_countries": int(cross_recorded),
    }


def _vocabulary_column(
    con: duckdb.DuckDBPyConnection, path: Path, alias: str, column: str = "vocabulary"
) -> str:
    """The truth's vocabulary column (``vocabulary``, or ``course_vocabulary`` for course
    names), or 'in_sample' for a truth written before that split."""
    (columns,) = con.sql(f"select list(name) from parquet_schema('{path}')").fetchall()[0]
    return f"coalesce({alias}.{column}, 'in_sample')" if column in columns else "'in_sample'"


def evaluate_overlaps(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    activities = truth_dir / "activities.parquet"
    overlaps = truth_dir / "activity_overlaps.parquet"
    # the part of an activity's course name (an activity without a course has no course words:
    # in-sample)
    activity_part = _vocabulary_column(con, activities, "truth", "course_vocabulary")
    pair_part = _vocabulary_column(con, overlaps, "pairs", "course_vocabulary")
    con.execute(
        f"""
        create or replace temp table eval_activity_map as
        select truth.activity_key as truth_key, core.activity_key as core_key,
               {activity_part} as part
        from read_parquet('{activities}') as truth
        inner join core.activities as core
            on core.platform = truth.platform
            and cast(core.source_activity_key as varchar)
                = cast(truth.source_activity_key as varchar)
        """
    ).fetchall()
    con.execute(
        """
        create or replace temp table eval_predicted_overlaps as
        with pairs as (
            select distinct least(activity_key_a, activity_key_b) as key_a,
                            greatest(activity_key_a, activity_key_b) as key_b
            from overlap.activity_overlaps
        ),
        held as (
            select core_key, bool_or(part = 'held_out') as held
            from eval_activity_map group by core_key
        )
        select pairs.key_a, pairs.key_b,
            case when coalesce(a.held, false) or coalesce(b.held, false)
                then 'held_out' else 'in_sample' end as part
        from pairs
        left join held as a on pairs.key_a = a.core_key
        left join held as b on pairs.key_b = b.core_key
        """
    ).fetchall()
    con.execute(
        f"""
        create or replace temp table eval_true_overlaps as
        -- one row per truth pair, never deduplicated: a pair whose activity the warehouse lost
        -- keeps a key no prediction has, one it merged becomes a self-pair: both are misses
        with keyed as (
            select
                coalesce(a.core_key, 'missing|' || pairs.activity_key_a) as one,
                coalesce(b.core_key, 'missing|' || pairs.activity_key_b) as other,
                {pair_part} as part
            from read_parquet('{overlaps}') as pairs
            left join eval_activity_map as a on pairs.activity_key_a = a.truth_key
            left join eval_activity_map as b on pairs.activity_key_b = b.truth_key
        )
        select
            least(one, other) as key_a,
            greatest(one, other) as key_b,
            part,
            exists (
                select 1 from eval_predicted_overlaps as p
                where p.key_a = least(one, other) and p.key_b = greatest(one, other)
            ) as found
        from keyed
        """
    ).fetchall()
    con.execute(
        f"""
        create or replace temp table eval_near_misses as
        select distinct least(a.core_key, b.core_key) as key_a,
                        greatest(a.core_key, b.core_key) as key_b,
                        {activity_part} as part
        from read_parquet('{activities}') as truth
        inner join eval_activity_map as a on truth.activity_key = a.truth_key
        inner join eval_activity_map as b on truth.near_miss_of = b.truth_key
        where truth.near_miss_of is not null
        """
    ).fetchall()
    (truth_pairs,) = con.sql(f"select count(*) from read_parquet('{overlaps}')").fetchall()[0]
    (mapped,) = con.sql("select count(*) from eval_activity_map").fetchall()[0]
    (truth_activities,) = con.sql(f"select count(*) from read_parquet('{activities}')").fetchall()[
        0
    ]
    return {
        **_overlap_counts(con),
        "truth_pairs": int(truth_pairs),  # rows of the truth file: true_pairs counts each
        "truth_activities": int(truth_activities),
        "activities_mapped": int(mapped),
        "by_vocabulary": {part: _overlap_counts(con, part) for part in VOCABULARIES},
    }


def _overlap_counts(con: duckdb.DuckDBPyConnection, part: str | None = None) -> dict:
    """Precision, recall and near misses over the eval_* tables, for one vocabulary part or
    (``part`` None) for all."""
    where = "true" if part is None else f"part = '{part}'"
    true, found, predicted, right, near, near_flagged = con.sql(
        f"""
        select
            (select count(*) from eval_true_overlaps where {where}),
            (select count(*) from eval_true_overlaps where found and {where}),
            (select count(*) from eval_predicted_overlaps where {where}),
            (select count(*) from eval_predicted_overlaps as p
                where {where} and exists (select 1 from eval_true_overlaps as t
                              where t.key_a = p.key_a and t.key_b = p.key_b)),
            (select count(*) from eval_near_misses where {where}),
            (select count(*) from eval_near_misses as n
                where {where} and exists (select 1 from eval_predicted_overlaps as p
                              where p.key_a = n.key_a and p.key_b = n.key_b))
        """
    ).fetchall()[0]
    precision = right / predicted if predicted else None
    recall = found / true if true else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return {
        "predicted_pairs": int(predicted),
        "true_pairs": int(true),
        "true_pairs_found": int(found),
        "true_positive_pairs": int(right),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "near_miss_pairs": int(near),
        "near_miss_pairs_flagged": int(near_flagged),
    }


def evaluate_taxonomy(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """Activity type and topic against the truth, per vocabulary part (in_sample, held_out)."""
    activities = truth_dir / "activities.parquet"
    vocabulary = _vocabulary_column(con, activities, "truth")
    rows = con.sql(
        f"""
        select
            {vocabulary} as part,
            count(*) as activities,
            count(core.activity_key) as found,
            count(*) filter (where core.activity_type = truth.activity_type) as type_right,
            count(*) filter (where core.topic = truth.topic) as topic_right,
            count(*) filter (where core.activity_type is null) as type_unmapped,
            count(*) filter (where core.topic is null) as topic_unmapped
        from read_parquet('{activities}') as truth
        left join core.activities as core
            on core.platform = truth.platform
            and cast(core.source_activity_key as varchar)
                = cast(truth.source_activity_key as varchar)
        group by all
        """
    ).fetchall()
    out: dict = {}
    for part, n, found, type_right, topic_right, type_unmapped, topic_unmapped in rows:
        out[part] = {
            "activities": int(n),
            "found": int(found),
            "type_accuracy": type_right / n,
            "topic_accuracy": topic_right / n,
            "type_unmapped_share": type_unmapped / n,
            "topic_unmapped_share": topic_unmapped / n,
        }
    return {part: out.get(part) for part in VOCABULARIES}


def evaluate(warehouse: Path | None = None, truth_dir: Path | None = None) -> dict:
    """Compare ``warehouse`` (default: the build file, whose private tier maps platform ids to
    the published keys) with the ground truth."""
    warehouse = Path(warehouse or build_file())
    truth_dir = Path(truth_dir or config.sandbox_dir() / "ground_truth")
    if not warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {warehouse}: build and publish it first")
    if not (truth_dir / "person_records.parquet").exists():
        raise FileNotFoundError(f"no ground truth in {truth_dir}: generate the sandbox first")
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return {
            "warehouse": str(warehouse),
            "ground_truth": str(truth_dir),
            "identity": evaluate_identity(con, truth_dir),
            "overlaps": evaluate_overlaps(con, truth_dir),
            "taxonomy": evaluate_taxonomy(con, truth_dir),
        }
    finally:
        con.close()


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return f"{value:,}"


def format_report(result: dict) -> str:
    identity, overlaps = result["identity"], result["overlaps"]
    rows = [
        ("identity", "pairwise precision", identity["precision"], None),
        ("identity", "pairwise recall", identity["recall"], None),
        ("identity", "pairwise F1", identity["f1"], TARGETS["identity_f1"]),
        ("identity", "predicted / true persons", None, None),
        ("identity", "clusters merging 2+ countries", identity["clusters_merging_countries"], None),
        (
            "identity",
            "... of which by recorded countries",
            identity["clusters_merging_recorded_countries"],
            None,
        ),
    ]
    lines = [f"{'area':<9} {'measure':<31} {'value':>13} {'target':>8}  ok"]
    for area, name, value, target in rows:
        if name == "predicted / true persons":
            shown = f"{identity['predicted_persons']:,} / {identity['true_persons']:,}"
        else:
            shown = _fmt(value)
        ok = ""
        if target is not None:
            ok = "yes" if value is not None and value >= target else "NO"
        lines.append(f"{area:<9} {name:<31} {shown:>13} {_fmt(target) if target else '':>8}  {ok}")
    lines.extend(format_overlaps(overlaps))
    lines.extend(format_taxonomy(result["taxonomy"]))
    lines.append(
        f"records: {identity['matched_records']:,} of {identity['truth_records']:,} true records "
        f"found in the crosswalk ({identity['crosswalk_records']:,} crosswalk rows); "
        f"activities: {overlaps['activities_mapped']:,} of {overlaps['truth_activities']:,} "
        "mapped"
    )
    return "\n".join(lines)


def format_overlaps(overlaps: dict) -> list[str]:
    """The overlap rows: in-sample, held-out and all pairs side by side; the target applies to
    held-out (course names in words the detector's seed never saw)."""
    parts = overlaps.get("by_vocabulary") or {}
    columns = (parts.get("in_sample") or {}, parts.get("held_out") or {}, overlaps)
    lines = [
        "",
        f"{'overlaps':<9} {'measure':<23} {'in-sample':>11} {'held-out':>10} {'all':>10} "
        f"{'target':>8}  ok",
    ]
    for key, name, target in (
        ("precision", "precision", TARGETS["overlap_precision"]),
        ("recall", "recall", TARGETS["overlap_recall"]),
        (("predicted_pairs", "true_pairs"), "predicted / true pairs", None),
        (("true_pairs_found", "true_pairs"), "true pairs found", None),
        (("near_miss_pairs_flagged", "near_miss_pairs"), "near misses flagged", None),
    ):
        if isinstance(key, tuple):
            shown = [f"{c[key[0]]:,} / {c[key[1]]:,}" if key[0] in c else "-" for c in columns]
        else:
            shown = [_fmt(c.get(key)) for c in columns]
        ok = ""
        if target is not None:
            value = columns[1].get(key)
            ok = "yes" if value is not None and value >= target else "NO"
        lines.append(
            f"{'overlaps':<9} {name:<23} {shown[0]:>11} {shown[1]:>10} {shown[2]:>10} "
            f"{_fmt(target) if target else '':>8}  {ok}"
        )
    lines.append(
        "held-out: course names in wording the seeds never saw (sandbox/generator/heldout.py);"
        " quote that column"
    )
    return lines


def format_taxonomy(taxonomy: dict) -> list[str]:
    """The taxonomy rows: in-sample and held-out side by side; the target applies to held-out."""
    inside, held = taxonomy.get("in_sample") or {}, taxonomy.get("held_out") or {}
    lines = [
        "",
        f"{'taxonomy':<9} {'measure':<31} {'in-sample':>11} {'held-out':>10} {'target':>8}  ok",
    ]
    for key, name, target in (
        ("type_accuracy", "activity type accuracy", TARGETS["taxonomy_type_accuracy"]),
        ("topic_accuracy", "topic accuracy", TARGETS["taxonomy_topic_accuracy"]),
        ("type_unmapped_share", "activity type unmapped share", None),
        ("topic_unmapped_share", "topic unmapped share", None),
        ("activities", "activities", None),
    ):
        value = held.get(key)
        ok = ""
        if target is not None:
            ok = "yes" if value is not None and value >= target else "NO"
        lines.append(
            f"{'taxonomy':<9} {name:<31} {_fmt(inside.get(key)):>11} {_fmt(value):>10} "
            f"{_fmt(target) if target else '':>8}  {ok}"
        )
    lines.append(
        "held-out: wording the seeds never saw (sandbox/generator/heldout.py); quote that column"
    )
    lines.append("")
    return lines


def main(argv: list[str] | None = None) -> dict:
    """Entry point of ``capdev evaluate``: print the comparison table, return the figures."""
    parser = argparse.ArgumentParser(
        prog="capdev evaluate",
        description="Compare the warehouse (build file) with the sandbox ground truth.",
    )
    parser.add_argument("--warehouse", type=Path, help="default: the build file")
    parser.add_argument("--truth", type=Path, help="default: <data>/sandbox/ground_truth")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    result = evaluate(args.warehouse, args.truth)
    print(json.dumps(result, indent=2) if args.json else format_report(result))
    return result


if __name__ == "__main__":
    main()
