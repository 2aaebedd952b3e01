"""Build the warehouse with dbt into a build file, then publish it by atomic rename.

The one-writer rule: only these steps write DuckDB, always into ``warehouse/build.duckdb``;
readers open ``published/capdev.duckdb`` read-only and see the last complete build, because a
rename swaps the whole file at once.

The build file keeps the warehouse's state between nights (incremental models, snapshots); the
published copy leaves out the schemas that hold names and e-mails (staging, intermediate).
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.dbt_results import failure_summary, freshness_results, node_results
from ingestion.manifest import read_manifest

log = logging.getLogger(__name__)

DBT_PROJECT_DIR = config.PROJECT_ROOT / "dbt_project"

# Schemas with names and e-mails (and views over the raw zone): never published.
PRIVATE_SCHEMAS = ("staging", "intermediate")


class BuildFailed(RuntimeError):
    """dbt reported an error; the published warehouse is left as it was."""


@dataclass(frozen=True)
class BuildResult:
    build_file: Path
    seconds: float


def build_file() -> Path:
    return config.warehouse_dir() / "build.duckdb"


def dbt_env(warehouse_path: Path | None = None) -> dict[str, str]:
    """Environment for a dbt process: the raw zone root and the file to write."""
    return {
        **os.environ,
        "CAPDEV_DATA_DIR": str(config.data_dir()),
        "CAPDEV_WAREHOUSE_PATH": str(warehouse_path or build_file()),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


def dbt_target_dir() -> Path:
    """Where dbt writes its artifacts (run_results.json, manifest.json, sources.json)."""
    return config.warehouse_dir() / "dbt" / "target"


def run_dbt(
    *args: str, warehouse_path: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    """Run one dbt command in its own process (dbt keeps global state; a process is clean).

    Artifacts and logs go under the data folder, so a run never writes into the checkout.
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
        str(dbt_target_dir()),
        "--log-path",
        str(dbt_target_dir().parent / "logs"),
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


def build_warehouse(full_refresh: bool = False) -> BuildResult:
    """Run ``dbt build`` into the build file, which carries incremental models and snapshots.

    ``full_refresh`` rebuilds incremental models from the whole raw zone (after a change to
    such a model, or to re-key everything after rotating the pseudonymization key).
    On failure the exception names every failed model and test (from dbt's run results).
    """
    started = time.monotonic()
    target = build_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    (dbt_target_dir() / "run_results.json").unlink(missing_ok=True)  # never read a stale one
    # `dbt build` runs seeds, models, snapshots and tests in dependency order.
    args = ("build", "--full-refresh") if full_refresh else ("build",)
    completed = run_dbt(*args, warehouse_path=target, check=False)
    if completed.returncode != 0:
        try:
            failed = failure_summary(node_results(dbt_target_dir()))
        except FileNotFoundError:  # dbt stopped before running anything (e.g. a parse error)
            failed = ""
        if not failed:
            raise BuildFailed(_failure_text(("build",), completed))
        raise BuildFailed(f"dbt build failed (exit {completed.returncode}); failed:\n{failed}")
    return BuildResult(target, time.monotonic() - started)


def check_source_freshness() -> list[dict]:
    """Run ``dbt source freshness`` and return one row per source table (status, hours since
    the last landed batch). Stale sources are reported, never raised: the nightly build goes on
    with the platforms that did load (docs/operations.md)."""
    (dbt_target_dir() / "sources.json").unlink(missing_ok=True)
    run_dbt("source", "freshness", warehouse_path=build_file(), check=False)
    return freshness_results(dbt_target_dir())


def needs_build() -> bool:
    """Whether a batch was validated after the published warehouse was written (with nothing
    published yet: whether any batch was validated at all)."""
    published = config.published_warehouse()
    built_at = (
        datetime.fromtimestamp(published.stat().st_mtime, UTC) if published.exists() else None
    )
    for record in read_manifest():
        finished = record.get("finished_at")
        if not finished or record.get("rows_accepted") is None:
            continue  # landed, not validated yet (or nothing to validate)
        if built_at is None or datetime.fromisoformat(str(finished)) > built_at:
            return True
    return False


def publish(source: Path | None = None, destination: Path | None = None) -> Path:
    """Swap the finished build in as the published warehouse, atomically.

    The warehouse it replaces is kept in ``published/history/`` (the last ``CAPDEV_KEEP_BUILDS``,
    default 3), so a bad night can be undone with :func:`restore`.
    """
    source = source or build_file()
    destination = destination or config.published_warehouse()
    if not source.exists():
        raise FileNotFoundError(f"no build to publish at {source}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_suffix(".duckdb.incoming")
    # Copy, then rename within the published folder: rename is atomic only on one filesystem.
    shutil.copy2(source, staged)
    with duckdb.connect(str(staged)) as con:
        for schema in PRIVATE_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade").fetchall()
        con.execute("checkpoint").fetchall()
    _swap_in(staged, destination)
    log.info("published %s (%.1f MB)", destination, destination.stat().st_size / 1e6)
    return destination


def history_dir(destination: Path | None = None) -> Path:
    return (destination or config.published_warehouse()).parent / "history"


def previous_builds(destination: Path | None = None) -> list[Path]:
    """Warehouses published before the current one, newest first."""
    return sorted(history_dir(destination).glob("capdev-*.duckdb"), reverse=True)


def restore(build: Path | None = None, destination: Path | None = None) -> Path:
    """Publish a previous warehouse again (the newest kept one unless ``build`` is given).

    The warehouse it replaces goes to the history too, so a restore can itself be undone. Only
    the published file changes: the next build starts from the build file as usual.
    """
    destination = destination or config.published_warehouse()
    kept = previous_builds(destination)
    chosen = build or (kept[0] if kept else None)
    if chosen is None or not chosen.exists():
        raise FileNotFoundError(
            f"no previous warehouse to restore in {history_dir(destination)}"
            if chosen is None
            else f"no such kept warehouse: {chosen}"
        )
    staged = destination.with_suffix(".duckdb.incoming")
    shutil.copy2(chosen, staged)
    _swap_in(staged, destination)
    log.info("restored %s as %s", chosen.name, destination)
    return destination


def _swap_in(staged: Path, destination: Path) -> None:
    """Rename ``staged`` over ``destination``, keeping the replaced file in the history."""
    if destination.exists():
        history = history_dir(destination)
        history.mkdir(exist_ok=True)
        built = datetime.fromtimestamp(destination.stat().st_mtime, UTC)
        kept = history / f"capdev-{built:%Y%m%dT%H%M%S%f}.duckdb"
        if not kept.exists():
            # A hard link costs no copy; readers of the old file are not disturbed.
            os.link(destination, kept)
    os.replace(staged, destination)
    keep = int(os.environ.get("CAPDEV_KEEP_BUILDS", "3"))
    for old in previous_builds(destination)[keep:]:
        old.unlink()
