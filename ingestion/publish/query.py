"""``capdev query "SQL"``: ask the published warehouse a question, read-only.

    capdev query "select bureau, count(*) from core.activities group by 1"
    capdev query --csv "select * from council.headline_figures" > headline.csv
    capdev query --db data/published/council.duckdb "select * from council.academy_candidates"
    echo "select 42" | capdev query -

The warehouse is opened with ``read_only=True``. The nightly build writes another file
(``warehouse/build.duckdb``) and publishes it by atomic rename, so a query never waits for a
load, never blocks one, and always sees the last complete build.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import decimal
import sys
from pathlib import Path
from typing import TextIO

from ingestion import config

MAX_WIDTH = 60
DEFAULT_MAX_ROWS = 1000


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


def run_query(sql: str, db: Path) -> tuple[list[str], list[tuple]]:
    """Run ``sql`` on ``db`` opened read-only; returns (column names, rows)."""
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(sql)
        columns = [d[0] for d in result.description] if result.description else []
        rows = result.fetchall() if columns else []
        return columns, rows
    finally:
        con.close()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capdev query",
        description="Run one SQL query on the published warehouse (read-only).",
        epilog="Examples of manager questions: docs/manager-queries.md",
    )
    parser.add_argument("sql", help='the SQL to run, or "-" to read it from standard input')
    parser.add_argument("--csv", action="store_true", help="write CSV instead of a table")
    parser.add_argument(
        "--db",
        type=Path,
        help="the DuckDB file to query (default: the published warehouse, "
        "data/published/capdev.duckdb)",
    )
    parser.add_argument(
        "--max-rows",
        type=int,
        default=DEFAULT_MAX_ROWS,
        help=f"rows shown in table output (default {DEFAULT_MAX_ROWS}; CSV is never cut)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 ok, 1 the query failed, 2 no warehouse or bad usage."""
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    sql = sys.stdin.read() if args.sql == "-" else args.sql
    if not sql.strip():
        print("error: empty query", file=sys.stderr)
        return 2
    db = args.db or config.published_warehouse()
    if not db.is_file():
        print(
            f"error: no warehouse at {db}. Build and publish it first (`capdev build`), "
            "or point --db at a DuckDB file.",
            file=sys.stderr,
        )
        return 2

    import duckdb

    try:
        columns, rows = run_query(sql, db)
    except duckdb.Error as exc:
        message = str(exc).strip()
        print(f"error: the query failed.\n{message}", file=sys.stderr)
        if "read-only" in message.lower() or "read only" in message.lower():
            print("(the warehouse is read-only: managers can only run queries)", file=sys.stderr)
        return 1

    if not columns:
        print("OK (the statement returned no rows)")
        return 0
    if args.csv:
        _write_csv(columns, rows, sys.stdout)
        return 0
    shown = rows[: max(args.max_rows, 0)]
    print(format_table(columns, shown))
    if len(rows) > len(shown):
        print(f"({len(rows)} rows, first {len(shown)} shown: use --csv or --max-rows for all)")
    else:
        print(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
