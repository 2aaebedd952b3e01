"""Quarantine release with the real Great Expectations: fix the data (a country alias, a value
set), release, and every row is still accounted for."""

from __future__ import annotations

import json
from datetime import date

import polars as pl
import pytest
from test_validation import COUNTRY_ALIASES, spoil

from ingestion import config
from ingestion.raw.manifest import manifest_path, read_manifest, write_record
from ingestion.raw.quarantine import quarantine_path, release_quarantine, write_quarantine
from ingestion.raw.validation import build_data_docs, validate_batch
from ingestion.raw.validation import suites as suite_files

LOAD_DATE = date(2024, 3, 1)


@pytest.fixture
def aliases(tmp_path, monkeypatch):
    path = tmp_path / "country_aliases.csv"
    path.write_text(COUNTRY_ALIASES, encoding="utf-8")
    monkeypatch.setenv("CAPDEV_COUNTRY_ALIASES", str(path))
    return path


@pytest.fixture
def data(tmp_path, monkeypatch):
    path = tmp_path / "data"
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(path))
    monkeypatch.delenv("CAPDEV_VALUE_SETS", raising=False)
    return path


def land_and_validate(df: pl.DataFrame, platform: str, entity: str) -> tuple[str, dict]:
    """What the pipeline does with a landed batch: validate, accept, quarantine, record."""
    batch_id = f"{platform}__{entity}__{LOAD_DATE:%Y%m%d}"
    source = f"{platform}:{entity}?page=1"
    outcome = validate_batch(df, platform=platform, entity=entity, batch_id=batch_id, source=source)
    accepted = (
        config.accepted_dir() / platform / entity / f"load_date={LOAD_DATE}" / f"{batch_id}.parquet"
    )
    accepted.parent.mkdir(parents=True, exist_ok=True)
    outcome.accepted.write_parquet(accepted)
    write_quarantine(outcome.quarantined, platform, entity, batch_id)
    record = {
        "platform": platform,
        "entity": entity,
        "batch_id": batch_id,
        "load_date": LOAD_DATE.isoformat(),
        "source": source,
        "checksum": "0" * 64,
        "watermark_from": None,
        "watermark_to": None,
        "rows_in": outcome.rows_in,
        "rows_accepted": outcome.rows_accepted,
        "rows_quarantined": outcome.rows_quarantined,
        "status": outcome.status,
        "message": None,
        "started_at": "2024-03-02T01:00:00+00:00",
        "finished_at": "2024-03-02T01:01:00+00:00",
    }
    write_record(record)
    return batch_id, record


def accepted_rows(platform: str, entity: str) -> pl.DataFrame:
    files = sorted((config.accepted_dir() / platform / entity).rglob("*.parquet"))
    return pl.concat([pl.read_parquet(f) for f in files], how="vertical_relaxed")


def test_release_after_adding_a_country_alias(data, aliases):
    df = spoil(
        "academy",
        "enrolled_users",
        {2: {"country": "Atlantis"}, 3: {"country": "Atlantis", "email": "broken@"}},
    )
    batch_id, original = land_and_validate(df, "academy", "enrolled_users")
    assert (original["rows_in"], original["rows_accepted"], original["rows_quarantined"]) == (
        4,
        2,
        2,
    )

    # the data team adds the spelling to the aliases seed, then releases
    aliases.write_text(COUNTRY_ALIASES + "Atlantis,AT\n", encoding="utf-8")
    [result] = release_quarantine(platform="academy", entity="enrolled_users")

    release_id = f"{batch_id}__release_1"
    assert result.status == "released"
    assert result.release_batch_id == release_id
    assert (result.rows_in, result.rows_accepted, result.rows_quarantined) == (2, 1, 1)
    assert "released 1 of 2" in str(result)

    # the fixed row is a new accepted batch in the original load date's partition
    expected = config.accepted_dir() / "academy" / "enrolled_users" / f"load_date={LOAD_DATE}"
    assert result.accepted_path == expected / f"{release_id}.parquet"
    released = pl.read_parquet(result.accepted_path)
    assert released.columns == df.columns
    assert released["_row_number"].to_list() == [2]
    assert released["_batch_id"].to_list() == [release_id]
    assert released.drop("_batch_id").equals(
        df.filter(pl.col("_row_number") == 2).drop("_batch_id")
    )

    # the row that still fails stays quarantined, with today's reasons only
    still = pl.read_parquet(quarantine_path("academy", "enrolled_users", batch_id))
    assert dict(still.select("_row_number", "_reasons").iter_rows()) == {
        3: ["expect_column_values_to_match_regex(email)"]
    }
    # the quarantine file as it was before the release is kept for audit
    audit = config.quarantine_dir() / "_released" / "academy" / "enrolled_users"
    before = pl.read_parquet(audit / f"{release_id}.parquet")
    assert sorted(before["_row_number"]) == [2, 3]

    # manifest: a record for the release, the original record untouched
    record = json.loads(manifest_path("academy", "enrolled_users", release_id).read_text())
    assert record["status"] == "released"
    assert record["released_from"] == batch_id
    assert record["load_date"] == LOAD_DATE.isoformat()
    assert record["rows_in"] == record["rows_accepted"] + record["rows_quarantined"] == 2
    assert record["rows_accepted"] == 1
    for key in (
        "platform",
        "entity",
        "batch_id",
        "source",
        "checksum",
        "watermark_from",
        "watermark_to",
        "message",
        "started_at",
        "finished_at",
    ):
        assert key in record
    assert json.loads(manifest_path("academy", "enrolled_users", batch_id).read_text()) == original

    # every row of the landed batch is accounted for: accepted (original + release) or quarantined
    records = read_manifest("academy", "enrolled_users")
    assert all(r["rows_in"] == r["rows_accepted"] + r["rows_quarantined"] for r in records)
    assert accepted_rows("academy", "enrolled_users").height + still.height == df.height

    # nothing more to release: nothing is written
    [again] = release_quarantine(batch_id=batch_id)
    assert again.status == "nothing_released"
    assert (again.rows_in, again.rows_accepted, again.rows_quarantined) == (1, 0, 1)
    assert not manifest_path("academy", "enrolled_users", f"{batch_id}__release_2").exists()
    assert pl.read_parquet(quarantine_path("academy", "enrolled_users", batch_id)).height == 1

    # the release shows in Data Docs
    index = build_data_docs()
    assert index.is_file()


def test_release_after_extending_a_value_set(data, aliases, tmp_path):
    df = spoil("regional_offices", "participants", {2: {"gender": "Nonbinaire"}})
    batch_id, _ = land_and_validate(df, "regional_offices", "participants")
    assert release_quarantine(entity="participants")[0].status == "nothing_released"

    value_sets = tmp_path / "value_sets.yml"
    text = suite_files.value_sets_path().read_text(encoding="utf-8")
    value_sets.write_text(text.replace("  - Autre\n", "  - Autre\n  - Nonbinaire\n"), "utf-8")
    [result] = release_quarantine("regional_offices", value_sets=value_sets)
    assert result.status == "released"
    assert result.release_batch_id == f"{batch_id}__release_1"
    assert (result.rows_in, result.rows_accepted, result.rows_quarantined) == (1, 1, 0)
    # nothing left in quarantine; the old file is kept for audit
    assert result.quarantine_path is None
    assert not quarantine_path("regional_offices", "participants", batch_id).exists()
    assert release_quarantine("regional_offices") == []
    audit = config.quarantine_dir() / "_released" / "regional_offices" / "participants"
    assert [p.name for p in audit.iterdir()] == [f"{batch_id}__release_1.parquet"]
    assert accepted_rows("regional_offices", "participants").height == df.height


def test_release_rejected_by_a_structural_change_touches_nothing(data, aliases):
    df = spoil("academy", "enrolled_users", {2: {"country": "Atlantis"}})
    batch_id, _ = land_and_validate(df, "academy", "enrolled_users")
    path = quarantine_path("academy", "enrolled_users", batch_id)
    # e.g. the suite now requires a column these rows do not have
    pl.read_parquet(path).drop("city").write_parquet(path)
    before = path.read_bytes()
    aliases.write_text(COUNTRY_ALIASES + "Atlantis,AT\n", encoding="utf-8")
    [result] = release_quarantine("academy", "enrolled_users", batch_id)
    assert result.status == "rejected"
    assert "expect_column_to_exist(city)" in result.message
    assert path.read_bytes() == before
    assert not manifest_path("academy", "enrolled_users", f"{batch_id}__release_1").exists()
    assert not (config.quarantine_dir() / "_released").exists()


def test_release_without_filters_covers_every_platform(data, aliases):
    registrations = spoil("tsb_events", "registrations", {1: {"gender": "Q"}})
    land_and_validate(registrations, "tsb_events", "registrations")
    statements = spoil("gs_lrs", "statements", {1: {"verb_id": "x"}})
    land_and_validate(statements, "gs_lrs", "statements")
    results = release_quarantine()
    assert {(r.platform, r.entity, r.status) for r in results} == {
        ("tsb_events", "registrations", "nothing_released"),
        ("gs_lrs", "statements", "nothing_released"),
    }
    assert release_quarantine(platform="academy") == []
