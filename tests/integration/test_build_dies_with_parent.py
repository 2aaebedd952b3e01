"""``kill -9`` of ``capdev build`` takes its dbt child with it, and the next build works.

dbt runs in a child process of the build (``ingestion.warehouse.build.run_dbt``). When the build
is killed outright (a Celery worker lost, an operator's ``kill -9``), a dbt left running would
keep the build file's DuckDB lock, and the next build would fail with ``Could not set lock on
file``. Here a real ``capdev build`` over a small raw zone is killed once dbt has started; dbt
must be gone within seconds and a second ``capdev build`` must succeed.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from fixtures_raw import write_raw_fixture  # noqa: E402

# Generous for a loaded 2-core machine; a stuck process fails the test rather than hanging it.
START_TIMEOUT = 300
DEATH_TIMEOUT = 30


def _capdev_build(data_dir: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "CAPDEV_DATA_DIR": str(data_dir)}
    return subprocess.Popen(
        [sys.executable, "-m", "ingestion.cli", "build"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        **kwargs,
    )


def _dbt_child(parent: psutil.Process) -> psutil.Process | None:
    """The dbt process the build started, once it has started."""
    for child in parent.children(recursive=True):
        try:
            if any(Path(part).name == "dbt" for part in child.cmdline()[:2]):
                return child
        except psutil.NoSuchProcess:
            continue
    return None


def test_killing_the_build_kills_dbt_and_the_next_build_gets_the_lock(data_dir):
    write_raw_fixture(data_dir)
    build = _capdev_build(data_dir)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        dbt = None
        while dbt is None:
            assert build.poll() is None, (
                f"the build ended before dbt started:\n{build.stdout.read()}"
            )
            assert time.monotonic() < deadline, "dbt never started"
            dbt = _dbt_child(psutil.Process(build.pid))
            time.sleep(0.2)
        # Let dbt open the build file (and take its lock) before the kill.
        lock_deadline = time.monotonic() + START_TIMEOUT
        build_file = data_dir / "warehouse" / "build.duckdb"
        while not build_file.exists() and time.monotonic() < lock_deadline:
            time.sleep(0.2)
        assert build_file.exists(), "dbt never opened the build file"
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        gone, alive = psutil.wait_procs([dbt], timeout=DEATH_TIMEOUT)
        assert alive == [], f"dbt (pid {dbt.pid}) outlived the killed build"
    finally:
        if build.poll() is None:
            build.kill()
        build.wait()

    again = _capdev_build(data_dir)
    output, _ = again.communicate(timeout=1800)
    assert "Could not set lock" not in output
    assert again.returncode == 0, output[-3000:]
    assert (data_dir / "published" / "capdev.duckdb").exists()
