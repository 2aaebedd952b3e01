"""``capdev-sandbox bench``: timings and quality figures of the pipeline at several sandbox scales.

For each scale: generate the sandbox, ingest every platform (extract + land, then validate, timed
separately so the cost of Great Expectations shows as a ratio), build the warehouse with dbt
(identity resolution included; its own time read from dbt's run results), publish, publish the
Council marts (secondary suppression, then the disclosure audit of what was published: the number
of suppressed cells it recovers is reported and must be 0), and compare the result with the
ground truth (``capdev evaluate``'s table: the overlap and taxonomy figures on the in-sample and
held-out vocabulary side by side). Figures are printed and written to
``data/bench/bench-<timestamp>.json``. It reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import time
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config


def _timed(fn, *args, **kwargs):
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


def _dbt_node_seconds(name_fragment: str) -> float | None:
    from ingestion.warehouse.build import dbt_target_dir

    results = dbt_target_dir() / "run_results.json"
    if not results.exists():
        return None
    data = json.loads(results.read_text())
    times = [r["execution_time"] for r in data["results"] if name_fragment in r["unique_id"]]
    return round(sum(times), 2) if times else None


def _suppressed_cells(council_db: Path) -> int:
    """How many cells the published Council file withholds (as the auditor reads it)."""
    from ingestion.publish.council_audit import readings
    from ingestion.publish.threshold import min_cell_size

    return max(len(system.suppressed) for system, _ in readings(council_db, min_cell_size()))


def ingest_sandbox(sandbox: Path, logical: datetime) -> tuple[int, float, float]:
    """Land and validate every platform of a generated sandbox into the raw zone of the current
    data folder (API platforms through their sandbox servers, file drops through the inboxes):
    (rows landed, extract-and-land seconds, validation seconds)."""
    from ingestion.connectors.base import ApiConnection
    from ingestion.raw import ingest as pipeline
    from sandbox.demo import API_PLATFORMS, FILE_PLATFORMS, deliver_drops, start_servers

    extract_s = validate_s = 0.0
    rows = 0
    with ExitStack() as stack:
        servers = start_servers(sandbox, stack)
        deliver_drops(sandbox)
        for code in API_PLATFORMS:
            server = servers[code]
            creds = server.credentials
            conn = ApiConnection(
                base_url=server.endpoint if code == "gs_lrs" else server.url,
                token=creds.get("token") or creds.get("password"),
                username=creds.get("username"),
                password=creds.get("password"),
            )
            batches, seconds = _timed(pipeline.ingest_api, code, conn, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = _timed(pipeline.validate_landed, batches)
            validate_s += seconds
        for code in FILE_PLATFORMS:
            batches, seconds = _timed(pipeline.ingest_drops, code, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = _timed(pipeline.validate_landed, batches)
            validate_s += seconds
    return rows, extract_s, validate_s


def bench_scale(scale: float, seed: int, root: Path) -> dict:
    """Run the whole pipeline once at one scale in its own data folder; return the figures."""
    from ingestion.evaluate import evaluate
    from ingestion.publish.council import publish_council
    from ingestion.publish.council_audit import audit
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse
    from sandbox.generator import generate

    data = root / f"scale-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    os.environ["CAPDEV_DATA_DIR"] = str(data)
    figures: dict = {"scale": scale, "seed": seed}
    sandbox = config.sandbox_dir()
    counts, figures["generate_s"] = _timed(generate, sandbox, seed=seed, scale=scale)
    figures["sandbox_totals"] = counts.get("totals", {})
    logical = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    rows, extract_s, validate_s = ingest_sandbox(sandbox, logical)
    figures.update(
        rows_landed=rows,
        extract_and_land_s=round(extract_s, 1),
        validate_s=round(validate_s, 1),
        validation_to_ingestion_ratio=round(validate_s / extract_s, 2) if extract_s else None,
    )
    build, figures["dbt_build_s"] = _timed(build_warehouse)
    figures["identity_resolution_s"] = _dbt_node_seconds("int_participant_clusters")
    _, figures["publish_s"] = _timed(publish, build.build_file)
    council, figures["council_publish_s"] = _timed(publish_council)
    figures["council_suppressed_cells"] = _suppressed_cells(council)
    figures["council_audit_recovered"] = len(audit(council))
    figures["quality"] = evaluate()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["warehouse_mb"] = round(config.published_warehouse().stat().st_size / 1e6, 1)
    for key in ("generate_s", "dbt_build_s", "publish_s", "council_publish_s"):
        figures[key] = round(figures[key], 1)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scales", default="1 10", help='space-separated scales, e.g. "1 10"')
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    from ingestion.evaluate import format_report

    root = config.data_dir() / "bench"
    results = []
    for scale in [float(s) for s in args.scales.split()]:
        print(f"== scale {scale:g}")
        figures = bench_scale(scale, args.seed, root)
        results.append(figures)
        print(json.dumps(figures, indent=2, default=str))
        # the quality table: overlaps and taxonomy, in-sample and held-out side by side
        print(format_report(figures["quality"]))
    out = root / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"figures written to {out}")
    return 0
