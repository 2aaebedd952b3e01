"""The LRS (gs_lrs) and TSB events pulls land as they go: a pull cut short after a few landed
parts and retried lands exactly the batches of an uninterrupted pull, and the retry does not
ask again for what the landed parts hold (real sandbox servers, real raw zone)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import polars as pl
import pytest

from ingestion import config
from ingestion.connectors import RESUMABLE_CONNECTORS
from ingestion.connectors.base import ApiConnection, PullPart, iso_utc
from ingestion.raw import batch as batches
from ingestion.raw import ingest as pipeline
from ingestion.raw.manifest import read_manifest
from sandbox.servers import start_server

NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
FAST = {"timeout": 10.0, "max_retries": 5, "backoff_base": 0.01, "backoff_max": 0.05}
# small pages and parts, so the sandbox at test scale makes several parts of each
SETTINGS = {
    "gs_lrs": {"page_size": 40, "pages_per_part": 2},
    "tsb_events": {"page_size": 20, "events_per_part": 3},
}
LANDED_PARTS = 2
LOOKBACK_DAYS = ApiConnection("x").since_lookback_days  # the default


class Killed(Exception):
    """The task dies here (as a worker killed between two parts would)."""


def _conn(platform: str, server: Any) -> ApiConnection:
    creds = server.credentials
    if platform == "gs_lrs":
        who = {"username": creds["username"], "password": creds["password"]}
        return ApiConnection(server.endpoint, **who, **FAST, **SETTINGS[platform])
    return ApiConnection(server.url, token=creds["token"], **FAST, **SETTINGS[platform])


def _killed_after(landed: int, parts: Iterator[PullPart]) -> Iterator[PullPart]:
    """The real pull's parts, the task dying once ``landed`` of them are landed."""
    for number, part in enumerate(parts):
        if number == landed:
            raise Killed
        yield part


def _landed(root: Path, platform: str) -> dict[str, pl.DataFrame]:
    """Each landed batch of the platform, without the load time."""
    out = {}
    for path in sorted((root / "raw" / "landed" / platform).rglob("*.parquet")):
        if "_pull" not in path.parts:
            out[path.parent.parent.name] = pl.read_parquet(path).drop("_loaded_at")
    return out


def _archive(root: Path, platform: str) -> dict[str, bytes]:
    base = root / "raw" / "archive" / platform
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*.json"))}


def _manifest(root: Path, platform: str, monkeypatch) -> dict[str, dict]:
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(root))
    return {r["entity"]: r for r in read_manifest(platform=platform)}


def _cut_short(platform: str, conn: ApiConnection, monkeypatch) -> dict[str, Any]:
    """Run the pull until ``LANDED_PARTS`` parts are landed, then kill it; its checkpoint."""
    pull_parts = RESUMABLE_CONNECTORS[platform]

    def dying(conn, marks, until, state):
        return _killed_after(LANDED_PARTS, pull_parts(conn, marks, until, state))

    with monkeypatch.context() as patch:
        patch.setitem(RESUMABLE_CONNECTORS, platform, dying)
        with pytest.raises(Killed):
            pipeline.ingest_api(platform, conn, NIGHT)
    checkpoint = batches.pull_checkpoint(platform, NIGHT.date())
    assert checkpoint and len(checkpoint["parts"]) == LANDED_PARTS and not checkpoint["final"]
    # nothing of the unfinished pull is a batch: validation and the warehouse see nothing
    assert not list(config.manifest_dir().rglob("*.json"))
    return checkpoint


@pytest.mark.parametrize("platform", ["gs_lrs", "tsb_events"])
def test_a_pull_cut_short_resumes_after_its_landed_parts_and_lands_the_same(
    platform, sandbox_tree, tmp_path, monkeypatch
):
    server = start_server(platform, sandbox_tree)
    try:
        # the pull uninterrupted, into its own data folder
        whole = tmp_path / "whole"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
        pipeline.ingest_api(platform, _conn(platform, server), NIGHT)
        asked_whole = [target for _, target, _ in server.request_log]

        # the same pull, killed once two parts are landed, then retried
        resumed = tmp_path / "resumed"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(resumed))
        checkpoint = _cut_short(platform, _conn(platform, server), monkeypatch)
        landed_pages = sum(counts["pages"] for counts in checkpoint["entities"].values())
        assert landed_pages > 0
        server.clear_log()
        landed = pipeline.ingest_api(platform, _conn(platform, server), NIGHT)
        asked = [target for _, target, _ in server.request_log]
    finally:
        server.stop()
    assert batches.pull_checkpoint(platform, NIGHT.date()) is None  # done: checkpoint gone

    # the retry asks only what came after the landed parts (one request per page, no faults)
    assert 0 < len(asked) == len(asked_whole) - landed_pages
    assert asked == asked_whole[landed_pages:]

    # exactly the rows, pages and records of the uninterrupted pull
    reference, got = _landed(whole, platform), _landed(resumed, platform)
    assert got.keys() == reference.keys() == {b["entity"] for b in landed}
    for entity, frame in reference.items():
        assert frame.height > 0, entity
        assert got[entity].equals(frame), entity
    assert _archive(resumed, platform) == _archive(whole, platform)
    expected = _manifest(whole, platform, monkeypatch)
    for entity, record in _manifest(resumed, platform, monkeypatch).items():
        for name in ("rows_in", "checksum", "watermark_from", "watermark_to", "source"):
            assert record[name] == expected[entity][name], (entity, name)


def test_an_lrs_that_refuses_the_saved_more_link_is_asked_again_from_since(
    sandbox_tree, tmp_path, monkeypatch
):
    """A retry whose saved ``more`` link the LRS no longer knows (a new server run: 410 Gone)
    asks the query again from just before the last statement received (its stored, or the
    earlier of its stored and timestamp while the LRS also kept to timestamp order), less the
    look-back: the sandbox LRS filters and orders on stored as xAPI requires. Each statement
    still lands exactly once."""
    server = start_server("gs_lrs", sandbox_tree)
    try:
        whole = tmp_path / "whole"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
        pipeline.ingest_api("gs_lrs", _conn("gs_lrs", server), NIGHT)
        asked_whole = len(server.request_log)
        resumed = tmp_path / "resumed"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(resumed))
        checkpoint = _cut_short("gs_lrs", _conn("gs_lrs", server), monkeypatch)
        assert checkpoint["state"]["more"]
    finally:
        server.stop()
    # the LRS restarted at its address: its more links are not the old run's
    restarted = start_server("gs_lrs", sandbox_tree, port=server.port)
    try:
        pipeline.ingest_api("gs_lrs", _conn("gs_lrs", restarted), NIGHT)
        asked = restarted.request_log
    finally:
        restarted.stop()
    assert asked[0][2] == 410  # the saved link, refused
    tally = checkpoint["state"]["tally"]
    assert tally["by_stored"]  # the sandbox LRS filters and orders on stored, as xAPI requires
    lasts = [tally["previous"]] + ([tally["previous_timestamp"]] if tally["by_timestamp"] else [])
    last = min(datetime.fromisoformat(moment) for moment in lasts)
    since = parse_qs(urlsplit(asked[1][1]).query)["since"]
    assert since == [iso_utc(last - timedelta(days=LOOKBACK_DAYS))]
    assert len(asked) < asked_whole  # the landed parts were not asked for again
    reference = _landed(whole, "gs_lrs")["statements"]
    got = _landed(resumed, "gs_lrs")["statements"]
    assert got["id"].n_unique() == got.height
    for column in ("id", "statement", "stored", "_row_number"):
        assert got[column].to_list() == reference[column].to_list(), column
    expected = _manifest(whole, "gs_lrs", monkeypatch)["statements"]
    record = _manifest(resumed, "gs_lrs", monkeypatch)["statements"]
    assert record["watermark_to"] == expected["watermark_to"]
    assert record["rows_in"] == expected["rows_in"]


def test_an_lrs_in_neither_order_refusing_the_saved_link_starts_the_pull_over(
    tmp_path, monkeypatch
):
    """An LRS that ordered its statements on neither stored nor timestamp gives no point short
    of the start to ask again from, and the state keeps no ids before its floor: a retry whose
    saved link is refused discards the landed parts and pulls again from the start, landing
    what an uninterrupted pull lands."""
    import json

    statements = [_statement(1, "2024-06-01T07:00:00Z", None)]  # no stored: sorted first
    statements += [  # stored in order, timestamps back and forth
        _statement(n, f"2024-05-{10 + (n * 7) % 20:02d}T08:00:00Z", f"2024-06-01T09:{n:02d}:00Z")
        for n in range(2, 30)
    ]
    tree = tmp_path / "lrs"
    (tree / "gs_lrs").mkdir(parents=True)
    (tree / "gs_lrs" / "statements.json").write_text(json.dumps(statements), encoding="utf-8")
    server = start_server("gs_lrs", tree)
    try:
        whole = tmp_path / "whole"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
        pipeline.ingest_api("gs_lrs", _small(server), NIGHT)
        asked_whole = len(server.request_log)
        resumed = tmp_path / "resumed"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(resumed))
        checkpoint = _cut_short("gs_lrs", _small(server), monkeypatch)
        tally = checkpoint["state"]["tally"]
        assert not (tally["by_stored"] or tally["by_timestamp"])
    finally:
        server.stop()
    # the LRS restarted at its address: its more links are not the old run's
    restarted = start_server("gs_lrs", tree, port=server.port)
    try:
        pipeline.ingest_api("gs_lrs", _small(restarted), NIGHT)
        asked = restarted.request_log
    finally:
        restarted.stop()
    assert asked[0][2] == 410  # the saved link, refused
    assert len(asked) == 1 + asked_whole  # then the whole pull again, from the start
    assert batches.pull_checkpoint("gs_lrs", NIGHT.date()) is None
    reference = _landed(whole, "gs_lrs")["statements"]
    got = _landed(resumed, "gs_lrs")["statements"]
    for column in ("id", "statement", "stored", "_row_number"):
        assert got[column].to_list() == reference[column].to_list(), column
    archived = _archive(resumed, "gs_lrs")
    assert archived.keys() == _archive(whole, "gs_lrs").keys()  # no page of the first try left
    expected = _manifest(whole, "gs_lrs", monkeypatch)["statements"]
    record = _manifest(resumed, "gs_lrs", monkeypatch)["statements"]
    for name in ("rows_in", "watermark_from", "watermark_to"):
        assert record[name] == expected[name], name


def _statement(n: int, timestamp: str, stored: str | None) -> dict[str, Any]:
    return {
        "id": f"20000000-0000-4000-8000-{n:012d}",
        "actor": {"objectType": "Agent", "name": f"Learner {n}", "mbox": f"mailto:l{n}@x.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "did"}},
        "object": {"objectType": "Activity", "id": f"https://learning.itu.int/a/{n % 4}"},
        "timestamp": timestamp,
        "stored": stored,
    }


def _small(server: Any) -> ApiConnection:
    """A connection to the LRS with pages of three statements, two pages per part."""
    who = {"username": server.credentials["username"], "password": server.credentials["password"]}
    return ApiConnection(server.endpoint, **who, **FAST, page_size=3, pages_per_part=2)


def test_a_retry_pointed_at_another_server_pulls_afresh(sandbox_tree, tmp_path, monkeypatch):
    """The checkpoint names the server its parts came from: a retry whose connection points at
    another one (the platform moved, a test instance) discards the landed parts and pulls the
    whole window from the new server, instead of going on from parts of the old one."""
    old, new = (start_server("tsb_events", sandbox_tree) for _ in range(2))
    try:
        whole = tmp_path / "whole"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
        pipeline.ingest_api("tsb_events", _conn("tsb_events", new), NIGHT)
        asked_whole = len(new.request_log)
        new.clear_log()
        moved = tmp_path / "moved"
        monkeypatch.setenv("CAPDEV_DATA_DIR", str(moved))
        _cut_short("tsb_events", _conn("tsb_events", old), monkeypatch)
        pipeline.ingest_api("tsb_events", _conn("tsb_events", new), NIGHT)
        asked_old, asked_new = len(old.request_log), len(new.request_log)
    finally:
        old.stop()
        new.stop()
    assert 0 < asked_old < asked_whole  # the old server answered the two landed parts only
    assert asked_new == asked_whole  # the new one, the whole pull
    assert batches.pull_checkpoint("tsb_events", NIGHT.date()) is None
    assert _landed(moved, "tsb_events").keys() == _landed(whole, "tsb_events").keys()
    for entity, frame in _landed(whole, "tsb_events").items():
        assert _landed(moved, "tsb_events")[entity].equals(frame), entity
