"""The production stack of ``docker-compose.yml``, run natively on one machine (no Docker).

``python -m ops.stack up`` (``make stack``) installs PostgreSQL and Redis from Debian if missing,
starts them on loopback with their state in ``data/stack/``, migrates Airflow's metadata
database, imports the pools, and starts Airflow 3 the way the compose file does: the CeleryExecutor
with a Redis broker and a PostgreSQL metadata database and result backend, an API server, a
scheduler, a DAG processor, a triggerer and two Celery workers, each its own process.
``python -m ops.stack down`` (``make stack-stop``) stops exactly the processes ``up`` started:
their ids are in ``data/stack/pids/``.

**One source of settings.** The Airflow processes get the environment of the compose file's
``x-airflow-common`` block, interpolated with ``.env``-shaped settings (``.env`` if present, else
``data/stack/stack.env``: a copy of ``.env.example`` whose placeholder secrets were replaced once
with values made by the commands ``ingestion.secrets`` documents). Only what a container network
provides is translated: the service names (``postgres``, ``redis``, ``airflow-apiserver``,
``capdev-sandbox``) become 127.0.0.1 with this machine's ports, and the container paths
(``/opt/capdev``) the checkout's.

**Two workers, two roles** (docs/operations.md). ``worker-warehouse`` serves the ``warehouse``
queue (every task that opens the DuckDB build or published files) and the ``default`` queue;
``worker-ingest`` serves ``default`` only (the ingest tasks). On several hosts, the warehouse
worker runs on the host that holds ``data/warehouse`` and ``data/published``.

PostgreSQL refuses to run as root: as root, it runs as the ``postgres`` user of Debian's package,
so the state folder must be reachable by that user. The test suite's fixture
(``tests/e2e/test_celery_stack.py``) uses this same package with free ports and its own folder.

The package: ``settings`` (the settings and their translation to this machine), ``debian``
(the packages), ``processes`` (sessions, pidfiles, stopping), ``services`` (the
:class:`Stack`) and ``__main__`` (``up`` / ``down`` / ``status``).
"""

from __future__ import annotations

from ops.stack.debian import (
    DEBIAN_PACKAGES,
    install_packages,
    postgres_bin,
)
from ops.stack.processes import (
    ProcessGroup,
    StackError,
)
from ops.stack.services import (
    AIRFLOW,
    DEFAULT_QUEUE,
    WAREHOUSE_QUEUE,
    WORKERS,
    Stack,
    worker_hostname,
)
from ops.stack.settings import (
    COMPOSE_FILE,
    CONTAINER_PROJECT,
    ENV_EXAMPLE,
    PROJECT_ROOT,
    Ports,
    compose_airflow_environment,
    free_port,
    interpolate,
    local_settings,
    localize,
    port_open,
    read_env_file,
)

__all__ = [
    "AIRFLOW",
    "COMPOSE_FILE",
    "CONTAINER_PROJECT",
    "DEBIAN_PACKAGES",
    "DEFAULT_QUEUE",
    "ENV_EXAMPLE",
    "PROJECT_ROOT",
    "Ports",
    "ProcessGroup",
    "Stack",
    "StackError",
    "WAREHOUSE_QUEUE",
    "WORKERS",
    "compose_airflow_environment",
    "free_port",
    "install_packages",
    "interpolate",
    "local_settings",
    "localize",
    "port_open",
    "postgres_bin",
    "read_env_file",
    "worker_hostname",
]
