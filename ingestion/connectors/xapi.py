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
statements out). An expired ``more`` link (410 Gone) restarts the query, at most ``MAX_RESTARTS``
times, from the pull's *floor*: its ``since`` in the first part, then, from the end of each part,
just before the last statement received (less the look-back) while the LRS keeps filtering and
ordering on ``stored`` or on ``timestamp``; the statements kept before are known by id and not
kept again. An LRS seen keeping to neither order starts the pull over instead (:class:`StartOver`).
``watermark_to`` = the max ``stored`` landed, as ISO 8601 UTC.

The pull lands as it goes (:func:`pull_parts`): a part per ``pages_per_part`` pages, its state
the ``more`` link to go on from and the tally so far; a retried task goes on from that link, or,
when the LRS refuses it, restarts from the floor (docs/raw-zone.md). The state is bounded
whatever the length of the pull: it keeps only the ids of statements at or after the floor
(``stored`` or ``timestamp``), the only ones a restart or a duplicate can bring again.

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
from collections.abc import Iterator
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
    PullPart,
    RawPage,
    StartOver,
    aware,
    collect_parts,
    iso_utc,
    page_name,
    to_json_text,
    try_parse_iso,
)
from ingestion.connectors.http import GoneError, HttpClient, JsonResponse

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


COUNTS = (
    "received",
    "kept",
    "already_landed",
    "beyond_until",
    "duplicates",
    "no_stored",
    "before_since",
    "out_of_order",
    "not_yet_consistent",
)
MOMENTS = ("consistent_through", "previous", "previous_timestamp", "floor", "mark")


@dataclass
class _Tally:
    """What one pull saw, for reconciliation (counted over every pass, restarts included, and
    over every try: it travels in each part's state).

    Bounded whatever the pull's length: ``seen`` holds only the ids of statements that the LRS
    could send again, those whose ``stored`` or ``timestamp`` is at or after ``floor``, the
    earliest point any restart of this pull will ask from (:meth:`advance`)."""

    received: int = 0
    kept: int = 0  # kept, deferred ones included
    already_landed: int = 0  # stored <= watermark: the look-back overlap
    beyond_until: int = 0  # stored > until: the next run's
    duplicates: int = 0  # an id seen again in this pull
    no_stored: int = 0  # kept, but without a usable stored
    before_since: int = 0  # stored <= the since sent: the LRS does not filter on stored
    out_of_order: int = 0  # stored lower than the previous one despite ascending=true
    not_yet_consistent: int = 0  # stored after consistent_through: left to the next run
    consistent_through: datetime | None = None  # the earliest the LRS declared
    previous: datetime | None = None  # the last stored received in this pass (order check)
    previous_timestamp: datetime | None = None  # the last timestamp received in this pass
    # Whether the LRS has, in every statement so far, filtered (since, until) and ordered on
    # stored (as xAPI requires) / on timestamp (as some LRSs do): a restart may then go on from
    # the last one received; once False, never True again in this pull.
    by_stored: bool = True
    by_timestamp: bool = True
    floor: datetime | None = None  # no restart of this pull asks from earlier (None: the start)
    mark: datetime | None = None  # the highest stored landed
    # id -> the later of its stored and timestamp, for the statements kept (or deferred) whose
    # later moment is at or after ``floor``: the ones a restart or a duplicate can bring again
    seen: dict[str, datetime | None] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        """The tally as JSON for a part's state."""
        moments = {
            name: iso_utc(value) if (value := getattr(self, name)) is not None else None
            for name in MOMENTS
        }
        seen = {key: iso_utc(at) if at is not None else None for key, at in self.seen.items()}
        flags = {"by_stored": self.by_stored, "by_timestamp": self.by_timestamp}
        return {**{n: getattr(self, n) for n in COUNTS}, **moments, **flags, "seen": seen}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> _Tally:
        moments = {name: try_parse_iso(state.get(name)) for name in MOMENTS}
        seen = {key: try_parse_iso(at) for key, at in state["seen"].items()}
        flags = {"by_stored": state["by_stored"], "by_timestamp": state["by_timestamp"]}
        return cls(**{n: state[n] for n in COUNTS}, **moments, **flags, seen=seen)

    def restart_from(self) -> datetime | None:
        """Where a restart of the query asks from (None: the pull's own ``since``): ``floor``,
        fixed at the end of the last part (:meth:`advance`), so every restart within a part
        asks the same query. :class:`StartOver` when the LRS has since kept to neither field:
        the floor is then no longer known to be safe, nor is any point short of the start."""
        if not (self.by_stored or self.by_timestamp):
            raise StartOver("the LRS orders statements on neither stored nor timestamp")
        return self.floor

    def advance(self, query: _Query) -> None:
        """At the end of a part: raise ``floor`` to where the query could be asked again from,
        and forget the ids before it.

        That point is just before the last statement received on every field the LRS has kept
        filtering and ordering on (the earlier one, if both), less the look-back (at least a
        second), never lower than before: every statement up to it has been received. A
        statement the LRS sends again after a restart from there is after it on the field it
        orders on, and a duplicate comes where its first copy came, so the ids kept are enough.
        An LRS that kept to neither field starts over on a restart (:meth:`restart_from`); its
        duplicates are looked for within the look-back of the latest statement kept."""
        margin = max(query.lookback, timedelta(seconds=1))
        if self.by_stored or self.by_timestamp:
            lasts = [
                last
                for kept_to, last in (
                    (self.by_stored, self.previous),
                    (self.by_timestamp, self.previous_timestamp),
                )
                if kept_to
            ]
            if all(last is not None for last in lasts):  # else nothing received in this pass
                point = try_parse_iso(iso_utc(min(lasts) - margin))  # exactly as it will be sent
                low = self.floor or query.since
                if point is not None and (low is None or point > low):
                    self.floor = point
            bound = self.floor
        else:
            moments = [at for at in self.seen.values() if at is not None]
            bound = max(moments) - margin if moments else None
        if bound is not None:
            self.seen = {key: at for key, at in self.seen.items() if at is None or at >= bound}

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
        if (
            self.mark is not None
            and self.consistent_through is not None
            and self.mark > self.consistent_through
        ):
            found.append(
                f"the LRS moved its consistent-through back to {iso_utc(self.consistent_through)}"
                " during the pull, below statements already landed: the next run may land them "
                "again (staging keeps one per id)"
            )
        if self.no_stored:
            found.append(f"{self.no_stored} statements without a valid stored were landed")
        return found


@dataclass(frozen=True)
class _Query:
    """The statements query of one pull: what it asks and the window it keeps."""

    url: str  # the statements resource
    params: dict[str, Any]
    wm_text: str | None
    wm: datetime | None
    since: datetime | None
    until: datetime
    lookback: timedelta

    @classmethod
    def of(cls, conn: ApiConnection, watermarks: dict[str, str | None], until: datetime) -> _Query:
        if not conn.username or conn.password is None:
            raise AuthError("no LRS username/password configured", platform=PLATFORM)
        if conn.since_lookback_days < 0:
            raise PlatformError("since_lookback_days must be >= 0", platform=PLATFORM)
        until_utc = aware(until)
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
        url = urljoin(endpoint_url(conn.base_url), "statements")
        return cls(url, params, wm_text, wm, since, until_utc, lookback)

    def ask(self, since: datetime | None) -> dict[str, Any]:
        """The query's parameters, asking from ``since`` instead of its own when given."""
        return self.params if since is None else {**self.params, "since": iso_utc(since)}


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull the statements stored in ``(watermark, until]`` whole, in memory (see
    :func:`pull_parts`); a pull that has to start over does, once (as ``land_pull`` does)."""
    try:
        return collect_parts(pull_parts(conn, watermarks, until), ENTITIES)
    except StartOver as exc:
        log.warning("%s: the pull starts over from the start (%s)", PLATFORM, exc)
        return collect_parts(pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull the statements stored in ``(watermark, until]`` (module docstring), one part per
    ``conn.pages_per_part`` pages, the last part carrying the watermark and the warnings.

    A part's state holds the ``more`` link to go on from and the tally so far, with the ids of
    the statements kept at or after its ``floor`` (:class:`_Tally`: bounded, whatever the length
    of the pull). ``state``: that of the last part an earlier try landed; the pull goes on from
    its ``more`` link. An LRS may refuse that link (expired, or its cursors do not outlive a
    restart): the query is then asked again (a restart, as after a 410 in the middle of a pull)
    from :meth:`_Tally.restart_point`, and the statements received again are known by their
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
    restarts: int = state["restarts"]
    since = try_parse_iso(state["since"])
    endpoint = endpoint_url(conn.base_url)
    with HttpClient(PLATFORM, conn, headers=headers, auth=auth, secrets=[conn.password]) as http:
        url: str | None = query.url
        params: dict[str, Any] | None = query.ask(since)
        resumed = state["more"] is not None  # the first link is one an earlier try was given
        if resumed:
            url, params = resolve_more(endpoint, state["more"]), None
        number, read = state["part"], state["pages"]
        more: str | None = state["more"]
        while url is not None:
            pages: list[RawPage] = []
            kept: list[tuple[dict[str, Any], str]] = []
            while url is not None and len(pages) < size:
                try:
                    response = http.get_json(url, params)
                except PlatformError as exc:
                    # 410 Gone: an expired link; on resuming, any refusal of the saved link
                    # but bad credentials (an LRS may answer 400/404 for a cursor it forgot)
                    if isinstance(exc, AuthError) or not (
                        isinstance(exc, GoneError) or (resumed and params is None)
                    ):
                        raise
                    restarts += 1
                    _restart(exc, restarts)
                    since = tally.restart_from()
                    url, params = query.url, query.ask(since)
                    tally.previous = tally.previous_timestamp = None
                    resumed = False
                    continue
                resumed = False
                kept.extend(_page(response, query, tally, pages, since or query.since))
                more = str(response.data.get("more") or "") or None
                url, params = (resolve_more(endpoint, more), None) if more else (None, None)
            read += len(pages)
            if read > MAX_PAGES:
                raise PlatformError(
                    f"more than {MAX_PAGES} pages: the more chain does not end", platform=PLATFORM
                )
            records = _land(kept, tally)
            tally.advance(query)  # the state stays bounded: only the ids still needed
            number += 1
            state = {
                "more": more,  # as the LRS gave it; resolved again on resuming
                "part": number,
                "pages": read,
                "restarts": restarts,
                "since": iso_utc(since) if since is not None else None,
                "tally": tally.to_state(),
            }
            final = None
            if url is None:
                final = {"statements": _final(query, tally, http)}
            extract = EntityExtract("statements", records, pages)
            yield PullPart(f"pages-{number:05d}", [extract], state, final)


ENTITIES = ("statements",)


def _restart(exc: PlatformError, restarts: int) -> None:
    """Log a restart of the query, or give up after ``MAX_RESTARTS``."""
    if restarts > MAX_RESTARTS:
        raise PlatformError(
            f"the more link expired {restarts} times; giving up ({exc.reason})",
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


def _page(
    response: JsonResponse,
    query: _Query,
    tally: _Tally,
    pages: list[RawPage],
    since: datetime | None,
) -> list[tuple[dict[str, Any], str]]:
    """Archive one StatementResult page and return the statements it adds to the pull
    (``since``: the one this pass sent)."""
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
    kept = []
    for statement in body["statements"]:
        if not isinstance(statement, dict):
            continue
        tally.received += 1
        stored = try_parse_iso(statement.get("stored"))
        happened = try_parse_iso(statement.get("timestamp"))
        _follow(tally, query, since, stored, happened)
        if stored is not None:
            if since is not None and stored <= since:
                tally.before_since += 1
            if query.wm is not None and stored <= query.wm:
                tally.already_landed += 1
                continue
            if stored > query.until:
                # not a reason to stop: an LRS ordering by timestamp interleaves these
                tally.beyond_until += 1
                continue
        key = str(statement.get("id"))
        if key in tally.seen:
            tally.duplicates += 1
            continue
        if stored is None:
            tally.no_stored += 1
        tally.kept += 1
        moments = [at for at in (stored, happened) if at is not None]
        # a statement without a moment is kept in seen for the whole pull (a rare anomaly)
        tally.seen[key] = max(moments) if moments else None
        kept.append((statement, response.source))
    return kept


def _follow(
    tally: _Tally,
    query: _Query,
    since: datetime | None,
    stored: datetime | None,
    happened: datetime | None,
) -> None:
    """Follow the order of one statement received: is the LRS still filtering and ordering on
    ``stored`` and on ``timestamp``? (``out_of_order`` counts the first, for the warnings.)"""
    if stored is not None and tally.previous is not None and stored < tally.previous:
        tally.out_of_order += 1
    tally.by_stored = tally.by_stored and _in_order(stored, tally.previous, since, query.until)
    tally.by_timestamp = tally.by_timestamp and _in_order(
        happened, tally.previous_timestamp, since, query.until
    )
    tally.previous = stored or tally.previous
    tally.previous_timestamp = happened or tally.previous_timestamp


def _in_order(
    at: datetime | None, last: datetime | None, since: datetime | None, until: datetime
) -> bool:
    """Whether a statement's moment (stored or timestamp) fits an LRS filtering and ordering on
    it: present, not before the one received before it, within ``(since, until]``."""
    if at is None or (last is not None and at < last):
        return False
    return (since is None or at > since) and at <= until


def _land(kept: list[tuple[dict[str, Any], str]], tally: _Tally) -> list[dict[str, Any]]:
    """A part's statements as records, leaving out those stored after the LRS's
    consistent-through so far: the next run (whose window starts at this run's watermark) takes
    them, with whatever became visible meanwhile."""
    through = tally.consistent_through
    records = []
    for statement, source in kept:
        stored = try_parse_iso(statement.get("stored"))
        if stored is not None and through is not None and stored > through:
            tally.not_yet_consistent += 1
            continue
        if stored is not None and (tally.mark is None or stored > tally.mark):
            tally.mark = stored
        record = flatten_statement(statement)
        record["_source"] = source
        record["_parse_error"] = None
        records.append(record)
    return records


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
