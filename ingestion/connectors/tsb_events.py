"""TSB workshops, tutorials and trainings: the events registration REST API (our contract).

``GET {root}/api/v1/events?updated_since=&page_size=&cursor=`` and
``GET {root}/api/v1/events/{event_id}/registrations?page_size=&cursor=``, bearer token, answers
``{"data": [...], "next_cursor": ...}``.

Incremental rules (watermarks are ISO 8601 UTC text; ``U`` = ``until``):

* ``events``: listed with ``updated_since=<watermark - 30 days>`` (omitted on a first load);
  events with ``updated_at`` in ``(watermark, U]`` are landed (events updated after ``U`` are
  left to the next run). ``watermark_to`` = max ``updated_at`` landed.
* ``registrations``: the registrations endpoint has no change filter, so the full list of every
  event listed (updated in ``(watermark - 30 days, U]``) is read and the registrations whose
  own ``updated_at`` is in ``(registrations watermark, U]`` are landed (each version once).
  The 30-day look-back is there because a registration changes (attendance recorded, late
  cancellation) without the event being edited: it is caught as long as it changes within 30
  days of the event's last edit (the sandbox records attendance within ~10 days of the end).
  For an event landed in this run (changed in the window) the *whole* list is landed
  (registrations updated after ``U`` excepted): our contract moves an event's ``updated_at``
  when its registration list changes, so a deleted registration is absent from the next whole
  list, and the warehouse drops the registrations landed before the event's latest landing
  (``current_state`` in dbt_project.yml, docs/raw-zone.md).
  ``watermark_to`` = max ``updated_at`` of the registrations landed.
* An expired cursor (``410 Gone``) restarts the listing from the watermark (at most
  ``MAX_RESTARTS`` times per listing); rows are deduplicated by id within the pull (the latest
  ``updated_at`` wins), the pages of the aborted pass stay archived.

The pull lands as it goes (:func:`pull_parts`): the events listing, then the registration lists
of ``events_per_part`` listed events a part; a retried task goes on after the last landed part.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    PullPart,
    RawPage,
    aware,
    collect_parts,
    iso_utc,
    page_name,
    to_json_text,
    try_parse_iso,
)
from ingestion.connectors.http import GoneError, HttpClient

log = logging.getLogger(__name__)

PLATFORM = "tsb_events"
API_PREFIX = "/api/v1"
MAX_RESTARTS = 3
LOOKBACK = timedelta(days=30)
MAX_PAGES_PER_LISTING = 100_000  # a server that never ends its cursor chain must not hang us

EVENT_FIELDS = (
    "event_id",
    "title",
    "event_type",
    "study_group",
    "starts_at",
    "ends_at",
    "format",
    "updated_at",
)
PERSON_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "organization",
    "organization_type",
    "country",
)


def api_root(base_url: str) -> str:
    """``{root}/api/v1`` from the API root (a URL already ending in /api/v1 is kept)."""
    base = base_url.rstrip("/")
    if base.endswith(API_PREFIX):
        return base
    return base + API_PREFIX


def flatten_event(event: dict[str, Any]) -> dict[str, Any]:
    venue = event.get("venue") or {}
    return {
        "event_id": event.get("event_id"),
        "title": event.get("title"),
        "event_type": event.get("event_type"),
        "study_group": event.get("study_group"),
        "starts_at": event.get("starts_at"),
        "ends_at": event.get("ends_at"),
        "venue_city": venue.get("city"),
        "venue_country": venue.get("country"),
        "format": event.get("format"),
        "languages": to_json_text(event.get("languages")),
        "updated_at": event.get("updated_at"),
    }


def flatten_registration(event_id: str, reg: dict[str, Any]) -> dict[str, Any]:
    person = reg.get("person") or {}
    record: dict[str, Any] = {
        "event_id": event_id,
        "registration_id": reg.get("registration_id"),
    }
    for name in PERSON_FIELDS:
        record[f"person_{name}"] = person.get(name)
    for name in ("gender", "registered_at", "attended", "attendance_days", "updated_at"):
        record[name] = reg.get(name)
    return record


class _Listing:
    """Pages one cursor listing, restarting it from the start on 410 Gone."""

    def __init__(self, http: HttpClient, pages: list[RawPage]):
        self.http = http
        self.pages = pages

    def run(
        self, url: str, first_params: dict[str, Any], on_row: Callable[[dict[str, Any], str], None]
    ) -> None:
        restarts = 0
        while True:
            try:
                self._pass(url, first_params, on_row)
                return
            except GoneError as exc:
                restarts += 1
                if restarts > MAX_RESTARTS:
                    raise PlatformError(
                        f"cursor expired {restarts} times in a row; giving up ({exc.reason})",
                        platform=PLATFORM,
                        request=exc.request,
                    ) from exc
                log.warning(
                    "%s: cursor expired (%s); restarting the listing from the watermark (%d/%d)",
                    PLATFORM,
                    exc.request,
                    restarts,
                    MAX_RESTARTS,
                )

    def _pass(
        self, url: str, first_params: dict[str, Any], on_row: Callable[[dict[str, Any], str], None]
    ) -> None:
        params: dict[str, Any] = dict(first_params)
        for _ in range(MAX_PAGES_PER_LISTING):
            response = self.http.get_json(url, params)
            body = response.data
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise PlatformError(
                    "unexpected response: expected an object with a 'data' list",
                    platform=PLATFORM,
                    request=response.source,
                )
            self.pages.append(
                RawPage(page_name(len(self.pages) + 1), response.content, response.source)
            )
            for row in body["data"]:
                if isinstance(row, dict):
                    on_row(row, response.source)
            cursor = body.get("next_cursor")
            if not cursor:
                return
            # once a cursor is given it carries the filters; page_size is repeated
            params = {"page_size": first_params.get("page_size"), "cursor": cursor}
        raise PlatformError(
            f"more than {MAX_PAGES_PER_LISTING} pages: the cursor chain does not end",
            platform=PLATFORM,
            request=url,
        )


_Listed = dict[str, tuple[dict[str, Any], str, datetime | None]]
_Regs = dict[tuple[str, str], tuple[dict[str, Any], str, datetime | None]]


ENTITIES = ("events", "registrations")


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull changed events and their registrations whole, in memory (see :func:`pull_parts`)."""
    return collect_parts(pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull changed events and their registrations (module docstring), one part at a time.

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


def _records(
    rows: Iterable[tuple[dict[str, Any], str, datetime | None]],
) -> tuple[list[dict[str, Any]], list[datetime]]:
    """Flattened rows as records (with their source), and their readable ``updated_at``."""
    records, marks = [], []
    for record, source, moment in rows:
        record["_source"] = source
        record["_parse_error"] = None
        records.append(record)
        if moment is not None:
            marks.append(moment)
    return records, marks


def _list_events(
    http: HttpClient,
    url: str,
    size: int,
    wm: datetime | None,
    until_utc: datetime,
    event_pages: list[RawPage],
) -> tuple[_Listed, _Listed]:
    """Events listed since the look-back (the latest version of each), and those of them
    changed in (watermark, until]."""
    listed: _Listed = {}

    def on_event(row: dict[str, Any], source: str) -> None:
        updated = try_parse_iso(row.get("updated_at"))
        if updated is not None and updated > until_utc:
            return  # after the interval: the next run lands it
        key = str(row.get("event_id"))
        known = listed.get(key)
        if known is None or _not_older(updated, known[2]):
            listed[key] = (row, source, updated)

    params: dict[str, Any] = {"page_size": size}
    if wm is not None:
        params["updated_since"] = iso_utc(wm - LOOKBACK)
    _Listing(http, event_pages).run(url, params, on_event)
    # landed: changed in (watermark, until]; an unreadable updated_at is landed as is
    events = {
        key: value
        for key, value in listed.items()
        if wm is None or value[2] is None or value[2] > wm
    }
    log.info(
        "%s: %d events listed since the look-back, %d changed in the window (%d pages)",
        PLATFORM,
        len(listed),
        len(events),
        len(event_pages),
    )
    return listed, events


def _list_registrations(
    http: HttpClient,
    root: str,
    size: int,
    event_ids: list[str],
    changed: set[str],
    reg_wm: datetime | None,
    until_utc: datetime,
    reg_pages: list[RawPage],
) -> _Regs:
    """Registrations of the given listed events, landed when changed in the window (all of a
    ``changed`` event's)."""
    regs: _Regs = {}
    for event_id in event_ids:

        def on_reg(row: dict[str, Any], source: str, event_id: str = event_id) -> None:
            updated = try_parse_iso(row.get("updated_at"))
            whole_list = event_id in changed  # a changed event: its whole list lands
            if updated is not None and (
                updated > until_utc or (not whole_list and reg_wm is not None and updated <= reg_wm)
            ):
                return
            key = (event_id, str(row.get("registration_id")))
            known = regs.get(key)
            if known is None or _not_older(updated, known[2]):
                regs[key] = (row, source, updated)

        url = f"{root}/events/{quote(event_id, safe='')}/registrations"
        _Listing(http, reg_pages).run(url, {"page_size": size}, on_reg)
    return regs


def _watermark(text: str | None, entity: str) -> datetime | None:
    if not text:
        return None
    moment = try_parse_iso(text)
    if moment is None:
        raise PlatformError(
            f"stored {entity} watermark {text!r} is not ISO 8601", platform=PLATFORM
        )
    return moment


def _not_older(new: datetime | None, old: datetime | None) -> bool:
    """Whether a row seen again replaces the one kept (the latest ``updated_at`` wins)."""
    if new is None or old is None:
        return old is None
    return new >= old


def _newer(moments: list[datetime], previous: str | None) -> str | None:
    if not moments:
        return previous
    best = max(moments)
    before = try_parse_iso(previous) if previous else None
    if before is not None and best <= before:
        return previous
    return iso_utc(best)
