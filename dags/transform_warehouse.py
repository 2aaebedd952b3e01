"""### transform_warehouse

Runs when any platform's raw batches are validated (Asset-scheduled): `dbt build` on DuckDB into
`data/warehouse/build.duckdb` (staging → intermediate → marts, tests included), then publishes
the build by atomic rename to `data/published/capdev.duckdb`, which readers open read-only, and
refreshes the Great Expectations Data Docs (`data/gx/data_docs/index.html`).
"""

from __future__ import annotations

import operator
from functools import reduce

from airflow.sdk import dag, task
from capdev_defaults import DEFAULT_ARGS, START_DATE, WAREHOUSE_ASSET, raw_asset

from ingestion.config import platforms


@dag(
    # Any platform's fresh batches trigger a build; a failed platform does not hold back the rest.
    schedule=reduce(operator.or_, [raw_asset(code) for code in platforms()]),
    start_date=START_DATE,
    catchup=False,
    max_active_runs=1,
    default_args={**DEFAULT_ARGS, "retries": min(1, DEFAULT_ARGS["retries"])},
    tags=["capdev", "warehouse"],
    doc_md=__doc__,
)
def transform_warehouse():
    @task
    def dbt_build() -> str:
        from ingestion.warehouse import build_warehouse

        return str(build_warehouse().build_file)

    @task(outlets=[WAREHOUSE_ASSET])
    def publish(build_file: str) -> str:
        from pathlib import Path

        from ingestion.warehouse import publish as publish_build

        return str(publish_build(Path(build_file)))

    @task
    def data_docs() -> str:
        """Great Expectations Data Docs of the night's validations, for the data team."""
        from ingestion.validation import build_data_docs

        return str(build_data_docs())

    publish(dbt_build()) >> data_docs()


transform_warehouse()
