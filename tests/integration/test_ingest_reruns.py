"""The raw zone under reruns, backfills and awkward drops: nothing duplicated, nothing lost."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta

import duckdb
import pytest

from ingestion import config
from ingestion.connectors.base import ApiConnection
from ingestion.raw import ingest as pipeline
from ingestion.raw.manifest import read_manifest
from sandbox.generator.file_faults import apply_file_fault

NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)


def _accepted_rows(platform: str, entity: str) -> int:
    pattern = config.accepted_dir() / platform / entity / "**" / "*.parquet"
    return duckdb.execute(f"select count(*) from read_parquet('{pattern}')").fetchall()[0][0]


def _tsb(server) -> ApiConnection:
    return ApiConnection(base_url=server.url, token=server.credentials["token"])


def test_rerun_of_a_date_rewrites_its_batches_and_a_backfill_pulls_only_what_is_new(
    data_dir, sandbox_tree, sandbox_servers
):
    expected = json.loads((sandbox_tree / "ground_truth" / "expected_counts.json").read_text())
    conn = _tsb(sandbox_servers["tsb_events"])
    pipeline.validate_landed(pipeline.ingest_api("tsb_events", conn, NIGHT))
    pipeline.validate_landed(pipeline.ingest_api("tsb_events", conn, NIGHT))  # a rerun
    assert _accepted_rows("tsb_events", "events") == expected["tsb_events"]["events"]
    # a backfill of the next three nights: the watermark moved, nothing new is pulled
    for day in range(1, 4):
        batches = pipeline.ingest_api("tsb_events", conn, NIGHT + timedelta(days=day))
        pipeline.validate_landed(batches)
        assert {b["rows"] for b in batches} == {0}
    assert _accepted_rows("tsb_events", "events") == expected["tsb_events"]["events"]
    assert _accepted_rows("tsb_events", "registrations") == expected["tsb_events"]["registrations"]
    records = read_manifest(platform="tsb_events", entity="events")
    assert len({r["batch_id"] for r in records}) == 4  # one batch per logical date


@pytest.fixture
def regional_inbox(data_dir, sandbox_tree):
    """The first two exports of one office, dropped in its inbox."""
    source = sandbox_tree / "drops" / "regional_offices" / "europe"
    inbox = config.inbox_dir("regional_offices") / "europe"
    inbox.mkdir(parents=True)
    files = sorted(source.glob("*.csv"))[:2]
    for path in files:
        shutil.copy2(path, inbox / path.name)
    return inbox, files


def test_duplicate_and_empty_files_are_recorded_not_loaded(regional_inbox, tmp_path):
    inbox, files = regional_inbox
    pipeline.validate_landed(pipeline.ingest_drops("regional_offices", NIGHT))
    rows = _accepted_rows("regional_offices", "participants")
    assert rows > 0 and not list(inbox.iterdir())  # moved into the raw zone, not deleted
    # the same file sent again under another name, and an empty export
    shutil.copy2(apply_file_fault("duplicate_resent", files[0], tmp_path), inbox)
    shutil.copy2(apply_file_fault("empty_file", files[1], tmp_path / "e"), inbox)
    batches = pipeline.ingest_drops("regional_offices", NIGHT + timedelta(days=1))
    pipeline.validate_landed(batches)
    assert sorted(b["status"] for b in batches) == ["duplicate", "empty"]
    assert _accepted_rows("regional_offices", "participants") == rows
    archived = list((config.archive_dir() / "regional_offices").rglob("*.csv"))
    assert len(archived) == 4  # every file kept, byte for byte


def test_a_file_missing_a_column_is_rejected_by_name_and_the_others_land(regional_inbox, tmp_path):
    inbox, files = regional_inbox
    (inbox / files[1].name).unlink()
    shutil.copy2(apply_file_fault("renamed_column", files[1], tmp_path), inbox)
    landed = pipeline.ingest_drops("regional_offices", NIGHT)  # a bad file never stops the step
    with pytest.raises(pipeline.IngestionFailed) as failure:
        pipeline.validate_landed(landed)
    message = str(failure.value)
    assert "regional_offices" in message and files[1].stem in message
    records = read_manifest(platform="regional_offices")
    statuses = sorted(r["status"] for r in records)
    # the bad file is rejected on its own; every other file was validated in the same run
    assert statuses.count("rejected") == 1 and "landed" not in statuses
    assert statuses.count("accepted") + statuses.count("partially_quarantined") == len(files) - 1
    assert _accepted_rows("regional_offices", "participants") > 0


def test_malformed_rows_are_quarantined_with_their_row_number(regional_inbox, tmp_path):
    inbox, files = regional_inbox
    (inbox / files[0].name).unlink()
    shutil.copy2(apply_file_fault("malformed_rows", files[0], tmp_path), inbox)
    batches = pipeline.validate_landed(pipeline.ingest_drops("regional_offices", NIGHT))
    for batch in batches:
        assert batch["rows"] == batch["rows_accepted"] + batch["rows_quarantined"]
    assert sum(b["rows_quarantined"] for b in batches) > 0
    held = duckdb.sql(
        f"select _row_number, _reasons from read_parquet('{config.quarantine_dir()}/**/*.parquet')"
    ).fetchall()
    assert held and all(number > 0 for number, _ in held)
    assert all(any(r.startswith("unreadable row") for r in reasons) for _, reasons in held)
