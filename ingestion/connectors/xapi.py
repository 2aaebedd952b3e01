"""General Secretariat learning programmes: an xAPI 1.0.3 Learning Record Store client.

The connection's ``base_url`` is the LRS's **xAPI endpoint** (``https://lrs.example/data/xAPI/``,
``.../xapi/``...); resources are resolved relative to it (a trailing slash is ensured). Every
request carries HTTP Basic auth and ``X-Experience-API-Version: 1.0.3``.

``GET {endpoint}statements?since=<watermark>&until=<until>&ascending=true&limit=<page_size>``
(``since`` omitted on a first load), then the ``more`` link of each page until it is empty or
absent. ``more`` is a URL relative to the *server* (xAPI Communication 2.1.3): it is resolved
against the scheme and host of the endpoint and otherwise used exactly as given.

Rules: ``since`` is exclusive on ``stored`` and ``until`` inclusive, so a run lands the statements
stored in ``(watermark, until]``; the client also checks this window itself (an LRS that ignores
``until`` does not push the watermark past the run's interval). Voiding statements are landed like
any other (staging applies them; the LRS already leaves voided statements out). An expired ``more``
link (410 Gone) restarts the query from the watermark, at most ``MAX_RESTARTS`` times; statements
are deduplicated by id. ``watermark_to`` = the max ``stored`` landed, as ISO 8601 UTC.
"""

from __future__ import annotations

import logging
from datetime import datetime
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


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull statements stored in ``(watermark, until]`` (see the module docstring)."""
    if not conn.username or conn.password is None:
        raise AuthError("no LRS username/password configured", platform=PLATFORM)
    until_utc = aware(until)
    endpoint = endpoint_url(conn.base_url)
    wm_text = watermarks.get("statements")
    wm = try_parse_iso(wm_text) if wm_text else None
    if wm_text and wm is None:
        raise PlatformError(
            f"stored statements watermark {wm_text!r} is not ISO 8601", platform=PLATFORM
        )
    params: dict[str, Any] = {}
    if wm_text:
        params["since"] = wm_text
    params["until"] = iso_utc(until_utc)
    params["ascending"] = "true"
    params["limit"] = max(1, conn.page_size)
    headers = {"X-Experience-API-Version": XAPI_VERSION, "Accept": "application/json"}
    auth = httpx.BasicAuth(conn.username, conn.password)
    pages: list[RawPage] = []
    kept: dict[str, tuple[dict[str, Any], str]] = {}
    marks: list[datetime] = []
    with HttpClient(PLATFORM, conn, headers=headers, auth=auth, secrets=[conn.password]) as http:
        restarts = 0
        while True:
            try:
                _query(http, endpoint, params, pages, kept, marks, wm, until_utc)
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
            "%s: %d statements from %d pages (%d requests, %d retries)",
            PLATFORM,
            len(kept),
            len(pages),
            http.requests_sent,
            http.retries,
        )
    records = []
    for number, (statement, source) in enumerate(kept.values(), start=1):
        record = flatten_statement(statement)
        record["_source"] = source
        record["_row_number"] = number
        record["_parse_error"] = None
        records.append(record)
    watermark_to = wm_text
    if marks:
        best = max(marks)
        if wm is None or best > wm:
            watermark_to = iso_utc(best)
    return [EntityExtract("statements", records, pages, wm_text, watermark_to)]


def _query(
    http: HttpClient,
    endpoint: str,
    params: dict[str, Any],
    pages: list[RawPage],
    kept: dict[str, tuple[dict[str, Any], str]],
    marks: list[datetime],
    wm: datetime | None,
    until: datetime,
) -> None:
    url: str | None = urljoin(endpoint, "statements")
    query: dict[str, Any] | None = params
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
        beyond = False
        for statement in body["statements"]:
            if not isinstance(statement, dict):
                continue
            stored = try_parse_iso(statement.get("stored"))
            if stored is not None:
                if wm is not None and stored <= wm:
                    continue
                if stored > until:
                    beyond = True  # ascending order: everything after is beyond too
                    continue
                marks.append(stored)
            kept[str(statement.get("id"))] = (statement, response.source)
        more = body.get("more")
        if not more or beyond:
            return
        url, query = resolve_more(endpoint, str(more)), None
    raise PlatformError(
        f"more than {MAX_PAGES} pages: the more chain does not end", platform=PLATFORM
    )
