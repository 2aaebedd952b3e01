"""The LRS's statements resource: its endpoint and ``more`` links, the query one pull asks
(:class:`_Query`) and a statement as a record (:func:`flatten_statement`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    PlatformError,
    aware,
    iso_utc,
    to_json_text,
    try_parse_iso,
)

PLATFORM = "gs_lrs"
XAPI_VERSION = "1.0.3"
CONSISTENT_THROUGH = "X-Experience-API-Consistent-Through"


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
    """A statement as a ``statements`` record: the fields staging reads, and the whole."""
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
