"""A short account of the published warehouse, for the demo and the data team."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion import config


def connect_published(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """Open the published warehouse read-only: never a lock on the nightly build."""
    path = path or config.published_warehouse()
    if not path.exists():
        raise FileNotFoundError(f"no published warehouse at {path}: run the pipeline first")
    return duckdb.connect(str(path), read_only=True)


def mart_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """(schema, table, rows) for every table of the published marts."""
    tables = con.execute(
        """
        select table_schema, table_name from information_schema.tables
        where table_schema in ('core', 'overlap', 'council', 'ops') and table_type = 'BASE TABLE'
        order by table_schema, table_name
        """
    ).fetchall()
    return [
        (schema, table, con.execute(f'select count(*) from "{schema}"."{table}"').fetchone()[0])
        for schema, table in tables
    ]


def print_summary(path: Path | None = None) -> None:
    """Rows per mart, the load manifest's totals, and where everything is."""
    with connect_published(path) as con:
        print(f"Published warehouse: {path or config.published_warehouse()}")
        print("\nRows per mart:")
        for schema, table, rows in mart_counts(con):
            print(f"  {schema}.{table:<32} {rows:>10,}")
        manifest = con.execute(
            """
            select platform, count(*) as batches, sum(rows_in), sum(rows_accepted),
                   sum(rows_quarantined), count(*) filter (where status = 'rejected')
            from ops.load_manifest group by platform order by platform
            """
        ).fetchall()
        print("\nLoad manifest (batches, rows in / accepted / quarantined, rejected batches):")
        for platform, batches, rows_in, accepted, quarantined, rejected in manifest:
            print(
                f"  {platform:<18} {batches:>4} batches  {rows_in or 0:>9,} in  "
                f"{accepted or 0:>9,} accepted  {quarantined or 0:>7,} quarantined  "
                f"{rejected} rejected"
            )
        by_bureau = con.execute(
            """
            select bureau, count(*) from core.activities group by bureau order by bureau
            """
        ).fetchall()
        print("\nActivities per bureau: " + ", ".join(f"{b} {n:,}" for b, n in by_bureau))
    print(f"\nGreat Expectations Data Docs: {config.gx_results_dir() / 'data_docs' / 'index.html'}")
    print(f"Quarantined rows:              {config.quarantine_dir()}")
    print(f"Airflow logs:                  {config.data_dir() / 'airflow' / 'logs'}")
