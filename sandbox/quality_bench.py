"""``capdev-sandbox bench quality``: the overlap and taxonomy figures pooled over several seeds.

One sandbox at scale 1 holds 15-35 held-out duplicate pairs: one pair moves its held-out precision
or recall by 0.03-0.06, so one seed says little, and a seed the detector was tuned on says less.
This generates a fresh sandbox per seed (each in its own data folder,
``data/bench/quality/scale-<scale>-seed-<seed>``), lands and validates every platform, builds and
publishes the warehouse and compares it with the seed's ground truth (``capdev evaluate``); no
Council publish, no dbt bound, no further nights (``capdev-sandbox bench`` has those). It then
adds up the counts over the seeds (right, predicted and true pairs, near misses, activities
classified per vocabulary part: never an average of ratios) and prints each seed and the pooled
figures, in-sample and held-out side by side, written to ``data/bench/quality-<timestamp>.json``.
Quote seeds nobody tuned on (``docs/mission.md`` says which were). It reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config
from ingestion.evaluate.metrics import VOCABULARIES, precision_recall_f1

# seeds no detector or vocabulary change was tuned on (docs/mission.md)
DEFAULT_SEEDS = "105 106 107 108 109 110"
OVERLAP_COUNTS = ("true_positive_pairs", "predicted_pairs", "true_pairs", "true_pairs_found")
NEAR_MISS_COUNTS = ("near_miss_pairs_flagged", "near_miss_pairs")


def seed_quality(scale: float, seed: int, root: Path) -> dict:
    """One seed's sandbox through the first night, in its own data folder: its evaluation."""
    from ingestion.evaluate import evaluate
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse
    from sandbox.bench_nights import ingest_sandbox, night_of
    from sandbox.generator import generate

    data = root / f"scale-{scale:g}-seed-{seed}"
    shutil.rmtree(data, ignore_errors=True)
    os.environ["CAPDEV_DATA_DIR"] = str(data)
    started = time.monotonic()
    sandbox = config.sandbox_dir()
    generate(sandbox, seed=seed, scale=scale)
    ingest_sandbox(sandbox, night_of(sandbox))
    publish(build_warehouse().build_file)
    quality = evaluate()
    quality.update(scale=scale, seed=seed, seconds=round(time.monotonic() - started, 1))
    return quality


def pooled(results: list[dict]) -> dict:
    """The seeds' counts added up: overlap precision and recall and near misses per vocabulary
    part, taxonomy accuracies and unmapped shares weighted by each seed's activities."""
    overlaps: dict[str, dict] = {}
    taxonomy: dict[str, dict] = {}
    for part in VOCABULARIES:
        parts = [r["overlaps"]["by_vocabulary"][part] for r in results]
        sums = {k: sum(p[k] for p in parts) for k in OVERLAP_COUNTS + NEAR_MISS_COUNTS}
        precision, recall, f1 = precision_recall_f1(
            sums["true_positive_pairs"],
            sums["predicted_pairs"],
            sums["true_pairs_found"],
            sums["true_pairs"],
        )
        overlaps[part] = {**sums, "precision": precision, "recall": recall, "f1": f1}
        classified = [r["taxonomy"][part] for r in results]
        activities = sum(t["activities"] for t in classified)
        taxonomy[part] = {"activities": activities} | {
            measure: sum(t[measure] * t["activities"] for t in classified) / activities
            if activities
            else None
            for measure in (
                "type_accuracy",
                "topic_accuracy",
                "type_unmapped_share",
                "topic_unmapped_share",
            )
        }
    return {"seeds": [r["seed"] for r in results], "overlaps": overlaps, "taxonomy": taxonomy}


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def format_quality(results: list[dict], total: dict) -> str:
    """One line per seed and the pooled line: overlaps held-out and in-sample, taxonomy
    held-out."""
    header = (
        f"{'seed':>6}  {'held-out P':>16} {'held-out R':>16} {'near misses':>11}  "
        f"{'in-sample P / R':>15}  {'taxonomy held-out type / topic':>30}"
    )
    lines = [header]
    rows = [(str(r["seed"]), r["overlaps"]["by_vocabulary"], r["taxonomy"]) for r in results]
    rows.append(("pooled", total["overlaps"], total["taxonomy"]))
    for seed, overlaps, taxonomy in rows:
        held, inside, words = overlaps["held_out"], overlaps["in_sample"], taxonomy["held_out"]
        lines.append(
            f"{seed:>6}  "
            f"{_ratio(held['precision'])} ({held['true_positive_pairs']:>3}/"
            f"{held['predicted_pairs']:>3}) "
            f"{_ratio(held['recall'])} ({held['true_pairs_found']:>3}/"
            f"{held['true_pairs']:>3}) "
            f"{held['near_miss_pairs_flagged']:>4}/{held['near_miss_pairs']:<4}  "
            f"{_ratio(inside['precision']):>7} / {_ratio(inside['recall'])}  "
            f"{_ratio(words['type_accuracy']):>21} / {_ratio(words['topic_accuracy'])}"
        )
    lines.append("held-out: course names and labels in wording the seeds never saw; quote it")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox bench quality", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seeds", default=DEFAULT_SEEDS, help='e.g. "105 106 107"')
    args = parser.parse_args(argv)
    root = config.data_dir() / "bench"
    results = []
    for seed in [int(s) for s in args.seeds.split()]:
        print(f"== scale {args.scale:g}, seed {seed}", flush=True)
        results.append(seed_quality(args.scale, seed, root / "quality"))
        print(format_quality(results[-1:], pooled(results[-1:])).splitlines()[1], flush=True)
    total = pooled(results)
    print(format_quality(results, total))
    out = root / f"quality-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"pooled": total, "seeds": results}, indent=2, default=str))
    print(f"figures written to {out}")
    return 0
