"""Build the warehouse with dbt into the build file ``warehouse/build.duckdb``.

The one-writer rule: only the build writes DuckDB, always into the build file; readers open the
published copy (:mod:`ingestion.publish.warehouse`). The build file keeps the warehouse's state
between nights (incremental models, snapshots).
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config, secrets
from ingestion.raw.batch.states import ACCEPTED, PARTIALLY_QUARANTINED, RELEASED
from ingestion.raw.files import private_dir, write_bytes_atomic
from ingestion.raw.manifest import read_manifest
from ingestion.warehouse.dbt_results import failure_summary, freshness_results, node_results

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = config.PROJECT_ROOT / "dbt_project"
# Batch outcomes that put rows in the accepted zone or the quarantine: only they change the
# warehouse, so only they call for a build (:func:`needs_build`).
ROW_OUTCOMES = frozenset({ACCEPTED, PARTIALLY_QUARANTINED, RELEASED})
# The nightly build: `dbt build` runs seeds, models, snapshots and data tests in dependency
# order. The unit tests are left out: they check the SQL on fixture rows, which no night's data
# changes; they run with the test suite (ingestion/warehouse/dbt_unit_tests.py). The bench
# (sandbox/bench_dbt.py) times this same command.
BUILD_ARGS = ("build", "--exclude", "test_type:unit")


class BuildFailed(RuntimeError):
    """dbt reported an error; the published warehouse is left as it was."""


@dataclass(frozen=True)
class BuildResult:
    build_file: Path
    seconds: float


def build_file() -> Path:
    return config.warehouse_dir() / "build.duckdb"


def dbt_env(warehouse_path: Path | None = None) -> dict[str, str]:
    """Environment for a dbt process: the raw zone root, the file to write and the checked
    pseudonymization key (:func:`ingestion.secrets.pseudonym_key` raises
    :class:`~ingestion.secrets.SecretsError` for a missing or development key outside demo/test
    mode), passed explicitly so dbt never falls back to its development default."""
    return {
        **os.environ,
        "CAPDEV_DATA_DIR": str(config.data_dir()),
        "CAPDEV_WAREHOUSE_PATH": str(warehouse_path or build_file()),
        secrets.PSEUDONYM_KEY_ENV: secrets.pseudonym_key(),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_target_dir() -> Path:
    """Where dbt writes its artifacts (run_results.json, manifest.json, sources.json)."""
    return config.warehouse_dir() / "dbt" / "target"


# prctl(2) option: the signal the kernel sends a process when its parent dies.
_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int):
    """A ``preexec_fn`` that makes the child die (SIGKILL) as soon as its parent does.

    Without it, a ``kill -9`` of the build (a Celery worker lost, an operator's kill) leaves dbt
    running, holding the build file's DuckDB lock, and the next build fails with ``Could not set
    lock on file``. Linux only (prctl); elsewhere the child is left as before. The kernel ties
    the signal to the *thread* that started the child: call :func:`run_dbt` from a thread that
    lives as long as dbt does (the main thread of ``capdev build`` and of an Airflow task do).
    """

    def preexec() -> None:
        try:
            libc = ctypes.CDLL(None, use_errno=True)
        except OSError:  # not Linux: no prctl
            return
        if libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
            return
        # The parent may have died between fork and prctl: then nobody would send the signal.
        if os.getppid() != parent_pid:
            os._exit(1)

    return preexec if sys.platform.startswith("linux") else None


def run_dbt(
    *args: str,
    warehouse_path: Path | None = None,
    check: bool = True,
    target_dir: Path | None = None,
) -> subprocess.CompletedProcess:
    """Run one dbt command in its own process (dbt keeps global state; a process is clean).

    Artifacts and logs go under the data folder (``target_dir``, default the build's
    :func:`dbt_target_dir`), so a run never writes into the checkout.
    With ``check`` a non-zero exit raises :class:`BuildFailed` with the end of dbt's log.
    """
    dbt = Path(sys.executable).with_name("dbt")
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target_dir or dbt_target_dir()),
        "--log-path",
        str((target_dir or dbt_target_dir()).parent / "logs"),
    ]
    log.info("running %s", " ".join(command[:3]))
    # dbt's own log is the progress report: pass each line on to the task log as it comes.
    lines: list[str] = []
    with subprocess.Popen(
        command,
        env=dbt_env(warehouse_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        bufsize=1,
        preexec_fn=_die_with_parent(os.getpid()),
    ) as process:
        for line in process.stdout or []:
            line = line.rstrip("\n")
            lines.append(line)
            log.info("dbt | %s", line)
    completed = subprocess.CompletedProcess(command, process.returncode, "\n".join(lines), "")
    if check and completed.returncode != 0:
        raise BuildFailed(_failure_text(args, completed))
    return completed


def _failure_text(args: tuple[str, ...], completed: subprocess.CompletedProcess) -> str:
    tail = "\n".join(completed.stdout.splitlines()[-40:])
    return f"dbt {' '.join(args)} failed (exit {completed.returncode}):\n{tail}"


def _full_refresh_flag() -> Path:
    return config.warehouse_dir() / "full_refresh_requested"


def request_full_refresh() -> None:
    """Make the next build a full refresh (after an erasure: incremental models forget too)."""
    private_dir(config.warehouse_dir())
    _full_refresh_flag().touch()


def build_warehouse(full_refresh: bool = False) -> BuildResult:
    """Run ``dbt build`` into the build file, which carries incremental models and snapshots.

    ``full_refresh`` rebuilds incremental models from the whole raw zone (after a change to
    such a model, or to re-key everything after rotating the pseudonymization key).
    On failure the exception names every failed model and test (from dbt's run results).
    """
    started = time.monotonic()
    started_at = datetime.now(UTC)
    target = build_file()
    private_dir(target.parent)  # the build file is the private tier: names, e-mails, ids
    (dbt_target_dir() / "run_results.json").unlink(missing_ok=True)  # never read a stale one
    requested = _full_refresh_flag().exists()
    args = BUILD_ARGS + (("--full-refresh",) if full_refresh or requested else ())
    completed = run_dbt(*args, warehouse_path=target, check=False)
    if target.exists():
        target.chmod(0o600)
    if completed.returncode != 0:
        try:
            failed = failure_summary(node_results(dbt_target_dir()))
        except FileNotFoundError:  # dbt stopped before running anything (e.g. a parse error)
            failed = ""
        if not failed:
            raise BuildFailed(_failure_text(("build",), completed))
        raise BuildFailed(f"dbt build failed (exit {completed.returncode}); failed:\n{failed}")
    _full_refresh_flag().unlink(missing_ok=True)  # done: the next build is incremental again
    # What this build read was in the raw zone when it started (needs_build's reference).
    marker = {"started_at": started_at.isoformat()}
    write_bytes_atomic(json.dumps(marker).encode("utf-8"), _last_build_marker())
    return BuildResult(target, time.monotonic() - started)


def check_source_freshness() -> list[dict]:
    """Run ``dbt source freshness`` and return one row per source table (status, hours since
    the last landed batch). Stale sources are reported, never raised: the nightly build goes on
    with the platforms that did load (docs/operations.md)."""
    (dbt_target_dir() / "sources.json").unlink(missing_ok=True)
    run_dbt("source", "freshness", warehouse_path=build_file(), check=False)
    return freshness_results(dbt_target_dir())


def _last_build_marker() -> Path:
    return config.warehouse_dir() / "last_build.json"


def needs_build() -> bool:
    """Whether the warehouse must be built: a batch was accepted (rows reached ``accepted/`` or
    the quarantine: accepted, partially quarantined, released) since the build that produced
    the published warehouse began, or a full refresh was requested (an erasure).

    Nothing published yet: whether any batch was accepted at all. Empty, unchanged, duplicate,
    ignored and rejected batches change no row of the warehouse and never call for a build. The
    reference is the earlier of the published file's time and the start of the last successful
    build, so a batch accepted while a build ran (after dbt had read the raw zone) is built the
    next time.
    """
    if _full_refresh_flag().exists():
        return True
    published = config.published_warehouse()
    since = datetime.fromtimestamp(published.stat().st_mtime, UTC) if published.exists() else None
    marker = _last_build_marker()
    if since is not None and marker.exists():
        started = json.loads(marker.read_text(encoding="utf-8")).get("started_at")
        if started:
            since = min(since, datetime.fromisoformat(started))
    for record in read_manifest():
        finished = record.get("finished_at")
        if not finished or record.get("status") not in ROW_OUTCOMES:
            continue
        if since is None or datetime.fromisoformat(str(finished)) > since:
            return True
    return False
