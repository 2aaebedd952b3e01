"""Helpers shared by the connector tests (imported by module name: the test folder is on
sys.path under pytest's default import mode)."""

from __future__ import annotations

from typing import Any

from ingestion.connectors.base import ApiConnection

FAST = {"timeout": 2.0, "max_retries": 3, "backoff_base": 0.01, "backoff_max": 0.05}


def moodle_conn(server: Any, **overrides: Any) -> ApiConnection:
    return ApiConnection(server.url, token=server.credentials["token"], **{**FAST, **overrides})


def tsb_conn(server: Any, **overrides: Any) -> ApiConnection:
    return ApiConnection(server.url, token=server.credentials["token"], **{**FAST, **overrides})


def lrs_conn(server: Any, **overrides: Any) -> ApiConnection:
    creds = server.credentials
    return ApiConnection(
        server.endpoint,
        username=creds["username"],
        password=creds["password"],
        **{**FAST, **overrides},
    )


LINEAGE = {"_source", "_row_number", "_parse_error"}


def columns_of(records: list[dict[str, Any]]) -> set[str]:
    keys = {frozenset(r) for r in records}
    assert len(keys) <= 1, f"records do not share one set of columns: {keys}"
    return set(next(iter(keys))) if keys else set()


def words(text: str) -> set[str]:
    return set(text.split())
