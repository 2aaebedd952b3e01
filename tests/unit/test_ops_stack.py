"""ops.stack's settings: the compose file's Airflow environment, translated to one machine.

The processes themselves are started by ``tests/e2e/test_celery_stack.py``; here, what they are
given: every variable of the compose file's ``x-airflow-common`` block, interpolated as
``docker compose`` would from ``.env``-shaped settings, with nothing left that only exists on a
container network.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from ingestion.secrets import check_deployment_secrets
from ops.stack import (
    COMPOSE_FILE,
    Ports,
    Stack,
    StackError,
    interpolate,
    local_settings,
    read_env_file,
)


def test_interpolation_follows_compose():
    settings = {"SET": "value", "EMPTY": ""}
    assert interpolate("${SET:-d}|${EMPTY:-d}|${EMPTY-d}|${UNSET-d}|$$HOME", settings) == (
        "value|d||d|$HOME"
    )
    with pytest.raises(StackError, match="set it"):
        interpolate("${EMPTY:?set it}", settings)


def test_generated_settings_replace_every_placeholder_secret(tmp_path):
    settings = read_env_file(local_settings(tmp_path / "stack.env"))
    assert check_deployment_secrets(settings) == []
    # made once: a second call keeps the values (the database was initialized with them)
    assert read_env_file(local_settings(tmp_path / "stack.env")) == settings
    assert settings["AIRFLOW_CONN_CAPDEV_ALERTS"] == ""  # the example's webhook is a placeholder


def test_the_airflow_environment_is_the_compose_files_on_this_machine(tmp_path):
    settings = read_env_file(local_settings(tmp_path / "stack.env"))
    ports = Ports(postgres=5999, redis=6999, api=7999)
    data = tmp_path / "data"
    env = Stack(tmp_path, data, settings, ports).airflow_env()

    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    named = {k for k, v in compose["x-airflow-common"]["environment"].items() if v is not None}
    assert named <= env.keys()
    assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    password, redis_password = settings["POSTGRES_PASSWORD"], settings["REDIS_PASSWORD"]
    assert env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"] == (
        f"postgresql+psycopg2://airflow:{password}@127.0.0.1:5999/airflow"
    )
    assert env["AIRFLOW__CELERY__RESULT_BACKEND"].startswith("db+postgresql://")
    assert env["AIRFLOW__CELERY__BROKER_URL"] == f"redis://:{redis_password}@127.0.0.1:6999/0"
    assert env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] == "http://127.0.0.1:7999/execution/"
    assert env["CAPDEV_DATA_DIR"] == str(data)
    assert Path(env["AIRFLOW__CORE__DAGS_FOLDER"]) == COMPOSE_FILE.parent / "dags"
    assert env["CAPDEV_PSEUDONYM_KEY"] == settings["CAPDEV_PSEUDONYM_KEY"]
    # nothing points at a container name or path any more
    for name, value in env.items():
        for container_only in ("@postgres/", "@redis:", "airflow-apiserver", "capdev-sandbox:"):
            assert container_only not in value, name
        assert not value.startswith("/opt/"), name
