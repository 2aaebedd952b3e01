"""One ``ingest_<platform>`` DAG per platform of ``ingestion/platforms.yml``.

Each DAG pulls (API platforms) or picks up the inbox (file-drop platforms), lands the batches in
the raw zone, validates them with Great Expectations and emits the platform's Asset, which
schedules ``transform_warehouse``. A new platform is a new entry in the YAML file plus a connector.
"""

from __future__ import annotations

from airflow.sdk import dag, task
from capdev_alerts import morning_deadline
from capdev_defaults import (
    DEFAULT_ARGS,
    START_DATE,
    api_connection,
    deadline_alerts_on,
    raw_asset,
)

from ingestion.config import platforms


def build_ingest_dag(code: str):
    spec = platforms()[code]

    @dag(
        dag_id=f"ingest_{code}",
        description=spec.description,
        schedule=spec.schedule,
        # a night's load not finished by 06:00 UTC alerts the data team (docs/operations.md)
        deadline=morning_deadline(spec.schedule) if deadline_alerts_on() else None,
        start_date=START_DATE,
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["capdev", "ingest", spec.bureau, spec.kind],
        doc_md=f"""
### ingest_{code}
{spec.description} — bureau **{spec.bureau}**, entities: {", ".join(spec.entities)}.

Lands every pulled page or dropped file in the raw zone (`data/raw/`), records each batch in the
load manifest, validates it with Great Expectations (bad rows to `data/quarantine/`, structurally
broken batches rejected) and emits `capdev://raw/{code}`.
""",
    )
    def ingest():
        if spec.kind == "api":

            @task(task_id="extract_and_land")
            def extract_and_land(**context) -> list[dict]:
                from ingestion.raw.ingest import ingest_api

                return ingest_api(code, api_connection(spec.conn_id), context["logical_date"])

        else:

            @task(task_id="extract_and_land")
            def extract_and_land(**context) -> list[dict]:
                from ingestion.raw.ingest import ingest_drops

                return ingest_drops(code, context["logical_date"])

        @task(task_id="validate", outlets=[raw_asset(code)])
        def validate(batches: list[dict]) -> list[dict]:
            from ingestion.raw.ingest import validate_landed

            # Also validates what an interrupted earlier run of this platform left landed.
            return validate_landed(batches, platform=code)

        validate(extract_and_land())

    return ingest()


for _code in platforms():
    globals()[f"ingest_{_code}"] = build_ingest_dag(_code)
