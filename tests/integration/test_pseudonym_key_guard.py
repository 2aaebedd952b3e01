"""A dbt run by hand, bypassing the pipeline's key check, still refuses the development key.

The project's dbt-duckdb plugin (``ingestion/warehouse/duckdb_plugin.py``), which registers the
pseudonymization function, checks the key when dbt opens its connection: no key, a placeholder
or the development key stop the run unless demo/test mode is on. Runs the real dbt on one small
seed into a scratch file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from ingestion.secrets import ALLOW_DEV_KEY_ENV, PSEUDONYM_KEY_ENV
from ingestion.warehouse.build import DBT_PROJECT_DIR


def _dbt_seed(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in (ALLOW_DEV_KEY_ENV, PSEUDONYM_KEY_ENV)}
    target = tmp_path / "target"
    return subprocess.run(
        [
            str(Path(sys.executable).with_name("dbt")),
            "seed",
            "--select",
            "gender_codes",
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(tmp_path / "logs"),
        ],
        env={
            **base,
            "CAPDEV_DATA_DIR": str(tmp_path / "data"),
            "CAPDEV_WAREHOUSE_PATH": str(tmp_path / "scratch.duckdb"),
            **env,
        },
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("key", [None, "change-me-pseudonym-key"])
def test_a_hand_run_without_a_real_key_stops(tmp_path, key):
    done = _dbt_seed(tmp_path, **({PSEUDONYM_KEY_ENV: key} if key else {}))
    assert done.returncode != 0
    assert PSEUDONYM_KEY_ENV in done.stdout and ALLOW_DEV_KEY_ENV in done.stdout  # says how
    scratch = tmp_path / "scratch.duckdb"
    if scratch.exists():  # dbt may have connected before the hook stopped it: nothing written
        with duckdb.connect(str(scratch), read_only=True) as con:
            assert con.execute("select count(*) from duckdb_tables()").fetchall() == [(0,)]


def test_a_real_key_or_test_mode_runs(tmp_path):
    done = _dbt_seed(tmp_path, **{PSEUDONYM_KEY_ENV: "9c" * 32})
    assert done.returncode == 0, done.stdout[-2000:]
    done = _dbt_seed(tmp_path, **{ALLOW_DEV_KEY_ENV: "1"})
    assert done.returncode == 0, done.stdout[-2000:]
