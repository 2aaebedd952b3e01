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
        print_people_and_overlaps(con)
    print(f"\nGreat Expectations Data Docs: {config.gx_results_dir() / 'data_docs' / 'index.html'}")
    print(f"Data dictionary (dbt docs):    {config.data_dir() / 'dbt_docs' / 'index.html'}")
    print(f"Quarantined rows:              {config.quarantine_dir()}")
    print(f"Airflow logs:                  {config.data_dir() / 'airflow' / 'logs'}")


def print_people_and_overlaps(con: duckdb.DuckDBPyConnection) -> None:
    """Resolved people, those served by several bureaux, and the most duplicated topics."""
    people, multi = con.execute(
        "select count(*), count(*) filter (where n_bureaux > 1) from core.participants"
    ).fetchone()
    records = con.execute("select count(*) from core.participant_crosswalk").fetchone()[0]
    share = multi / people if people else 0
    print(
        f"\nPeople: {records:,} participant records resolved to {people:,} people; "
        f"{multi:,} ({share:.1%}) reached by more than one bureau"
    )
    top = con.execute(
        """
        select unit_a, unit_b, coalesce(topic_label, topic), overlapping_pairs, shared_participants
        from overlap.bureau_topic_matrix
        where unit_level = 'bureau' and overlapping_pairs > 0
        order by overlapping_pairs desc, shared_participants desc, topic
        limit 5
        """
    ).fetchall()
    print("Top overlapping bureau pairs and topics (overlapping activity pairs, shared people):")
    for unit_a, unit_b, topic, pairs, shared in top:
        print(f"  {unit_a}-{unit_b:<4} {topic:<34} {pairs:>4} pairs  {shared or 0:>5} people")
