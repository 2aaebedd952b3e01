"""Identity resolution inside the dbt build: which participant records are the same person.

Reads ``int_participant_records_unioned`` (one row per participant record of any platform) and
the Moodle usernames of ``stg_academy__enrolled_users``, and runs the Splink model of
``ingestion.warehouse.identity`` (profiles, blocking, unsupervised training, scoring, clustering
with the identity gate and the country guard). Splink works on a private in-memory DuckDB
connection; only this model's result is written to the warehouse, by dbt, inside the one ``dbt
build`` (the one-writer rule holds).

Output, one row per participant record: platform, source_record_key (the platform's raw key, as
in the intermediate layer), cluster_id (an opaque label shared by the records of one person),
cluster_size and resolution (singleton / linked / split_by_country_guard). The pseudonymous
participant_key is derived from it in ``core.participant_crosswalk``, in SQL, with the same
secret as every other keyed hash.
"""

import logging
import sys


def _progress_to_stdout() -> None:
    # dbt shows a Python model's stdout in its log: route the resolver's progress lines there.
    logger = logging.getLogger("ingestion.warehouse.identity")
    if not any(getattr(h, "_capdev", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        handler._capdev = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestion.warehouse.identity import (
        ACADEMY_SITE_URL,
        DEFAULT_THRESHOLD,
        resolve_participant_records,
    )

    _progress_to_stdout()
    # custom settings reach a Python model through meta (see _identity__models.yml)
    settings = dbt.config.get("meta") or {}
    return resolve_participant_records(
        session,
        dbt.ref("int_participant_records_unioned"),
        dbt.ref("stg_academy__enrolled_users"),
        threshold=float(settings.get("identity_match_threshold") or DEFAULT_THRESHOLD),
        academy_site_url=settings.get("academy_site_url") or ACADEMY_SITE_URL,
    )
