"""Compare two published warehouses table by table and row by row (a shared test helper).

``warehouse_differences(a, b)`` opens both DuckDB files read-only and, for every table of either
file, compares the rows as multisets (``EXCEPT ALL`` both ways) over the columns both files
have, leaving out the columns that only say *when* or *in which batch* a row was loaded. It
returns a list of human-readable differences (empty when equal): a table missing on one side,
columns that differ, and for each table with differing rows the row counts and up to
``max_rows`` rows found only on each side. ``assert_same_warehouse`` fails with that list.

Used by the N-nights test (incremental nights vs a full reload of the same final sandbox); any
test that needs "these two warehouses hold the same data" can use it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import duckdb

# Columns that record a load, not the data: the lineage of raw rows and dbt snapshot bookkeeping.
LOAD_COLUMNS = frozenset(
    {
        "_loaded_at",
        "_batch_id",
        "loaded_at",
        "batch_id",
        "load_date",
        "started_at",
        "finished_at",
        "dbt_scd_id",
        "dbt_updated_at",
        "dbt_valid_from",
        "dbt_valid_to",
    }
)
# Decimal places kept when comparing floating-point columns: sums over rows in another order
# may differ in the last bits.
FLOAT_DIGITS = 9


def _tables(con: duckdb.DuckDBPyConnection, alias: str) -> dict[str, list[tuple[str, str]]]:
    rows = con.execute(
        """
        select t.schema_name || '.' || t.table_name, c.column_name, c.data_type
        from duckdb_tables() t
        join duckdb_columns() c
          on c.database_name = t.database_name
         and c.schema_name = t.schema_name
         and c.table_name = t.table_name
        where t.database_name = ? and t.schema_name <> 'main'
        order by 1, c.column_index
        """,
        [alias],
    ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in rows:
        out.setdefault(table, []).append((column, data_type))
    return out


def _projection(columns: Iterable[tuple[str, str]]) -> str:
    parts = []
    for column, data_type in columns:
        quoted = '"' + column.replace('"', '""') + '"'
        if data_type in ("DOUBLE", "FLOAT", "REAL"):
            parts.append(f"round({quoted}, {FLOAT_DIGITS}) as {quoted}")
        else:
            parts.append(quoted)
    return ", ".join(parts)


def warehouse_differences(
    a: Path,
    b: Path,
    *,
    skip_tables: Mapping[str, str] | None = None,
    row_filters: Mapping[str, str] | None = None,
    ignore_columns: Iterable[str] = LOAD_COLUMNS,
    max_rows: int = 10,
) -> list[str]:
    """What differs between warehouses ``a`` and ``b`` (``schema.table`` names).

    ``skip_tables``: tables not compared, each with the reason (reported nowhere, kept for the
    reader of the calling test). ``row_filters``: a SQL condition per table selecting the rows
    to compare (e.g. the current rows of a snapshot). ``ignore_columns``: column names left
    out everywhere (load timestamps and batch ids by default).
    """
    skip = dict(skip_tables or {})
    filters = dict(row_filters or {})
    ignored = {c.lower() for c in ignore_columns}
    con = duckdb.connect()
    try:
        con.execute(f"attach '{a}' as wa (read_only)")
        con.execute(f"attach '{b}' as wb (read_only)")
        tables_a, tables_b = _tables(con, "wa"), _tables(con, "wb")
        problems: list[str] = []
        for table in sorted(set(tables_a) | set(tables_b)):
            if table in skip:
                continue
            if table not in tables_b:
                problems.append(f"{table}: only in {a}")
                continue
            if table not in tables_a:
                problems.append(f"{table}: only in {b}")
                continue
            cols_a = [(c, t) for c, t in tables_a[table] if c.lower() not in ignored]
            cols_b = [(c, t) for c, t in tables_b[table] if c.lower() not in ignored]
            if cols_a != cols_b:
                problems.append(f"{table}: columns differ: {cols_a} vs {cols_b}")
                continue
            projection = _projection(cols_a)
            where = f" where {filters[table]}" if table in filters else ""
            schema, name = table.split(".", 1)
            select = f'select {projection} from @db."{schema}"."{name}"{where}'

            def rows(db: str, select: str = select) -> str:
                return select.replace("@db.", f"{db}.", 1)

            only_a = con.execute(
                f"select * from ({rows('wa')} except all {rows('wb')}) limit {max_rows}"
            ).fetchall()
            only_b = con.execute(
                f"select * from ({rows('wb')} except all {rows('wa')}) limit {max_rows}"
            ).fetchall()
            if not only_a and not only_b:
                continue
            count_a = con.execute(f"select count(*) from ({rows('wa')})").fetchone()[0]
            count_b = con.execute(f"select count(*) from ({rows('wb')})").fetchone()[0]
            names = [c for c, _ in cols_a]
            lines = [f"{table}: {count_a} rows vs {count_b} rows; columns {names}"]
            lines += [f"  only in the first:  {row}" for row in only_a]
            lines += [f"  only in the second: {row}" for row in only_b]
            problems.append("\n".join(lines))
        return problems
    finally:
        con.close()


def assert_same_warehouse(a: Path, b: Path, **options) -> None:
    """Fail with every difference (table, counts, differing rows) unless ``a`` equals ``b``."""
    problems = warehouse_differences(a, b, **options)
    assert not problems, "the warehouses differ:\n" + "\n".join(problems)
