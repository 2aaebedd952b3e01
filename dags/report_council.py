"""### report_council

Runs whenever a warehouse build is published (the `capdev://warehouse/published` asset that
`transform_warehouse`'s `publish` task emits), so the Council file and report follow every
build, and never run on a build that has not been published. It can also be triggered by hand,
with the period to report on (`period_from`, `period_to`; default 2018 to the run's year).
`publish_council` copies the `council` schema (aggregates only, small cells suppressed) from
the published warehouse into `data/published/council.duckdb` and
`data/published/council/<table>.parquet`, after secondary suppression, a disclosure audit (a
suppressed cell that the published figures let anyone recompute fails the task; docs/council.md)
and a personal-data scan that fails the task if any name, e-mail, record key or people count of
1 to 4 would leave. `render_report` then writes the Council report for the period into
`data/reports/`: self-contained HTML with charts, the PDF of the same HTML (A4, rendered
offline) and the XLSX workbook, `council_report_<from>_<to>.html` / `.pdf` / `.xlsx`. The
figures are as of the run's date: its year, when the period reaches it, is flagged as a part year.
Both tasks run on the Celery queue `warehouse`, with the DuckDB files (docs/operations.md);
both read the build file's personal values for their scans, so each takes the one slot of the
pool `capdev_warehouse`, like every task that opens that file.
"""

from __future__ import annotations

from airflow.sdk import Param, dag, task
from capdev_defaults import (
    DEFAULT_ARGS,
    START_DATE,
    WAREHOUSE_ASSET,
    WAREHOUSE_POOL,
    WAREHOUSE_QUEUE,
)

REPORT_FIRST_YEAR = 2018


@dag(
    # after each published build, not at a fixed hour: a late build is not reported stale
    schedule=[WAREHOUSE_ASSET],
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    # reads the published warehouse and writes council.duckdb: the warehouse host's queue
    default_args={**DEFAULT_ARGS, "queue": WAREHOUSE_QUEUE},
    tags=["capdev", "council", "report"],
    doc_md=__doc__,
    params={
        "period_from": Param(REPORT_FIRST_YEAR, type="integer", minimum=2000),
        # null: the year of the run
        "period_to": Param(None, type=["null", "integer"], minimum=2000),
    },
)
def report_council():
    # Both read the personal values of the build file (their scans): in the one-slot pool of
    # the tasks that open that file, or they could meet a build or `source_freshness` holding
    # DuckDB's write lock on it
    @task(pool=WAREHOUSE_POOL)
    def publish_council() -> str:
        from ingestion.publish.council import publish_council as publish

        return str(publish())

    @task(pool=WAREHOUSE_POOL)
    def render_report(council_db: str, **context) -> dict:
        from pathlib import Path

        from ingestion.publish.reporting import render_report as render

        # Asset-triggered and manual runs may have no logical date: the run's own date decides.
        when = context.get("logical_date") or context["dag_run"].run_after
        params = context["params"]
        period_from = int(params.get("period_from") or REPORT_FIRST_YEAR)
        period_to = int(params.get("period_to") or when.year)
        # publish_council has just published the file: the figures are as of the run's date
        result = render(period_from, period_to, council_db=Path(council_db), as_of=when.date())
        return {
            "html": str(result["html"]),
            "pdf": str(result["pdf"]),
            "xlsx": str(result["xlsx"]),
            "headline": result["headline"],  # numbers, booleans and None: XCom-safe
        }

    render_report(publish_council())


report_council()
