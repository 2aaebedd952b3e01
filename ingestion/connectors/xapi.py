"""General Secretariat learning programmes: an xAPI 1.0.3 Learning Record Store client.

The connection's ``base_url`` is the LRS's **xAPI endpoint** (``https://lrs.example/data/xAPI/``,
``.../xapi/``...); resources are resolved relative to it (a trailing slash is ensured). Every
request carries HTTP Basic auth and ``X-Experience-API-Version: 1.0.3``.

``GET {endpoint}statements?since=<watermark - look-back>&until=<until>&ascending=true&limit=<n>``
(``since`` omitted on a first load), then the ``more`` link of each page until it is empty or
absent. ``more`` is a URL relative to the *server* (xAPI Communication 2.1.3): it is resolved
against the scheme and host of the endpoint and otherwise used exactly as given.

Rules: a run lands the statements **stored** in ``(watermark, until]``. xAPI says ``since`` is
exclusive and ``until`` inclusive on ``stored``, but some LRSs in wide use (e.g. Ralph's
Elasticsearch backend) filter and order both on the statement ``timestamp``: with ``since =
watermark`` every back-dated or late-synced statement (stored long after its ``timestamp``) would
never be pulled. So ``since`` is sent ``since_lookback_days`` (connection setting, default 7)
before the watermark, and the client itself keeps only ``watermark < stored <= until`` (older ones
were landed by an earlier run; later ones belong to the next run), deduplicated by id: each
statement lands exactly once across runs. A statement back-dated more than the look-back before
the watermark can still be missed by such an LRS; the pull warns when the LRS shows that it does
not filter or order on ``stored``. Pages are read to the end (an LRS that orders by ``timestamp``
interleaves statements stored after ``until`` with ones inside the window).

Voiding statements are landed like any other (staging applies them; the LRS already leaves voided
statements out). An expired ``more`` link (410 Gone) restarts the query from the same ``since``,
at most ``MAX_RESTARTS`` times. ``watermark_to`` = the max ``stored`` landed, as ISO 8601 UTC.

``X-Experience-API-Consistent-Through`` (xAPI Communication 2.1.3): statements stored after the
earliest value the LRS sent may not all be visible yet; the ones received are left to the next
run (not landed, the watermark stays below them) with a warning, so a statement that becomes
visible later with an older ``stored`` is not skipped.

Reconciliation: xAPI 1.0.3 has no count resource (and the LRSs checked expose none that takes
``since``/``until``), so the pull reconciles what it can see itself: statements received, kept,
already landed, beyond ``until``, duplicates, unusable ``stored``; anomalies are logged as warnings
and returned in ``EntityExtract.warnings``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    RawPage,
    aware,
    iso_utc,
    page_name,
    to_json_text,
    try_parse_iso,
)
from ingestion.connectors.http import GoneError, HttpClient

log = logging.getLogger(__name__)

PLATFORM = "gs_lrs"
XAPI_VERSION = "1.0.3"
CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"
MAX_RESTARTS = 3
MAX_PAGES = 1_000_000


def endpoint_url(base_url: str) -> str:
    """The xAPI endpoint with exactly one trailing slash."""
    return base_url.rstrip("/") + "/"


def resolve_more(endpoint: str, more: str) -> str:
    """A ``more`` link as an absolute URL, relative to the scheme + host of the endpoint."""
    if urlsplit(more).scheme:
        return more  # already absolute
    parts = urlsplit(endpoint)
    origin = f"{parts.scheme}://{parts.netloc}"
    if more.startswith("/"):
        return origin + more
    return urljoin(origin + "/", more)


def flatten_statement(statement: dict[str, Any]) -> dict[str, Any]:
    verb = statement.get("verb")
    return {
        "id": statement.get("id"),
        "stored": statement.get("stored"),
        "timestamp": statement.get("timestamp"),
        "verb_id": verb.get("id") if isinstance(verb, dict) else None,
        "actor": to_json_text(statement.get("actor")),
        "verb": to_json_text(verb),
        "object": to_json_text(statement.get("object")),
        "result": to_json_text(statement.get("result")),
        "context": to_json_text(statement.get("context")),
        # the statement as it came: key order and values of the parsed object, no re-sorting
        "statement": to_json_text(statement),
    }


@dataclass
class _Tally:
    """What one pull saw, for reconciliation (counted over every pass, restarts included)."""

    received: int = 0
    already_landed: int = 0  # stored <= watermark: the look-back overlap
    beyond_until: int = 0  # stored > until: the next run's
    duplicates: int = 0  # an id seen again in this pull
    no_stored: int = 0  # kept, but without a usable stored
    before_since: int = 0  # stored <= the since sent: the LRS does not filter on stored
    out_of_order: int = 0  # stored lower than the previous one despite ascending=true
    consistent_through: datetime | None = None  # the earliest the LRS declared
    not_yet_consistent: int = 0  # stored after consistent_through: left to the next run
    kept: dict[str, tuple[dict[str, Any], str]] = field(default_factory=dict)
    marks: list[datetime] = field(default_factory=list)

    def warnings(self, lookback: timedelta) -> list[str]:
        found = []
        if self.before_since or self.beyond_until or self.out_of_order:
            found.append(
                f"the LRS does not filter/order on stored as xAPI requires ({self.before_since} "
                f"statements stored before since, {self.beyond_until} after until, "
                f"{self.out_of_order} out of stored order): statements back-dated more than "
                f"{lookback} before the watermark may be missed"
            )
        if self.not_yet_consistent and self.consistent_through is not None:
            found.append(
                f"{self.not_yet_consistent} statements stored after the LRS's consistent-through "
                f"{iso_utc(self.consistent_through)} were left to the next run"
            )
        if self.no_stored:
            found.append(f"{self.no_stored} statements without a valid stored were landed")
        return found


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull the statements stored in ``(watermark, until]``, asking the LRS with a look-back
    on ``since`` (see the module docstring)."""
    if not conn.username or conn.password is None:
        raise AuthError("no LRS username/password configured", platform=PLATFORM)
    if conn.since_lookback_days < 0:
        raise PlatformError("since_lookback_days must be >= 0", platform=PLATFORM)
    until_utc = aware(until)
    endpoint = endpoint_url(conn.base_url)
    wm_text = watermarks.get("statements")
    wm = try_parse_iso(wm_text) if wm_text else None
    if wm_text and wm is None:
        raise PlatformError(
            f"stored statements watermark {wm_text!r} is not ISO 8601", platform=PLATFORM
        )
    lookback = timedelta(days=conn.since_lookback_days)
    since = wm - lookback if wm is not None else None
    params: dict[str, Any] = {}
    if since is not None:
        # no look-back: the watermark text exactly as stored (no re-formatting)
        params["since"] = wm_text if not lookback else iso_utc(since)
    params["until"] = iso_utc(until_utc)
    params["ascending"] = "true"
    params["limit"] = max(1, conn.page_size)
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    auth = httpx.BasicAuth(conn.username, conn.password)
    pages: list[RawPage] = []
    tally = _Tally()
    with HttpClient(PLATFORM, conn, headers=headers, auth=auth, secrets=[conn.password]) as http:
        restarts = 0
        while True:
            try:
                _query(http, endpoint, params, pages, tally, wm, since, until_utc)
                break
            except GoneError as exc:
                restarts += 1
                if restarts > MAX_RESTARTS:
                    raise PlatformError(
                        f"the more link expired {restarts} times; giving up ({exc.reason})",
                        platform=PLATFORM,
                        request=exc.request,
                    ) from exc
                log.warning(
                    "%s: more link expired; restarting from the watermark (%d/%d)",
                    PLATFORM,
                    restarts,
                    MAX_RESTARTS,
                )
        log.info(
            "%s: %d statements kept of %d received (%d already landed, %d beyond until, "
            "%d duplicates) from %d pages (%d requests, %d retries)",
            PLATFORM,
            len(tally.kept),
            tally.received,
            tally.already_landed,
            tally.beyond_until,
            tally.duplicates,
            len(pages),
            http.requests_sent,
            http.retries,
        )
    _defer_inconsistent(tally)
    warnings = tally.warnings(lookback)
    for warning in warnings:
        log.warning("%s: %s", PLATFORM, warning)
    records = []
    for number, (statement, source) in enumerate(tally.kept.values(), start=1):
        record = flatten_statement(statement)
        record["_source"] = source
        record["_row_number"] = number
        record["_parse_error"] = None
        records.append(record)
    watermark_to = wm_text
    if tally.marks:
        best = max(tally.marks)
        if wm is None or best > wm:
            watermark_to = iso_utc(best)
    return [EntityExtract("statements", records, pages, wm_text, watermark_to, warnings=warnings)]


def _defer_inconsistent(tally: _Tally) -> None:
    """Drop kept statements stored after the LRS's consistent-through: the next run (whose
    window starts at this run's watermark) takes them, with whatever became visible meanwhile."""
    through = tally.consistent_through
    if through is None:
        return
    for key, (statement, _) in list(tally.kept.items()):
        stored = try_parse_iso(statement.get("stored"))
        if stored is not None and stored > through:
            del tally.kept[key]
            tally.not_yet_consistent += 1
    tally.marks = [m for m in tally.marks if m <= through]


def _query(
    http: HttpClient,
    endpoint: str,
    params: dict[str, Any],
    pages: list[RawPage],
    tally: _Tally,
    wm: datetime | None,
    since: datetime | None,
    until: datetime,
) -> None:
    url: str | None = urljoin(endpoint, "statements")
    query: dict[str, Any] | None = params
    previous: datetime | None = None
    for _ in range(MAX_PAGES):
        assert url is not None
        response = http.get_json(url, query)
        body = response.data
        if not isinstance(body, dict) or not isinstance(body.get("statements"), list):
            raise PlatformError(
                "unexpected response: expected a StatementResult with a 'statements' list",
                platform=PLATFORM,
                request=response.source,
            )
        pages.append(RawPage(page_name(len(pages) + 1), response.content, response.source))
        through = try_parse_iso(response.headers.get(CONSISTENT_THROUGH))
        if through is not None and (
            tally.consistent_through is None or through < tally.consistent_through
        ):
            tally.consistent_through = through
        for statement in body["statements"]:
            if not isinstance(statement, dict):
                continue
            tally.received += 1
            stored = try_parse_iso(statement.get("stored"))
            if stored is not None:
                if previous is not None and stored < previous:
                    tally.out_of_order += 1
                previous = stored
                if since is not None and stored <= since:
                    tally.before_since += 1
                if wm is not None and stored <= wm:
                    tally.already_landed += 1
                    continue
                if stored > until:
                    # not a reason to stop: an LRS ordering by timestamp interleaves these
                    tally.beyond_until += 1
                    continue
            key = str(statement.get("id"))
            if key in tally.kept:
                tally.duplicates += 1
                continue
            if stored is None:
                tally.no_stored += 1
            else:
                tally.marks.append(stored)
            tally.kept[key] = (statement, response.source)
        more = body.get("more")
        if not more:
            return
        url, query = resolve_more(endpoint, str(more)), None
    raise PlatformError(
        f"more than {MAX_PAGES} pages: the more chain does not end", platform=PLATFORM
    )
