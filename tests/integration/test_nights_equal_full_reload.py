"""Many nights, one answer: N incremental nights over a sandbox that advances day by day publish
the same warehouse as one full reload of the final sandbox into an empty data folder.

Every night runs the pipeline's own steps (the functions the Airflow tasks call): the real
connectors against the real sandbox servers (restarted on the advanced files), the file drops
delivered to the inboxes as the bureaux would (only what changed), Great Expectations
validation; the dbt build and publish run after night ``BUILD_AFTER[0]`` (so incremental models
and the snapshot carry state across nights) and after the last night. Between nights
``sandbox.generator.advance`` brings every kind of change (new activities, registrations,
enrolments, late grades, completions, certificates, renamed courses and events, corrected names,
voided xAPI statements, re-sent corrected files, unenrolments and cancelled registrations).
The comparison is ``tests/warehouse_compare.py``: table by table, row by row, load timestamps
and batch ids left out.
"""

from __future__ import annotations

import hashlib
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest
from warehouse_compare import assert_same_warehouse

from ingestion import config
from ingestion.connectors.base import ApiConnection
from ingestion.publish.warehouse import publish
from ingestion.raw import ingest as pipeline
from ingestion.raw.manifest import read_manifest
from ingestion.warehouse.build import build_warehouse
from sandbox.generator.advance import advance, read_state
from sandbox.servers import start_server

pytestmark = pytest.mark.slow

NIGHTS = 5  # advanced days after the first load, each followed by its night
BUILD_AFTER = (2, NIGHTS)  # nights after which the warehouse is built and published
API_PLATFORMS = ("academy", "tsb_events", "gs_lrs")
FILE_PLATFORMS = ("br_seminars", "regional_offices")

# Every kind of change sandbox.generator.advance makes; each must happen in the test's nights.
CHANGE_KINDS = (
    "academy_new_courses",
    "academy_enrolments",
    "academy_late_grades",
    "academy_completions",
    "academy_certificates",
    "academy_renamed_courses",
    "academy_corrected_names",
    "academy_unenrolments",
    "tsb_new_events",
    "tsb_registrations",
    "tsb_attendance",
    "tsb_renamed_events",
    "tsb_corrected_names",
    "tsb_cancelled_registrations",
    "lrs_registrations",
    "lrs_attendance",
    "lrs_voided",
    "br_resent_workbooks",
    "regional_resent_exports",
)
# Tables that record the loading itself, not the data: they differ by design.
SKIP_TABLES = {
    "ops.load_manifest": "one record per batch: six nights land more batches than one reload",
    "ops.identity_runs": "one row per identity resolution run, with its timing",
}
# The snapshot keeps the history of every edit across nights; its current rows must agree.
ROW_FILTERS = {"core.activities_snapshot": "dbt_valid_to is null"}


def _night_date(sandbox: Path) -> datetime:
    """The logical date of the night after the sandbox's present (01:00 UTC the next day)."""
    as_of = datetime.fromisoformat(read_state(sandbox)["as_of"])
    return datetime(as_of.year, as_of.month, as_of.day, 1, 0, tzinfo=UTC) + timedelta(days=1)


def _connection(code: str, server) -> ApiConnection:
    creds = server.credentials
    if code == "gs_lrs":
        return ApiConnection(
            server.endpoint, username=creds["username"], password=creds["password"]
        )
    return ApiConnection(server.url, token=creds["token"])


def _deliver_changed(sandbox: Path, delivered: dict[str, str]) -> int:
    """Copy into the inboxes the drop files that are new or changed since the last delivery."""
    count = 0
    for platform in FILE_PLATFORMS:
        source = sandbox / "drops" / platform
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            key = str(path.relative_to(sandbox))
            if delivered.get(key) == digest:
                continue
            target = config.inbox_dir(platform) / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            delivered[key] = digest
            count += 1
    return count


def _run_night(sandbox: Path, night: datetime, delivered: dict[str, str]) -> None:
    """One night of ingestion: every API platform, then the dropped files, all validated."""
    servers = {code: start_server(code, sandbox) for code in API_PLATFORMS}
    try:
        for code, server in servers.items():
            pipeline.validate_landed(pipeline.ingest_api(code, _connection(code, server), night))
    finally:
        for server in servers.values():
            server.stop()
    _deliver_changed(sandbox, delivered)
    for platform in FILE_PLATFORMS:
        pipeline.validate_landed(pipeline.ingest_drops(platform, night))


def _build_and_publish() -> Path:
    build_warehouse()
    return publish()


def _failed_batches() -> list[str]:
    return [
        f"{r['batch_id']}: {r['status']} {r.get('message') or ''}"
        for r in read_manifest()
        if r["status"] in ("rejected", "ignored", "landed")
    ]


@pytest.fixture(scope="module")
def nights(sandbox_tree, tmp_path_factory):
    """Run the incremental nights, then the full reload; yield both published warehouses."""
    root = tmp_path_factory.mktemp("nights")
    sandbox = root / "sandbox"
    shutil.copytree(sandbox_tree, sandbox)  # the session's tree stays untouched
    mp = pytest.MonkeyPatch()
    try:
        mp.setenv("CAPDEV_DATA_DIR", str(root / "incremental"))
        delivered: dict[str, str] = {}
        _run_night(sandbox, _night_date(sandbox), delivered)  # the first load
        for number in range(1, NIGHTS + 1):
            advance(sandbox, days=1)
            _run_night(sandbox, _night_date(sandbox), delivered)
            if number in BUILD_AFTER:
                incremental = _build_and_publish()
        incremental_failures = _failed_batches()

        mp.setenv("CAPDEV_DATA_DIR", str(root / "full"))
        _run_night(sandbox, _night_date(sandbox), {})
        full = _build_and_publish()
        full_failures = _failed_batches()
        yield {
            "sandbox": sandbox,
            "incremental": incremental,
            "full": full,
            "failures": incremental_failures + full_failures,
        }
    finally:
        mp.undo()


def test_every_kind_of_change_happened(nights):
    changes = read_state(nights["sandbox"])["changes"]
    assert [kind for kind in CHANGE_KINDS if not changes.get(kind)] == []
    assert nights["failures"] == []  # every batch of every night delivered


def test_incremental_nights_publish_what_a_full_reload_publishes(nights):
    assert_same_warehouse(
        nights["incremental"],
        nights["full"],
        skip_tables=SKIP_TABLES,
        row_filters=ROW_FILTERS,
    )


def test_deletions_and_new_records_reached_the_warehouse(nights):
    """Participations per platform and the activities equal the advanced ground truth: the
    unenrolled, cancelled, voided and removed lines are gone, the new ones are in."""
    truth = nights["sandbox"] / "ground_truth"
    expected = dict(
        pl.read_parquet(truth / "participations.parquet").group_by("platform").len().iter_rows()
    )
    activities = set(
        pl.read_parquet(truth / "activities.parquet")
        .select("platform", "source_activity_key")
        .iter_rows()
    )
    with duckdb.connect(str(nights["incremental"]), read_only=True) as con:
        got = dict(
            con.execute("select platform, count(*) from core.participations group by 1").fetchall()
        )
        published = set(
            con.execute("select platform, source_activity_key from core.activities").fetchall()
        )
    assert got == expected
    assert published == activities
