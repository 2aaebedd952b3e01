"""A statements pull in parts that land as they go (:func:`pull_parts`): the cursor that walks
the ``more`` chain and asks the query again when the LRS refuses a link (:class:`_Cursor`), and
the pull's watermark and warnings (its last part)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import httpx

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    PullPart,
    RawPage,
    iso_utc,
    pull_whole,
    try_parse_iso,
)
from ingestion.connectors.http import GoneError, HttpClient
from ingestion.connectors.xapi.pages import _land, _page
from ingestion.connectors.xapi.statements import (
    PLATFORM,
    XAPI_VERSION,
    _Query,
    endpoint_url,
    resolve_more,
)
from ingestion.connectors.xapi.tally import _Tally

log = logging.getLogger(__name__)

# Restarts of the query in a row with no new statement in between: a long pull on an LRS whose
# links expire by time may restart many times, as long as each restart gets further.
MAX_RESTARTS = 3
MAX_PAGES = 1_000_000
ENTITIES = ("statements",)


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull the statements stored in ``(watermark, until]`` whole, in memory (see
    :func:`pull_parts`); a pull that has to start over does, once (:func:`pull_whole`)."""
    return pull_whole(lambda: pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull the statements stored in ``(watermark, until]`` (package docstring), one part per
    ``conn.pages_per_part`` pages, the last part carrying the watermark and the warnings.

    A part's state holds the ``more`` link to go on from and the tally so far, with the ids of
    the statements kept at or after its ``floor`` (:class:`_Tally`: bounded, whatever the length
    of the pull). ``state``: that of the last part an earlier try landed; the pull goes on from
    its ``more`` link. An LRS may refuse that link (expired, or its cursors do not outlive a
    restart): the query is then asked again (a restart, as after a 410 in the middle of a pull)
    from :meth:`_Tally.restart_from`, and the statements received again are known by their
    ids, so none lands twice and none is lost. An LRS that ordered on neither ``stored`` nor
    ``timestamp`` cannot be asked again part-way: :class:`StartOver`.
    """
    query = _Query.of(conn, watermarks, until)
    size = max(1, conn.pages_per_part)
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    auth = httpx.BasicAuth(conn.username or "", conn.password or "")
    state = state or {
        "more": None,
        "part": 0,
        "pages": 0,
        "restarts": 0,
        "since": None,  # the since the current pass sent, when not the pull's own
        "tally": _Tally().to_state(),
    }
    tally = _Tally.from_state(state["tally"])
    with HttpClient(PLATFORM, conn, headers=headers, auth=auth, secrets=[conn.password]) as http:
        cursor = _Cursor.of(query, endpoint_url(conn.base_url), state)
        number, read = state["part"], state["pages"]
        while cursor.url is not None:
            pages, kept = _read_part(http, query, tally, cursor, size)
            read += len(pages)
            if read > MAX_PAGES:
                raise PlatformError(
                    f"more than {MAX_PAGES} pages: the more chain does not end", platform=PLATFORM
                )
            records = _land(kept, tally)
            tally.advance(query)  # the state stays bounded: only the ids still needed
            number += 1
            state = cursor.state(number, read, tally)
            final = None
            if cursor.url is None:
                final = {"statements": _final(query, tally, http)}
            extract = EntityExtract("statements", records, pages)
            yield PullPart(f"pages-{number:05d}", [extract], state, final)


@dataclass
class _Cursor:
    """Where the pull stands: the next request (``url`` None once the ``more`` chain ends), the
    last ``more`` link the LRS gave, the ``since`` the current pass sent and the restarts since
    the last new statement; all but the request travel in a part's state."""

    endpoint: str
    url: str | None
    params: dict[str, Any] | None  # None when following a more link (it carries the query)
    more: str | None  # as the LRS gave it; resolved again on resuming
    since: datetime | None  # the since the current pass sent, when not the pull's own
    restarts: int
    resumed: bool  # the next request is the link an earlier try was given

    @classmethod
    def of(cls, query: _Query, endpoint: str, state: dict[str, Any]) -> _Cursor:
        """The cursor of a part's state: on from its ``more`` link, else the query's start."""
        more: str | None = state["more"]
        since = try_parse_iso(state["since"])
        if more is not None:
            return cls(
                endpoint, resolve_more(endpoint, more), None, more, since, state["restarts"], True
            )
        return cls(endpoint, query.url, query.ask(since), more, since, state["restarts"], False)

    def follow(self, more: str | None) -> None:
        """After a page: on to its ``more`` link, or the end of the chain (either way no
        longer the link an earlier try was given)."""
        self.resumed = False
        self.more = more
        self.url, self.params = (resolve_more(self.endpoint, more), None) if more else (None, None)

    def may_restart(self, exc: PlatformError) -> bool:
        """Whether a refused request is asked again as a restart of the query: 410 Gone (an
        expired link); on resuming, any refusal of the saved link but bad credentials (an LRS
        may answer 400/404 for a cursor it forgot)."""
        if isinstance(exc, AuthError):
            return False
        return isinstance(exc, GoneError) or (self.resumed and self.params is None)

    def restart(self, exc: PlatformError, query: _Query, tally: _Tally) -> None:
        """Ask the query again from :meth:`_Tally.restart_from` (a new pass: the order checks
        start over), or give up after ``MAX_RESTARTS`` in a row without a new statement."""
        self.restarts += 1
        _restart(exc, self.restarts)
        self.since = tally.restart_from()
        self.url, self.params = query.url, query.ask(self.since)
        tally.previous = tally.previous_timestamp = None
        self.resumed = False

    def state(self, number: int, read: int, tally: _Tally) -> dict[str, Any]:
        """The state of the part just read (``number``, after ``read`` pages in all)."""
        return {
            "more": self.more,
            "part": number,
            "pages": read,
            "restarts": self.restarts,
            "since": iso_utc(self.since) if self.since is not None else None,
            "tally": tally.to_state(),
        }


def _read_part(
    http: HttpClient, query: _Query, tally: _Tally, cursor: _Cursor, size: int
) -> tuple[list[RawPage], list[tuple[dict[str, Any], str]]]:
    """Read up to ``size`` pages on from the cursor: the pages archived, and the statements
    they add to the pull with the request each came from."""
    pages: list[RawPage] = []
    kept: list[tuple[dict[str, Any], str]] = []
    while cursor.url is not None and len(pages) < size:
        try:
            response = http.get_json(cursor.url, cursor.params)
        except PlatformError as exc:
            if not cursor.may_restart(exc):
                raise
            cursor.restart(exc, query, tally)
            continue
        added = _page(response, query, tally, pages, cursor.since or query.since)
        if added:  # a new statement since the last refusal: the pull is moving on
            cursor.restarts = 0
        kept.extend(added)
        cursor.follow(str(response.data.get("more") or "") or None)
    return pages, kept


def _restart(exc: PlatformError, restarts: int) -> None:
    """Log a restart of the query, or give up after ``MAX_RESTARTS``."""
    if restarts > MAX_RESTARTS:
        raise PlatformError(
            f"the more link was refused {restarts} times without a new statement in between; "
            f"giving up ({exc.reason})",
            platform=PLATFORM,
            request=exc.request,
        ) from exc
    log.warning(
        "%s: more link refused (%s); asking the query again (%d/%d)",
        PLATFORM,
        exc.reason,
        restarts,
        MAX_RESTARTS,
    )


def _final(query: _Query, tally: _Tally, http: HttpClient) -> dict[str, Any]:
    """The pull's watermarks and warnings (its last part)."""
    log.info(
        "%s: %d statements kept of %d received (%d already landed, %d beyond until, "
        "%d duplicates, %d left to the next run); this try: %d requests, %d retries",
        PLATFORM,
        tally.kept - tally.not_yet_consistent,
        tally.received,
        tally.already_landed,
        tally.beyond_until,
        tally.duplicates,
        tally.not_yet_consistent,
        http.requests_sent,
        http.retries,
    )
    warnings = tally.warnings(query.lookback)
    for warning in warnings:
        log.warning("%s: %s", PLATFORM, warning)
    watermark_to = query.wm_text
    best = tally.mark
    if best is not None and tally.consistent_through is not None:
        best = min(best, tally.consistent_through)  # never past what the LRS vouched for
    if best is not None and (query.wm is None or best > query.wm):
        watermark_to = iso_utc(best)
    return {"watermark_from": query.wm_text, "watermark_to": watermark_to, "warnings": warnings}
