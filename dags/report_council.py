"""### report_council

Runs every morning at 06:30 UTC, after the night's warehouse build (`transform_warehouse`
runs when the loads have landed, 05:30 UTC at the latest), on whatever build is published.
`publish_council` copies the `council` schema (aggregates only, small cells suppressed) from
the published warehouse into `data/published/council.duckdb` and
`data/published/council/<table>.parquet`, after a personal-data scan that fails the task if any
name, e-mail, record key or people count of 1 to 4 would leave. `render_report` then writes the
Council report (self-contained HTML with charts, and XLSX) for 2018 to the run's year into
`data/reports/`.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from airflow.timetables.trigger import CronTriggerTimetable
from capdev_defaults import DEFAULT_ARGS, START_DATE

REPORT_FIRST_YEAR = 2018


@dag(
    schedule=CronTriggerTimetable("30 6 * * *", timezone="UTC"),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["capdev", "council", "report"],
    doc_md=__doc__,
)
def report_council():
    @task
    def publish_council() -> str:
        from ingestion.publish.council import publish_council as publish

        return str(publish())

    @task
    def render_report(council_db: str, **context) -> dict:
        from pathlib import Path

        from ingestion.publish.reporting import render_report as render

        # Manually triggered runs may have no logical date: the run's own date decides.
        when = context.get("logical_date") or context["dag_run"].run_after
        result = render(REPORT_FIRST_YEAR, when.year, council_db=Path(council_db))
        return {
            "html": str(result["html"]),
            "xlsx": str(result["xlsx"]),
            "headline": result["headline"],  # numbers, booleans and None: XCom-safe
        }

    render_report(publish_council())


report_council()
