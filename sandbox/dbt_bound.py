"""The plain-DuckDB bound of ``dbt build``: the same SQL, run without dbt.

A dbt manifest holds every node's compiled code (``target/manifest.json`` after ``dbt build``
or ``dbt compile``). :func:`run_bound` executes it in dependency order, in one DuckDB
connection set up as the dbt profile sets up dbt's (its ``settings`` and ``plugins``), into a
new, empty database file:

- seeds: ``create table ... as select * from read_csv(<the seed file>)`` with the seed's
  declared ``column_types`` (DuckDB infers the others; dbt infers them with agate and loads the
  file with the same ``COPY``-style CSV reader);
- models materialized as views: ``create view``; as tables or incremental: ``create table``
  over the compiled select (an incremental model compiled on an empty warehouse is its full
  select, so the bound is a *first* build; compile on an empty warehouse, see
  :func:`compile_project`); ephemeral models run inside the models that use them (their SQL is
  already inlined in the consumers' compiled code), so they are ordered but not created;
- snapshots: their first run, the compiled select with dbt's four ``dbt_*`` columns;
- Python models: the compiled module run as dbt-duckdb runs it (its ``model(dbt, session)``
  with a ``dbtObj`` whose ``ref`` reads this connection), timed apart (``python_s``) because
  their cost is the Python work (identity resolution with Splink), not SQL.

Left out, because they are dbt's own work beyond the rows: data tests, the column and
relation comments (``persist_docs``), dbt's parse, compile, relation cache, run results and
logs. Nothing here depends on a model's name: the order and the SQL come from the manifest,
so models split into more (ephemeral, view or table) models are measured as they are.
"""

from __future__ import annotations

import graphlib
import importlib.util
import json
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import yaml

#: The node kinds the bound creates (data tests, unit tests, analyses... are not built).
BUILT_TYPES = ("model", "seed", "snapshot")


@dataclass(frozen=True)
class Step:
    """One node of the build: what to create and from which code."""

    unique_id: str
    kind: str  # seed, view, table, snapshot, python, ephemeral
    schema: str
    name: str
    code: str  # the compiled SQL or Python; for a seed, the CSV file's path
    config: dict

    @property
    def relation(self) -> str:
        return f'"{self.schema}"."{self.name}"'


def _kind(node: dict) -> str:
    if node["resource_type"] in ("seed", "snapshot"):
        return node["resource_type"]
    materialized = node["config"].get("materialized", "view")
    if node.get("language") == "python":
        return "python"
    if materialized in ("view", "ephemeral"):
        return materialized
    return "table"  # table, incremental (a first build)


def build_steps(manifest: dict) -> list[Step]:
    """Every model, seed and snapshot of the manifest in dependency order (ties by id, so the
    order is reproducible). Raises ``ValueError`` for a node dbt has not compiled."""
    nodes = {
        uid: node
        for uid, node in manifest["nodes"].items()
        if node["resource_type"] in BUILT_TYPES and node["config"].get("enabled", True)
    }
    sorter: graphlib.TopologicalSorter = graphlib.TopologicalSorter()
    for uid in sorted(nodes):
        sorter.add(
            uid, *sorted(d for d in nodes[uid].get("depends_on", {}).get("nodes", []) if d in nodes)
        )
    steps = []
    for uid in sorter.static_order():
        node = nodes[uid]
        kind = _kind(node)
        if kind == "seed":
            code = str(Path(node["root_path"]) / node["original_file_path"])
        else:
            code = node.get("compiled_code")
            if code is None:
                raise ValueError(f"{uid} is not compiled in this manifest: run dbt compile")
        steps.append(Step(uid, kind, node["schema"], node["alias"], code, node["config"]))
    return steps


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _seed_sql(step: Step) -> str:
    types = step.config.get("column_types") or {}
    options = ["header = true"]
    if types:
        pairs = ", ".join(f"{_sql_literal(c)}: {_sql_literal(t)}" for c, t in types.items())
        options.append(f"types = {{{pairs}}}")
    delimiter = step.config.get("delimiter")
    if delimiter:
        options.append(f"delim = {_sql_literal(delimiter)}")
    return (
        f"create table {step.relation} as select * from "
        f"read_csv({_sql_literal(step.code)}, {', '.join(options)})"
    )


def _snapshot_sql(step: Step) -> str:
    """A snapshot's first run: every row current since now, keyed as dbt keys it."""
    key = step.config.get("unique_key")
    key_sql = " || '|' || ".join(
        f"coalesce(cast({k} as varchar), '')" for k in (key if isinstance(key, list) else [key])
    )
    return (
        f"create table {step.relation} as select *, "
        f"md5({key_sql} || '|' || coalesce(cast(now()::timestamp as varchar), '')) as dbt_scd_id, "
        "now()::timestamp as dbt_updated_at, now()::timestamp as dbt_valid_from, "
        f"cast(null as timestamp) as dbt_valid_to from ({step.code}) as snapshot_query"
    )


def _run_python(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    """Run a compiled Python model as dbt-duckdb does: import the compiled module, call its
    ``model`` with a ``dbtObj`` that reads this connection, and store what it returns."""
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as module_file:
        module_file.write(step.code.lstrip())
    try:
        spec = importlib.util.spec_from_file_location(step.name, module_file.name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        dbt = module.dbtObj(lambda name: con.query(f"select * from {name}"))
        frame = module.model(dbt, con)
        con.register("__bound_python_model", frame)
        con.execute(f"create table {step.relation} as select * from __bound_python_model")
        con.unregister("__bound_python_model")
    finally:
        Path(module_file.name).unlink(missing_ok=True)


def execute_step(con: duckdb.DuckDBPyConnection, step: Step) -> None:
    """Create one node's relation (nothing for an ephemeral model)."""
    if step.kind == "ephemeral":
        return
    con.execute(f'create schema if not exists "{step.schema}"')
    if step.kind == "seed":
        con.execute(_seed_sql(step))
    elif step.kind == "view":
        con.execute(f"create view {step.relation} as {step.code}")
    elif step.kind == "table":
        con.execute(f"create table {step.relation} as {step.code}")
    elif step.kind == "snapshot":
        con.execute(_snapshot_sql(step))
    else:
        _run_python(con, step)


def connect(database: Path, profiles_dir: Path, target: str = "dev") -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``database`` set up as the profile's ``target`` sets up dbt's:
    its ``settings`` and its plugins' ``configure_connection`` (the project's SQL functions)."""
    from dbt.adapters.duckdb.plugins import BasePlugin

    profiles = yaml.safe_load((profiles_dir / "profiles.yml").read_text(encoding="utf-8"))
    (profile,) = profiles.values()
    output = profile["outputs"][target]
    con = duckdb.connect(str(database))
    for key, value in (output.get("settings") or {}).items():
        con.execute(f"set {key} = {_sql_literal(str(value))}")
    for plugin in output.get("plugins") or []:
        BasePlugin.create(plugin["module"], config=plugin.get("config") or {}).configure_connection(
            con
        )
    return con


def run_bound(manifest_path: Path, workdir: Path, profiles_dir: Path) -> dict:
    """Run every step of the manifest into a new database in ``workdir`` (named as dbt's, so
    a compiled ``this`` resolves); the figures: total, SQL and Python seconds, steps per kind
    and the ten slowest steps."""
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    steps = build_steps(manifest)
    database = next((s for s in manifest["nodes"].values() if s.get("database")), {})
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / f"{database.get('database') or 'bound'}.duckdb"
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)
    started = time.monotonic()
    con = connect(path, profiles_dir)
    seconds: dict[str, float] = {}
    try:
        for step in steps:
            step_started = time.monotonic()
            execute_step(con, step)
            seconds[step.unique_id] = time.monotonic() - step_started
        con.execute("checkpoint")
    finally:
        con.close()
    total = time.monotonic() - started
    python_s = sum(seconds[s.unique_id] for s in steps if s.kind == "python")
    kinds: dict[str, int] = {}
    for step in steps:
        kinds[step.kind] = kinds.get(step.kind, 0) + 1
    top = sorted(seconds.items(), key=lambda item: item[1], reverse=True)[:10]
    return {
        "bound_s": round(total, 2),
        "python_s": round(python_s, 2),
        "sql_s": round(total - python_s, 2),
        "steps": kinds,
        "top": [{"node": uid, "s": round(s, 2)} for uid, s in top],
        "database": str(path),
    }


def compile_project(target_dir: Path, workdir: Path) -> Path:
    """``dbt compile`` of the whole project against an empty warehouse in ``workdir`` (so an
    incremental model compiles to its full select); the manifest's path."""
    from ingestion.warehouse.build import run_dbt

    workdir.mkdir(parents=True, exist_ok=True)
    empty = workdir / "compile.duckdb"
    empty.unlink(missing_ok=True)
    run_dbt("compile", warehouse_path=empty, target_dir=target_dir)
    empty.unlink(missing_ok=True)
    return target_dir / "manifest.json"


def main(argv: list[str] | None = None) -> int:
    """``python -m sandbox.dbt_bound [MANIFEST]``: the bound over the current data folder's raw
    zone, from MANIFEST or from a fresh ``dbt compile``; prints its figures as JSON."""
    from ingestion import config
    from ingestion.warehouse.build import DBT_PROJECT_DIR

    argv = sys.argv[1:] if argv is None else argv
    workdir = config.data_dir() / "bench" / "bound"
    manifest = Path(argv[0]) if argv else compile_project(workdir / "target", workdir / "compile")
    print(json.dumps(run_bound(manifest, workdir / "db", DBT_PROJECT_DIR), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
