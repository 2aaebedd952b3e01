"""TSB events sandbox: the events registration REST API (our contract, ``platforms.md`` §2).

* ``GET /api/v1/events?updated_since=&page_size=&cursor=`` and
  ``GET /api/v1/events/{event_id}/registrations?updated_since=&page_size=&cursor=``
  (also ``GET /api/v1/events/{event_id}``), ``Authorization: Bearer <token>``.
* ``{"data": [...], "next_cursor": "<opaque>" | null}``; ordered by ``updated_at`` then id;
  ``updated_since`` is inclusive (``updated_at >= updated_since``) and compared as instants, so
  any UTC offset works (a timestamp without offset is taken as UTC).
* Once a cursor is given it carries the filters: ``updated_since`` is then ignored; ``page_size``
  may still be given (default: the cursor's).
* ``page_size``: default 100, at most 500 (larger values are clamped).
* Errors are JSON ``{"error": "<code>", "message": "..."}``: 400 ``invalid_parameter`` /
  ``invalid_cursor``, 401 ``invalid_token``, 404 ``not_found``, 405, 410 ``cursor_expired``,
  429 ``rate_limited``.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from sandbox.servers.base import (
    CursorExpired,
    CursorInvalid,
    Request,
    Response,
    ServerContext,
    json_error,
    json_response,
    listing_key,
    load_json,
    parse_iso,
    safe_instant,
)

API_PREFIX = "/api/v1"
DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class _Sorted:
    """Records sorted by (updated_at instant, id) with a bisectable list of instants."""

    def __init__(self, records: list[dict[str, Any]], id_field: str):
        def moment(record: dict[str, Any]) -> datetime:
            return safe_instant(record.get("updated_at") or record.get("registered_at"))

        keyed = sorted(
            ((moment(r), str(r.get(id_field)), r) for r in records),
            key=lambda t: t[:2],
        )
        self.times: list[datetime] = [t[0] for t in keyed]
        self.records: list[dict[str, Any]] = [t[2] for t in keyed]

    def since(self, moment: datetime | None) -> list[dict[str, Any]]:
        if moment is None:
            return self.records
        return self.records[bisect.bisect_left(self.times, moment) :]


class TsbApp:
    platform = "tsb_events"

    def __init__(self, data_dir: Path, credentials: dict[str, Any], context: ServerContext):
        self.context = context
        self.token = str(credentials.get("token", ""))
        root = data_dir / "tsb_events"
        events = load_json(root / "events.json", [])
        self.events = _Sorted(events, "event_id")
        self.events_by_id = {str(e["event_id"]): e for e in events}
        self.registrations = {
            str(eid): _Sorted(regs, "registration_id")
            for eid, regs in load_json(root / "registrations.json", {}).items()
        }

    def endpoint(self, base_url: str) -> str:
        return base_url + API_PREFIX + "/"

    def handle(self, request: Request) -> Response:
        if not request.path.startswith(API_PREFIX + "/"):
            return json_error(404, "not_found", f"No route for {request.path}")
        if request.method not in ("GET", "HEAD"):
            return json_error(
                405, "method_not_allowed", "This API is read-only.", [("Allow", "GET")]
            )
        if not self._authorized(request):
            return json_error(
                401,
                "invalid_token",
                "Missing or invalid bearer token.",
                [("WWW-Authenticate", 'Bearer realm="tsb-events", error="invalid_token"')],
            )
        parts = [unquote(p) for p in request.path[len(API_PREFIX) + 1 :].split("/")]
        if parts and parts[-1] == "":
            parts = parts[:-1]
        params = request.query_params()
        if parts == ["events"]:
            return self._page(request.path, self.events, params)
        if len(parts) == 2 and parts[0] == "events":
            event = self.events_by_id.get(parts[1])
            if event is None:
                return json_error(404, "not_found", f"Event {parts[1]} not found.")
            return json_response(200, event)
        if len(parts) == 3 and parts[0] == "events" and parts[2] == "registrations":
            if parts[1] not in self.events_by_id:
                return json_error(404, "not_found", f"Event {parts[1]} not found.")
            empty = _Sorted([], "registration_id")
            return self._page(request.path, self.registrations.get(parts[1], empty), params)
        return json_error(404, "not_found", f"No route for {request.path}")

    def _authorized(self, request: Request) -> bool:
        if self.context.faults.reject_auth:
            return False
        scheme, _, token = (request.header("authorization") or "").partition(" ")
        return scheme.lower() == "bearer" and bool(token) and token.strip() == self.token

    def _page(self, path: str, rows: _Sorted, params: dict[str, str]) -> Response:
        cursor = params.get("cursor") or None
        page_size: int | None = None
        if params.get("page_size"):
            try:
                page_size = int(params["page_size"])
            except ValueError:
                return json_error(400, "invalid_parameter", "page_size must be an integer.")
            if page_size < 1:
                return json_error(400, "invalid_parameter", "page_size must be at least 1.")
            page_size = min(page_size, MAX_PAGE_SIZE)
        if cursor:
            try:
                payload = self.context.cursors.resolve(
                    cursor, self.context.faults.cursor_ttl_seconds
                )
            except CursorInvalid:
                return json_error(400, "invalid_cursor", "The cursor is not valid.")
            except CursorExpired:
                return self._expired()
            if payload.get("p") != path:
                return json_error(400, "invalid_cursor", "The cursor belongs to another listing.")
            try:
                since_text = payload.get("s")
                offset = int(payload.get("o", 0))
                page_size = page_size or int(payload.get("n", DEFAULT_PAGE_SIZE))
                since = parse_iso(since_text) if since_text else None
            except (TypeError, ValueError):
                return json_error(400, "invalid_cursor", "The cursor is not valid.")
            if self.context.state.decide_cursor_expiry(listing_key(path, since_text)):
                return self._expired()
        else:
            since_text, since = None, None
            if params.get("updated_since"):
                try:
                    since = parse_iso(params["updated_since"])
                except ValueError:
                    return json_error(
                        400, "invalid_parameter", "updated_since must be an ISO 8601 timestamp."
                    )
                since_text = since.isoformat()
            offset = 0
            page_size = page_size or DEFAULT_PAGE_SIZE
        selected = rows.since(since)
        data = selected[offset : offset + page_size]
        next_cursor = None
        if offset + page_size < len(selected):
            next_cursor = self.context.cursors.issue(
                {"p": path, "s": since_text, "o": offset + page_size, "n": page_size}
            )
        return json_response(200, {"data": data, "next_cursor": next_cursor})

    @staticmethod
    def _expired() -> Response:
        return json_error(
            410,
            "cursor_expired",
            "The cursor has expired. Restart the listing from your updated_since watermark.",
        )


def make_app(data_dir: Path, credentials: dict[str, Any]) -> Callable[[ServerContext], TsbApp]:
    return lambda context: TsbApp(data_dir, credentials, context)
