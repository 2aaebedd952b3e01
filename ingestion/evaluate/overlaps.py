"""Activity overlaps against the generator's intent, scored on unordered pairs of activities.

The truth pairs (``activity_overlaps.parquet``: every two activities it made as one course
delivered twice, in the generator's activity keys) are mapped to warehouse ``activity_key``s
through (platform, source_activity_key) and looked up in ``overlap.activity_overlaps``. Recall
is counted from the truth: every truth pair is one, and one whose activity the warehouse lost
(or merged with the other) is a miss. Precision is counted from the predictions: a predicted
pair is right when it is a truth pair. The planned near misses (``near_miss_of`` in
``activities.parquet``: the same topic, region and weeks, another course) flagged as
duplicates are counted apart, as the false positives that matter most.

The same figures are given per vocabulary part of the course names (``by_vocabulary``): a truth
pair belongs to the part its course names came from (``course_vocabulary`` of the truth pair: a
whole duplicate group is named from one part), a predicted pair to the held-out part when either
of its activities has a held-out course name (a wrong flag on unseen wording is a failure on the
held-out part), a near miss to its activity's part. Every truth pair is in exactly one part: the
parts add up to all.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.evaluate.metrics import (
    TARGETS,
    VOCABULARIES,
    count,
    fmt,
    precision_recall_f1,
    target_cell,
    verdict,
    vocabulary_column,
)

# Warehouse activity keys of the truth's activities, with the part of each one's course name.
_ACTIVITY_MAP = """
create or replace temp table eval_activity_map as
select truth.activity_key as truth_key, core.activity_key as core_key,
       {activity_part} as part
from read_parquet('{activities}') as truth
inner join core.activities as core
    on core.platform = truth.platform
    and cast(core.source_activity_key as varchar)
        = cast(truth.source_activity_key as varchar)
"""
# The warehouse's pairs, each once; held-out when either activity has a held-out course name.
_PREDICTED = """
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
_TRUE = """
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
_NEAR_MISSES = """
create or replace temp table eval_near_misses as
select distinct least(a.core_key, b.core_key) as key_a,
                greatest(a.core_key, b.core_key) as key_b,
                {activity_part} as part
from read_parquet('{activities}') as truth
inner join eval_activity_map as a on truth.activity_key = a.truth_key
inner join eval_activity_map as b on truth.near_miss_of = b.truth_key
where truth.near_miss_of is not null
"""
# The eval_* tables above, in the order each needs the one before.
_TABLES = (_ACTIVITY_MAP, _PREDICTED, _TRUE, _NEAR_MISSES)
_COUNTS = """
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
# The printout's rows: (key, or (key, of key), name, target on the held-out part)
_ROWS = (
    ("precision", "precision", TARGETS["overlap_precision"]),
    ("recall", "recall", TARGETS["overlap_recall"]),
    (("predicted_pairs", "true_pairs"), "predicted / true pairs", None),
    (("true_pairs_found", "true_pairs"), "true pairs found", None),
    (("near_miss_pairs_flagged", "near_miss_pairs"), "near misses flagged", None),
)


def evaluate_overlaps(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """Precision, recall and near misses of the flagged overlaps, overall and per vocabulary
    part of the course names."""
    activities = truth_dir / "activities.parquet"
    overlaps = truth_dir / "activity_overlaps.parquet"
    names = {
        "activities": activities,
        "overlaps": overlaps,
        # the part of an activity's course name (an activity without a course has no course
        # words: in-sample)
        "activity_part": vocabulary_column(con, activities, "truth", "course_vocabulary"),
        "pair_part": vocabulary_column(con, overlaps, "pairs", "course_vocabulary"),
    }
    for sql in _TABLES:
        con.execute(sql.format(**names)).fetchall()
    return {
        **overlap_counts(con),
        # rows of the truth file: true_pairs counts each
        "truth_pairs": count(con, f"read_parquet('{overlaps}')"),
        "truth_activities": count(con, f"read_parquet('{activities}')"),
        "activities_mapped": count(con, "eval_activity_map"),
        "by_vocabulary": {part: overlap_counts(con, part) for part in VOCABULARIES},
    }


def overlap_counts(con: duckdb.DuckDBPyConnection, part: str | None = None) -> dict:
    """Precision, recall and near misses over the eval_* tables, for one vocabulary part or
    (``part`` None) for all."""
    where = "true" if part is None else f"part = '{part}'"
    true, found, predicted, right, near, near_flagged = con.sql(
        _COUNTS.format(where=where)
    ).fetchall()[0]
    precision, recall, f1 = precision_recall_f1(right, predicted, found, true)
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
    for key, name, target in _ROWS:
        if isinstance(key, tuple):
            shown = [f"{c[key[0]]:,} / {c[key[1]]:,}" if key[0] in c else "-" for c in columns]
        else:
            shown = [fmt(c.get(key)) for c in columns]
        ok = verdict(columns[1].get(key), target)
        lines.append(
            f"{'overlaps':<9} {name:<23} {shown[0]:>11} {shown[1]:>10} {shown[2]:>10} "
            f"{target_cell(target):>8}  {ok}"
        )
    lines.append(
        "held-out: course names in wording the seeds never saw (sandbox/generator/heldout.py);"
        " quote that column"
    )
    return lines
