"""Publish the finished build as the warehouse readers open, by atomic rename; restore one.

Readers open ``published/capdev.duckdb`` read-only and see the last complete build, because a
rename swaps the whole file at once. The published file is written anew, table by table, from
the public schemas only: the private tier (names, e-mails, platform ids) is never copied, so not
even a freed block of the file can hold it. It is written in a storage format DuckDB 1.x readers
open (BI tools such as Superset and Evidence still ship DuckDB 1.x).
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

#: The storage format of the published files: the oldest DuckDB that must open them is 1.4.
STORAGE_VERSION = "v1.4.0"


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
    # Written beside the destination, then renamed: rename is atomic only on one filesystem.
    staged.unlink(missing_ok=True)
    values = personal_values(source)
    try:
        copy_public_schemas(source, staged)
    except BaseException:
        staged.unlink(missing_ok=True)
        raise
    try:
        refuse_on_hits(scan_database(staged, values), "the warehouse")
    except PersonalDataFound:
        staged.unlink(missing_ok=True)
        raise
    _swap_in(staged, destination)
    log.info("published %s (%.1f MB)", destination, destination.stat().st_size / 1e6)
    return destination


def _sql_string(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _name(*parts: str) -> str:
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def copy_public_schemas(source: Path, target: Path, storage_version: str = STORAGE_VERSION) -> int:
    """Write ``target`` anew with every table and view of ``source`` outside the private tier,
    as tables (a published file is read-only: a view's rows are its snapshot), with their
    comments, in ``storage_version``. Returns the number of relations copied."""
    with duckdb.connect() as con:
        con.execute(f"attach {_sql_string(str(source))} as build (read_only)").fetchall()
        con.execute(
            f"attach {_sql_string(str(target))} as pub (storage_version "
            f"{_sql_string(storage_version)})"
        ).fetchall()
        private = ", ".join(_sql_string(s) for s in PRIVATE_SCHEMAS)
        relations = con.execute(
            f"""
            select schema_name, table_name, comment from duckdb_tables()
            where database_name = 'build' and schema_name not in ({private})
            union all
            select schema_name, view_name, comment from duckdb_views()
            where database_name = 'build' and not internal and schema_name not in ({private})
            order by 1, 2
            """
        ).fetchall()
        for schema in sorted({r[0] for r in relations}):
            con.execute(f"create schema if not exists {_name('pub', schema)}").fetchall()
        for schema, name, comment in relations:
            con.execute(
                f"create table {_name('pub', schema, name)} as "
                f"select * from {_name('build', schema, name)}"
            ).fetchall()
            if comment:
                con.execute(
                    f"comment on table {_name('pub', schema, name)} is {_sql_string(comment)}"
                ).fetchall()
        # column descriptions (dbt persist_docs) travel with the tables
        for schema, name, column, comment in con.execute(
            f"""
            select schema_name, table_name, column_name, comment from duckdb_columns()
            where database_name = 'build' and schema_name not in ({private})
              and comment is not null
            """
        ).fetchall():
            con.execute(
                f"comment on column {_name('pub', schema, name, column)} is {_sql_string(comment)}"
            ).fetchall()
        con.execute("detach pub").fetchall()
    return len(relations)


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
