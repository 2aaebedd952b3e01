"""``ingestion.evaluate.overlaps.evaluate_overlaps`` on a small hand-made truth and warehouse
(real DuckDB, real Parquet files): overlap precision and recall per vocabulary part of the course
names, every truth pair counted (a pair whose activity the warehouse lost is a miss), and the
parts adding up to the whole."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingestion.evaluate.overlaps import evaluate_overlaps, format_overlaps

# Truth: three duplicate groups (one in-sample, two held-out) and two near misses.
# Activity 8 never reaches the warehouse.
ACTIVITIES = [
    # key, course_vocabulary, near_miss_of
    ("1", "in_sample", None),
    ("2", "in_sample", None),
    ("3", "held_out", None),
    ("4", "held_out", None),
    ("5", "held_out", "3"),
    ("6", "in_sample", "1"),
    ("7", "held_out", None),
    ("8", "held_out", None),
]
TRUTH_PAIRS = [("1", "2", "in_sample"), ("3", "4", "held_out"), ("7", "8", "held_out")]
# The warehouse flags 1-2 (right), 2-6 (wrong, in-sample) and 3-5 (a held-out near miss).
PREDICTED = [("w1", "w2"), ("w6", "w2"), ("w3", "w5")]


@pytest.fixture()
def scored(tmp_path: Path) -> dict:
    truth = tmp_path / "truth"
    truth.mkdir()
    pl.DataFrame(
        {
            "platform": ["p"] * len(ACTIVITIES),
            "source_activity_key": [k for k, _, _ in ACTIVITIES],
            "activity_key": [f"p:{k}" for k, _, _ in ACTIVITIES],
            "course_vocabulary": [v for _, v, _ in ACTIVITIES],
            "near_miss_of": [None if n is None else f"p:{n}" for _, _, n in ACTIVITIES],
        }
    ).write_parquet(truth / "activities.parquet")
    pl.DataFrame(
        {
            "activity_key_a": [f"p:{a}" for a, _, _ in TRUTH_PAIRS],
            "activity_key_b": [f"p:{b}" for _, b, _ in TRUTH_PAIRS],
            "course_vocabulary": [v for _, _, v in TRUTH_PAIRS],
        }
    ).write_parquet(truth / "activity_overlaps.parquet")
    con = duckdb.connect()
    con.execute("create schema core; create schema overlap")
    con.execute(
        "create table core.activities as select 'p' as platform, k as source_activity_key, "
        "'w' || k as activity_key from unnest(['1', '2', '3', '4', '5', '6', '7']) as t(k)"
    )
    con.execute("create table overlap.activity_overlaps (activity_key_a text, activity_key_b text)")
    con.executemany("insert into overlap.activity_overlaps values (?, ?)", PREDICTED)
    try:
        return evaluate_overlaps(con, truth)
    finally:
        con.close()


def test_overlaps_scored_per_vocabulary_part(scored: dict) -> None:
    inside, held = scored["by_vocabulary"]["in_sample"], scored["by_vocabulary"]["held_out"]
    # in-sample: 1-2 found; 2-6 is a wrong flag
    assert (inside["true_pairs"], inside["true_pairs_found"]) == (1, 1)
    assert (inside["predicted_pairs"], inside["true_positive_pairs"]) == (2, 1)
    assert inside["precision"] == 0.5 and inside["recall"] == 1.0
    assert (inside["near_miss_pairs"], inside["near_miss_pairs_flagged"]) == (1, 0)
    # held-out: 3-4 missed, 7-8 lost with activity 8 (still counted), 3-5 a flagged near miss
    assert (held["true_pairs"], held["true_pairs_found"]) == (2, 0)
    assert (held["predicted_pairs"], held["true_positive_pairs"]) == (1, 0)
    assert held["precision"] == 0.0 and held["recall"] == 0.0
    assert (held["near_miss_pairs"], held["near_miss_pairs_flagged"]) == (1, 1)


def test_parts_add_up_to_all_pairs(scored: dict) -> None:
    parts = scored["by_vocabulary"].values()
    for key in ("true_pairs", "true_pairs_found", "predicted_pairs", "true_positive_pairs"):
        assert sum(p[key] for p in parts) == scored[key], key
    assert scored["true_pairs"] == scored["truth_pairs"] == len(TRUTH_PAIRS)
    assert scored["activities_mapped"] == len(ACTIVITIES) - 1


def test_report_shows_both_parts(scored: dict) -> None:
    lines = format_overlaps(scored)
    header = next(line for line in lines if line.startswith("overlaps") and "measure" in line)
    assert "in-sample" in header and "held-out" in header
    recall = next(line for line in lines if line.startswith("overlaps  recall"))
    # in-sample 1.0, held-out 0.0 against the 0.90 target: not met
    assert recall.split()[2:5] == ["1.0000", "0.0000", "0.3333"] and recall.endswith("NO")
