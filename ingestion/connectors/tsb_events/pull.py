"""A TSB pull in parts that land as they go (:func:`pull_parts`): the events listing and its
plan, then the registration lists of a chunk of events a part; the last part carries the
watermarks."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    PullPart,
    RawPage,
    aware,
    iso_utc,
    pull_whole,
    try_parse_iso,
)
from ingestion.connectors.http import HttpClient
from ingestion.connectors.tsb_events.listing import (
    PLATFORM,
    _list_events,
    _list_registrations,
    api_root,
)
from ingestion.connectors.tsb_events.records import _records, flatten_event, flatten_registration

log = logging.getLogger(__name__)


ENTITIES = ("events", "registrations")


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull changed events and their registrations whole, in memory (see :func:`pull_parts`)."""
    return pull_whole(lambda: pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull changed events and their registrations (package docstring), one part at a time.

    Parts: ``events`` (the events listing, and the plan: the ids of the events listed and of
    those changed in the window, kept in the state so a resumed pull reads exactly the same
    registration lists), then one part per ``conn.events_per_part`` events of the plan (their
    registration lists); the last part carries the watermarks. ``state``: that of the last part
    an earlier try landed; the pull goes on after it.
    """
    if not conn.token:
        raise AuthError("no API token configured", platform=PLATFORM)
    until_utc = aware(until)
    root = api_root(conn.base_url)
    wm_text = watermarks.get("events")
    wm = _watermark(wm_text, "events")
    reg_wm_text = watermarks.get("registrations")
    reg_wm = _watermark(reg_wm_text, "registrations")
    size = max(1, conn.page_size)
    chunk_size = max(1, conn.events_per_part)
    headers = {"Authorization": f"Bearer {conn.token}", "Accept": "application/json"}
    with HttpClient(PLATFORM, conn, headers=headers, secrets=[conn.token]) as http:
        if state is None:
            event_pages: list[RawPage] = []
            listed, events = _list_events(http, f"{root}/events", size, wm, until_utc, event_pages)
            records, marks = _records(
                (flatten_event(row), source, moment) for row, source, moment in events.values()
            )
            state = {
                "listed": list(listed),
                "changed": [key for key in listed if key in events],
                "next": 0,
                "events_to": _newer(marks, wm_text),
                "registrations_to": None,
            }
            extract = EntityExtract("events", records, event_pages)
            yield PullPart("events", [extract], state, _final(state, wm_text, reg_wm_text))
        plan: list[str] = state["listed"]
        changed = set(state["changed"])
        while state["next"] < len(plan):
            begin = state["next"]
            chunk = plan[begin : begin + chunk_size]
            reg_pages: list[RawPage] = []
            regs = _list_registrations(
                http, root, size, chunk, changed, reg_wm, until_utc, reg_pages
            )
            records, marks = _records(
                (flatten_registration(event_id, row), source, updated)
                for (event_id, _), (row, source, updated) in regs.items()
            )
            state = {
                **state,
                "next": begin + len(chunk),
                "registrations_to": _newer(marks, state["registrations_to"]),
            }
            log.info(
                "%s: registrations of events %d-%d of %d: %d changed in the window "
                "(%d pages; this try: %d requests, %d retries)",
                PLATFORM,
                begin + 1,
                begin + len(chunk),
                len(plan),
                len(records),
                len(reg_pages),
                http.requests_sent,
                http.retries,
            )
            extract = EntityExtract("registrations", records, reg_pages)
            yield PullPart(
                f"registrations-{begin // chunk_size:05d}",
                [extract],
                state,
                _final(state, wm_text, reg_wm_text),
            )


def _final(
    state: dict[str, Any], wm_text: str | None, reg_wm_text: str | None
) -> dict[str, dict[str, Any]] | None:
    """The pull's watermarks, once every part of the plan is read (else None)."""
    if state["next"] < len(state["listed"]):
        return None
    return {
        "events": {"watermark_from": wm_text, "watermark_to": state["events_to"]},
        "registrations": {
            "watermark_from": reg_wm_text,
            # the newest landed, or the watermark it started from
            "watermark_to": _newer(
                [m for m in [try_parse_iso(state["registrations_to"])] if m], reg_wm_text
            ),
        },
    }


def _watermark(text: str | None, entity: str) -> datetime | None:
    if not text:
        return None
    moment = try_parse_iso(text)
    if moment is None:
        raise PlatformError(
            f"stored {entity} watermark {text!r} is not ISO 8601", platform=PLATFORM
        )
    return moment


def _newer(moments: list[datetime], previous: str | None) -> str | None:
    if not moments:
        return previous
    best = max(moments)
    before = try_parse_iso(previous) if previous else None
    if before is not None and best <= before:
        return previous
    return iso_utc(best)
