"""The plain-DuckDB bound of ``dbt build`` (sandbox/dbt_bound.py) on the test sandbox's real build.

The session's published sandbox was built by the real ``dbt build`` (tests/conftest.py); its
manifest holds the compiled code of every node. The bound runs that code without dbt into a
new file, and must build the same relations, with the same columns and the same rows, as
dbt did: otherwise it would not be the same work, and its time would bound nothing.
"""

from __future__ import annotations

import json

import duckdb
import pytest

from ingestion.warehouse.build import DBT_PROJECT_DIR
from sandbox.bench_dbt import against_bound, format_dbt, node_times
from sandbox.dbt_bound import build_steps, run_bound

# Columns whose values are the time of the build, not the data: they differ between any two
# builds (dbt's snapshot metadata), so they are compared by presence and type only.
BUILD_TIME_COLUMNS = {"dbt_scd_id", "dbt_updated_at", "dbt_valid_from"}


def _normal(value):
    """A value comparable across two builds: floating-point sums (Splink's match weights) may
    differ in their last bits with the order DuckDB's threads add them up."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, list | tuple):
        return [_normal(v) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v) for k, v in value.items()}
    return value


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    return sorted(repr(_normal(row)) for row in con.execute(query).fetchall())


@pytest.fixture(scope="module")
def manifest(published_sandbox):
    path = published_sandbox / "warehouse" / "dbt" / "target" / "manifest.json"
    return path, json.loads(path.read_text())


def test_steps_follow_the_manifest_dependencies(manifest):
    _, data = manifest
    steps = build_steps(data)
    position = {step.unique_id: i for i, step in enumerate(steps)}
    built = {
        uid
        for uid, node in data["nodes"].items()
        if node["resource_type"] in ("model", "seed", "snapshot")
    }
    assert set(position) == built  # every model, seed and snapshot, and no test
    for step in steps:
        for parent in data["nodes"][step.unique_id].get("depends_on", {}).get("nodes", []):
            if parent in position:
                assert position[parent] < position[step.unique_id], (parent, step.unique_id)
    kinds = {step.kind for step in steps}
    # the project has each kind today; a kind the project drops would make this test say so
    assert kinds == {"seed", "view", "table", "ephemeral", "python", "snapshot"}


def _relations(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        "select table_schema, table_name, column_name, data_type from information_schema.columns "
        "where table_catalog = current_database() order by table_schema, table_name, "
        "ordinal_position"
    ).fetchall()
    relations: dict[str, list[tuple[str, str]]] = {}
    for schema, table, column, data_type in rows:
        relations.setdefault(f'"{schema}"."{table}"', []).append((column, data_type))
    return relations


@pytest.fixture(scope="module")
def bound(manifest, tmp_path_factory):
    path, _ = manifest
    return run_bound(path, tmp_path_factory.mktemp("bound"), DBT_PROJECT_DIR)


def test_the_bound_builds_what_dbt_built(bound, published_sandbox):
    figures = bound
    assert figures["bound_s"] >= figures["python_s"] > 0
    assert figures["steps"]["python"] >= 1
    ours = duckdb.connect(figures["database"], read_only=True)
    theirs = duckdb.connect(str(published_sandbox / "warehouse" / "build.duckdb"), read_only=True)
    built_by_dbt = _relations(theirs)
    built_here = _relations(ours)
    assert sorted(built_here) == sorted(built_by_dbt)
    differing = []
    for relation, columns in built_by_dbt.items():
        assert built_here[relation] == columns, relation
        names = ", ".join(f'"{c}"' for c, _ in columns if c not in BUILD_TIME_COLUMNS)
        query = f"select {names} from {relation}"
        if _rows(ours, query) != _rows(theirs, query):
            differing.append(relation)
    assert differing == []


def test_where_the_build_time_went(manifest, published_sandbox, bound):
    """The build's node seconds by resource type, as the bench prints them beside the bound."""
    _, data = manifest
    times = node_times(published_sandbox / "warehouse" / "dbt" / "target")
    nodes = data["nodes"].values()
    run_models = [
        n
        for n in nodes
        if n["resource_type"] == "model" and n["config"]["materialized"] != "ephemeral"
    ]
    assert times["by_type"]["model"]["count"] == len(run_models)  # ephemeral ones never run
    assert times["by_type"]["test"]["count"] == sum(n["resource_type"] == "test" for n in nodes)
    assert times["by_type"]["seed"]["count"] == sum(n["resource_type"] == "seed" for n in nodes)
    assert 0 < times["python_models_s"] <= times["by_type"]["model"]["s"]
    seconds = [entry["s"] for entry in times["top"]]
    assert len(seconds) == 10 and seconds == sorted(seconds, reverse=True)
    build_s = times["elapsed_s"] + 5.0  # as if dbt had spent 5 s outside its nodes
    figures = against_bound(build_s, times, bound)
    assert figures["outside_run_s"] == 5.0
    assert figures["ratio"] == round(build_s / bound["bound_s"], 2)
    table = format_dbt(figures)
    assert times["top"][0]["node"] in table and bound["top"][0]["node"] in table
