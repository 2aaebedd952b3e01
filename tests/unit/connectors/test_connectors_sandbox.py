"""Every connector over the generated sandbox (``sandbox.generator`` at the test scale): the
counts must match the generator's expected counts, and the catalogue of bad drop files must
give the documented outcome (rejected, flagged rows, or the same records)."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
from connector_helpers import lrs_conn, moodle_conn, tsb_conn

from ingestion.connectors import API_CONNECTORS, FILE_READERS, list_drops
from ingestion.connectors.base import PlatformError

UNTIL = datetime(2026, 11, 1, tzinfo=UTC)  # after the sandbox's "present" (2026-10-31)


@pytest.fixture(scope="module")
def expected(sandbox_tree: Path) -> dict:
    return json.loads((sandbox_tree / "ground_truth" / "expected_counts.json").read_text("utf-8"))


@pytest.fixture
def servers(sandbox_tree: Path, start):
    def _start(platform, faults="none", **options):
        return start(platform, faults, data_dir=sandbox_tree, **options)

    return _start


def counts(extracts) -> dict[str, int]:
    return {e.entity: len(e.records) for e in extracts}


def test_academy_matches_the_ground_truth(servers, expected):
    srv = servers("academy")
    got = counts(API_CONNECTORS["academy"](moodle_conn(srv, page_size=100), {}, UNTIL))
    want = expected["academy"]
    for entity in ("categories", "courses", "enrolled_users", "grades", "completions"):
        assert got[entity] == want[entity], entity
    assert got["customcerts"] == want["customcerts"]
    assert got["certificates"] == want["certificates"]


def test_tsb_matches_the_ground_truth_under_faults(servers, expected):
    from sandbox.servers import FaultConfig

    faults = FaultConfig(error_rate=0.2, truncate_rate=0.1, expired_cursor_rate=0.5)
    srv = servers("tsb_events", faults)
    extracts = API_CONNECTORS["tsb_events"](tsb_conn(srv, page_size=7), {}, UNTIL)
    got = counts(extracts)
    assert got == {
        "events": expected["tsb_events"]["events"],
        "registrations": expected["tsb_events"]["registrations"],
    }
    ids = Counter(r["registration_id"] for r in extracts[1].records)
    assert max(ids.values()) == 1  # exactly once, despite restarts


def test_lrs_matches_the_ground_truth(servers, expected):
    srv = servers("gs_lrs", endpoint_path="/data/xAPI/")
    [extract] = API_CONNECTORS["gs_lrs"](lrs_conn(srv, page_size=50), {}, UNTIL)
    want = expected["gs_lrs"]
    # the LRS leaves voided statements out; the voiding statements themselves are landed
    assert len(extract.records) == want["statements"] - want["voided"]
    # incremental: a second pull from the watermark finds nothing new
    [again] = API_CONNECTORS["gs_lrs"](
        lrs_conn(srv, page_size=50), {"statements": extract.watermark_to}, UNTIL
    )
    assert again.records == [] and again.watermark_to == extract.watermark_to


def test_file_drops_match_the_ground_truth(sandbox_tree, expected):
    br = list_drops(sandbox_tree / "drops" / "br_seminars", "br_seminars")
    assert len(br) == expected["br_seminars"]["files"]
    rows = Counter()
    latest: dict[str, int] = {}
    for path in br:  # in order: a re-send comes after its original
        seminars, participants = FILE_READERS["br_seminars"](path)
        assert len(seminars.records) == 1
        assert all(r["_parse_error"] is None for r in participants.records)
        rows["participants"] += len(participants.records)
        latest[seminars.records[0]["seminar_key"]] = len(participants.records)
    assert rows["participants"] == expected["br_seminars"]["participants_rows_all_files"]
    assert len(latest) == expected["br_seminars"]["seminars"]
    assert sum(latest.values()) == expected["br_seminars"]["participants_rows_latest"]

    regional = list_drops(sandbox_tree / "drops" / "regional_offices", "regional_offices")
    assert len(regional) == expected["regional_offices"]["files"]
    per_office = Counter()
    for path in regional:
        [extract] = FILE_READERS["regional_offices"](path)
        assert all(r["_parse_error"] is None for r in extract.records), path
        assert all(r["start_date"] for r in extract.records), path
        per_office[path.parent.name] += len(extract.records)
    want = {k: v["participants"] for k, v in expected["regional_offices"]["per_office"].items()}
    assert dict(per_office) == want


def comparable(extracts):
    return [
        [{k: v for k, v in r.items() if k not in ("source_file", "_source")} for r in e.records]
        for e in extracts
    ]


def same_but_lost(got, want) -> bool:
    if got == want or not isinstance(want, str) or not isinstance(got, str):
        return got == want
    return len(got) == len(want) and all(a == b or a == "?" for a, b in zip(got, want, strict=True))


def drop_samples(sandbox_tree: Path) -> list[tuple[str, Path]]:
    drops = sandbox_tree / "drops"
    samples = []
    for office in sorted(drops.glob("regional_offices/*")):
        samples += [("regional_offices", p) for p in sorted(office.iterdir())[:3]]
    br = list_drops(drops / "br_seminars", "br_seminars")
    for suffix in (".csv", ".xlsx"):
        samples += [("br_seminars", p) for p in br if p.suffix == suffix][:1]
    return samples


@pytest.mark.parametrize(
    "fault",
    [
        "malformed_rows",
        "wrong_encoding",
        "renamed_column",
        "missing_column",
        "extra_column",
        "empty_file",
        "header_only",
        "duplicate_resent",
    ],
)
def test_bad_input_catalogue(sandbox_tree, tmp_path, fault):
    from sandbox.generator.file_faults import apply_file_fault

    tried = 0
    for platform, source in drop_samples(sandbox_tree):
        reader = FILE_READERS[platform]
        clean = reader(source)
        folder = tmp_path / fault / platform / source.parent.name
        try:
            path = apply_file_fault(fault, source, folder)
        except ValueError:
            continue  # not applicable to this file (a workbook, or text no code page holds)
        sidecar = source.with_name(source.stem + ".meta.csv")
        if sidecar.is_file():  # a legacy BR drop travels with its metadata sidecar
            shutil.copy(sidecar, folder / sidecar.name)
        tried += 1
        if fault in ("renamed_column", "missing_column"):
            with pytest.raises(PlatformError) as err:
                reader(path)
            assert path.name in str(err.value)
            continue
        extracts = reader(path)
        participants = extracts[-1].records
        if fault == "malformed_rows":
            flagged = [r["_row_number"] for r in participants if r["_parse_error"]]
            n = len(participants)
            assert flagged == sorted({2, min(5, n)})
            assert len(participants) == len(clean[-1].records)  # nothing dropped
        elif fault == "wrong_encoding":
            # the right code page was found: the text is the same, except characters the
            # fault's code page could not hold (written as "?")
            for got, want in zip(comparable(extracts), comparable(clean), strict=True):
                for row_got, row_want in zip(got, want, strict=True):
                    for key, value in row_want.items():
                        assert same_but_lost(row_got[key], value), (path, key)
        elif fault in ("extra_column", "duplicate_resent"):
            assert comparable(extracts) == comparable(clean)
            if fault == "duplicate_resent" and platform == "br_seminars":
                assert extracts[0].records[0]["seminar_key"] == clean[0].records[0]["seminar_key"]
        elif fault == "empty_file":
            assert all(e.records == [] for e in extracts)
        elif fault == "header_only":
            assert participants == []
    assert tried, f"{fault}: no sample file could take this fault"


def test_list_drops_ignores_partial_and_hidden_copies(sandbox_tree, tmp_path):
    inbox = tmp_path / "regional_offices"
    shutil.copytree(sandbox_tree / "drops" / "regional_offices", inbox)
    files = list_drops(inbox, "regional_offices")
    first = files[0]
    shutil.copy(first, first.with_name("." + first.name))
    shutil.copy(first, first.with_name(first.name + ".part"))
    assert list_drops(inbox, "regional_offices") == files
