"""Run the dbt unit tests of the warehouse on an empty DuckDB file.

The unit tests are YAML in the model property files (``unit_tests:`` beside the model they
test) and their rows are CSV files in ``dbt_project/tests/fixtures/`` (dbt_project/README.md,
"Unit tests"). A unit test swaps the tested model's inputs for fixture rows, but dbt takes the
inputs' column types from the warehouse, so the inputs must exist as relations. A ``dbt build
--empty`` of the unit-tested models and their ancestors creates them with no rows (no raw file
is read; seeds load whole, dbt 1.11 cannot load a seed empty; no data test runs, it would only
check empty tables) and runs the unit tests in the same command, each before its model (dbt
never applies ``--empty`` to a unit test's fixtures). A failing unit test makes dbt skip what
follows its model, other unit tests included, so after a failure (or for a selection) ``dbt
test --select test_type:unit`` runs them again on their own: each reports its own result.

``python -m ingestion.warehouse.dbt_unit_tests [SELECT]`` (``make dbt-unit``) runs them all, the
unit tests of one model, or one unit test by name, and prints one line per unit test.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

from ingestion.warehouse.build import run_dbt

WAREHOUSE_FILE = "unit_tests.duckdb"


def run_unit_tests(work_dir: Path, select: str | None = None) -> list[dict[str, Any]]:
    """Build the unit tests' inputs empty in ``work_dir`` and run the unit tests.

    ``select`` is a model name (its unit tests) or a unit test name (that one); default: every
    unit test. Returns one entry per unit test that ran: ``name``, ``model``, ``status``
    (dbt's: pass, fail, error) and ``message`` (the differing rows when it failed). Raises
    ``RuntimeError`` when dbt ran no unit test at all (a parse error, or a selection that
    names nothing).
    """
    target = work_dir / "target"
    kwargs: dict[str, Any] = {
        "warehouse_path": work_dir / WAREHOUSE_FILE, "target_dir": target, "check": False,
    }  # fmt: skip
    (target / "run_results.json").unlink(missing_ok=True)  # never read a stale one
    # the inputs, empty, with every ancestor of the selected unit tests; all of them selected,
    # the unit tests run in the same command, each before its model (one dbt process)
    excluded = ("test_type:data",) if select is None else ("test_type:data", "test_type:unit")
    completed = run_dbt(
        "build", "--empty", "--select", f"+{select or 'test_type:unit'}", "--exclude", *excluded,
        **kwargs,
    )  # fmt: skip
    results = unit_test_results(target)
    # a failing unit test skips every node downstream of its model, other unit tests included;
    # a selection needs only its own: then the unit tests run in a command of their own
    if select is not None or any(r["status"] != "pass" for r in results):
        (target / "run_results.json").unlink(missing_ok=True)
        completed = run_dbt(
            "test", "--select", f"{select},test_type:unit" if select else "test_type:unit",
            **kwargs,
        )  # fmt: skip
        results = unit_test_results(target)
    if not results:
        tail = "\n".join(completed.stdout.splitlines()[-30:])
        raise RuntimeError(f"dbt ran no unit test (exit {completed.returncode}):\n{tail}")
    return results


def unit_test_results(target_dir: Path) -> list[dict[str, Any]]:
    """The unit tests of the last dbt invocation whose artifacts are in ``target_dir``."""
    results_file = target_dir / "run_results.json"
    if not results_file.exists():
        return []
    run = json.loads(results_file.read_text(encoding="utf-8"))
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    unit_tests = manifest.get("unit_tests", {})
    return [
        {
            "name": unit_tests.get(r["unique_id"], {}).get("name", r["unique_id"]),
            "model": unit_tests.get(r["unique_id"], {}).get("model"),
            "status": r["status"],
            "message": r.get("message") or "",
        }
        for r in run.get("results", [])
        if r["unique_id"].startswith("unit_test.")
    ]


def defined_unit_tests(target_dir: Path) -> set[str]:
    """Names of every unit test the project defines (from the manifest dbt just wrote)."""
    manifest = json.loads((target_dir / "manifest.json").read_text(encoding="utf-8"))
    return {test["name"] for test in manifest.get("unit_tests", {}).values()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("select", nargs="?", help="a model or unit test name (default: all)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="capdev-dbt-unit-") as tmp:
        # a folder of its own: no raw file, no warehouse of the data folder is touched
        os.environ["CAPDEV_DATA_DIR"] = tmp
        results = run_unit_tests(Path(tmp), args.select)
    for result in results:
        print(f"{result['status']:<7} {result['model']}::{result['name']}")
        if result["status"] != "pass":
            print("        " + result["message"].replace("\n", "\n        "))
    failed = sum(result["status"] != "pass" for result in results)
    print(f"{len(results)} unit tests, {failed} not passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
