"""The TSB events connector against the sandbox events API (real HTTP on a free port)."""

from __future__ import annotations

import json
import time
from collections import Counter
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from connector_helpers import LINEAGE, columns_of, tsb_conn, words

from ingestion.connectors import API_CONNECTORS, tsb_events
from ingestion.connectors.base import AuthError, PlatformError, collect_parts

UNTIL = datetime(2025, 1, 1, tzinfo=UTC)
EVENT_COLUMNS = words(
    "event_id title event_type study_group starts_at ends_at venue_city venue_country format "
    "languages updated_at"
)
REGISTRATION_COLUMNS = words(
    "event_id registration_id person_title person_first_name person_last_name person_email "
    "person_organization person_organization_type person_country gender registered_at attended "
    "attendance_days updated_at"
)
ALL_EVENTS = {
    "TSB-2024-WS-004",
    "TSB-2024-FO-005",
    "TSB-2024-WS-001",
    "TSB-2024-TU-002",
    "TSB-2024-WB-003",
}


def queries(server, path_suffix):
    out = []
    for _method, target, status in server.request_log:
        split = urlsplit(target)
        if split.path.endswith(path_suffix):
            out.append((parse_qs(split.query), status))
    return out


def test_registry_points_at_the_tsb_pull():
    assert API_CONNECTORS["tsb_events"] is tsb_events.pull


def test_api_root():
    assert tsb_events.api_root("https://tsb.example/") == "https://tsb.example/api/v1"
    assert tsb_events.api_root("https://tsb.example/api/v1/") == "https://tsb.example/api/v1"


def test_cursor_paging_and_flattening(start):
    srv = start("tsb_events")
    events, regs = tsb_events.pull(tsb_conn(srv, page_size=2), {"events": None}, UNTIL)
    assert events.entity == "events" and regs.entity == "registrations"
    assert {r["event_id"] for r in events.records} == ALL_EVENTS
    assert len(events.pages) == 3  # 2 + 2 + 1
    assert columns_of(events.records) == EVENT_COLUMNS | LINEAGE
    assert columns_of(regs.records) == REGISTRATION_COLUMNS | LINEAGE
    assert len(regs.records) == 8
    ws1 = next(r for r in events.records if r["event_id"] == "TSB-2024-WS-001")
    assert ws1["venue_city"] == "Geneva" and ws1["venue_country"] == "Switzerland"
    assert json.loads(ws1["languages"]) == ["en", "fr"]
    reg = next(r for r in regs.records if r["registration_id"] == "R-00001")
    assert reg["event_id"] == "TSB-2024-WS-001"
    assert reg["person_organization_type"] == "Sector Member"
    assert reg["attended"] is True and reg["attendance_days"] == 2
    # every page after the first carries the cursor of the previous one
    listing = queries(srv, "/api/v1/events")
    assert [("cursor" in q) for q, _ in listing] == [False, True, True]
    assert all(q["page_size"] == ["2"] for q, _ in listing)
    # the bearer token is never in a source
    for page in events.pages + regs.pages:
        assert srv.credentials["token"] not in page.source
    assert events.watermark_to == "2024-03-05T07:00:00Z"  # 08:00+01:00 as UTC


def test_watermark_window_is_exclusive_and_capped_by_until(start):
    srv = start("tsb_events")
    conn = tsb_conn(srv)
    # two events share the instant 10:00Z (one written as 05:00-05:00): both were landed
    events, _ = tsb_events.pull(conn, {"events": "2024-03-01T10:00:00Z"}, UNTIL)
    assert {r["event_id"] for r in events.records} == {
        "TSB-2024-TU-002",
        "TSB-2024-WB-003",
        "TSB-2024-FO-005",
    }
    (query, _), *_ = queries(srv, "/api/v1/events")
    assert query["updated_since"] == ["2024-01-31T10:00:00Z"]  # the 30-day look-back

    until = datetime(2024, 3, 2, tzinfo=UTC)
    events, regs = tsb_events.pull(conn, {}, until)
    assert {r["event_id"] for r in events.records} == {
        "TSB-2024-WS-004",
        "TSB-2024-WS-001",
        "TSB-2024-TU-002",
    }
    assert events.watermark_to == "2024-03-01T10:30:00Z"
    assert regs.watermark_to is not None and regs.watermark_to <= "2024-03-02"

    # nothing new: the watermarks are kept
    marks = {"events": "2024-03-05T07:00:00Z", "registrations": "2024-03-03T10:00:00Z"}
    events, regs = tsb_events.pull(conn, marks, UNTIL)
    assert events.records == [] and regs.records == []
    assert events.watermark_to == marks["events"]
    assert regs.watermark_to == marks["registrations"]


def test_registrations_changed_without_their_event_are_caught(start):
    srv = start("tsb_events")
    marks = {"events": "2024-03-05T07:00:00Z", "registrations": "2024-03-02T10:00:00Z"}
    events, regs = tsb_events.pull(tsb_conn(srv), marks, UNTIL)
    assert events.records == []  # no event changed after its watermark
    # attendance recorded on 3 March for two registrations of TSB-2024-WS-001
    assert sorted(r["registration_id"] for r in regs.records) == ["R-00002", "R-00005"]
    assert regs.watermark_to == "2024-03-03T10:00:00Z"


def test_expired_cursor_restarts_and_lands_everything_once(start):
    srv = start("tsb_events", "expired_cursor")
    events, regs = tsb_events.pull(tsb_conn(srv, page_size=2), {}, UNTIL)
    assert Counter(r["event_id"] for r in events.records) == Counter(ALL_EVENTS)
    assert len(regs.records) == 8
    assert len({(r["event_id"], r["registration_id"]) for r in regs.records}) == 8
    assert any(status == 410 for _, _, status in srv.request_log)


def test_cursor_that_always_expires_gives_up(start):
    from sandbox.servers import FaultConfig

    srv = start("tsb_events", FaultConfig(cursor_ttl_seconds=0))
    with pytest.raises(PlatformError, match="expired"):
        tsb_events.pull(tsb_conn(srv, page_size=2), {}, UNTIL)
    gone = [s for _, _, s in srv.request_log if s == 410]
    assert len(gone) == tsb_events.MAX_RESTARTS + 1


def test_429_retry_after_is_honoured(start):
    from sandbox.servers import FaultConfig

    # only the very first request is refused (guarantee_first), with Retry-After: 1
    srv = start("tsb_events", FaultConfig(rate_limit_rate=1e-9, retry_after_seconds=1))
    began = time.monotonic()
    events, regs = tsb_events.pull(tsb_conn(srv, backoff_base=0.001), {}, UNTIL)
    elapsed = time.monotonic() - began
    assert srv.request_log[0][2] == 429
    assert srv.request_log[1][2] == 200
    assert elapsed >= 1.0
    assert len(events.records) == 5 and len(regs.records) == 8


def test_too_long_retry_after_fails_clearly(start):
    from sandbox.servers import FaultConfig

    srv = start("tsb_events", FaultConfig(rate_limit_rate=1e-9, retry_after_seconds=3600))
    with pytest.raises(PlatformError, match="Retry-After asks for 3600 s"):
        tsb_events.pull(tsb_conn(srv), {}, UNTIL)


def test_bad_token_is_a_clear_auth_error_without_retries(start):
    srv = start("tsb_events", "bad_token")
    began = time.monotonic()
    with pytest.raises(AuthError) as err:
        tsb_events.pull(tsb_conn(srv), {}, UNTIL)
    assert time.monotonic() - began < 2
    assert len(srv.request_log) == 1
    message = str(err.value)
    assert "401" in message and "tsb_events" in message and "/api/v1/events" in message
    assert srv.credentials["token"] not in message


@pytest.mark.parametrize("scenario", ["flaky_5xx", "truncated_json", "rate_limited"])
def test_transient_faults_give_the_same_result(start, scenario):
    from sandbox.servers import FaultConfig

    faults = FaultConfig.scenario(scenario)
    if scenario == "rate_limited":
        faults = faults.replace(retry_after_seconds=0)
    srv = start("tsb_events", faults)
    events, regs = tsb_events.pull(tsb_conn(srv, page_size=2), {}, UNTIL)
    assert {r["event_id"] for r in events.records} == ALL_EVENTS
    assert len(regs.records) == 8
    assert any(r.fault for r in srv.request_records)


def _same_extract(one, other) -> None:
    assert one.records == other.records
    assert [(p.name, p.content, p.source) for p in one.pages] == [
        (p.name, p.content, p.source) for p in other.pages
    ]
    assert (one.watermark_from, one.watermark_to) == (other.watermark_from, other.watermark_to)
    assert one.warnings == other.warnings


def test_parts_hold_the_listing_then_a_few_events_each_and_join_to_the_whole_pull(start):
    srv = start("tsb_events")
    watermarks = {"events": None, "registrations": None}
    whole = tsb_events.pull(tsb_conn(srv, page_size=2, events_per_part=100), watermarks, UNTIL)
    conn = tsb_conn(srv, page_size=2, events_per_part=2)
    parts = list(tsb_events.pull_parts(conn, watermarks, UNTIL))
    head, *chunks = parts
    assert head.key == "events" and [e.entity for e in head.extracts] == ["events"]
    assert head.state["listed"] and head.final is None
    assert len(chunks) == 3  # 5 events, 2 a part
    for number, part in enumerate(chunks):
        ids = set(head.state["listed"][2 * number : 2 * number + 2])
        [extract] = part.extracts
        assert {r["event_id"] for r in extract.records} <= ids
        assert all(p.source.split("/events/")[1].split("/")[0] in ids for p in extract.pages)
        assert (part.final is not None) == (part is chunks[-1])
    joined = collect_parts(parts, tsb_events.ENTITIES)
    for got, expected in zip(joined, whole, strict=True):
        _same_extract(got, expected)
