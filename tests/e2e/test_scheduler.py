"""Backfills under a real Airflow scheduler on the small deployment (LocalExecutor, SQLite).

No ``dag.test()`` here: one Airflow 3 stack for the module (``airflow scheduler``,
``airflow dag-processor`` and ``airflow api-server``, LocalExecutor on SQLite) in its own Airflow
home and data folder, with the session's sandbox servers as the platforms. The test acts on it
as an operator would, through the ``airflow`` CLI (unpause, backfill), and watches it through
its metadata database (read-only): ``airflow backfill create`` over three dates works, and
running it a second time (``--reprocess-behavior completed``) leaves the raw zone and the
manifest exactly as they were.

The night under a scheduler (the Asset chain: the build waits for all five ingest DAGs, four
are not enough) is checked on the production stack, with its faults: ``test_celery_stack.py``,
which reuses this module's operator helpers (:class:`AirflowStack`).
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from ingestion import config
from sandbox.demo import DAGS_DIR, airflow_env, deliver_drops

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

AIRFLOW = Path(sys.executable).with_name("airflow")
INGEST_DAGS = [f"ingest_{code}" for code in config.platforms()]
TRANSFORM = "transform_warehouse"
# Generous for a loaded 2-core machine, bounded so that a stuck scheduler fails the test.
WAIT_SECONDS = 600
FINISHED = ("success", "failed")


class AirflowStack:
    """Airflow's processes in one home; CLI calls; read-only queries on its metadata database."""

    def __init__(self, home: Path, data: Path, env: dict[str, str], api_url: str):
        self.home, self.data, self.env, self.api_url = home, data, env, api_url
        self.db = home / "airflow.db"
        self.procs: dict[str, subprocess.Popen] = {}

    def cli(self, *args: str, timeout: float = 300, check: bool = True) -> str:
        """Run an ``airflow`` command; its stdout (with ``check=False``, stdout and stderr)."""
        for attempt in range(3):
            done = subprocess.run(
                [str(AIRFLOW), *args],
                env=self.env,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
            # SQLite has one writer: under load a command can time out on the scheduler's lock
            # (its transaction is rolled back, so running it again is safe; `backfill create`
            # may have committed part of its work before, which _backfill allows for).
            if done.returncode == 0 or "database is locked" not in done.stdout + done.stderr:
                break
            time.sleep(5 * (attempt + 1))
        if check and done.returncode != 0:
            pytest.fail(
                f"`airflow {' '.join(args)}` exited with {done.returncode}:\n"
                f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
            )
        return done.stdout if check else done.stdout + done.stderr

    def start(self, name: str, *args: str) -> None:
        """One Airflow component in its own process group (its workers die with it)."""
        with (self.home / f"{name}.log").open("w") as log:
            self.procs[name] = subprocess.Popen(
                [str(AIRFLOW), *args],
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        for proc in self.procs.values():
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.procs.values():
            with suppress(subprocess.TimeoutExpired):
                proc.wait(timeout=max(1.0, deadline - time.monotonic()))
            _signal_group(proc, signal.SIGKILL)  # stragglers: task runners, API workers
            proc.wait()

    def query(self, sql: str, *params) -> list[dict]:
        with closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=30)) as con:
            con.row_factory = sqlite3.Row
            return [dict(row) for row in con.execute(sql, params)]

    def runs(self, dag_id: str) -> list[dict]:
        return self.query(
            "select id, run_id, run_type, state, logical_date, start_date, end_date, backfill_id "
            "from dag_run where dag_id = ? order by id",
            dag_id,
        )

    def wait_for(self, condition: Callable[[], object], what: str, timeout: float = WAIT_SECONDS):
        """Poll until ``condition()`` is truthy; fail with the components' logs if it never is."""
        deadline = time.monotonic() + timeout
        while True:
            dead = {name: p.returncode for name, p in self.procs.items() if p.poll() is not None}
            if dead:
                pytest.fail(
                    f"Airflow component(s) exited {dead} while waiting for {what}\n"
                    + self.diagnostics()
                )
            try:
                result = condition()
            except sqlite3.OperationalError:  # the database is busy: ask again
                result = None
            if result:
                return result
            if time.monotonic() > deadline:
                pytest.fail(
                    f"timed out after {timeout:.0f}s waiting for {what}\n" + self.diagnostics()
                )
            time.sleep(2)

    def diagnostics(self) -> str:
        """The tails of the components' logs and of the task logs that mention an error."""
        parts = []
        for name in self.procs:
            parts.append(f"----- {name}.log -----\n{_tail(self.home / f'{name}.log', 40)}")
        task_logs = sorted(
            (self.home / "logs").glob("dag_id=*/**/*.log"), key=lambda p: p.stat().st_mtime
        )
        failed = [p for p in task_logs if '"level":"error"' in p.read_text(errors="replace")]
        for path in failed[-3:]:
            parts.append(f"----- {path.relative_to(self.home)} -----\n{_tail(path, 30)}")
        try:
            runs = self.query(
                "select dag_id, run_id, run_type, state, start_date, end_date from dag_run "
                "order by id"
            )
            parts.append("----- dag runs -----\n" + "\n".join(str(r) for r in runs))
        except sqlite3.Error as exc:
            parts.append(f"(could not read the dag runs: {exc})")
        return "\n".join(parts)


def _signal_group(proc: subprocess.Popen, sig: int) -> None:
    with suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)


def _tail(path: Path, lines: int) -> str:
    if not path.exists():
        return "(no log)"
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_dags(stack, expected: set[str]) -> None:
    """Wait until the DAG processor has parsed the ``expected`` DAGs into ``stack``'s metadata
    database; fail at once if the DAGs folder does not import."""

    def dags_parsed():
        errors = stack.query("select filename, stacktrace from import_error")
        if errors:
            pytest.fail(f"the DAGs folder does not import: {errors}")
        return expected <= {r["dag_id"] for r in stack.query("select dag_id from dag")}

    stack.wait_for(dags_parsed, "the DAG processor to parse the DAGs")


def _port_open(port: int) -> bool:
    with closing(socket.socket()) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _when(value: str | None) -> datetime | None:
    """A timestamp as Airflow stores it in SQLite."""
    if value is None:
        return None
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@pytest.fixture(scope="module")
def airflow_stack(sandbox_tree, sandbox_servers, tmp_path_factory, request):
    """A running Airflow 3 stack over a fresh data folder, its inboxes filled with the drops."""
    data = tmp_path_factory.mktemp("scheduler") / "data"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DATA_DIR", str(data))
        env = airflow_env(sandbox_servers)  # Airflow home <data>/airflow, connections to sandbox
        deliver_drops(sandbox_tree)
    home = Path(env["AIRFLOW_HOME"])
    (home / "config").mkdir(parents=True)
    # SQLite has one writer at a time and Python waits 5 s for its lock by default; the
    # scheduler, the API server, the tasks and the CLI all write, so wait longer (but not
    # much: two API requests can block each other until one of them times out).
    (home / "config" / "capdev_sqlite.py").write_text('CONNECT_ARGS = {"timeout": 20}\n')
    port = _free_port()
    env.update(
        {
            "PATH": os.pathsep.join([str(AIRFLOW.parent), os.environ.get("PATH", "")]),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS": "capdev_sqlite.CONNECT_ARGS",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONNECT_ARGS_ASYNC": "capdev_sqlite.CONNECT_ARGS",
            "PYTHONPATH": os.pathsep.join([str(home / "config"), env["PYTHONPATH"]]),
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            # a real scheduler runs the DAGs as deployed, morning deadlines included
            "CAPDEV_DEADLINE_ALERTS": "on",
            "AIRFLOW__CORE__PARALLELISM": "4",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{port}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API__SECRET_KEY": secrets.token_hex(16),
            # The scheduler signs the tasks' tokens, the API server checks them: one secret.
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            # No login: the REST API (used to mark a run done) takes every caller as admin.
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            # The scheduler's task-log server: a free port, not 8793 (other stacks may run).
            "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(_free_port()),
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            # Files are listed and parsed once: no DAG file comes, goes or changes during the
            # test, and each re-parse would cost CPU the other test modules need.
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "600",
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "2",
            "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
            "CAPDEV_TASK_RETRIES": "0",
        }
    )
    stack = AirflowStack(home, data, env, f"http://127.0.0.1:{port}")
    failed_before = request.session.testsfailed
    try:
        stack.cli("db", "migrate", timeout=900)
        stack.cli("pools", "import", str(DAGS_DIR / "pools.json"))
        stack.start("api-server", "api-server")
        stack.start("dag-processor", "dag-processor")
        stack.start("scheduler", "scheduler")
        wait_for_dags(stack, {*INGEST_DAGS, TRANSFORM})
        stack.wait_for(lambda: _port_open(port), "the API server to listen")
        yield stack
    finally:
        stack.stop()
        if request.session.testsfailed > failed_before:
            print("\n" + stack.diagnostics())


def _unpause(stack: AirflowStack, *dag_ids: str) -> None:
    pattern = "^(" + "|".join(dag_ids) + ")$"
    stack.cli("dags", "unpause", "--treat-dag-id-as-regex", "-y", pattern)


BACKFILL_TIME = "02:00:00+00:00"  # the DAG's schedule: "0 2 * * *"
BACKFILL_DAG = "ingest_tsb_events"
BACKFILL_PLATFORM = "tsb_events"


def _settled(stack: AirflowStack, dag_id: str) -> bool:
    """Every time-based run of the DAG that was due has been created, and none is still going."""
    (dag,) = stack.query("select next_dagrun_create_after from dag where dag_id = ?", dag_id)
    due = _when(dag["next_dagrun_create_after"])
    caught_up = due is None or due > datetime.now(UTC)
    return caught_up and all(r["state"] in FINISHED for r in stack.runs(dag_id))


def _nights_with_new_events(sandbox_tree: Path) -> tuple[str, str, str]:
    """Three consecutive nights (logical dates at 02:00 UTC) with new TSB events for the first
    and the third only, read from the sandbox's own events: the latest such triple. A night
    pulls what was updated since the previous night's watermark, up to its logical date."""
    events = json.loads((sandbox_tree / "tsb_events" / "events.json").read_text())
    updates = sorted(datetime.fromisoformat(e["updated_at"]) for e in events if e.get("updated_at"))
    night = datetime.fromisoformat(f"{updates[-1].date()}T{BACKFILL_TIME}") + timedelta(days=1)
    day = timedelta(days=1)

    def between(start: datetime, end: datetime) -> int:
        return sum(start <= u < end for u in updates)

    while night - 2 * day > updates[0]:
        third, second, first = night, night - day, night - 2 * day
        if between(second, third) and not between(first, second) and between(updates[0], first):
            return tuple(f"{n.date()}" for n in (first, second, third))
        night -= day
    pytest.fail("the sandbox has no three nights with new TSB events on the first and third only")


def _backfill(stack: AirflowStack, dates: tuple[str, ...]) -> dict:
    """One ``airflow backfill create`` over the three dates, run to its end; its record.

    Judged by its effect, not its exit code. On SQLite (one writer) under load the command can
    commit the backfill row, then fail on the database lock before it records all the
    backfill's runs (on SQLite each date's savepoint can commit on its own, so the dates before
    the failure can stay recorded; seen once in CI, with two of three dates):
    `cli` runs it again, which finds "another backfill is running" (the one it made), and that
    backfill completes with some dates missing, or none recorded. Such a half-made backfill is
    created again (at most three times); a backfill that recorded every date is returned as it
    ran, whatever the state of its runs.
    """
    outputs = []
    for _ in range(3):
        previous = {r["id"] for r in stack.query("select id from backfill")}
        outputs.append(
            stack.cli(
                "backfill",
                "create",
                "--dag-id",
                BACKFILL_DAG,
                # The logical dates themselves: a bare `--to-date 2026-02-08` means midnight,
                # which leaves out that day's 02:00 run.
                "--from-date",
                f"{dates[0]}T{BACKFILL_TIME}",
                "--to-date",
                f"{dates[-1]}T{BACKFILL_TIME}",
                "--reprocess-behavior",
                "completed",
                # Sequential: each date's pull starts from the watermark the previous date
                # recorded.
                "--max-active-runs",
                "1",
                check=False,
            )
        )
        created = [
            r
            for r in stack.query("select * from backfill where dag_id = ?", BACKFILL_DAG)
            if r["id"] not in previous
        ]
        assert len(created) == 1, f"expected one new backfill, found {created}:\n{outputs[-1]}"
        (backfill,) = created
        stack.wait_for(
            lambda backfill_id=backfill["id"]: stack.query(
                "select completed_at from backfill where id = ? and completed_at is not null",
                backfill_id,
            ),
            f"backfill {backfill['id']} of {BACKFILL_DAG} to complete",
        )
        runs = stack.query(
            "select b.logical_date, b.exception_reason, r.state, r.run_type, r.backfill_id, "
            "r.start_date, r.end_date from backfill_dag_run b left join dag_run r "
            "on r.id = b.dag_run_id where b.backfill_id = ? order by b.sort_ordinal",
            backfill["id"],
        )
        if len(runs) == len(dates):
            return {**backfill, "runs": runs}
    pytest.fail(
        f"three backfills did not record all {len(dates)} dates:\n"
        + "\n---\n".join(o[-2000:] for o in outputs)
    )


def _snapshot(data: Path, dates: tuple[str, ...]) -> dict:
    """The three dates' batches: landed, accepted and quarantined rows without their load time,
    archived bytes, and manifest records without their timings."""
    platform = BACKFILL_PLATFORM
    partitions = [f"load_date={day}" for day in dates]
    tags = [day.replace("-", "") for day in dates]
    snap: dict = {"rows": {}, "archive": {}, "manifest": {}}
    files = [
        p
        for zone in ("raw/landed", "raw/accepted")
        for p in (data / zone / platform).glob("*/*/*.parquet")
        if p.parent.name in partitions
    ]
    files += [
        p
        for p in (data / "quarantine" / platform).glob("*/*.parquet")
        if any(f"__{tag}" in p.stem for tag in tags)
    ]
    for path in sorted(files):
        rows = duckdb.sql(
            f"select * exclude (_loaded_at) from read_parquet('{path}') order by all"
        ).fetchall()
        snap["rows"][str(path.relative_to(data))] = rows
    for path in sorted((data / "raw/archive" / platform).rglob("*")):
        if path.is_file() and any(part in partitions for part in path.parts):
            snap["archive"][str(path.relative_to(data))] = hashlib.sha256(
                path.read_bytes()
            ).hexdigest()
    for path in sorted((data / "manifest" / platform).glob("*/*.json")):
        record = json.loads(path.read_text())
        if record["load_date"] in dates:
            snap["manifest"][record["batch_id"]] = record
    return snap


# the manifest's times (checked_at: when a pull found nothing new), which a rerun changes
TIMINGS = ("started_at", "finished_at", "checked_at")


def _without_timings(snap: dict) -> dict:
    manifest = {
        batch: {k: v for k, v in record.items() if k not in TIMINGS}
        for batch, record in snap["manifest"].items()
    }
    return {**snap, "manifest": manifest}


def test_a_backfill_over_three_dates_twice_in_a_row_leaves_identical_results(
    airflow_stack, sandbox_tree
):
    stack = airflow_stack
    dates = _nights_with_new_events(sandbox_tree)
    if stack.query("select 1 from dag where dag_id = ? and is_paused", BACKFILL_DAG):
        _unpause(stack, BACKFILL_DAG)  # a paused DAG's backfill runs never start
    # Unpausing starts the DAG's latest nightly run at once (catchup=False): let it end before
    # the backfill, as an operator's backfill follows a night that is over. (With both at once,
    # on SQLite, the scheduler was once seen to crash on Airflow's own deadline bookkeeping.)
    stack.wait_for(lambda: _settled(stack, BACKFILL_DAG), "the latest nightly run to end")

    first = _backfill(stack, dates)
    assert [r["logical_date"][:10] for r in first["runs"]] == list(dates)
    assert [(r["state"], r["exception_reason"]) for r in first["runs"]] == [("success", None)] * 3
    before = _snapshot(stack.data, dates)

    # what the three nights pulled: everything up to the first, nothing new on the second
    landed = {(m["entity"], m["load_date"]): m["rows_in"] for m in before["manifest"].values()}
    assert set(landed) == {(entity, day) for entity in ("events", "registrations") for day in dates}
    assert landed[("events", dates[0])] > 0
    assert landed[("events", dates[1])] == 0
    assert landed[("events", dates[2])] > 0

    second = _backfill(stack, dates)
    assert second["id"] != first["id"]
    # the same three runs, cleared and run again under the second backfill
    assert [r["logical_date"][:10] for r in second["runs"]] == list(dates)
    assert [(r["state"], r["exception_reason"], r["backfill_id"]) for r in second["runs"]] == [
        ("success", None, second["id"])
    ] * 3
    assert all(_when(r["start_date"]) >= _when(second["created_at"]) for r in second["runs"]), (
        "a run of the second backfill did not run again"
    )
    after = _snapshot(stack.data, dates)

    assert _without_timings(after) == _without_timings(before)
    # ... and the batches were really written again, not left alone
    for batch, record in after["manifest"].items():
        assert record["finished_at"] > before["manifest"][batch]["finished_at"], batch
