"""Publish the finished build as the warehouse readers open, by atomic rename; restore one.

Readers open ``published/capdev.duckdb`` read-only and see the last complete build, because a
rename swaps the whole file at once. The published copy leaves out the schemas that hold names
and e-mails (staging, intermediate).
"""

from __future__ import annotations

import logging
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.publish.scan import (
    PersonalDataFound,
    personal_values,
    refuse_on_hits,
    scan_database,
)
from ingestion.raw.batch import check_no_old_orphans
from ingestion.warehouse.build import build_file

log = logging.getLogger(__name__)

# The private tier: schemas with names, e-mails, platform ids and quarantine payloads (and views
# over the raw zone), kept in the build file for the data team, never published.
PRIVATE_SCHEMAS = ("staging", "intermediate", "private")


def publish(source: Path | None = None, destination: Path | None = None) -> Path:
    """Swap the finished build in as the published warehouse, atomically.

    Refused (:class:`~ingestion.raw.batch.OrphanedBatches`) while a batch has waited longer than
    ``CAPDEV_ORPHAN_MAX_AGE_HOURS`` for validation, and (:class:`PersonalDataFound`) when the
    value scan finds a personal value of the private tier in the copy about to be published.
    The warehouse it replaces is kept in ``published/history/`` (the last
    ``CAPDEV_KEEP_BUILDS``, default 3), so a bad night can be undone with :func:`restore`.
    """
    source = source or build_file()
    destination = destination or config.published_warehouse()
    # A batch that waited too long for validation would be missing without anyone knowing.
    check_no_old_orphans()
    if not source.exists():
        raise FileNotFoundError(f"no build to publish at {source}")
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_suffix(".duckdb.incoming")
    # Copy, then rename within the published folder: rename is atomic only on one filesystem.
    shutil.copy2(source, staged)
    values = personal_values(source)  # read before the private tier is dropped from the copy
    with duckdb.connect(str(staged)) as con:
        for schema in PRIVATE_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade").fetchall()
        con.execute("checkpoint").fetchall()
    try:
        refuse_on_hits(scan_database(staged, values), "the warehouse")
    except PersonalDataFound:
        staged.unlink(missing_ok=True)
        raise
    _swap_in(staged, destination)
    log.info("published %s (%.1f MB)", destination, destination.stat().st_size / 1e6)
    return destination


def history_dir(destination: Path | None = None) -> Path:
    return (destination or config.published_warehouse()).parent / "history"


def previous_builds(destination: Path | None = None) -> list[Path]:
    """Warehouses published before the current one, newest first."""
    return sorted(history_dir(destination).glob("capdev-*.duckdb"), reverse=True)


def restore(build: Path | None = None, destination: Path | None = None) -> Path:
    """Publish a previous warehouse again (the newest kept one unless ``build`` is given).

    The warehouse it replaces goes to the history too, so a restore can itself be undone. Only
    the published file changes: the next build starts from the build file as usual.
    """
    destination = destination or config.published_warehouse()
    kept = previous_builds(destination)
    chosen = build or (kept[0] if kept else None)
    if chosen is None or not chosen.exists():
        raise FileNotFoundError(
            f"no previous warehouse to restore in {history_dir(destination)}"
            if chosen is None
            else f"no such kept warehouse: {chosen}"
        )
    staged = destination.with_suffix(".duckdb.incoming")
    shutil.copy2(chosen, staged)
    _swap_in(staged, destination)
    log.info("restored %s as %s", chosen.name, destination)
    return destination


def _swap_in(staged: Path, destination: Path) -> None:
    """Rename ``staged`` over ``destination``, keeping the replaced file in the history."""
    if destination.exists():
        history = history_dir(destination)
        history.mkdir(exist_ok=True)
        built = datetime.fromtimestamp(destination.stat().st_mtime, UTC)
        kept = history / f"capdev-{built:%Y%m%dT%H%M%S%f}.duckdb"
        if not kept.exists():
            # A hard link costs no copy; readers of the old file are not disturbed.
            os.link(destination, kept)
    os.replace(staged, destination)
    keep = int(os.environ.get("CAPDEV_KEEP_BUILDS", "3"))
    for old in previous_builds(destination)[keep:]:
        old.unlink()
