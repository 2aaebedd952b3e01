"""### transform_warehouse

Builds the warehouse once the night's loads have landed, and publishes it.

**When it runs.** As soon as *every* platform's Asset has been updated since the last build
(all five ingest DAGs validated their batches), and, as a fallback, at 05:30 UTC. The fallback
is what happens when a platform fails for the night: the build goes ahead with the others, and
`source_freshness` flags the stale platform (dbt source freshness: warn after 36 h; after 96 h
the task fails, which alerts and turns the run red). See `docs/operations.md`.

**Only when something changed.** Whatever started the run (the Assets, the fallback or a
hand trigger), `anything_new` first asks whether a batch was accepted (rows in `accepted/` or
the quarantine) since the build behind the published warehouse, or an erasure asked for a full
refresh (`needs_build`). If not (a quiet night: every pull empty or `unchanged`), every other
task is skipped: nothing is built or published, the Council report is not triggered, and
freshness is not checked that night. Trigger with `{"force": true}` to build anyway (after a
change to the models or seeds).

**What it does.** `dbt_build` (one `dbt build` process on DuckDB into
`data/warehouse/build.duckdb`: seeds, staging → intermediate → marts, snapshot, tests) →
`publish` (atomic rename to `data/published/capdev.duckdb`) → `data_docs` (Great Expectations
Data Docs), `dbt_docs` (the data dictionary of the build just published, served by the
dashboards at `/dbt-docs/`) and `source_freshness` (dbt source freshness of the raw zone). The
tasks that open the build file run in the one-slot pool `capdev_warehouse`, and
`max_active_runs=1`: there is one DuckDB writer at a time. `dbt_docs` reads a copy of the
published file, so it holds no pool slot; if it fails it alerts and turns the run red, but the
warehouse stays published (the Council report has already been triggered) and the previous
dictionary stays in place. Every task runs on the Celery queue `warehouse`, served only by the
worker on the host that holds the DuckDB files (docs/operations.md).

**Which model failed.** `dbt_node` has one mapped instance per model, seed and snapshot of the
build, named after it (e.g. `core.activities`), with its tests folded in: a red instance is a
model that failed or whose test failed; its log has dbt's message.
"""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import AssetAll, AssetOrTimeSchedule, Param, dag, get_current_context, task
from airflow.timetables.trigger import CronTriggerTimetable
from capdev_defaults import (
    DEFAULT_ARGS,
    START_DATE,
    WAREHOUSE_ASSET,
    WAREHOUSE_POOL,
    WAREHOUSE_QUEUE,
    raw_asset,
)

from ingestion.config import platforms

FALLBACK_BUILD = CronTriggerTimetable("30 5 * * *", timezone="UTC")


# The two tasks with more than one call in them are defined here, out of the DAG function, to
# keep it short; called once inside it, they are the same tasks with the same ids.


@task(pool=WAREHOUSE_POOL)
def source_freshness() -> list[dict]:
    """dbt source freshness: stale platforms are logged; past the error threshold, fail."""
    import logging

    from ingestion.warehouse.build import check_source_freshness

    rows = check_source_freshness()
    for row in rows:
        if row["status"] != "pass":
            logging.getLogger(__name__).warning("stale or unreadable source: %s", row)
    errors = [
        f"{r['source']}.{r['table']} ({r['status']})"
        for r in rows
        if r["status"] not in ("pass", "warn")
    ]
    if errors:
        raise RuntimeError("sources past their freshness error threshold: " + ", ".join(errors))
    return rows


@task(map_index_template="{{ dbt_node }}")
def dbt_node(result: dict) -> None:
    """One model, seed or snapshot of the build: fails if it or one of its tests failed."""
    import logging

    from airflow.sdk.exceptions import AirflowFailException, AirflowSkipException

    get_current_context()["dbt_node"] = result["node"]
    log = logging.getLogger(__name__)
    log.info(
        "%s %s: %s in %.1fs, %d test(s)",
        result["resource_type"],
        result["node"],
        result["status"],
        result["seconds"],
        result["tests"],
    )
    for warning in result["warned_tests"]:
        log.warning("test warned: %s", warning)
    if result["failed"]:
        raise AirflowFailException(
            "\n".join([f"{result['status']}: {result['message']}", *result["failed_tests"]])
        )
    if result["status"] == "skipped":
        raise AirflowSkipException("skipped by dbt (an upstream node failed)")


@dag(
    schedule=AssetOrTimeSchedule(
        timetable=FALLBACK_BUILD, assets=AssetAll(*[raw_asset(code) for code in platforms()])
    ),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    # every task reads or writes data/warehouse or data/published: the warehouse host's queue
    default_args={
        **DEFAULT_ARGS,
        "retries": min(1, DEFAULT_ARGS["retries"]),
        "queue": WAREHOUSE_QUEUE,
    },
    tags=["capdev", "warehouse"],
    params={"force": Param(False, type="boolean", description="build even if nothing new landed")},
    doc_md=__doc__,
)
def transform_warehouse():
    @task.short_circuit
    def anything_new() -> bool:
        """Build only if a batch was accepted since the published build (or ``force``); a
        skipped run skips every task after this one: no build, no publish, no report."""
        from ingestion.warehouse.build import needs_build

        return bool(get_current_context()["params"].get("force")) or needs_build()

    @task(pool=WAREHOUSE_POOL, execution_timeout=timedelta(hours=2))
    def dbt_build() -> str:
        from ingestion.warehouse.build import build_warehouse

        return str(build_warehouse().build_file)

    @task(trigger_rule="all_done")
    def dbt_results() -> list[dict]:
        """What the build did, per model (read from dbt's artifacts, even after a failure)."""
        from ingestion.warehouse.build import dbt_target_dir
        from ingestion.warehouse.dbt_results import node_results

        return node_results(dbt_target_dir())

    @task(outlets=[WAREHOUSE_ASSET], pool=WAREHOUSE_POOL)
    def publish(build_file: str) -> str:
        from pathlib import Path

        from ingestion.publish.warehouse import publish as publish_build

        return str(publish_build(Path(build_file)))

    @task
    def data_docs() -> str:
        """Great Expectations Data Docs of the night's validations, for the data team."""
        from ingestion.raw.validation import build_data_docs

        return str(build_data_docs())

    @task(execution_timeout=timedelta(minutes=30))
    def dbt_docs() -> str:
        """The data dictionary (dbt docs) of the warehouse just published, for /dbt-docs/."""
        from ingestion.publish.docs import generate_docs

        return str(generate_docs())

    built = dbt_build()
    anything_new() >> built
    results = dbt_results()
    built >> results
    dbt_node.expand(result=results)
    # Freshness is checked after publishing, as a leaf: a stale platform never holds the build
    # back, and a platform past the error threshold still turns the run red.
    # The dictionary is rebuilt after each publish, as a leaf too: a failure alerts, never
    # unpublishes.
    publish(built) >> [data_docs(), dbt_docs(), source_freshness()]


transform_warehouse()
