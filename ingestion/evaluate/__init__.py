"""``capdev evaluate``: how well the warehouse recovers the sandbox's ground truth.

It reads the build file: the truth names platform record keys, which only the private tier maps
to the published keys (``private.participant_keys``). One module per thing evaluated, each
saying how it is scored:

- :mod:`~ingestion.evaluate.identity`: identity resolution, on pairs of records;
- :mod:`~ingestion.evaluate.overlaps`: activity overlaps, on pairs of activities, per vocabulary
  part of the course names;
- :mod:`~ingestion.evaluate.taxonomy`: activity type and topic, per activity and vocabulary part;
- :mod:`~ingestion.evaluate.metrics`: the targets and the arithmetic they share.

Read-only: the warehouse is opened ``read_only`` and nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.evaluate.identity import evaluate_identity, format_identity
from ingestion.evaluate.metrics import TARGETS
from ingestion.evaluate.overlaps import evaluate_overlaps, format_overlaps
from ingestion.evaluate.taxonomy import evaluate_taxonomy, format_taxonomy
from ingestion.warehouse.build import build_file

__all__ = ["TARGETS", "evaluate", "format_report", "main"]


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


def format_report(result: dict) -> str:
    """The printout of ``capdev evaluate``: identity, overlaps, taxonomy, then the counts of
    the truth found in the warehouse."""
    identity, overlaps = result["identity"], result["overlaps"]
    lines = [
        *format_identity(identity),
        *format_overlaps(overlaps),
        *format_taxonomy(result["taxonomy"]),
        f"records: {identity['matched_records']:,} of {identity['truth_records']:,} true records "
        f"found in the crosswalk ({identity['crosswalk_records']:,} crosswalk rows); "
        f"activities: {overlaps['activities_mapped']:,} of {overlaps['truth_activities']:,} "
        "mapped",
    ]
    return "\n".join(lines)


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
