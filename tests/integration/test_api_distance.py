"""API platforms at real distance: requests in flight, Retry-After, landing as the pull goes,
and a killed pull resumed without starting over (real sandbox servers, real raw zone)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import pytest

from ingestion import config
from ingestion.connectors import moodle
from ingestion.connectors.base import ApiConnection
from ingestion.raw import batch as batches
from ingestion.raw import ingest as pipeline
from ingestion.raw.manifest import read_manifest
from sandbox.servers import FaultConfig, start_server

NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)
FAST = {"timeout": 10.0, "max_retries": 5, "backoff_base": 0.01, "backoff_max": 0.05}


def _conn(server, **settings) -> ApiConnection:
    return ApiConnection(server.url, token=server.credentials["token"], **{**FAST, **settings})


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory) -> Path:
    """The hand-made tree of a few courses (sandbox.servers.fixtures)."""
    from sandbox.servers.fixtures import write_sample_tree

    return write_sample_tree(tmp_path_factory.mktemp("small"))


@pytest.fixture
def far_academy(request, small_tree):
    """``far_academy(latency, small=False, **faults)``: an Academy server that far away (over
    the generated sandbox, or the small hand-made tree)."""
    started = []

    def _start(latency: float, small: bool = False, **faults) -> object:
        tree = small_tree if small else request.getfixturevalue("sandbox_tree")
        server = start_server(
            "academy", tree, faults=FaultConfig(latency_seconds=latency, **faults)
        )
        started.append(server)
        return server

    yield _start
    for server in started:
        server.stop()


def _records(extracts) -> dict[str, list[dict]]:
    return {e.entity: e.records for e in extracts}


def test_requests_in_flight_stay_within_the_bound_and_the_result_is_the_same(far_academy):
    reference = _records(
        moodle.pull(_conn(far_academy(0.0, small=True), max_in_flight=1), {}, NIGHT)
    )
    server = far_academy(0.05, small=True)
    got = _records(moodle.pull(_conn(server, max_in_flight=3), {}, NIGHT))
    assert got == reference  # same rows, same order, whatever order the answers came in
    assert 1 < server.peak_in_flight <= 3


@pytest.mark.parametrize("as_date", [False, True])
def test_retry_after_is_honoured_before_the_refused_request_is_sent_again(far_academy, as_date):
    # the server serves two requests at a time and answers 429 to any other, with Retry-After
    server = far_academy(
        0.01, small=True, max_in_flight=2, retry_after_seconds=1, retry_after_date=as_date
    )
    conn = _conn(server, max_in_flight=4, max_retries=8, courses_per_part=100)
    extracts = moodle.pull(conn, {}, NIGHT)
    assert sum(len(e.records) for e in extracts) > 0
    refused = [r for r in server.request_records if r.status == 429]
    assert refused, "the client never met the rate limit"
    # an HTTP date has whole seconds: "in 1 s" may be read as a little less
    least = 0.0 if as_date else 0.95
    for record in refused:
        later = [
            r
            for r in server.request_records
            if (r.target, r.body) == (record.target, record.body) and r.at > record.at
        ]
        assert later, "a refused request was never sent again"
        assert later[0].at - record.at >= least


def test_each_part_holds_only_its_own_courses(far_academy):
    """Memory is bounded by a part: the pages of one chunk of courses, never the whole pull."""
    server = far_academy(0.0, small=True)
    parts = list(moodle.pull_parts(_conn(server, courses_per_part=1), {}, NIGHT, None))
    head, *chunks, last = parts
    assert head.key == "head" and last.key == "certificates" and last.final
    plan = head.state["plan"]
    assert len(chunks) == len(plan) > 2
    for number, part in enumerate(chunks):
        ids = {str(plan[number]["id"])}
        sources = [p.source for e in part.extracts for p in e.pages]
        assert sources
        for source in sources:
            courseid = source.split("courseid=")[1].split("&")[0]
            assert courseid in ids, (part.key, source)


KILLED_PULL = """
import sys
from datetime import datetime
from ingestion.connectors.base import ApiConnection
from ingestion.raw import ingest
conn = ApiConnection(sys.argv[1], token=sys.argv[2], courses_per_part=4)
ingest.ingest_api("academy", conn, datetime.fromisoformat(sys.argv[3]))
"""


def _landed(root: Path) -> dict[str, pl.DataFrame]:
    """Each landed batch of the Academy, without the load time."""
    out = {}
    for path in sorted((root / "raw" / "landed" / "academy").rglob("*.parquet")):
        if "_pull" not in path.parts:
            out[path.parent.parent.name] = pl.read_parquet(path).drop("_loaded_at")
    return out


def _archive(root: Path) -> dict[str, bytes]:
    base = root / "raw" / "archive" / "academy"
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*.json"))}


def test_a_killed_pull_resumes_where_it_stopped_and_lands_the_same(
    far_academy, tmp_path, monkeypatch
):
    # the pull uninterrupted, into its own data folder
    whole = tmp_path / "whole"
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
    server = far_academy(0.0)
    pipeline.ingest_api("academy", _conn(server, courses_per_part=4), NIGHT)
    calls_whole = len(server.request_log)

    # the same pull, far away, killed (SIGKILL) once a few parts are landed
    resumed = tmp_path / "resumed"
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(resumed))
    far = far_academy(0.02)
    env = {**os.environ, "CAPDEV_DATA_DIR": str(resumed)}
    args = [far.url, far.credentials["token"], NIGHT.isoformat()]
    child = subprocess.Popen([sys.executable, "-c", KILLED_PULL, *args], env=env)
    landed_parts: list[str] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and child.poll() is None:
        checkpoint = batches.pull_checkpoint("academy", NIGHT.date())
        landed_parts = checkpoint["parts"] if checkpoint else []
        if len(landed_parts) >= 3:
            break
        time.sleep(0.05)
    assert child.poll() is None, "the pull ended before it could be killed"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    checkpoint = batches.pull_checkpoint("academy", NIGHT.date())
    assert checkpoint and len(checkpoint["parts"]) >= 3 and not checkpoint["final"]
    # nothing of the unfinished pull is a batch: validation and the warehouse see nothing
    assert not list(config.manifest_dir().rglob("*.json"))
    assert not config.accepted_dir().exists() or not list(config.accepted_dir().rglob("*.parquet"))

    # the retry goes on after the last landed part
    done_courses = {
        str(c["id"]) for c in checkpoint["state"]["plan"][: checkpoint["state"]["next"]]
    }
    far.clear_log()
    landed = pipeline.ingest_api("academy", _conn(far, courses_per_part=4), NIGHT)
    asked = [r.body for r in far.request_records]
    assert not any("core_course_get_categories" in body for body in asked)  # head not redone
    for body in asked:
        if "courseid=" in body:
            assert body.split("courseid=")[1].split("&")[0] not in done_courses
    assert len(asked) < calls_whole
    assert batches.pull_checkpoint("academy", NIGHT.date()) is None  # done: checkpoint gone

    # exactly the rows, pages and records of the uninterrupted pull
    reference, got = _landed(whole), _landed(resumed)
    assert got.keys() == reference.keys()
    for entity, frame in reference.items():
        assert got[entity].equals(frame), entity
    assert _archive(resumed) == _archive(whole)
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(whole))
    by_entity = {r["entity"]: r for r in read_manifest(platform="academy")}
    for batch in landed:
        assert batch["rows"] == by_entity[batch["entity"]]["rows_in"]
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(resumed))
    for record in read_manifest(platform="academy"):
        expected = by_entity[record["entity"]]
        assert record["checksum"] == expected["checksum"]
        assert record["watermark_to"] == expected["watermark_to"]
        assert record["source"] == expected["source"]
