"""Publish the Council marts, without personal data, for the Council secretariat.

After each warehouse build, the tables of the ``council`` schema (aggregates only, small cells
suppressed by the dbt models) are copied out of the published warehouse, opened read-only, into
their own file, ``published/council.duckdb`` (built in a staging file, scanned, then swapped in by
atomic rename), and into one Parquet file per table under ``published/council/``.

Before the scan, secondary suppression runs across all the tables (``disclosure.suppress``) and
the disclosure auditor (``disclosure.audit``) tries to recompute every suppressed cell from the
staged file alone: a cell it can pin down refuses the publication like personal data does.

The scan is the last line of defence: a table or column named like personal data (names,
e-mails, usernames, participant or source record keys), a value that looks like an e-mail
address, or a people count below the threshold (1..4) stops the publication with
:class:`PersonalDataFound` and leaves the previously published files untouched.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion import config
from ingestion.publish.disclosure.audit import audit
from ingestion.publish.disclosure.suppress import protect
from ingestion.publish.scan import (
    EMAIL_REGEX,
    PersonalDataFound,
    personal_values,
    scan_database,
)
from ingestion.publish.threshold import min_cell_size
from ingestion.publish.warehouse import STORAGE_VERSION, copy_public_schemas
from ingestion.warehouse.build import build_file

log = logging.getLogger(__name__)

COUNCIL_SCHEMA = "council"

# Column (and table) names that would carry personal data, matched case-insensitively on the
# whole name. Deliberately broad: a Council mart has no reason to use any of these words.
PERSONAL_COLUMN_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"(^|_)(first|last|full|given|family|middle|maiden|display|user|sur|nick)?_?names?($|_)",
        r"(^|_)(first|last|full|user)name($|_)",
        r"e_?mails?",
        r"(^|_)mail($|_)",
        r"mbox",
        r"(^|_)login($|_)",
        r"(^|_)actor($|_)",
        r"idnumber",
        r"record_key",
        r"(participant|person|user|learner|student|member|contact)_?(key|id|uuid|hash|code)s?($|_)",
        r"^source_.*(key|id)$",
        r"(^|_)user_?ids?($|_)",
        r"registration_id",
        r"phone|mobile|birth|passport|street|postal|(^|_)address($|_)|(^|_)ip_?addr",
    )
)
PERSONAL_TABLE_PATTERNS = (
    *PERSONAL_COLUMN_PATTERNS,
    re.compile(
        r"^(participants?|persons?|people|users?|learners?|contacts?|enrol(l)?(ment|ee)s?|"
        r"registrations?|.*crosswalk.*|participant_records?|person_records?)$",
        re.IGNORECASE,
    ),
)
# A people count: how many people (or person-level events) a cell describes. Such a column must
# never hold 1..4 (suppressed cells carry null instead and `suppressed = true`).
PEOPLE_COUNT_PATTERN = re.compile(
    r"^(people|participants|participations|completions|certificates|passes|women|men|learners|"
    r"enrolments|registrations|shared_participants|shared_people)(_.*)?$|_(people|participants)$",
    re.IGNORECASE,
)
INTEGER_TYPES = re.compile(
    r"^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|"
    r"INT\d*|DECIMAL\(\d+,\s*0\))$",
    re.IGNORECASE,
)
NUMERIC_TYPES = re.compile(r"^(FLOAT|DOUBLE|REAL|DECIMAL.*)$", re.IGNORECASE)


def council_db() -> Path:
    """The published Council database (read it with ``read_only=True``)."""
    return config.council_db()


def council_parquet_dir() -> Path:
    return config.published_dir() / "council"


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def scan_for_personal_data(db_path: Path) -> list[str]:
    """Every reason the database at ``db_path`` may not be published as Council data.

    Checks every table and view of every schema: names that look like personal data, values
    that look like e-mail addresses, and people counts below the threshold. Empty list = clean.
    """
    problems: list[str] = []
    min_cell = min_cell_size()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        relations = con.execute(
            """
            select table_schema, table_name
            from information_schema.tables
            where table_catalog = current_database()
              and table_schema not in ('information_schema', 'pg_catalog')
            order by 1, 2
            """
        ).fetchall()
        for schema, table in relations:
            where = f"{schema}.{table}"
            if any(p.search(table) for p in PERSONAL_TABLE_PATTERNS):
                problems.append(f"{where}: table name looks like personal data")
            columns = con.execute(
                """
                select column_name, data_type
                from information_schema.columns
                where table_catalog = current_database() and table_schema = ? and table_name = ?
                order by ordinal_position
                """,
                [schema, table],
            ).fetchall()
            relation = f"{_quote(schema)}.{_quote(table)}"
            for column, data_type in columns:
                if any(p.search(column) for p in PERSONAL_COLUMN_PATTERNS):
                    problems.append(f"{where}.{column}: column name looks like personal data")
                col = _quote(column)
                if INTEGER_TYPES.match(data_type or ""):
                    # Counts are integers; shares and rates (floating point) are not counts.
                    if PEOPLE_COUNT_PATTERN.search(column):
                        (small,) = con.execute(
                            f"select count(*) from {relation} "
                            f"where {col} >= 1 and {col} < {min_cell}"
                        ).fetchall()[0]
                        if small:
                            problems.append(
                                f"{where}.{column}: {small} people count(s) between 1 and "
                                f"{min_cell - 1} (small cells must be suppressed)"
                            )
                    continue
                if NUMERIC_TYPES.match(data_type or ""):
                    continue
                (emails,) = con.execute(
                    f"select count(*) from {relation} "
                    f"where regexp_matches(cast({col} as varchar), {_sql_string(EMAIL_REGEX)})"
                ).fetchall()[0]
                if emails:
                    problems.append(
                        f"{where}.{column}: {emails} value(s) look like e-mail addresses"
                    )
    finally:
        con.close()
    return problems


def _council_relations(con: duckdb.DuckDBPyConnection, catalog: str) -> list[str]:
    rows = con.execute(
        """
        select table_name
        from information_schema.tables
        where table_catalog = ? and table_schema = ?
        order by table_name
        """,
        [catalog, COUNCIL_SCHEMA],
    ).fetchall()
    return [name for (name,) in rows]


def _remove_db(path: Path) -> None:
    path.unlink(missing_ok=True)
    Path(f"{path}.wal").unlink(missing_ok=True)


def publish_council(
    warehouse: Path | None = None,
    personal: pa.Table | None = None,
    *,
    secondary_suppression: bool = True,
) -> Path:
    """Copy the ``council`` schema of the published warehouse into ``council.duckdb`` + Parquet.

    The tables land in the ``main`` schema of ``council.duckdb``, so the same query text
    (``select * from council.headline_figures``) works on the warehouse and on the Council file.
    ``personal``: the private tier's personal values to scan for (default: read from the build
    file). ``secondary_suppression=False`` skips the complementary suppression, so that the audit
    judges the marts as dbt built them (a test of the safety net; never in production). Returns
    the path of the published ``council.duckdb``. Raises
    :class:`PersonalDataFound` if the scan fails (the previous publication stays in place) and
    :class:`FileNotFoundError` / :class:`LookupError` if there is no warehouse or it has no
    Council marts.
    """
    warehouse = Path(warehouse or config.published_warehouse())
    if not warehouse.exists():
        raise FileNotFoundError(f"no published warehouse at {warehouse}: run a build first")
    destination = council_db()
    destination.parent.mkdir(parents=True, exist_ok=True)
    staged = destination.with_name(destination.name + ".incoming")
    _remove_db(staged)

    # in the format DuckDB 1.x readers (BI tools) open, like the published warehouse
    con = duckdb.connect(str(staged), config={"storage_compatibility_version": STORAGE_VERSION})
    try:
        con.execute(f"attach {_sql_string(str(warehouse))} as wh (read_only)").fetchall()
        tables = _council_relations(con, "wh")
        if not tables:
            raise LookupError(f"{warehouse} has no tables in schema {COUNCIL_SCHEMA!r}")
        for table in tables:
            con.execute(
                f"create table main.{_quote(table)} as "
                f"select {_bigint_counts(con, table)} from wh.{COUNCIL_SCHEMA}.{_quote(table)}"
            ).fetchall()
        con.execute("detach wh").fetchall()
        con.execute("checkpoint").fetchall()
    except BaseException:
        con.close()
        _remove_db(staged)
        raise
    con.close()

    # Secondary suppression across the tables, then the disclosure audit: a suppressed cell
    # that the published figures still pin down refuses the publication.
    if secondary_suppression:
        protect(staged)
        # written anew: the values suppression overwrote must not survive in freed blocks
        fresh = staged.with_name(staged.name + ".fresh")
        _remove_db(fresh)
        copy_public_schemas(staged, fresh)
        _remove_db(staged)
        os.replace(fresh, staged)
    leaks = [f"{d} (recoverable suppressed cell)" for d in audit(staged)]
    values = personal_values(build_file()) if personal is None else personal
    problems = leaks + scan_for_personal_data(staged) + scan_database(staged, values)
    if problems:
        _remove_db(staged)
        raise PersonalDataFound(
            "Council marts not published, personal data scan failed:\n  " + "\n  ".join(problems)
        )
    os.replace(staged, destination)
    _export_parquet(destination, tables)
    log.info("published %s and %d Parquet files", destination, len(tables))
    return destination


def _bigint_counts(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """The select list of a Council table with its 128-bit integers (SQL ``sum`` of integers)
    as BIGINT: Parquet has no 128-bit integer and would store those counts as DOUBLE."""
    columns = con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where database_name = 'wh' and schema_name = ? and table_name = ? order by column_index",
        [COUNCIL_SCHEMA, table],
    ).fetchall()
    return ", ".join(
        f"cast({_quote(c)} as bigint) as {_quote(c)}" if t in ("HUGEINT", "UHUGEINT") else _quote(c)
        for c, t in columns
    )


def _export_parquet(db_path: Path, tables: list[str]) -> None:
    """One Parquet file per table, each written to a staging name then renamed into place."""
    out_dir = council_parquet_dir()
    staging = out_dir / ".incoming"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        for table in tables:
            target = staging / f"{table}.parquet"
            con.execute(
                f"copy (select * from main.{_quote(table)}) "
                f"to {_sql_string(str(target))} (format parquet)"
            ).fetchall()
    finally:
        con.close()
    for table in tables:
        os.replace(staging / f"{table}.parquet", out_dir / f"{table}.parquet")
    shutil.rmtree(staging, ignore_errors=True)
    # Tables dropped from the marts must not linger as stale Parquet files.
    for stale in out_dir.glob("*.parquet"):
        if stale.stem not in tables:
            stale.unlink()
