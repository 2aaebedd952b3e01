"""A batch's life under bad inputs and interruptions: no good row is ever lost or doubled.

Real files, the real readers and Great Expectations; the bad inputs are written here by hand,
not by the sandbox generator, and the interruptions are real SIGKILLs of a real process.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import polars as pl
import pytest

from ingestion import config
from ingestion.connectors.base import EntityExtract
from ingestion.raw import batch as batches
from ingestion.raw import ingest as pipeline
from ingestion.raw import landing
from ingestion.raw.manifest import read_manifest

NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[2]


def _accepted(platform: str, entity: str) -> list[tuple]:
    """The accepted data rows (lineage that depends on the run left out), sorted."""
    files = sorted((config.accepted_dir() / platform / entity).rglob("*.parquet"))
    if not files:
        return []
    frame = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    keep = [c for c in frame.columns if not c.startswith("_") or c == "_row_number"]
    return sorted(frame.select(sorted(keep)).rows(), key=repr)


def _office_files(sandbox_tree: Path, office: str, count: int) -> list[Path]:
    return sorted((sandbox_tree / "drops" / "regional_offices" / office).glob("*.csv"))[:count]


def _drop(files: list[Path], office: str) -> Path:
    inbox = config.inbox_dir("regional_offices") / office
    inbox.mkdir(parents=True, exist_ok=True)
    for path in files:
        shutil.copy2(path, inbox / path.name)
    return inbox


def test_bad_files_are_isolated_and_every_good_row_is_published(data_dir, sandbox_tree):
    good = _office_files(sandbox_tree, "europe", 3) + _office_files(sandbox_tree, "africa", 2)
    more = _office_files(sandbox_tree, "africa", 4)[2:]  # two more exports, under odd names
    _drop(good[:3], "europe")
    africa = _drop(good[3:], "africa")
    root = config.inbox_dir("regional_offices")
    # the bad inputs, each of a different kind
    (africa / "binary.csv").write_bytes(bytes(range(256)) * 40)
    # an office export without its first column (same office, same format otherwise)
    text = good[3].read_bytes().decode(_encoding(good[3]))
    delimiter = max(";,\t", key=text.splitlines()[0].count)
    cut = [delimiter.join(line.split(delimiter)[1:]) for line in text.splitlines()]
    (africa / "missing_column.csv").write_bytes("\n".join(cut).encode(_encoding(good[3])))
    (root / "atlantis").mkdir()
    shutil.copy2(good[0], root / "atlantis" / "unknown_office.csv")
    shutil.copy2(more[0], africa / ("very_long_name_" * 13 + ".csv"))  # a good file, long name
    shutil.copy2(more[1], africa / f"{good[4].stem}.txt")  # X.csv beside X.txt: two files
    (africa / "old_export.xls").write_bytes(b"\xd0\xcf\x11\xe0 not today")
    (root / "stray.csv").write_text("a;b\n1;2\n", encoding="utf-8")
    (africa / ".DS_Store").write_bytes(b"\x00\x01")

    landed = pipeline.ingest_drops("regional_offices", NIGHT)  # never raises for a bad file
    with pytest.raises(pipeline.IngestionFailed) as failure:
        pipeline.validate_landed(landed, platform="regional_offices")
    message = str(failure.value)
    for name in ("binary.csv", "missing_column.csv", "unknown_office.csv", "old_export.xls"):
        assert name in message  # alerted by name
    assert "stray.csv" in message and ".DS_Store" in message

    records = read_manifest(platform="regional_offices")
    by_status: dict[str, list[str]] = {}
    for record in records:
        by_status.setdefault(record["status"], []).append(str(record["source"]))
    assert "landed" not in by_status  # nothing waits for a validation that will not come
    assert len(by_status["rejected"]) == 3 and len(by_status["ignored"]) == 3
    delivered = by_status.get("accepted", []) + by_status.get("partially_quarantined", [])
    assert len(delivered) == len(good) + len(more)  # the long name and the .txt twin too
    assert not [p for p in root.rglob("*") if p.is_file()]  # every file left the inbox ...
    archived = {p.name for p in config.archive_dir().rglob("*") if p.is_file()}
    assert {"binary.csv", "stray.csv", "old_export.xls", ".DS_Store"} <= archived  # ... kept
    for record in records:  # every record balances
        counts = [record.get(k) for k in ("rows_accepted", "rows_quarantined", "rows_rejected")]
        if record["rows_in"] is not None:
            assert record["rows_in"] == sum(counts) + (record.get("rows_duplicate") or 0)

    # every good row is there, as many times as it was dropped
    expected = _uninterrupted(sandbox_tree, good + more, tmp=data_dir.parent / "ref")
    assert len(_accepted("regional_offices", "participants")) == expected


def _encoding(path: Path) -> str:
    raw = path.read_bytes()
    try:
        raw.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        return "cp1252"


def _uninterrupted(sandbox_tree: Path, files: list[Path], tmp: Path) -> int:
    """Rows a clean run accepts from these files (in another data folder)."""
    previous = os.environ["CAPDEV_DATA_DIR"]
    os.environ["CAPDEV_DATA_DIR"] = str(tmp)
    try:
        for number, path in enumerate(files):
            inbox = config.inbox_dir("regional_offices") / path.parent.name
            inbox.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, inbox / f"{number}_{path.name}")
        pipeline.validate_landed(pipeline.ingest_drops("regional_offices", NIGHT))
        return len(_accepted("regional_offices", "participants"))
    finally:
        os.environ["CAPDEV_DATA_DIR"] = previous


def test_an_orphan_is_validated_by_the_next_night_and_holds_publishing_until_then(
    data_dir, sandbox_tree
):
    _drop(_office_files(sandbox_tree, "europe", 2), "europe")
    landed = pipeline.ingest_drops("regional_offices", NIGHT)  # ... and the worker dies here
    assert {b["status"] for b in landed} == {"landed"}
    assert len(batches.orphans("regional_offices")) == len(landed)
    build = data_dir / "warehouse" / "build.duckdb"
    build.parent.mkdir(parents=True)
    with duckdb.connect(str(build)) as con:  # a build with the private tier the scan reads
        con.execute(
            "create schema private; "
            "create table private.personal_values (kind varchar, personal_value varchar)"
        )
    from ingestion.publish.warehouse import publish

    os.environ["CAPDEV_ORPHAN_MAX_AGE_HOURS"] = "0"
    try:
        with pytest.raises(batches.OrphanedBatches, match=landed[0]["batch_id"]):
            publish(build)
        assert not config.published_warehouse().exists()
        # the next scheduled night, with an empty inbox, heals the orphans
        healed = pipeline.validate_landed(
            pipeline.ingest_drops("regional_offices", NIGHT + timedelta(days=1)),
            platform="regional_offices",
        )
        assert {b["batch_id"] for b in healed} == {b["batch_id"] for b in landed}
        assert batches.orphans() == []
        publish(build)  # nothing waits any more
    finally:
        del os.environ["CAPDEV_ORPHAN_MAX_AGE_HOURS"]
    assert len(_accepted("regional_offices", "participants")) == sum(b["rows"] for b in landed)


def _tsb_extract(rows: int, start: int, email_field: str = "person_email") -> EntityExtract:
    stamp = datetime(2026, 11, 1, tzinfo=UTC) + timedelta(days=start)
    records = [
        {
            "event_id": f"E{start}",
            "registration_id": f"R{start}-{i}",
            "person_title": "Ms",
            "person_first_name": f"Given{i}",
            "person_last_name": f"Family{i}",
            email_field: f"p{start}-{i}@example.org",
            "person_organization": "Org",
            "person_organization_type": None,
            "person_country": "Kenya",
            "gender": None,
            "registered_at": (stamp - timedelta(days=3)).isoformat(),
            "attended": True,
            "attendance_days": 1,
            "updated_at": stamp.isoformat(),
        }
        for i in range(rows)
    ]
    if email_field != "person_email":  # the platform renamed the field: the column is empty
        for record in records:
            record["person_email"] = None
            del record[email_field]
    return EntityExtract("registrations", records, [], None, stamp.isoformat())


def _land_and_validate(extract: EntityExtract, night: datetime) -> list[dict]:
    landed = [landing.land_extract("tsb_events", extract, night.date()).to_dict()]
    return pipeline.validate_landed(landed)


def test_schema_drift_rejects_loudly_and_the_watermark_waits_for_delivered_rows(data_dir):
    _land_and_validate(_tsb_extract(30, 0), NIGHT)
    first_mark = batches.watermarks("tsb_events", ("registrations",), before=date(2027, 1, 1))
    with pytest.raises(pipeline.IngestionFailed, match="schema drift .*person_email empty"):
        _land_and_validate(_tsb_extract(30, 1, email_field="email_address"), NIGHT + timedelta(1))
    rejected = [r for r in read_manifest("tsb_events") if r["status"] == "rejected"]
    assert len(rejected) == 1 and rejected[0]["rows_rejected"] == 30  # it balances, no crash
    # the next night pulls from the last *delivered* watermark, not the rejected one
    after = batches.watermarks("tsb_events", ("registrations",), before=date(2027, 1, 1))
    assert after == first_mark
    _land_and_validate(_tsb_extract(30, 2), NIGHT + timedelta(2))
    assert len(_accepted("tsb_events", "registrations")) == 60
    # a field that changes type is drift too, never a column of another meaning
    retyped = _tsb_extract(30, 3)
    for record in retyped.records:
        record["attendance_days"] = str(record["attendance_days"])
    with pytest.raises(pipeline.IngestionFailed, match="attendance_days is String, was Int64"):
        _land_and_validate(retyped, NIGHT + timedelta(3))


# --------------------------------------------------------------------------- crash matrix

_INGEST = """
import sys
from datetime import datetime, UTC
from ingestion.raw import ingest
night = datetime.fromisoformat(sys.argv[1])
landed = ingest.ingest_drops("regional_offices", night)
ingest.validate_landed(landed, platform="regional_offices")
"""


def _kill_when(data_dir: Path, ready) -> int:
    """Run a night's ingest in a child process and SIGKILL it when ``ready()`` holds; returns
    the child's exit status."""
    env = {**os.environ, "CAPDEV_DATA_DIR": str(data_dir)}
    child = subprocess.Popen([sys.executable, "-c", _INGEST, NIGHT.isoformat()], env=env, cwd=ROOT)
    deadline = time.monotonic() + 120
    while child.poll() is None and time.monotonic() < deadline:
        if ready():
            child.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    return child.wait()


def _landed_count() -> int:
    return sum(1 for r in read_manifest("regional_offices") if r["status"] == "landed")


def _accepted_files() -> int:
    return len(list(config.accepted_dir().rglob("*.parquet")))


@pytest.mark.parametrize(
    "stage",
    ["first_file_landed", "half_landed", "validating", "never_started"],
)
def test_a_kill_at_any_stage_then_the_next_night_equals_an_uninterrupted_run(
    data_dir, sandbox_tree, stage
):
    files = _office_files(sandbox_tree, "europe", 6) + _office_files(sandbox_tree, "cis", 6)
    for office in ("europe", "cis"):
        _drop([f for f in files if f.parent.name == office], office)
    conditions = {
        "first_file_landed": lambda: _landed_count() >= 1,
        "half_landed": lambda: _landed_count() >= len(files) // 2,
        "validating": lambda: _accepted_files() >= 1,
        "never_started": lambda: True,
    }
    assert _kill_when(data_dir, conditions[stage]) == -signal.SIGKILL  # it did die mid-way
    # the next scheduled night (not a rerun of the same date) finishes the work
    pipeline.validate_landed(
        pipeline.ingest_drops("regional_offices", NIGHT + timedelta(days=1)),
        platform="regional_offices",
    )
    assert batches.orphans() == []
    assert not [p for p in config.inbox_dir("regional_offices").rglob("*") if p.is_file()]
    healed = _accepted("regional_offices", "participants")

    reference = data_dir.parent / "reference"
    os.environ["CAPDEV_DATA_DIR"] = str(reference)
    try:
        for office in ("europe", "cis"):
            _drop([f for f in files if f.parent.name == office], office)
        pipeline.validate_landed(pipeline.ingest_drops("regional_offices", NIGHT))
        assert healed == _accepted("regional_offices", "participants")
    finally:
        os.environ["CAPDEV_DATA_DIR"] = str(data_dir)


def test_a_corrected_file_under_the_same_name_is_a_new_version_and_the_same_bytes_a_duplicate(
    data_dir, sandbox_tree
):
    first, other = _office_files(sandbox_tree, "europe", 2)
    inbox = _drop([first], "europe")
    (original,) = pipeline.validate_landed(pipeline.ingest_drops("regional_offices", NIGHT))
    rows = len(_accepted("regional_offices", "participants"))
    # the office corrects its export and sends it again under the same name
    (inbox / first.name).write_bytes(other.read_bytes())
    landed = pipeline.ingest_drops("regional_offices", NIGHT)  # same night: kept apart, not lost
    again = pipeline.validate_landed(landed)
    assert [b["status"] for b in again] == ["accepted"]
    assert again[0]["batch_id"] != original["batch_id"]  # a version of its own
    corrected = len(_accepted("regional_offices", "participants"))
    assert corrected > rows
    # the very same bytes once more: a duplicate, recorded, nothing landed twice
    (inbox / first.name).write_bytes(other.read_bytes())
    dup = pipeline.ingest_drops("regional_offices", NIGHT + timedelta(days=1))
    assert [b["status"] for b in dup] == ["duplicate"]
    assert len(_accepted("regional_offices", "participants")) == corrected
