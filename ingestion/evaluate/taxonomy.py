"""The taxonomy against the ground truth, scored per activity.

The true activity type and topic of every ground-truth activity (``activities.parquet``) against
``core.activities``, separately for the activities worded from the sandbox's in-sample
vocabulary and those worded from its held-out vocabulary (``vocabulary``; docs/taxonomy.md).
Accuracy counts a lost activity as a miss; the unmapped share is the share left without a type
(or topic), a lost activity included. The held-out figures are the ones to quote: the seeds
never saw that wording.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.evaluate.metrics import (
    TARGETS,
    VOCABULARIES,
    fmt,
    target_cell,
    verdict,
    vocabulary_column,
)

_SCORES = """
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
# The printout's rows: (key, name, target on the held-out part)
_ROWS = (
    ("type_accuracy", "activity type accuracy", TARGETS["taxonomy_type_accuracy"]),
    ("topic_accuracy", "topic accuracy", TARGETS["taxonomy_topic_accuracy"]),
    ("type_unmapped_share", "activity type unmapped share", None),
    ("topic_unmapped_share", "topic unmapped share", None),
    ("activities", "activities", None),
)


def evaluate_taxonomy(con: duckdb.DuckDBPyConnection, truth_dir: Path) -> dict:
    """Activity type and topic against the truth, per vocabulary part (in_sample, held_out)."""
    activities = truth_dir / "activities.parquet"
    vocabulary = vocabulary_column(con, activities, "truth")
    rows = con.sql(_SCORES.format(vocabulary=vocabulary, activities=activities)).fetchall()
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


def format_taxonomy(taxonomy: dict) -> list[str]:
    """The taxonomy rows: in-sample and held-out side by side; the target applies to held-out."""
    inside, held = taxonomy.get("in_sample") or {}, taxonomy.get("held_out") or {}
    lines = [
        "",
        f"{'taxonomy':<9} {'measure':<31} {'in-sample':>11} {'held-out':>10} {'target':>8}  ok",
    ]
    for key, name, target in _ROWS:
        value = held.get(key)
        lines.append(
            f"{'taxonomy':<9} {name:<31} {fmt(inside.get(key)):>11} {fmt(value):>10} "
            f"{target_cell(target):>8}  {verdict(value, target)}"
        )
    lines.append(
        "held-out: wording the seeds never saw (sandbox/generator/heldout.py); quote that column"
    )
    lines.append("")
    return lines
