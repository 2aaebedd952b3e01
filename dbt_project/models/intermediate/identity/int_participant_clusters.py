"""Identity resolution inside the dbt build: which participant records are the same person.

Reads ``int_participant_records_for_linking`` (one row per participant record, one shape for
every platform) and runs ``ingestion.warehouse.identity.resolve_participant_records``: profiles,
blocking, unsupervised training (or the deterministic rules alone when the data is too small
to train on), scoring, clustering with the identity gate and the country guard. Splink works on
a private in-memory DuckDB connection; only this model's result is written to the warehouse, by
dbt, inside the one ``dbt build`` (the one-writer rule holds). Each run's summary (records,
method, links, seconds) is appended to ``identity_runs.jsonl`` next to the warehouse file,
which ``ops.identity_runs`` reads.

Reviewed decisions (``int_identity_decisions``, from the seed identity_decisions) are applied
after clustering: a cannot-link splits a cluster, a must-link joins two.

Output, one row per participant record: platform, source_record_key, cluster_id (an opaque
label shared by the records of one person), cluster_size, resolution (singleton / linked /
split_by_country_guard / split_by_name_guard / reviewed) and pairs (the pairs behind the
clusters on the record with the smaller record id, unnested by ``int_participant_pairs``).
The pseudonymous participant_key is derived from it in ``core.participant_crosswalk``, in SQL,
with the same secret as every other keyed hash.
"""

import logging
import sys
from pathlib import Path


def _progress_to_stdout() -> None:
    # dbt shows a Python model's stdout in its log: route the resolver's progress lines there.
    logger = logging.getLogger("ingestion.warehouse.identity")
    if not any(getattr(h, "_capdev", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        handler._capdev = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def _run_log(session):
    # the path macro capdev_identity_run_log gives ops.identity_runs: next to the warehouse file
    rows = session.sql(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchall()
    path = rows[0][0] if rows else None
    if not path or path == ":memory:":
        return None
    return Path(path.rsplit("/", 1)[0]) / "identity_runs.jsonl"


def model(dbt, session):
    dbt.config(materialized="table")
    from ingestion.warehouse.identity import DEFAULT_THRESHOLD, resolve_participant_records

    _progress_to_stdout()
    # custom settings reach a Python model through meta (see _identity__models.yml)
    settings = dbt.config.get("meta") or {}
    review_from = settings.get("identity_review_min_probability")
    return resolve_participant_records(
        session,
        dbt.ref("int_participant_records_for_linking"),
        threshold=float(settings.get("identity_match_threshold") or DEFAULT_THRESHOLD),
        pairs_from=float(review_from) if review_from else None,
        decisions=dbt.ref("int_identity_decisions"),
        run_log=_run_log(session),
    )
