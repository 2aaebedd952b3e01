"""A night on the production stack of docker-compose.yml, run natively, through real faults.

``ops.stack`` (``make stack``) starts PostgreSQL and Redis on loopback and Airflow with the
CeleryExecutor: API server, scheduler, DAG processor, triggerer, and two Celery workers,
``worker-warehouse`` (queues ``default`` and ``warehouse``) and ``worker-ingest`` (``default``).
The test acts as an operator: it triggers four of the five ingest DAGs for the night, checks
that the build waits (four Assets are not enough), then triggers the fifth; the scheduler does
the rest (the Asset-triggered build, its warehouse tasks in the one-slot pool, then the Council
report, whose start on the warehouse worker is checked: its secondary suppression takes minutes
here, and the report's own tests are elsewhere). Meanwhile, as things go wrong in production:

* ``worker-ingest`` is killed (``kill -9`` of its whole process group) while it runs an ingest
  task: the task's heartbeat stops, the scheduler fails the try and retries it on the other worker;
* the scheduler is killed (``kill -9``) and restarted: the new one adopts the queued work;
* PostgreSQL is restarted while the warehouse build runs; a component that exits on it is
  started again, as compose's ``restart: always`` would.

The published warehouse must then equal, table by table and row by row (load timestamps
aside), the one the ordinary path builds outside Airflow (in a process beside the stack, while
the stack's night goes on) from the same sandbox for the same logical dates and
pseudonymization key: none of the faults leaves a trace in the data.

About 7 minutes alone, more on a loaded 2-core machine (PostgreSQL migration, the CLI calls, a
dbt build on each side, a task for each dbt node, the faults' heartbeat timeout and retries).
"""

from __future__ import annotations

import json
import multiprocessing
import re
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from contextlib import closing
from datetime import datetime
from pathlib import Path

import duckdb
import psycopg2
import psycopg2.extras
import pytest
from test_scheduler import (
    FINISHED,
    INGEST_DAGS,
    TRANSFORM,
    WAIT_SECONDS,
    AirflowStack,
    _unpause,
    wait_for_dags,
)
from warehouse_compare import FLOAT_DIGITS

from ingestion import config
from ingestion.connectors.base import ApiConnection, endpoint_url
from ops.stack import Ports, Stack, free_port, local_settings, read_env_file
from sandbox.demo import airflow_env, deliver_drops

pytestmark = [pytest.mark.e2e, pytest.mark.stack, pytest.mark.slow]

REPORT = "report_council"
WORKER_INGEST, WORKER_WAREHOUSE = "worker-ingest", "worker-warehouse"
# Columns that say when (or how fast) something was loaded or built, not what: they differ
# between any two builds of the same data. dbt's snapshot columns are times of the build too
# (``dbt_scd_id`` hashes ``dbt_updated_at``).
LOAD_TIME = re.compile(
    r"^_?(loaded|landed|validated|built|published|ingested|started|finished)_at$"
    r"|^seconds$|^dbt_(scd_id|updated_at|valid_from|valid_to)$"
)


class CeleryStack(AirflowStack):
    """test_scheduler's operator helpers over the Celery stack: its metadata in PostgreSQL."""

    def __init__(self, ops: Stack):
        super().__init__(
            ops.logs, ops.data_dir, ops.airflow_env(), f"http://127.0.0.1:{ops.ports.api}"
        )
        self.ops = ops
        self.procs = ops.procs  # the same dict: a process killed on purpose leaves it

    def query(self, sql: str, *params) -> list[dict]:
        # PostgreSQL may be restarting (a fault of the test): ask again for a while.
        deadline = time.monotonic() + 120
        while True:
            try:
                with (
                    closing(psycopg2.connect(self.ops.postgres_dsn, connect_timeout=5)) as con,
                    con.cursor(cursor_factory=psycopg2.extras.RealDictCursor) as cur,
                ):
                    cur.execute(sql.replace("?", "%s"), params or None)
                    return [dict(row) for row in cur.fetchall()]
            except psycopg2.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(2)

    def tries(self, dag_like: str) -> list[dict]:
        """Every try of every task of the DAGs matching ``dag_like`` (finished tries included)."""
        columns = "dag_id, task_id, run_id, try_number, state, hostname"
        return self.query(
            f"select {columns} from task_instance where dag_id like ? "
            f"union all select {columns} from task_instance_history where dag_id like ?",
            dag_like,
            dag_like,
        )


@pytest.fixture(scope="module")
def celery_stack(sandbox_tree, sandbox_servers, request):
    """The native production stack over a fresh data folder, its inboxes filled with the drops."""
    # PostgreSQL runs as its own user when the tests run as root: a folder it can reach.
    state = Path(tempfile.mkdtemp(prefix="capdev-stack-"))
    state.chmod(0o755)
    data = state / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DATA_DIR", str(data))
        connections = {k: v for k, v in airflow_env(sandbox_servers).items() if "_CONN_" in k}
        deliver_drops(sandbox_tree)
    # .env.example with fresh secrets, and the session's sandbox servers as the platforms.
    settings = read_env_file(local_settings(state / "stack.env"))
    settings.update(connections)
    ports = Ports(postgres=free_port(), redis=free_port(), api=free_port(), sandbox={})
    extra = {
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(state / "logs" / "logs"),  # diagnostics()
        "AIRFLOW__API__WORKERS": "1",
        "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
        # DAG files are parsed once: none changes during the test, and re-parsing them every
        # 30 s (the default) costs CPU that the rest of the suite needs.
        "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "600",
        "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
        "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
        "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "2",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
        # Faults are found in seconds rather than Airflow's production minutes: a task whose
        # worker died, a scheduler that died with work queued, and the retry that follows.
        "AIRFLOW__SCHEDULER__TASK_INSTANCE_HEARTBEAT_TIMEOUT": "45",
        "AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_THRESHOLD": "15",
        "AIRFLOW__SCHEDULER__ORPHANED_TASKS_CHECK_INTERVAL": "15",
        # A task the killed worker had received but not started (Celery prefetches one per
        # slot; acks are late) is found by no heartbeat: it stays queued until this timeout
        # (10 min in production) sends it again.
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT": "120",
        "AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT_CHECK_INTERVAL": "15",
        "CAPDEV_TASK_RETRIES": "2",
        "CAPDEV_TASK_RETRY_DELAY_SECONDS": "5",
    }
    ops = Stack(state, data, settings, ports, extra)
    stack = None
    failed_before = request.session.testsfailed
    try:
        ops.up(admin=False)
        stack = CeleryStack(ops)
        wait_for_dags(stack, {*INGEST_DAGS, TRANSFORM, REPORT})
        yield stack
    finally:
        failed = request.session.testsfailed > failed_before
        if failed and stack is not None:
            print("\n" + stack.diagnostics())
        ops.down()
        if not failed:
            shutil.rmtree(state, ignore_errors=True)


@pytest.fixture
def beside():
    """A process of its own for work that runs beside the stack's night (spawned: a clean
    interpreter, its environment its own)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        yield pool


def _switch_on_the_warehouse(stack: CeleryStack) -> None:
    """Unpause ``transform_warehouse`` and ``report_council`` before any ingest runs: a paused
    DAG is not queued for the Assets it waits on. Unpausing the build creates its 05:30 fallback
    run at once (``catchup=False``), which finds nothing landed and skips the build
    (``anything_new``), as it would in production."""
    _unpause(stack, TRANSFORM, REPORT)
    stack.wait_for(lambda: _finished_run(stack, TRANSFORM), "the fallback build run to skip")


def _trigger(stack: CeleryStack, dag_ids: list[str]) -> dict[str, datetime]:
    """Trigger each ingest DAG for its own nightly time, the one the scheduler would run next.

    Triggered while paused, at the logical date the scheduler holds as the DAG's next run: when
    the DAGs are unpaused, the scheduler finds that run already there and creates no other.
    """
    dates = {}
    for dag_id in dag_ids:
        (row,) = stack.query("select next_dagrun from dag where dag_id = ?", dag_id)
        dates[dag_id] = row["next_dagrun"]
        stack.cli("dags", "trigger", dag_id, "--logical-date", dates[dag_id].isoformat())
    _unpause(stack, *dag_ids)
    return dates


def _asset_triggered_runs(stack: CeleryStack) -> list[dict]:
    return [r for r in stack.runs(TRANSFORM) if r["run_type"] == "asset_triggered"]


def _running_on(stack: CeleryStack, worker: str) -> dict | None:
    for ti in stack.query(
        "select dag_id, task_id, run_id, try_number, hostname from task_instance "
        "where dag_id like ? and state = 'running'",
        "ingest_%",
    ):
        if (ti["hostname"] or "").startswith(f"{worker}@"):
            return ti
    return None


def _finished_run(stack: CeleryStack, dag_id: str) -> list[dict] | None:
    runs = stack.runs(dag_id)
    return runs if runs and all(r["state"] in FINISHED for r in runs) else None


def _ordinary_night(
    data: Path, sandbox_tree: Path, settings: dict[str, str], dates: dict[str, datetime]
) -> Path:
    """The same night by the ordinary path, outside Airflow: the DAG tasks' own functions."""
    from ingestion.publish.warehouse import publish
    from ingestion.raw.ingest import ingest_api, ingest_drops, validate_landed
    from ingestion.warehouse.build import build_file, build_warehouse

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DATA_DIR", str(data))
        mp.setenv("CAPDEV_PSEUDONYM_KEY", settings["CAPDEV_PSEUDONYM_KEY"])
        deliver_drops(sandbox_tree)
        for code, spec in config.platforms().items():
            night = dates[f"ingest_{code}"]
            if spec.kind == "api":
                conn = json.loads(settings[f"AIRFLOW_CONN_{spec.conn_id.upper()}"])
                api = ApiConnection(
                    base_url=endpoint_url(conn["host"], conn.get("schema"), conn.get("port")),
                    token=conn.get("password"),
                    username=conn.get("login"),
                    password=conn.get("password"),
                    timeout=float(conn.get("extra", {}).get("timeout", 30)),
                )
                batches = ingest_api(code, api, night)
            else:
                batches = ingest_drops(code, night)
            validate_landed(batches, platform=code)
        build_warehouse()
        return publish(build_file())


def _comparable(value, data_dir: Path):
    """A value as compared: the data folder in file paths written ``<data>``, and floats rounded
    like the shared comparison does (Splink's weights differ in the last bits between runs)."""
    if isinstance(value, str):
        return value.replace(str(data_dir), "<data>")
    if isinstance(value, float):
        return round(value, FLOAT_DIGITS)
    return value


def _warehouse_rows(path: Path, data_dir: Path) -> dict[str, list[tuple]]:
    """Every table and view of a warehouse file, its rows sorted, load timestamps left out, and
    values made comparable (``_comparable``)."""
    rows = {}
    with duckdb.connect(str(path), read_only=True) as con:
        relations = con.execute(
            "select table_schema, table_name from information_schema.tables "
            "where table_catalog = current_database() order by all"
        ).fetchall()
        for schema, table in relations:
            columns = [
                name
                for (name,) in con.execute(
                    "select column_name from information_schema.columns "
                    "where table_schema = ? and table_name = ? order by ordinal_position",
                    [schema, table],
                ).fetchall()
                if not LOAD_TIME.match(name)
            ]
            select = ", ".join(f'"{c}"' for c in columns)
            found = con.execute(f'select {select} from "{schema}"."{table}"').fetchall()
            rows[f"{schema}.{table}"] = sorted(
                (tuple(_comparable(v, data_dir) for v in row) for row in found),
                key=repr,
            )
    return rows


def test_a_night_on_the_celery_stack_survives_a_lost_worker_scheduler_and_database(
    celery_stack, sandbox_tree, tmp_path, beside
):
    stack, ops = celery_stack, celery_stack.ops
    _switch_on_the_warehouse(stack)
    # Four of the five ingest DAGs first: the build must wait for the fifth Asset.
    four, fifth = INGEST_DAGS[:-1], INGEST_DAGS[-1]
    dates = _trigger(stack, four)

    # 1. kill -9 of worker-ingest while it runs an ingest task.
    victim = stack.wait_for(
        lambda: _running_on(stack, WORKER_INGEST), "an ingest task running on worker-ingest"
    )
    ops.kill(WORKER_INGEST)
    # 2. kill -9 of the scheduler while that task is still marked running, then a restart.
    ops.kill("scheduler")
    time.sleep(3)
    ops.start_airflow("scheduler")

    def finished(dag_ids: list[str]):
        return all(_finished_run(stack, dag_id) for dag_id in dag_ids)

    stack.wait_for(lambda: finished(four), "four ingest runs to finish")
    time.sleep(10)  # a score of scheduler loops: time enough to (wrongly) start a build
    assert not _asset_triggered_runs(stack), "the build started before the fifth Asset"
    queued = stack.query(
        "select a.uri from asset_dag_run_queue q join asset a on a.id = q.asset_id "
        "where q.target_dag_id = ?",
        TRANSFORM,
    )
    assert sorted(r["uri"] for r in queued) == sorted(
        f"capdev://raw/{dag_id.removeprefix('ingest_')}" for dag_id in four
    )
    dates |= _trigger(stack, [fifth])
    # The reference: the same night by the ordinary path, from the same sandbox, for the same
    # logical dates and pseudonymization key. It needs nothing from the stack, so it runs
    # beside it, in its own process and data folder.
    reference_dir = tmp_path / "reference"
    reference_night = beside.submit(
        _ordinary_night, reference_dir, sandbox_tree, ops.settings, dates
    )
    stack.wait_for(lambda: finished(INGEST_DAGS), "the fifth ingest run to finish")
    # 3. PostgreSQL restarted while the warehouse build runs (or, on a fast machine, after it).
    stack.wait_for(
        lambda: any(r["state"] == "running" for r in stack.runs(TRANSFORM)),
        "the Asset-triggered build to start",
    )
    stack.wait_for(
        lambda: any(
            t["task_id"] in ("dbt_build", "dbt_results") and t["state"] in ("running", "success")
            for t in stack.tries(TRANSFORM)
        ),
        "the dbt build to start",
    )
    ops.restart_postgres()
    # A component that lost the database may exit ("fails loudly"): compose's `restart: always`
    # starts it again, and so does this loop; the night must still complete.
    deadline = time.monotonic() + WAIT_SECONDS
    restarted: list[str] = []

    def report_started() -> bool:
        # The report's publish_council takes minutes on a loaded machine (secondary
        # suppression): the test waits for it to start after the build, not to finish.
        return _finished_run(stack, TRANSFORM) is not None and any(
            t["state"] in ("running", "success") for t in stack.tries(REPORT)
        )

    while not report_started():
        restarted += ops.restart_exited()
        if time.monotonic() > deadline:
            pytest.fail("timed out waiting for the build and the report\n" + stack.diagnostics())
        time.sleep(2)
    print(f"restarted after PostgreSQL's restart: {restarted or 'none'}")

    # The night: one run of each ingest DAG (the triggered one), all green.
    for dag_id in INGEST_DAGS:
        runs = stack.runs(dag_id)
        assert [(r["run_type"], r["state"]) for r in runs] == [("manual", "success")], dag_id
    # The killed try failed on worker-ingest and was retried on the other worker.
    tries = [
        t
        for t in stack.tries(victim["dag_id"])
        if (t["task_id"], t["run_id"]) == (victim["task_id"], victim["run_id"])
    ]
    final = max(tries, key=lambda t: t["try_number"])
    assert final["state"] == "success" and final["try_number"] > victim["try_number"], tries
    assert final["hostname"].startswith(f"{WORKER_WAREHOUSE}@"), tries
    # Ingests ran on both workers; every warehouse task on the warehouse worker.
    ingest_hosts = {t["hostname"].split("@")[0] for t in stack.tries("ingest_%") if t["hostname"]}
    assert ingest_hosts == {WORKER_INGEST, WORKER_WAREHOUSE}
    warehouse_hosts = {
        t["hostname"].split("@")[0]
        for dag in (TRANSFORM, REPORT)
        for t in stack.tries(dag)
        if t["hostname"]
    }
    assert warehouse_hosts == {WORKER_WAREHOUSE}
    # The build ran once, Asset-triggered (the fallback run skipped it), and the report after it.
    runs = stack.runs(TRANSFORM)
    assert [(r["run_type"], r["state"]) for r in runs] == [
        ("scheduled", "success"),
        ("asset_triggered", "success"),
    ]
    builds = [
        (t["run_id"], t["state"]) for t in stack.tries(TRANSFORM) if t["task_id"] == "dbt_build"
    ]
    assert ("skipped" in {state for _, state in builds}) and [
        run_id for run_id, state in builds if state == "success"
    ] == [runs[1]["run_id"]], builds
    # It started after every ingest DAG's `validate` (the task that emits the Asset) ended, it
    # consumed the five Assets, and its tasks that open the build file took the one-slot pool.
    build = runs[1]
    emitted = [
        t["end_date"]
        for t in stack.query(
            "select end_date from task_instance where dag_id like ? and task_id = 'validate'",
            "ingest_%",
        )
    ]
    assert len(emitted) == len(INGEST_DAGS)
    assert build["start_date"] >= max(emitted)
    consumed = stack.query(
        "select distinct a.uri from dagrun_asset_event e "
        "join asset_event ae on ae.id = e.event_id join asset a on a.id = ae.asset_id "
        "where e.dag_run_id = ?",
        build["id"],
    )
    assert {r["uri"] for r in consumed} == {f"capdev://raw/{code}" for code in config.platforms()}
    pools = stack.query(
        "select task_id, pool from task_instance where dag_id = ? and run_id = ? and task_id in "
        "('source_freshness', 'dbt_build', 'publish')",
        TRANSFORM,
        build["run_id"],
    )
    assert {r["pool"] for r in pools} == {"capdev_warehouse"}, pools
    (pool,) = stack.query("select slots from slot_pool where pool = 'capdev_warehouse'")
    assert pool["slots"] == 1
    # The report, Asset-triggered by the publish, started on the warehouse worker.
    assert [r["run_type"] for r in stack.runs(REPORT)] == ["asset_triggered"]

    # The published warehouse is the one the ordinary path built. The stack has done its part:
    # Airflow stops, so that the report's disclosure search and the idle services do not slow
    # the reference night (PostgreSQL stays up for the diagnostics should the comparison fail).
    published = _warehouse_rows(stack.data / "published" / "capdev.duckdb", stack.data)
    ops.stop_processes([*ops.airflow_commands()])
    reference = _warehouse_rows(reference_night.result(timeout=WAIT_SECONDS), reference_dir)
    assert published.keys() == reference.keys()
    differing = {
        name: (len(published[name]), len(reference[name]))
        for name in reference
        if published[name] != reference[name]
    }
    assert differing == {}
    assert sum(map(len, published.values())) > 0
