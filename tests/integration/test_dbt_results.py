"""dbt's artifacts read back per node, from a real dbt-duckdb run of a tiny throwaway project.

The transform DAG shows one task per model from these entries, so a failed test must land on its
model, a SQL error on its node, dbt's skips on the nodes downstream, and stale sources must be
reported by ``dbt source freshness``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ingestion.warehouse.dbt_results import failure_summary, freshness_results, node_results

FILES = {
    "dbt_project.yml": """
name: tiny
version: "1.0"
profile: tiny
models:
  tiny:
    +materialized: table
""",
    "profiles.yml": """
tiny:
  target: dev
  outputs:
    dev:
      type: duckdb
      path: "{db}"
      threads: 1
""",
    "models/dup_ids.sql": "select 1 as id union all select 1 as id",
    "models/after_dup.sql": "select * from {{ ref('dup_ids') }}",
    "models/good.sql": "select 2 as id",
    "models/broken.sql": "select * from no_such_table",
    "models/after_broken.sql": "select * from {{ ref('broken') }}",
    "models/schema.yml": """
version: 2
models:
  - name: dup_ids
    columns:
      - name: id
        data_tests: [unique]
  - name: good
    columns:
      - name: id
        data_tests: [unique, not_null]
""",
    "models/sources.yml": """
version: 2
sources:
  - name: feed
    loaded_at_field: loaded_at
    config:
      freshness:
        warn_after: {count: 36, period: hour}
        error_after: {count: 96, period: hour}
    tables:
      - name: fresh
        config:
          meta:
            external_location: "read_parquet('{data}/fresh.parquet')"
      - name: stale
        config:
          meta:
            external_location: "read_parquet('{data}/stale.parquet')"
      - name: never_landed
        config:
          meta:
            external_location: "read_parquet('{data}/never/*.parquet')"
""",
    "tests/assert_two_models_agree.sql": (
        "select * from {{ ref('good') }} where id not in (select id from {{ ref('dup_ids') }})"
    ),
}


@pytest.fixture(scope="module")
def tiny_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("tiny_dbt")
    data = root / "data"
    data.mkdir()
    now = datetime.now(UTC)
    with duckdb.connect() as con:
        for name, age in (("fresh", timedelta(hours=2)), ("stale", timedelta(days=5))):
            con.execute(
                f"copy (select 1 as id, ?::timestamptz as loaded_at) to '{data}/{name}.parquet'",
                [now - age],
            )
    for rel, text in FILES.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        text = text.replace("{db}", str(root / "tiny.duckdb")).replace("{data}", str(data))
        path.write_text(text)
    return root


def _dbt(project: Path, *args: str) -> int:
    dbt = Path(sys.executable).with_name("dbt")
    command = [str(dbt), *args, "--project-dir", str(project), "--profiles-dir", str(project)]
    return subprocess.run(command, capture_output=True, text=True, check=False).returncode


def test_failed_tests_errors_and_skips_land_on_their_nodes(tiny_project):
    assert _dbt(tiny_project, "build") != 0
    entries = {e["node"]: e for e in node_results(tiny_project / "target")}

    dup = entries["main.dup_ids"]
    assert dup["status"] == "success" and dup["failed"] and dup["tests"] == 1
    assert dup["failed_tests"][0].startswith("unique_dup_ids_id")

    assert entries["main.broken"]["status"] == "error" and entries["main.broken"]["failed"]
    assert entries["main.after_broken"]["status"] == "skipped"
    assert entries["main.after_dup"]["status"] == "skipped"  # dbt build skips after a failed test

    good = entries["main.good"]
    assert good == {**good, "status": "success", "failed": False, "tests": 2, "failed_tests": []}

    # a singular test over two models belongs to neither: it is an entry of its own
    assert entries["assert_two_models_agree"]["resource_type"] == "test"

    summary = failure_summary(list(entries.values()))
    assert "model main.dup_ids" in summary and "unique_dup_ids_id" in summary
    assert "model main.broken: error" in summary and "main.good" not in summary


def test_source_freshness_flags_stale_and_missing_sources(tiny_project):
    _dbt(tiny_project, "source", "freshness")
    rows = {r["table"]: r for r in freshness_results(tiny_project / "target")}
    assert rows["fresh"]["status"] == "pass" and 1.5 < rows["fresh"]["hours_since_loaded"] < 3
    assert rows["stale"]["status"] == "error" and rows["stale"]["hours_since_loaded"] > 96
    assert rows["never_landed"]["status"] == "runtime error"


def test_missing_artifacts_say_which_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="run_results.json"):
        node_results(tmp_path)
