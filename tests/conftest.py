"""Shared fixtures: a throwaway Airflow home and data folder, the sandbox and its servers.

Airflow reads AIRFLOW_HOME when first imported, so it is set here, before any test imports it.
Nothing a test does writes into the checkout: every path is under a session temp folder.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Airflow puts the DAGs folder on sys.path when it parses DAGs; a DagBag built in a test must too
# (the DAG files share dags/capdev_defaults.py).
sys.path.insert(0, str(ROOT / "dags"))
SESSION_DIR = Path(tempfile.mkdtemp(prefix="capdev-tests-"))

os.environ["AIRFLOW_HOME"] = str(SESSION_DIR / "airflow")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__LOGGING__BASE_LOG_FOLDER"] = str(SESSION_DIR / "airflow" / "logs")
os.environ.setdefault("CAPDEV_DATA_DIR", str(SESSION_DIR / "data"))
os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
os.environ["CAPDEV_TASK_RETRIES"] = "0"  # a failing task fails the test at once
# Test mode: the pipeline may hash with the public development pseudonymization key
# (ingestion/secrets.py); tests of the refusal switch it off with monkeypatch.
os.environ["CAPDEV_ALLOW_DEV_KEY"] = "1"
# dag.test() cannot finish a run that carries a deadline (dags/capdev_defaults.py); tests that
# run a real scheduler, or check the deadline itself, switch it back on.
os.environ["CAPDEV_DEADLINE_ALERTS"] = "off"

# Property-based tests explore new examples on a developer's machine; in CI they replay a fixed
# sequence, so a red CI is a failure anyone can reproduce, never a lucky draw.
try:
    from hypothesis import settings as _hypothesis_settings

    _hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
    if os.environ.get("CI"):
        _hypothesis_settings.load_profile("ci")
except ImportError:  # pragma: no cover - hypothesis is a dev dependency
    pass

# Small enough for a fast suite, large enough that every platform, cross-platform people and
# duplicated activities appear.
TEST_SCALE = 0.03
TEST_SEED = 7


def pytest_collection_modifyitems(config, items):
    """Long modules first (marked ``slow``, or end to end): with ``--dist loadfile
    --no-loadscope-reorder`` (the Makefile) each worker takes whole files in collection order, so
    a long module collected last would leave the other workers idle at the end of the run.
    (xdist's default reorders files by their number of tests, which put the one-test stack
    module near the end.)"""
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("CAPDEV_KEEP_TEST_DATA"):
        print(f"\ntest data kept in {SESSION_DIR}")
        return
    shutil.rmtree(SESSION_DIR, ignore_errors=True)


@pytest.fixture(scope="session")
def sandbox_tree() -> Path:
    """A sandbox generated once per session (read-only for tests: copy before changing)."""
    from sandbox.generator import generate

    out = SESSION_DIR / "sandbox"
    generate(out, seed=TEST_SEED, scale=TEST_SCALE)
    return out


@pytest.fixture(scope="session")
def sandbox_servers(sandbox_tree):
    """The three sandbox API servers, fault-free, on free loopback ports."""
    from sandbox.servers import start_server

    servers = {
        code: start_server(code, sandbox_tree) for code in ("academy", "tsb_events", "gs_lrs")
    }
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A fresh, empty pipeline data folder for one test."""
    path = tmp_path / "data"
    path.mkdir()
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(path))
    return path


@pytest.fixture(scope="session")
def airflow_db() -> Path:
    """A migrated Airflow metadata database (SQLite) in the session's Airflow home, with the
    project's pools (dags/pools.json)."""
    airflow = str(Path(sys.executable).with_name("airflow"))
    pools = Path(__file__).parents[1] / "dags" / "pools.json"
    for args in (["db", "migrate"], ["pools", "import", str(pools)]):
        subprocess.run([airflow, *args], check=True, capture_output=True, env=os.environ.copy())
    return Path(os.environ["AIRFLOW_HOME"])


@pytest.fixture(scope="session")
def published_sandbox(sandbox_tree, tmp_path_factory) -> Path:
    """The data folder of the test sandbox taken through the real pipeline once for the whole
    run: every platform ingested, the whole ``dbt build``, published, with its dbt docs.

    Read-only for tests (copy before changing). Built once across xdist workers: the first
    worker to need it builds it under a lock in the run's shared temp folder, the others wait
    and reuse it (the sandbox is generated from the same seed in every worker)."""
    from ingestion.publish.docs import generate_docs
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse
    from sandbox.bench import ingest_sandbox

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    data = shared / "published-sandbox" / "data"
    with open(shared / "published-sandbox.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not (data.parent / "complete").exists():
            shutil.rmtree(data, ignore_errors=True)  # a worker that failed half-way
            with pytest.MonkeyPatch.context() as mp:
                mp.setenv("CAPDEV_DATA_DIR", str(data))
                ingest_sandbox(sandbox_tree, datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
                publish(build_warehouse().build_file)
                generate_docs()
            (data.parent / "complete").touch()
    return data
