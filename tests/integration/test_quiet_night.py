"""A quiet night costs what changed: a full-state pull equal to what was accepted lands nothing.

Through the real landing code, the real sandbox servers and Great Expectations: a second night
over the same sandbox records the Academy's whole lists (categories, customcerts) and course
snapshots (enrolments, grades) ``unchanged`` and lands no batch, the warehouse needs no build
and, built anyway, publishes the same rows; a night after ``advance`` lands what changed; a pull
that repeats rows once quarantined lands and is validated again.
"""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime, timedelta

import polars as pl
import pytest
import yaml
from warehouse_compare import assert_same_warehouse

from ingestion import config
from ingestion.connectors.base import ApiConnection, EntityExtract, RawPage
from ingestion.raw import batch as batches
from ingestion.raw import ingest as pipeline
from ingestion.raw import landing
from ingestion.raw.manifest import read_manifest

FIRST_NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # the published_sandbox fixture's night
API_PLATFORMS = ("academy", "tsb_events", "gs_lrs")
FILE_PLATFORMS = ("br_seminars", "regional_offices")


def _connection(code: str, server) -> ApiConnection:
    creds = server.credentials
    if code == "gs_lrs":
        return ApiConnection(
            server.endpoint, username=creds["username"], password=creds["password"]
        )
    return ApiConnection(server.url, token=creds["token"])


def _night(servers: dict, night: datetime) -> list[dict]:
    """Every platform's ingest steps for one night (the inboxes hold whatever was dropped)."""
    done = []
    for code in API_PLATFORMS:
        landed = pipeline.ingest_api(code, _connection(code, servers[code]), night)
        done += pipeline.validate_landed(landed, platform=code)
    for code in FILE_PLATFORMS:
        done += pipeline.validate_landed(pipeline.ingest_drops(code, night), platform=code)
    return done


def _records(load_date: str) -> dict[tuple[str, str], dict]:
    return {(r["platform"], r["entity"]): r for r in read_manifest() if r["load_date"] == load_date}


# ---------------------------------------------------------------------------- the content hash


def _frame(records: list[dict]) -> pl.DataFrame:
    return landing.records_frame(
        records,
        platform="academy",
        entity="enrolled_users",
        batch_id="b",
        loaded_at=datetime.now(UTC),
    )


def test_content_hash_ignores_row_and_column_order_and_sees_every_value():
    rows = [
        {"courseid": 2, "id": 10, "email": "a@x.org", "note": None},
        {"courseid": 2, "id": 11, "email": "b@x.org", "note": ""},
        {"courseid": 3, "id": 10, "email": "a@x.org", "note": None},
    ]
    hashes = landing.content_hashes(_frame(rows), ("courseid",))
    assert set(hashes) == {"[2]", "[3]"}
    reordered = [{k: r[k] for k in reversed(list(r))} for r in reversed(rows)]
    assert landing.content_hashes(_frame(reordered), ("courseid",)) == hashes
    # one value changed: only its course's hash moves
    edited = [dict(rows[0], email="c@x.org"), *rows[1:]]
    moved = landing.content_hashes(_frame(edited), ("courseid",))
    assert moved["[2]"] != hashes["[2]"] and moved["[3]"] == hashes["[3]"]
    # a null and an empty text are different contents; so is a repeated row
    blank = [rows[0], dict(rows[1], note=None), rows[2]]
    assert landing.content_hashes(_frame(blank), ("courseid",))["[2]"] != hashes["[2]"]
    doubled = [*rows, rows[2]]
    assert landing.content_hashes(_frame(doubled), ("courseid",))["[3]"] != hashes["[3]"]
    assert set(landing.content_hashes(_frame(rows))) == {"[]"}  # no scope: one hash


def test_full_state_entities_are_ones_whose_current_state_allows_skipping():
    """An entity declared full_state (platforms.yml) must be derived by a rule that reads only
    the newest batch holding each scope (dbt_project.yml's current_state), never by landing
    dates (since_parent), and a scoped snapshot's scope must be the one declared."""
    project = yaml.safe_load((config.PROJECT_ROOT / "dbt_project" / "dbt_project.yml").read_text())
    rules = project["vars"]["current_state"]
    for code, spec in config.platforms().items():
        assert spec.kind == "api" or not spec.full_state, code
        entity_rules = rules.get(code) or {}
        parents = {r.get("parent") for r in entity_rules.values() if r["rule"] == "since_parent"}
        for entity, scope in spec.full_state.items():
            assert entity in spec.entities, (code, entity)
            rule = entity_rules.get(entity, {"rule": "latest"})
            assert rule["rule"] in ("latest", "scoped_snapshot", "within"), (code, entity)
            assert entity not in parents, (code, entity)
            if rule["rule"] == "scoped_snapshot":
                assert tuple(rule["scope"]) == scope, (code, entity)


# ---------------------------------------------------------------------------- the nights


@pytest.fixture(scope="module")
def quiet(published_sandbox, sandbox_servers, tmp_path_factory):
    """The published sandbox's data folder, copied, then one more night over the same sandbox."""
    from ingestion.warehouse.build import needs_build

    data = tmp_path_factory.mktemp("quiet") / "data"
    shutil.copytree(published_sandbox, data)
    before = data / "published" / "capdev.duckdb"
    kept = tmp_path_factory.mktemp("before") / "capdev.duckdb"
    shutil.copy2(before, kept)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DATA_DIR", str(data))
        night = FIRST_NIGHT + timedelta(days=1)
        outcome = _night(sandbox_servers, night)
        yield {
            "data": data,
            "night": night,
            "outcome": outcome,
            "needs_build": needs_build(),
            "published_before": kept,
            "records": _records(night.date().isoformat()),
        }


def test_a_quiet_night_lands_nothing(quiet):
    records = quiet["records"]
    statuses = {key: r["status"] for key, r in records.items()}
    full_state = {("academy", e) for e in config.platforms()["academy"].full_state}
    assert {statuses[key] for key in full_state} == {"unchanged"}, statuses
    # everything else of the night was an incremental pull with nothing new
    assert set(statuses.values()) <= {"unchanged", "empty"}, statuses
    day = f"load_date={quiet['night'].date().isoformat()}"
    landed = (quiet["data"] / "raw" / "landed").rglob(f"{day}/*.parquet")
    assert [p.name for p in landed if pl.read_parquet(p).height] == []  # (empty pulls: 0 rows)
    assert not list((quiet["data"] / "raw" / "accepted").rglob(f"{day}/*.parquet"))
    for key in full_state:
        record = records[key]
        # the rows are counted (the record balances) and the source was seen to be read
        assert record["rows_unchanged"] > 0 and record["rows_in"] == record["rows_unchanged"]
        assert record["checked_at"] and record["same_as"].startswith(f"academy__{key[1]}__")
    assert all(b["status"] not in batches.NEEDS_ATTENTION for b in quiet["outcome"])


def test_a_quiet_night_moves_the_watermarks_on(quiet):
    """An unchanged pull delivered its window (every row of it is accepted already): the next
    night pulls on from it, not from the first night again."""
    after = quiet["night"] + timedelta(days=1)
    marks = batches.watermarks("academy", config.platforms()["academy"].entities, after.date())
    for entity in config.platforms()["academy"].full_state:
        assert marks[entity] == quiet["records"][("academy", entity)]["watermark_to"], entity


def test_a_quiet_night_needs_no_build_and_changes_no_row(quiet):
    """Nothing accepted since the publish: the warehouse DAG skips the build. Built anyway,
    the warehouse holds the same rows as before the night."""
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse

    assert quiet["needs_build"] is False
    publish(build_warehouse().build_file)
    assert_same_warehouse(
        quiet["published_before"],
        quiet["data"] / "published" / "capdev.duckdb",
        skip_tables={
            "ops.load_manifest": "the quiet night's records are new rows by design",
            "ops.identity_runs": "one row per identity resolution run, with its timing",
        },
        row_filters={"core.activities_snapshot": "dbt_valid_to is null"},
    )


def test_a_changed_snapshot_lands_and_calls_for_a_build(quiet, sandbox_tree, tmp_path):
    """After a day of changes (enrolments, an unenrolment, a corrected surname), the course
    snapshots differ from what was accepted: they land, are validated, and the warehouse is
    built again."""
    from ingestion.warehouse.build import needs_build
    from sandbox.generator.advance import advance
    from sandbox.servers import start_server

    sandbox = tmp_path / "sandbox"
    shutil.copytree(sandbox_tree, sandbox)  # the session's tree stays untouched
    advance(sandbox, days=1)
    night = quiet["night"] + timedelta(days=1)
    server = start_server("academy", sandbox)
    try:
        landed = pipeline.ingest_api("academy", _connection("academy", server), night)
    finally:
        server.stop()
    outcome = {b["entity"]: b for b in pipeline.validate_landed(landed, platform="academy")}
    assert outcome["enrolled_users"]["status"] == "accepted", outcome["enrolled_users"]
    assert outcome["enrolled_users"]["rows_accepted"] > 0
    assert outcome["categories"]["status"] == "unchanged"  # the category tree did not move
    assert needs_build()


# ---------------------------------------------------------------------------- quarantine


def _categories(names: list[str | None]) -> EntityExtract:
    records = [
        {
            "id": number,
            "name": name,
            "description": "",
            "parent": 0,
            "sortorder": number,
            "coursecount": 1,
            "depth": 1,
            "path": f"/{number}",
        }
        for number, name in enumerate(names, start=1)
    ]
    page = RawPage("0001.json", repr(records).encode(), "core_course_get_categories")
    return EntityExtract("categories", records, [page])


def test_a_repeated_pull_whose_rows_were_quarantined_lands_again(data_dir):
    """Identical content is skipped only after a batch accepted whole: rows once quarantined
    are validated again each time they come (and a whole acceptance then settles it)."""
    shaky = ["ITU Academy", None, "BDT"]  # a category without a name is quarantined
    for day in (1, 2):
        night = FIRST_NIGHT + timedelta(days=day)
        landed = landing.land_extract("academy", _categories(shaky), night.date())
        assert landed.status == batches.LANDED
        (outcome,) = pipeline.validate_landed([landed.to_dict()])
        assert outcome["status"] == batches.PARTIALLY_QUARANTINED
    fixed = ["ITU Academy", "BR", "BDT"]
    for day, expected in ((3, batches.LANDED), (4, batches.UNCHANGED), (5, batches.UNCHANGED)):
        night = FIRST_NIGHT + timedelta(days=day)
        landed = landing.land_extract("academy", _categories(fixed), night.date())
        assert landed.status == expected, day
        pipeline.validate_landed([landed.to_dict()])
    # a rerun of day 3 now finds day 2's quarantined batch before it: it lands again
    rerun = (FIRST_NIGHT + timedelta(days=3)).date()
    again = landing.land_extract("academy", _categories(fixed), rerun)
    assert again.status == batches.LANDED


# ---------------------------------------------------------------------------- freshness


def test_source_freshness_counts_a_source_read_unchanged(data_dir):
    """dbt source freshness (the project's own macro, real dbt): categories accepted five days
    ago and read unchanged today are fresh; certificate templates accepted five days ago and
    not read since are stale."""
    from ingestion.warehouse.build import check_source_freshness

    old = datetime.now(UTC) - timedelta(days=5)
    templates = [{"id": 1, "course": 2, "name": "Certificate", "coursemodule": 9, "intro": ""}]
    first = [
        landing.land_extract("academy", _categories(["ITU Academy", "BR"]), old.date(), old),
        landing.land_extract("academy", EntityExtract("customcerts", templates), old.date(), old),
    ]
    assert {b["status"] for b in pipeline.validate_landed([b.to_dict() for b in first])} == {
        batches.ACCEPTED
    }
    today = landing.land_extract("academy", _categories(["ITU Academy", "BR"]), date.today())
    assert today.status == batches.UNCHANGED
    rows = {(r["source"], r["table"]): r for r in check_source_freshness()}
    assert rows[("academy", "categories")]["status"] == "pass", rows[("academy", "categories")]
    assert rows[("academy", "customcerts")]["status"] == "error"
    assert rows[("academy", "customcerts")]["hours_since_loaded"] > 96


def test_a_batch_landed_without_hashes_is_never_looked_past(data_dir):
    """A batch recorded before content hashes existed (or hashed by another scope) may hold any
    course: a pull equal to an older hashed batch still lands, since the newer one may differ."""
    from ingestion.raw.manifest import read_record, write_record

    days = [(FIRST_NIGHT + timedelta(days=n)).date() for n in (1, 2, 3)]
    for day, names in ((days[0], ["ITU Academy", "BR"]), (days[1], ["ITU Academy", "TSB"])):
        landed = landing.land_extract("academy", _categories(names), day)
        (outcome,) = pipeline.validate_landed([landed.to_dict()])
        assert outcome["status"] == batches.ACCEPTED
    older = read_record("academy", "categories", f"academy__categories__{days[1]:%Y%m%d}")
    write_record({k: v for k, v in older.items() if k not in ("content_hashes", "content_scope")})
    again = landing.land_extract("academy", _categories(["ITU Academy", "BR"]), days[2])
    assert again.status == batches.LANDED
