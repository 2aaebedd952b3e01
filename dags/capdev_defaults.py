"""Defaults shared by the project's DAGs: retries, assets, and connections → connector settings.

Kept tiny and free of heavy imports: every DAG file imports it at parse time.
"""

from __future__ import annotations

import os
from datetime import timedelta

import pendulum
from airflow.sdk import Asset, BaseHook
from capdev_alerts import on_failure_callback

START_DATE = pendulum.datetime(2026, 1, 1, tz="UTC")

DEFAULT_ARGS = {
    "owner": "capdev-data-team",
    # Nightly runs retry transient failures; the demo and tests set 0 to fail fast.
    "retries": int(os.environ.get("CAPDEV_TASK_RETRIES", "2")),
    # CAPDEV_TASK_RETRY_DELAY_SECONDS: the stack test shortens the wait (default two minutes).
    "retry_delay": timedelta(seconds=int(os.environ.get("CAPDEV_TASK_RETRY_DELAY_SECONDS", "120"))),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=20),
    # A failed task (after its retries) reports to the alert channels: docs/operations.md.
    "on_failure_callback": on_failure_callback,
    # A hung pull or build must end (and alert) rather than block the next night.
    "execution_timeout": timedelta(hours=3),
}


def deadline_alerts_on() -> bool:
    """Whether the ingest DAGs carry their morning deadline (``CAPDEV_DEADLINE_ALERTS``).

    On in production. ``airflow dags test`` in Airflow 3.3 crashes when a run of a DAG with a
    deadline succeeds (``DagRun.update_state`` looks the deadline up by id in an unsaved copy of
    the DAG, which holds the encoded alert instead), so the demo and the tests built on
    ``dag.test()`` switch it off; the scheduler's own path is tested with it on.
    """
    return os.environ.get("CAPDEV_DEADLINE_ALERTS", "on").lower() not in ("off", "0", "false")


def raw_asset(platform: str) -> Asset:
    """The Asset an ingest DAG emits when a platform's batches are validated."""
    return Asset(f"capdev://raw/{platform}")


WAREHOUSE_ASSET = Asset("capdev://warehouse/published")

# One slot (dags/pools.json): tasks that open the warehouse build file never run two at a time.
WAREHOUSE_POOL = "capdev_warehouse"
# The Celery queue of every task that opens the warehouse's DuckDB files (build, published,
# Council): only the worker on the host that holds data/warehouse and data/published serves it
# (docs/operations.md). Ingest tasks stay on Airflow's default queue and run on any worker.
# Executors without queues (LocalExecutor, `airflow dags test`) ignore it.
WAREHOUSE_QUEUE = "warehouse"


def api_connection(conn_id: str):
    """Connector settings from an Airflow connection (the only place connectors meet Airflow).

    The endpoint is ``extra.base_url`` if set, else built from the connection's host, schema and
    port; a token is ``extra.token`` or the password; Basic auth uses login and password.
    """
    from ingestion.connectors.base import ApiConnection, endpoint_url

    conn = BaseHook.get_connection(conn_id)
    extra = conn.extra_dejson or {}
    base_url = endpoint_url(extra.get("base_url") or conn.host, conn.schema, conn.port)
    return ApiConnection.with_settings(
        base_url,
        extra,
        token=extra.get("token") or conn.password,
        username=conn.login,
        password=conn.password,
    )
