"""The load manifest helpers: atomic records, the row-count invariant, filtered reads."""

from __future__ import annotations

import json

import pytest

from ingestion.raw.manifest import manifest_path, read_manifest, write_record


def record(platform="academy", entity="courses", batch_id="academy__courses__20240301", **extra):
    return {
        "platform": platform,
        "entity": entity,
        "batch_id": batch_id,
        "load_date": "2024-03-01",
        "rows_in": 5,
        "rows_accepted": 4,
        "rows_quarantined": 1,
        "status": "partially_quarantined",
        **extra,
    }


def test_write_then_read_back(data_dir):
    path = write_record(record())
    assert path == data_dir / "manifest" / "academy" / "courses" / "academy__courses__20240301.json"
    assert path == manifest_path("academy", "courses", "academy__courses__20240301")
    assert json.loads(path.read_text(encoding="utf-8")) == record()
    assert read_manifest() == [record()]
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_rewrite_replaces_the_record(data_dir):
    write_record(record(status="landed", rows_accepted=None, rows_quarantined=None))
    write_record(record())
    assert read_manifest("academy", "courses") == [record()]


def test_filters(data_dir):
    write_record(record())
    write_record(record(entity="grades", batch_id="academy__grades__20240301"))
    write_record(record(platform="gs_lrs", entity="statements", batch_id="g"))
    assert len(read_manifest()) == 3
    assert [r["entity"] for r in read_manifest(platform="academy")] == ["courses", "grades"]
    assert [r["platform"] for r in read_manifest(entity="statements")] == ["gs_lrs"]
    assert read_manifest(platform="academy", entity="statements") == []


def test_row_counts_must_add_up(data_dir):
    with pytest.raises(ValueError, match="rows_in"):
        write_record(record(rows_in=6))
    # rejected and exact-duplicate rows are part of the balance
    write_record(record(rows_in=9, rows_rejected=3, rows_duplicate=1))
    with pytest.raises(ValueError, match="rows_rejected"):
        write_record(record(rows_in=9, rows_rejected=3))
    # counts not known yet (a landed batch) are fine
    write_record(record(rows_accepted=None, rows_quarantined=None, status="landed"))


def test_identity_is_required(data_dir):
    with pytest.raises(ValueError, match="batch_id"):
        write_record(record(batch_id=None))


def test_non_json_values_are_written_as_text(data_dir):
    from datetime import UTC, datetime

    moment = datetime(2024, 3, 2, 1, 0, tzinfo=UTC)
    write_record(record(started_at=moment))
    assert read_manifest()[0]["started_at"] == str(moment)
