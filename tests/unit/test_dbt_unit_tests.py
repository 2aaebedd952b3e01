"""The dbt unit tests (``unit_tests:`` in the model property files, CSV fixtures in
``dbt_project/tests/fixtures/``), run by real dbt on an empty DuckDB file in the everyday
subset (``make test-fast``); dbt_project/README.md ("Unit tests") says how to run one.

The full fixture build (tests/integration/test_dbt_build.py) and the nightly build leave them
out, so ``make test`` runs each of them once, here.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.warehouse.dbt_unit_tests import defined_unit_tests, run_unit_tests

FIXTURES = Path(__file__).resolve().parents[2] / "dbt_project" / "tests" / "fixtures"


def test_every_dbt_unit_test_passes(data_dir, tmp_path):
    # data_dir: an empty data folder, so no raw file is even globbed
    results = run_unit_tests(tmp_path)
    not_passed = [
        f"{r['model']}::{r['name']}: {r['status']}\n{r['message']}"
        for r in results
        if r["status"] != "pass"
    ]
    assert not_passed == [], "\n\n".join(not_passed)
    # every unit test the project defines ran (none skipped for a missing input)
    assert {r["name"] for r in results} == defined_unit_tests(tmp_path / "target")


def test_every_fixture_file_is_used():
    """A CSV fixture no unit test names is a case nobody checks any more."""
    yml = "\n".join(
        p.read_text(encoding="utf-8") for p in (FIXTURES.parents[1] / "models").rglob("*.yml")
    )
    fixtures = sorted(FIXTURES.rglob("*.csv"))
    assert fixtures
    unused = [p.name for p in fixtures if f"fixture: {p.stem}\n" not in yml]
    assert unused == []
