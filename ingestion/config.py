"""Where the pipeline keeps its files, and the platform registry.

Every path derives from one root, ``CAPDEV_DATA_DIR`` (default ``<project>/data``), so tests and
the demo can point the whole pipeline at a temporary folder by setting one variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
PLATFORMS_FILE = Path(__file__).with_name("platforms.yml")

PLATFORM_CODES = ("academy", "tsb_events", "br_seminars", "regional_offices", "gs_lrs")


@cache
def dbt_var(name: str) -> object:
    """A variable of ``dbt_project/dbt_project.yml``: thresholds defined once there are read by
    the Python that needs them outside dbt (the Council auditor, the identity bench)."""
    project = yaml.safe_load((PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    return project["vars"][name]


def data_dir() -> Path:
    """Root of every file the pipeline writes (read at call time so tests can override it)."""
    return Path(os.environ.get("CAPDEV_DATA_DIR", PROJECT_ROOT / "data")).resolve()


def archive_dir() -> Path:
    return data_dir() / "raw" / "archive"


def landed_dir() -> Path:
    return data_dir() / "raw" / "landed"


def accepted_dir() -> Path:
    return data_dir() / "raw" / "accepted"


def quarantine_dir() -> Path:
    return data_dir() / "quarantine"


def manifest_dir() -> Path:
    return data_dir() / "manifest"


def inbox_dir(platform: str) -> Path:
    """Where a file-drop platform's exports arrive (overridable per platform by env)."""
    override = os.environ.get(f"CAPDEV_INBOX_{platform.upper()}")
    return Path(override) if override else data_dir() / "inbox" / platform


def warehouse_dir() -> Path:
    return data_dir() / "warehouse"


def published_dir() -> Path:
    return data_dir() / "published"


def published_warehouse() -> Path:
    return published_dir() / "capdev.duckdb"


def council_db() -> Path:
    """The published Council database (read it with ``read_only=True``)."""
    return published_dir() / "council.duckdb"


def sandbox_dir() -> Path:
    return data_dir() / "sandbox"


def erasure_dir() -> Path:
    """Erasure requests, kept without the personal data they name (keyed hashes only)."""
    return data_dir() / "erasure"


def gx_results_dir() -> Path:
    return data_dir() / "gx"


def reports_dir() -> Path:
    return data_dir() / "reports"


def review_dir() -> Path:
    """Clerical review files (identity pairs with names and e-mails): private, 0700 / 0600."""
    return data_dir() / "review"


@dataclass(frozen=True)
class Platform:
    """One bureau platform as declared in ``platforms.yml``."""

    code: str
    bureau: str
    kind: str  # "api" or "file_drop"
    conn_id: str | None
    entities: tuple[str, ...]
    schedule: str
    description: str
    person_keys: dict[str, str]  # entity -> the landed column holding a person's platform key
    # entity -> scope columns, for the entities pulled whole each night (no scope) or whole per
    # scope value (a course's enrolment list): a pull whose every scope equals its last accepted
    # rows lands nothing (ingestion/raw/batch/queries.py, unchanged_since)
    full_state: dict[str, tuple[str, ...]] = field(default_factory=dict)


@cache
def platforms() -> dict[str, Platform]:
    """The platform registry, keyed by platform code."""
    raw = yaml.safe_load(PLATFORMS_FILE.read_text(encoding="utf-8"))
    return {
        code: Platform(
            code=code,
            bureau=spec["bureau"],
            kind=spec["kind"],
            conn_id=spec.get("conn_id"),
            entities=tuple(spec["entities"]),
            schedule=spec.get("schedule", "@daily"),
            description=spec.get("description", ""),
            person_keys=dict(spec.get("person_keys") or {}),
            full_state={
                entity: tuple(scope or ())
                for entity, scope in (spec.get("full_state") or {}).items()
            },
        )
        for code, spec in raw["platforms"].items()
    }
