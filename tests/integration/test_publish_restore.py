"""Publishing keeps the previous warehouses, and `capdev restore` puts one back atomically."""

from __future__ import annotations

import os
import time

import duckdb
import pytest

from ingestion import cli, config
from ingestion.publish.scan import PersonalDataFound
from ingestion.publish.warehouse import previous_builds, publish, restore


def _build(tmp_path, night: int):
    path = tmp_path / f"build-{night}.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("create schema core; create schema staging; create schema private")
        con.execute(f"create table core.night as select {night} as night")
        con.execute("create table staging.names as select 'Ada Lovelace' as name")
        con.execute(
            "create table private.personal_values as "
            "select 'full_name' as kind, 'ada lovelace' as personal_value"
        )
    return path


def _published_night() -> int:
    with duckdb.connect(str(config.published_warehouse()), read_only=True) as con:
        return con.execute("select night from core.night").fetchone()[0]


def _publish_nights(tmp_path, nights):
    for night in nights:
        publish(_build(tmp_path, night))
        time.sleep(0.01)  # distinct modification times, as on distinct nights


def test_publish_keeps_the_last_builds_and_restore_brings_one_back(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("CAPDEV_KEEP_BUILDS", "2")
    _publish_nights(tmp_path, [1, 2, 3, 4])
    assert _published_night() == 4
    kept = previous_builds()
    assert len(kept) == 2  # nights 3 and 2; night 1 pruned
    with duckdb.connect(str(kept[0]), read_only=True) as con:
        assert con.execute("select night from core.night").fetchone()[0] == 3
        # what was published never had the private schemas, and neither has its kept copy
        schemas = con.execute("select schema_name from information_schema.schemata").fetchall()
        assert ("core",) in schemas and ("staging",) not in schemas

    restore()
    assert _published_night() == 3
    # the restore is itself undoable: the bad night's warehouse is the newest kept one now
    restore()
    assert _published_night() == 4


def test_restore_a_named_build_through_the_cli(data_dir, tmp_path, capsys):
    _publish_nights(tmp_path, [1, 2, 3])
    assert cli.main(["restore", "--list"]) == 0
    names = capsys.readouterr().out.split()
    oldest = sorted(n for n in names if n.startswith("capdev-"))[0]
    assert cli.main(["restore", oldest]) == 0
    assert _published_night() == 1
    assert not any(p.name.endswith(".incoming") for p in config.published_dir().iterdir())


def test_restore_without_history_is_a_clear_error(data_dir, tmp_path, capsys):
    with pytest.raises(FileNotFoundError, match="no previous warehouse"):
        restore()
    publish(_build(tmp_path, 1))
    assert cli.main(["restore"]) == 1
    assert "no previous warehouse" in capsys.readouterr().err
    assert _published_night() == 1


def test_readers_of_the_replaced_warehouse_keep_reading(data_dir, tmp_path):
    publish(_build(tmp_path, 1))
    with duckdb.connect(str(config.published_warehouse()), read_only=True) as reader:
        publish(_build(tmp_path, 2))
        assert reader.execute("select night from core.night").fetchone()[0] == 1
    assert _published_night() == 2
    assert os.path.exists(previous_builds()[0])


def test_publish_refuses_a_build_whose_published_part_holds_a_personal_value(data_dir, tmp_path):
    publish(_build(tmp_path, 1))
    leaky = _build(tmp_path, 2)
    with duckdb.connect(str(leaky)) as con:
        con.execute("create table core.speakers as select 'Ada  LOVELACE' as speaker")
    with pytest.raises(PersonalDataFound, match=r"core\.speakers\.speaker: 1 personal value"):
        publish(leaky)
    assert _published_night() == 1  # the last good warehouse stays published
    assert not list(config.published_dir().glob("*.incoming"))
    # the private tier itself never reaches the published copy
    with duckdb.connect(str(config.published_warehouse()), read_only=True) as con:
        schemas = {
            r[0]
            for r in con.execute("select schema_name from information_schema.schemata").fetchall()
        }
    assert not schemas & {"staging", "intermediate", "private"}


def test_needs_build_only_when_a_batch_was_accepted_since_the_last_publish(data_dir, tmp_path):
    from datetime import UTC, datetime, timedelta

    from ingestion.raw.manifest import write_record
    from ingestion.warehouse.build import needs_build, request_full_refresh

    def record(batch: str, finished: datetime, status: str, accepted: int | None) -> None:
        write_record(
            {
                "platform": "tsb_events",
                "entity": "events",
                "batch_id": batch,
                "rows_in": 3 if accepted is not None else None,
                "rows_accepted": accepted,
                "rows_quarantined": 0 if accepted is not None else None,
                "rows_unchanged": 3 - accepted if accepted is not None else None,
                "status": status,
                "finished_at": finished.isoformat(),
            }
        )

    assert not needs_build()  # nothing landed: the morning fallback has nothing to build
    record("tsb_events__events__20261101", datetime.now(UTC), "landed", None)  # not validated
    assert not needs_build()
    record("tsb_events__events__20261102", datetime.now(UTC) - timedelta(hours=1), "accepted", 3)
    assert needs_build()
    publish(_build(tmp_path, 1))
    assert not needs_build()
    later = datetime.now(UTC) + timedelta(minutes=1)
    # a quiet night: pulls with nothing new, or full-state pulls identical to what was accepted
    record("tsb_events__events__20261103", later, "empty", 0)
    record("tsb_events__events__20261104", later, "unchanged", 0)
    assert not needs_build()
    request_full_refresh()  # an erasure: incremental models must forget too
    assert needs_build()
    (data_dir / "warehouse" / "full_refresh_requested").unlink()
    assert not needs_build()
    record("tsb_events__events__20261105", later, "accepted", 3)
    assert needs_build()


def test_published_warehouse_opens_in_duckdb_1x_and_holds_no_byte_of_the_private_tier(
    data_dir, tmp_path
):
    from duckdb1 import read_with_duckdb1

    build = _build(tmp_path, 7)
    with duckdb.connect(str(build)) as con:
        con.execute("comment on table core.night is 'The night of the build.'")
        con.execute("create view core.night_view as select night * 2 as twice from core.night")
        # a large private table: its blocks would survive in a copy that merely dropped it
        con.execute(
            "create table staging.many as "
            "select 'Ada Lovelace ' || i as name from range(50000) t(i)"
        )
    published = publish(build)
    seen = read_with_duckdb1(published)
    assert seen["version"].startswith("1.")
    assert {name: t["rows"] for name, t in seen["tables"].items()} == {
        "core.night": 1,
        "core.night_view": 1,  # a view is published as its rows
    }
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select twice from core.night_view").fetchone() == (14,)
        assert con.execute(
            "select comment from duckdb_tables() where table_name = 'night'"
        ).fetchone() == ("The night of the build.",)
    # not a value of the private tier anywhere in the file's bytes, freed blocks included
    raw = published.read_bytes()
    assert b"Lovelace" not in raw and b"lovelace" not in raw
