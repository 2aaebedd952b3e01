"""The events API's listings: its root, a cursor listing restarted on 410 Gone
(:class:`_Listing`), and what the events and registration listings of a pull keep (the latest
version of each row, within the window)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from ingestion.connectors.base import PlatformError, RawPage, iso_utc, page_name, try_parse_iso
from ingestion.connectors.http import GoneError, HttpClient

log = logging.getLogger(__name__)

PLATFORM = "tsb_events"
API_PREFIX = "/api/v1"
MAX_RESTARTS = 3
LOOKBACK = timedelta(days=30)
MAX_PAGES_PER_LISTING = 100_000  # a server that never ends its cursor chain must not hang us


def api_root(base_url: str) -> str:
    """``{root}/api/v1`` from the API root (a URL already ending in /api/v1 is kept)."""
    base = base_url.rstrip("/")
    if base.endswith(API_PREFIX):
        return base
    return base + API_PREFIX


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


def _not_older(new: datetime | None, old: datetime | None) -> bool:
    """Whether a row seen again replaces the one kept (the latest ``updated_at`` wins)."""
    if new is None or old is None:
        return old is None
    return new >= old
