"""What docker-compose.yml names loads in the project's locked environment.

The compose file runs Airflow with the CeleryExecutor, the FAB auth manager, a PostgreSQL
metadata database (psycopg2), a Redis broker and a PostgreSQL Celery result backend. The image
installs the project's ``uv.lock`` (Dockerfile), so each of these must import from that lock:
one Python process, configured with the compose file's own values, loads the executor, the auth
manager, the Celery app the workers' health check names, the SQLAlchemy dialects of both URLs and
the broker's client library. (Celery 5.7 once broke the provider's import: caught here.)
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]

# Imports a compose value, printed as JSON: what each named class or module resolved to.
PROBE = r"""
import importlib, json, sys
from sqlalchemy.dialects import registry

named = json.loads(sys.argv[1])
found = {}
from airflow.executors.executor_loader import ExecutorLoader
executor, _ = ExecutorLoader.import_default_executor_cls()
found["executor"] = executor.__module__ + "." + executor.__name__
from airflow.api_fastapi.app import get_auth_manager_cls
manager = get_auth_manager_cls()
found["auth_manager"] = manager.__module__ + "." + manager.__name__
for key in ("sql_alchemy_conn", "result_backend"):
    dialect = registry.load(named[key].replace("+", "."))
    found[key] = dialect.__module__
for module in named["modules"]:
    importlib.import_module(module)
found["modules"] = named["modules"]
print(json.dumps(found))
"""


def _compose_airflow_env() -> dict[str, str]:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
    return {k: str(v) for k, v in compose["x-airflow-common"]["environment"].items() if v}


def _scheme(url: str) -> str:
    return url.split("://", 1)[0]


def test_every_provider_and_executor_of_the_compose_file_imports_in_the_locked_environment(
    tmp_path,
):
    env = _compose_airflow_env()
    compose_text = (ROOT / "docker-compose.yml").read_text(encoding="utf-8")
    # The Celery apps the workers' health check names (the provider's, then the legacy path).
    celery_apps = [
        app
        for app in re.findall(r"--app ([\w.]+)\.app", compose_text)
        if app.startswith("airflow.providers.")
    ]
    assert celery_apps, "the worker health check names no provider Celery app"
    broker = _scheme(env["AIRFLOW__CELERY__BROKER_URL"])
    assert broker == "redis"
    named = {
        # "postgresql+psycopg2" is the dialect postgresql with the driver psycopg2
        "sql_alchemy_conn": _scheme(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]),
        # Celery's "db+<url>": its database backend over SQLAlchemy with that URL
        "result_backend": _scheme(env["AIRFLOW__CELERY__RESULT_BACKEND"]).removeprefix("db+"),
        "modules": [broker, "psycopg2", "celery.backends.database", *celery_apps[:1]],
    }
    probe_env = {
        "PATH": "/usr/bin:/bin",
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__EXECUTOR": env["AIRFLOW__CORE__EXECUTOR"],
        "AIRFLOW__CORE__AUTH_MANAGER": env["AIRFLOW__CORE__AUTH_MANAGER"],
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
    }
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(named)],
        env=probe_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert found["executor"].endswith(".CeleryExecutor")
    assert found["executor"].startswith("airflow.providers.celery.")
    assert found["auth_manager"] == env["AIRFLOW__CORE__AUTH_MANAGER"]
    assert found["sql_alchemy_conn"].endswith(".psycopg2")
    assert found["result_backend"].startswith("sqlalchemy.dialects.postgresql")


def test_the_lock_pins_the_providers_the_dockerfile_installs():
    """The image installs ``uv export --frozen`` of the lock: the providers must be in it."""
    lock = (ROOT / "uv.lock").read_text(encoding="utf-8")
    locked = set(re.findall(r'^name = "([^"]+)"$', lock, flags=re.M))
    for provider in ("celery", "postgres", "redis", "fab"):
        assert f"apache-airflow-providers-{provider}" in locked
    assert {"psycopg2-binary", "redis", "celery"} <= locked
    dockerfile = (ROOT / "Dockerfile").read_text(encoding="utf-8")
    assert "uv export --project /tmp/capdev --frozen" in dockerfile
