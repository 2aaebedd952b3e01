"""``capdev query "SQL"``: ask the published warehouse one question, and only that.

    capdev query "select bureau, count(*) from core.activities group by 1"
    capdev query --csv "select * from council.headline_figures" > headline.csv
    capdev query --db data/published/council.duckdb "select * from council.academy_candidates"
    echo "select 42" | capdev query -

The nightly build writes another file (``warehouse/build.duckdb``) and publishes it by atomic
rename, so a query never waits for a load, never blocks one, and always sees the last complete
build.

What the tool guarantees (docs/privacy.md): it reads the published warehouse and nothing else.

* ``--db`` must name a DuckDB file inside the published folder (``data/published``): the build
  file, the raw zone and the quarantine hold names and e-mails and are never opened.
* The file is opened read-only, with DuckDB's external access switched off (no files, no other
  databases, no extensions, no secrets), extension auto-loading and auto-installing off, and the
  configuration locked, so no statement can switch any of this back on.
* Exactly one read-only statement runs, as DuckDB's own parser classifies it: a query (SELECT,
  WITH, VALUES, TABLE, FROM ..., DESCRIBE, SHOW, SUMMARIZE), or EXPLAIN of one. Anything else
  (COPY, ATTACH, SET, PRAGMA, CALL, INSTALL/LOAD, CREATE, INSERT..., several statements) is
  refused before it reaches the database.
* A query that runs longer than ``--timeout`` seconds is interrupted.

Exit status: 0 ok; 1 the query failed (bad SQL, unknown table, timeout); 2 refused, no
warehouse, or bad usage. A refusal says why on standard error.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ingestion import config

if TYPE_CHECKING:
    import duckdb

MAX_WIDTH = 60
DEFAULT_MAX_ROWS = 1000
DEFAULT_TIMEOUT = 60.0
FETCH_CHUNK = 10_000

#: How the published file is opened: that one file and nothing else, for good. DuckDB applies
#: these at connect time; with ``lock_configuration`` no later SET/RESET/PRAGMA can undo them.
LOCKED_DOWN: dict[str, bool] = {
    # no file system, other databases, extension installs or secrets: the raw zone, the build
    # file and the rest of the machine are out of reach
    "enable_external_access": False,
    # a query naming an unloaded extension's function must not load or download it
    "autoload_known_extensions": False,
    "autoinstall_known_extensions": False,
    "allow_community_extensions": False,
    "lock_configuration": True,
}

ACCEPTED = (
    "one read-only query: SELECT, WITH, VALUES, TABLE, FROM ..., DESCRIBE, SHOW, SUMMARIZE, "
    "or EXPLAIN of one of these"
)


class QueryRefused(Exception):
    """The SQL is not one read-only statement on the published warehouse; the message says why."""


class QueryTimedOut(Exception):
    """The query ran longer than its time limit and was interrupted."""


def _cell(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | decimal.Decimal):
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        return text if text not in ("", "-0") else "0"
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_cell(v) for v in value) + "]"
    text = str(value).replace("\r", " ").replace("\n", " ").replace("\t", " ")
    return text if len(text) <= MAX_WIDTH else text[: MAX_WIDTH - 1] + "…"


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | decimal.Decimal) and not isinstance(value, bool)


def format_table(columns: list[str], rows: list[tuple]) -> str:
    """An aligned text table: numbers right-aligned, everything else left-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [len(c) for c in columns]
    for row in cells:
        for i, text in enumerate(row):
            widths[i] = max(widths[i], len(text))
    numeric = [
        bool(rows) and all(_is_number(r[i]) or r[i] is None for r in rows)
        for i in range(len(columns))
    ]

    def line(values: list[str]) -> str:
        parts = [
            v.rjust(widths[i]) if numeric[i] else v.ljust(widths[i]) for i, v in enumerate(values)
        ]
        return " | ".join(parts).rstrip()

    out = [line(columns), "-+-".join("-" * w for w in widths)]
    out.extend(line(row) for row in cells)
    return "\n".join(out)


def _write_csv(columns: list[str], rows, out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])


def _first_keyword(text: str) -> str:
    """The statement's first keyword (``INSTALL``, ``COPY``...), as DuckDB's tokenizer reads it."""
    import duckdb

    for start, end, kind in _tokens(text):
        if kind != duckdb.token_type.comment:
            return text[start:end].strip().upper()
    return "?"


def _tokens(text: str) -> Iterator[tuple[int, int, object]]:
    """(start, end, token type) of each token of ``text`` (DuckDB's tokenizer)."""
    import duckdb

    tokens = duckdb.tokenize(text)
    for i, (start, kind) in enumerate(tokens):
        end = tokens[i + 1][0] if i + 1 < len(tokens) else len(text)
        yield start, end, kind


def _explained(text: str) -> str:
    """The statement an ``EXPLAIN [ANALYZE] [(options)] <statement>`` explains.

    EXPLAIN ANALYZE runs the statement it explains, so that statement is checked like any other.
    """
    import duckdb

    words = [
        (start, end, text[start:end].strip().lower())
        for start, end, kind in _tokens(text)
        if kind != duckdb.token_type.comment
    ]
    i = 1  # words[0] is EXPLAIN
    if i < len(words) and words[i][2] == "analyze":
        i += 1
    if i < len(words) and words[i][2] == "(":  # EXPLAIN (FORMAT json) ...
        depth = 0
        while i < len(words):
            depth += {"(": 1, ")": -1}.get(words[i][2], 0)
            i += 1
            if depth == 0:
                break
    return text[words[i][0] :] if i < len(words) else ""


def read_only_statement(sql: str) -> duckdb.Statement:
    """The one read-only statement of ``sql``, as DuckDB's own parser classifies it.

    Raises :class:`QueryRefused` for anything else (another kind of statement, several, none),
    and DuckDB's ``ParserException`` for SQL that does not parse (a failed query, not a refusal).
    """
    import duckdb

    statements = duckdb.extract_statements(sql)  # a syntax error raises ParserException
    if len(statements) != 1:
        found = f"{len(statements)} statements" if statements else "no statement"
        raise QueryRefused(f"{found} found; the query tool runs exactly {ACCEPTED}")
    statement = statements[0]
    try:
        kind = statement.type
    except ValueError as exc:
        # e.g. UPDATE EXTENSIONS: a statement type the Python API has no name for
        raise QueryRefused(
            f"{_first_keyword(sql)} is not a statement the query tool runs; it runs {ACCEPTED}"
        ) from exc
    if kind == duckdb.StatementType.SELECT:
        return statement
    if kind == duckdb.StatementType.EXPLAIN:
        inner = _explained(statement.query)
        try:
            read_only_statement(inner)
        except (QueryRefused, duckdb.ParserException) as exc:
            raise QueryRefused(f"EXPLAIN of something other than a query ({exc})") from exc
        return statement
    keyword = _first_keyword(statement.query)
    raise QueryRefused(
        f"{keyword} is not a read-only query (DuckDB parses it as a {kind.name} statement); "
        f"the query tool runs {ACCEPTED}"
    )


def _check_db(db: Path) -> None:
    """Only files in the published folder: the others hold personal data (docs/privacy.md)."""
    published = config.published_dir().resolve()
    if not db.resolve().is_relative_to(published):
        raise QueryRefused(
            f"--db {db} is outside the published folder {published}: the query tool reads only "
            "published files (the build file, raw zone and quarantine hold personal data)"
        )


@contextmanager
def open_published(db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """``db`` opened read-only and locked down (:data:`LOCKED_DOWN`)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True, config=dict(LOCKED_DOWN))
    try:
        yield con
    finally:
        con.close()


@contextmanager
def time_limit(con: duckdb.DuckDBPyConnection, seconds: float) -> Iterator[None]:
    """Interrupt whatever ``con`` runs once ``seconds`` have passed (from a timer thread:
    ``interrupt`` is DuckDB's thread-safe way to stop a running query), as QueryTimedOut."""
    import duckdb

    fired = threading.Event()

    def stop() -> None:
        fired.set()
        con.interrupt()

    timer = threading.Timer(seconds, stop)
    timer.daemon = True
    timer.start()
    try:
        yield
    except duckdb.InterruptException as exc:
        if fired.is_set():
            raise QueryTimedOut(f"the query ran longer than {seconds:g} s and was stopped") from exc
        raise
    finally:
        timer.cancel()


def _rows(result: duckdb.DuckDBPyConnection) -> Iterator[tuple]:
    """Every row of a result, fetched a chunk at a time (never the whole result in memory)."""
    while chunk := result.fetchmany(FETCH_CHUNK):
        yield from chunk


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capdev query",
        description="Run one read-only SQL query on the published warehouse.",
        epilog="Examples of manager questions: docs/manager-queries.md. "
        "What the tool allows and refuses: docs/privacy.md.",
    )
    parser.add_argument("sql", help='the SQL to run, or "-" to read it from standard input')
    parser.add_argument("--csv", action="store_true", help="write CSV instead of a table")
    parser.add_argument(
        "--db",
        type=Path,
        help="a DuckDB file in the published folder (default: the published warehouse, "
        "data/published/capdev.duckdb)",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        help=f"rows shown in table output (default {DEFAULT_MAX_ROWS}; CSV is never cut)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=DEFAULT_TIMEOUT,
        help=f"seconds before the query is stopped (default {DEFAULT_TIMEOUT:g})",
    )
    return parser


def _print_table(result: duckdb.DuckDBPyConnection, columns: list[str], max_rows: int) -> None:
    shown = result.fetchmany(max_rows) if max_rows > 0 else []
    total = len(shown) + sum(1 for _ in _rows(result))  # count the rest without keeping it
    print(format_table(columns, shown))
    if total > len(shown):
        print(f"({total} rows, first {len(shown)} shown: use --csv or --max-rows for all)")
    else:
        print(f"({total} row{'s' if total != 1 else ''})")


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 ok, 1 the query failed or timed out, 2 refused, no warehouse, bad usage."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    sql = sys.stdin.read() if args.sql == "-" else args.sql
    if not sql.strip():
        print("error: empty query", file=sys.stderr)
        return 2
    if args.timeout <= 0:
        print("error: --timeout must be a positive number of seconds", file=sys.stderr)
        return 2
    db = args.db or config.published_warehouse()

    import duckdb

    try:
        _check_db(db)
        if not db.is_file():
            print(
                f"error: no warehouse at {db}. Build and publish it first (`capdev build`), "
                "or point --db at a published DuckDB file.",
                file=sys.stderr,
            )
            return 2
        statement = read_only_statement(sql)
        with open_published(db) as con, time_limit(con, args.timeout):
            result = con.execute(statement)
            columns = [d[0] for d in result.description] if result.description else []
            if not columns:
                print("OK (the statement returned no rows)")
            elif args.csv:
                _write_csv(columns, _rows(result), sys.stdout)
            else:
                _print_table(result, columns, args.max_rows)
    except QueryRefused as exc:
        print(f"refused: {exc}", file=sys.stderr)
        return 2
    except duckdb.PermissionException as exc:
        # external access is off: a file, another database, an extension, a secret
        print(
            "refused: the query tool reads only the published warehouse "
            f"(no files, other databases or extensions).\n{str(exc).strip()}",
            file=sys.stderr,
        )
        return 2
    except QueryTimedOut as exc:
        print(f"error: {exc} (--timeout {args.timeout:g}).", file=sys.stderr)
        return 1
    except duckdb.Error as exc:
        message = str(exc).strip()
        print(f"error: the query failed.\n{message}", file=sys.stderr)
        if "read-only" in message.lower() or "read only" in message.lower():
            print("(the warehouse is read-only: managers can only run queries)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
