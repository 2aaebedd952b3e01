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
from pathlib import Path

import duckdb

from ingestion import config

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


def run_dbt(*args: str, warehouse_path: Path | None = None) -> None:
    """Run one dbt command in its own process (dbt keeps global state; a process is clean).

    Artifacts and logs go under the data folder, so a run never writes into the checkout.
    """
    dbt = Path(sys.executable).with_name("dbt")
    target = config.warehouse_dir() / "dbt"
    command = [
        str(dbt),
        *args,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(target / "target"),
        "--log-path",
        str(target / "logs"),
    ]
    log.info("running %s", " ".join(command[:3]))
    completed = subprocess.run(
        command, env=dbt_env(warehouse_path), capture_output=True, text=True, check=False
    )
    # dbt's own log is the progress report: pass it on to the task log.
    for line in completed.stdout.splitlines():
        log.info("dbt | %s", line)
    if completed.returncode != 0:
        tail = "\n".join(completed.stdout.splitlines()[-40:])
        raise BuildFailed(f"dbt {' '.join(args)} failed (exit {completed.returncode}):\n{tail}")


def build_warehouse() -> BuildResult:
    """Run ``dbt build`` into the build file, which carries incremental models and snapshots."""
    started = time.monotonic()
    target = build_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    # `dbt build` runs seeds, models, snapshots and tests in dependency order.
    run_dbt("build", warehouse_path=target)
    return BuildResult(target, time.monotonic() - started)


def publish(source: Path | None = None, destination: Path | None = None) -> Path:
    """Swap the finished build in as the published warehouse, atomically."""
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
    os.replace(staged, destination)
    log.info("published %s (%.1f MB)", destination, destination.stat().st_size / 1e6)
    return destination
