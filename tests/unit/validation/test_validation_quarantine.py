"""Quarantine files without Great Expectations: writing, listing, release bookkeeping."""

from __future__ import annotations

import polars as pl
import pytest

from ingestion.raw import quarantine
from ingestion.raw.manifest import write_record
from ingestion.raw.quarantine import (
    print_quarantine,
    quarantine_files,
    quarantine_path,
    quarantine_summary,
    write_quarantine,
)
from ingestion.raw.validation import ValidationOutcome


def outcome(bad_rows: dict[int, list[str]], total: int = 4) -> ValidationOutcome:
    rows = pl.DataFrame(
        {"id": list(range(1, total + 1)), "_row_number": list(range(1, total + 1))},
        schema={"id": pl.Int64, "_row_number": pl.Int64},
    )
    bad = pl.col("_row_number").is_in(list(bad_rows))
    quarantined = rows.filter(bad).with_columns(
        pl.Series("_reasons", [bad_rows[n] for n in sorted(bad_rows)], dtype=pl.List(pl.String))
    )
    return ValidationOutcome(
        accepted=rows.filter(~bad),
        quarantined=quarantined,
        rows_in=total,
        rows_accepted=total - len(bad_rows),
        rows_quarantined=len(bad_rows),
        failed_expectations={},
        status="partially_quarantined" if bad_rows else "accepted",
    )


def test_outcome_checks_the_invariant():
    with pytest.raises(ValueError, match="rows_in 3"):
        ValidationOutcome(
            accepted=pl.DataFrame(),
            quarantined=pl.DataFrame(),
            rows_in=3,
            rows_accepted=1,
            rows_quarantined=1,
        )


def test_write_overwrite_and_clean_rerun(data_dir):
    path = write_quarantine(
        outcome({2: ["a"], 3: ["a", "b"]}).quarantined, "academy", "courses", "b1"
    )
    assert path == data_dir / "quarantine" / "academy" / "courses" / "b1.parquet"
    assert pl.read_parquet(path)["_reasons"].to_list() == [["a"], ["a", "b"]]
    # a rerun of the batch overwrites its quarantine ...
    write_quarantine(outcome({4: ["c"]}).quarantined, "academy", "courses", "b1")
    assert pl.read_parquet(path)["_row_number"].to_list() == [4]
    # ... and a clean rerun leaves none
    assert write_quarantine(outcome({}).quarantined, "academy", "courses", "b1") is None
    assert not path.exists()
    assert write_quarantine(outcome({}).quarantined, "academy", "courses", "b2") is None
    assert not quarantine_path("academy", "courses", "b2").exists()


def test_listing_ignores_the_audit_copies(data_dir, capsys):
    write_quarantine(outcome({1: ["x", "y"], 2: ["x"]}).quarantined, "academy", "courses", "b1")
    write_quarantine(outcome({3: ["z"]}).quarantined, "gs_lrs", "statements", "s1")
    audit = data_dir / "quarantine" / "_released" / "academy" / "courses"
    audit.mkdir(parents=True)
    outcome({1: ["old"]}).quarantined.write_parquet(audit / "b1__release_1.parquet")

    assert [p.stem for p in quarantine_files()] == ["b1", "s1"]
    assert [p.stem for p in quarantine_files(platform="gs_lrs")] == ["s1"]
    summary = quarantine_summary()
    assert summary.select("platform", "batch_id", "reason", "rows").rows() == [
        ("academy", "b1", "x", 2),
        ("academy", "b1", "y", 1),
        ("gs_lrs", "s1", "z", 1),
    ]
    print_quarantine(platform="academy")
    out = capsys.readouterr().out
    assert "2 quarantined row(s) in 1 batch(es)" in out
    assert "academy/courses  b1" in out and "old" not in out
    assert quarantine_summary(platform="tsb_events").is_empty()


def test_load_date_of_the_original_batch(data_dir):
    write_record({"platform": "academy", "entity": "courses", "batch_id": "b1",
                    "load_date": "2024-03-01"})  # fmt: skip
    record = quarantine._original_record("academy", "courses", "b1")
    assert quarantine._load_date("academy", "courses", "b1", record) == "2024-03-01"
    landed = data_dir / "raw" / "landed" / "academy" / "courses" / "load_date=2024-02-02"
    landed.mkdir(parents=True)
    (landed / "b2.parquet").write_bytes(b"")
    assert quarantine._load_date("academy", "courses", "b2", None) == "2024-02-02"
    batch = "br_seminars__participants__20240105__WRS-2024"
    assert quarantine._load_date("br_seminars", "participants", batch, None) == "2024-01-05"
    with pytest.raises(LookupError):
        quarantine._load_date("academy", "courses", "mystery", None)


def test_release_numbers_follow_the_recorded_releases(data_dir):
    assert quarantine._next_release_number("academy", "courses", "b1") == 1
    write_record({"platform": "academy", "entity": "courses", "batch_id": "b1__release_1"})
    write_record({"platform": "academy", "entity": "courses", "batch_id": "b10__release_7"})
    assert quarantine._next_release_number("academy", "courses", "b1") == 2
    audit = data_dir / "quarantine" / "_released" / "academy" / "courses"
    audit.mkdir(parents=True)
    (audit / "b1__release_3.parquet").write_bytes(b"")
    assert quarantine._next_release_number("academy", "courses", "b1") == 4


def test_a_rerun_supersedes_earlier_releases(data_dir):
    write_quarantine(outcome({2: ["a"]}).quarantined, "academy", "courses", "b1")
    partition = data_dir / "raw" / "accepted" / "academy" / "courses" / "load_date=2024-03-01"
    partition.mkdir(parents=True)
    for name in ("b1.parquet", "b1__release_1.parquet", "b10__release_1.parquet"):
        (partition / name).write_bytes(b"")
    for batch in ("b1", "b1__release_1", "b10__release_1"):
        write_record({"platform": "academy", "entity": "courses", "batch_id": batch})
    audit = data_dir / "quarantine" / "_released" / "academy" / "courses"
    audit.mkdir(parents=True)
    (audit / "b1__release_1.parquet").write_bytes(b"")

    # the rerun of b1 quarantines row 3 only: b1's release 1 is superseded
    write_quarantine(outcome({3: ["b"]}).quarantined, "academy", "courses", "b1")
    assert sorted(p.name for p in partition.iterdir()) == ["b1.parquet", "b10__release_1.parquet"]
    manifests = data_dir / "manifest" / "academy" / "courses"
    assert sorted(p.stem for p in manifests.iterdir()) == ["b1", "b10__release_1"]
    assert (audit / "b1__release_1.parquet").exists()  # audit copies stay
    assert pl.read_parquet(quarantine_path("academy", "courses", "b1"))["_row_number"][0] == 3
    assert quarantine._next_release_number("academy", "courses", "b1") == 2
    assert quarantine.clear_batch_quarantine("academy", "courses", "b1") == [
        quarantine_path("academy", "courses", "b1")
    ]
