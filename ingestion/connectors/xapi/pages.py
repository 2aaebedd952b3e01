"""A page of the statements query: what it adds to the pull (:func:`_page`, counted in the
tally as it goes) and the records a part lands of what was kept (:func:`_land`)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ingestion.connectors.base import PlatformError, RawPage, page_name, try_parse_iso
from ingestion.connectors.http import JsonResponse
from ingestion.connectors.xapi.statements import (
    CONSISTENT_THROUGH,
    PLATFORM,
    _Query,
    flatten_statement,
)
from ingestion.connectors.xapi.tally import _Tally


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
