"""``capdev-sandbox bench``: timings and quality figures of the pipeline at several sandbox scales.

For each scale: generate the sandbox, ingest every platform (extract + land, then validate, timed
separately so the cost of Great Expectations shows as a ratio), build the warehouse with dbt
(identity resolution included; its own time read from dbt's run results), publish, publish the
Council marts (secondary suppression, then the disclosure audit of what was published: the number
of suppressed cells it recovers is reported and must be 0), and compare the result with the
ground truth (``capdev evaluate``'s table: the overlap and taxonomy figures on the in-sample and
held-out vocabulary side by side). The first build is then set against its plain-DuckDB bound
(:mod:`sandbox.bench_dbt`): where dbt's time went by resource type and node, the same compiled
SQL run without dbt, and the ratio.

Then two more nights over the same sandbox (:mod:`sandbox.bench_nights`), each run as the
nightly DAGs would (ingest, validate, and build, publish and Council publish only when
``needs_build`` says a batch was accepted): a *quiet* night (the next logical date, no source
change, no file dropped) and a *changed* night after ``advance`` moved the sandbox on by as
many days as bring about 1 % of the
participations (ground truth) new, changed or gone (one day first, to measure a day's share).
Each stage of each night has its time and the peak RSS of the bench process and its children
(dbt), sampled; the quiet/first and changed/first ratios are printed as a table. Airflow's own
start-up per DAG run is not in these figures (the stages are called directly).

Figures are printed and written to ``data/bench/bench-<timestamp>.json``. It reports; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config
from sandbox.bench_dbt import dbt_figures, format_dbt, node_seconds
from sandbox.bench_measure import stage, timed
from sandbox.bench_nights import bench_nights, digests, format_nights, ingest_sandbox, night_of

# tests/conftest.py and sandbox/identity_bench.py ingest a sandbox through this module
__all__ = ["bench_scale", "ingest_sandbox", "main"]


def _suppressed_cells(council_db: Path) -> int:
    """How many cells the published Council file withholds (as the auditor reads it)."""
    from ingestion.publish.disclosure.audit import readings
    from ingestion.publish.threshold import min_cell_size

    return max(len(system.suppressed) for system, _ in readings(council_db, min_cell_size()))


def bench_scale(scale: float, seed: int, root: Path, nights: bool = True) -> dict:
    """Run the whole pipeline once at one scale in its own data folder; return the figures."""
    from ingestion.evaluate import evaluate
    from ingestion.publish.council import publish_council
    from ingestion.publish.disclosure.audit import audit
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse, dbt_target_dir
    from sandbox.generator import generate

    data = root / f"scale-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    os.environ["CAPDEV_DATA_DIR"] = str(data)
    figures: dict = {"scale": scale, "seed": seed}
    sandbox = config.sandbox_dir()
    counts, figures["generate_s"] = timed(generate, sandbox, seed=seed, scale=scale)
    figures["sandbox_totals"] = counts.get("totals", {})
    logical = night_of(sandbox)
    delivered = digests(sandbox)  # the first night drops every file
    first: dict = {"logical_date": logical.isoformat(), "built": True}
    started = time.monotonic()
    with stage(first, "ingest"):
        rows, extract_s, validate_s = ingest_sandbox(sandbox, logical)
    figures.update(
        rows_landed=rows,
        extract_and_land_s=round(extract_s, 1),
        validate_s=round(validate_s, 1),
        validation_to_ingestion_ratio=round(validate_s / extract_s, 2) if extract_s else None,
    )
    with stage(first, "dbt_build"):
        build = build_warehouse()
    figures["dbt_build_s"] = first["dbt_build"]["s"]
    figures["identity_resolution_s"] = node_seconds(dbt_target_dir(), "int_participant_clusters")
    with stage(first, "publish"):
        publish(build.build_file)
    figures["publish_s"] = first["publish"]["s"]
    with stage(first, "council_publish"):
        council = publish_council()
    figures["council_publish_s"] = first["council_publish"]["s"]
    first["total_s"] = round(time.monotonic() - started, 1)
    first["peak_rss_mb"] = max(v["peak_rss_mb"] for v in first.values() if isinstance(v, dict))
    first.update(rows_landed=rows, extract_and_land_s=figures["extract_and_land_s"])
    first["validate_s"] = figures["validate_s"]
    figures["council_suppressed_cells"] = _suppressed_cells(council)
    figures["council_audit_recovered"] = len(audit(council))
    figures["quality"] = evaluate()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["warehouse_mb"] = round(config.published_warehouse().stat().st_size / 1e6, 1)
    figures["generate_s"] = round(figures["generate_s"], 1)
    # the first build against the same SQL without dbt (after the night: not in its figures)
    figures["dbt"] = dbt_figures(figures["dbt_build_s"], dbt_target_dir(), data / "bound")
    if nights:
        figures["nights"] = bench_nights(sandbox, first, delivered)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scales", default="1 10", help='space-separated scales, e.g. "1 10"')
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--no-nights",
        action="store_true",
        help="the first night only (no quiet night, no changed night)",
    )
    args = parser.parse_args(argv)
    from ingestion.evaluate import format_report

    root = config.data_dir() / "bench"
    results = []
    for scale in [float(s) for s in args.scales.split()]:
        print(f"== scale {scale:g}")
        figures = bench_scale(scale, args.seed, root, nights=not args.no_nights)
        results.append(figures)
        print(json.dumps(figures, indent=2, default=str))
        # the quality table: overlaps and taxonomy, in-sample and held-out side by side
        print(format_report(figures["quality"]))
        print(format_dbt(figures["dbt"]))
        if "nights" in figures:
            print(format_nights(figures["nights"]))
    out = root / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"figures written to {out}")
    return 0
