"""Identity resolution inside the dbt build: which participant records are the same person.

Reads ``int_participant_records_unioned`` (one row per participant record of any platform) and
runs the Splink model of ``ingestion.identity`` (blocking, unsupervised training, scoring,
clustering with the country guard). Splink works on a private in-memory DuckDB connection;
only this model's result is written to the warehouse, by dbt, inside the one ``dbt build``
(the one-writer rule holds).

Two platform identifiers are added to what the records table holds:
  * an account key "<site host>|<login>": the Moodle username of an Academy record (the site is
    var academy_site_url) and the {homePage, name} account of an xAPI actor; an LRS fed by the
    Academy identifies its learners by their Academy login;
  * an xAPI account whose name is an e-mail address gives the record that e-mail.

Output, one row per participant record: platform, source_record_key (the platform's raw key, as
in the intermediate layer), cluster_id (an opaque label shared by the records of one person),
cluster_size and resolution (singleton / linked / split_by_country_guard). The pseudonymous
participant_key is derived from it in ``core.participant_crosswalk``, in SQL, with the same
secret as every other keyed hash.
"""

import hashlib
import logging
import sys
from urllib.parse import urlparse

# xAPI actor account keys are "<homePage>|<name>" (int_participant_records_unioned)
ACCOUNT_SITE = (
    r"lower(regexp_extract(records.source_record_key, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/|:]+)', 1))"
)
ACCOUNT_NAME = r"regexp_extract(records.source_record_key, '^[^|]*\|(.*)$', 1)"


def _progress_to_stdout() -> None:
    # dbt shows a Python model's stdout in its log: route the resolver's progress lines there.
    logger = logging.getLogger("ingestion.identity")
    if not any(getattr(h, "_capdev", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stdout)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        handler._capdev = True
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def model(dbt, session):
    dbt.config(materialized="table")
    import pyarrow as pa

    from ingestion.identity import DEFAULT_THRESHOLD, InputColumns, resolve

    _progress_to_stdout()
    threshold = float(dbt.config.get("identity_match_threshold") or DEFAULT_THRESHOLD)
    academy_host = urlparse(dbt.config.get("academy_site_url") or "").netloc.lower()

    records = (
        dbt.ref("int_participant_records_unioned")
        .filter("platform is not null and source_record_key is not null")
        .set_alias("records")
    )
    moodle = (
        dbt.ref("stg_academy__enrolled_users")
        .filter("username is not null and trim(username) != ''")
        .aggregate("source_record_key, min(lower(trim(username))) as username", "source_record_key")
        .set_alias("moodle")
    )
    is_xapi_account = (
        "records.platform = 'gs_lrs' and records.source_record_key not like 'mailto:%'"
    )
    moodle_account = (
        f"when records.platform = 'academy' and moodle.username is not null "
        f"then '{academy_host}|' || moodle.username"
        if academy_host
        else ""
    )
    keyed = records.join(
        moodle,
        "records.platform = 'academy' and records.source_record_key = moodle.source_record_key",
        how="left",
    ).select(
        f"""
        records.platform || '|' || records.source_record_key as record_id,
        records.name_latin, records.full_name, records.first_name, records.last_name,
        coalesce(
            records.email,
            case when {is_xapi_account} and {ACCOUNT_NAME} like '%_@_%.%' then {ACCOUNT_NAME} end
        ) as email,
        records.country,
        records.organization,
        case
            {moodle_account}
            when {is_xapi_account} and {ACCOUNT_SITE} != ''
                then {ACCOUNT_SITE} || '|' || lower({ACCOUNT_NAME})
        end as account_key
        """
    )
    resolved = resolve(
        session,
        keyed,
        threshold=threshold,
        columns=InputColumns(record_key="record_id", country="country"),
    ).arrow()
    if isinstance(resolved, pa.RecordBatchReader):
        resolved = resolved.read_all()

    record_ids = resolved.column("participant_record_key").to_pylist()
    # platform codes hold no '|': the first one separates the platform from its record key
    pairs = [r.split("|", 1) for r in record_ids]
    clusters = resolved.column("cluster_id").to_pylist()
    labels = {c: hashlib.sha256(c.encode()).hexdigest() for c in set(clusters)}
    return pa.table(
        {
            "platform": pa.array([p for p, _ in pairs], pa.string()),
            "source_record_key": pa.array([k for _, k in pairs], pa.string()),
            "cluster_id": pa.array([labels[c] for c in clusters], pa.string()),
            "cluster_size": resolved.column("cluster_size"),
            "resolution": resolved.column("resolution"),
        }
    )
