"""The one retrying HTTP layer every API connector uses (httpx, synchronous).

Policy, per request:

* transient failures are retried a bounded number of times (``ApiConnection.max_retries``) with
  exponential backoff and jitter: HTTP 502/503/504, timeouts, connection errors (including a
  body cut short of its ``Content-Length``) and a 2xx body that is not valid JSON (truncated);
* ``429 Too Many Requests`` waits what ``Retry-After`` asks (seconds or an HTTP date) and counts
  as an attempt; a wait longer than ``ApiConnection.max_retry_after`` fails the run instead;
* ``401``/``403`` raise :class:`AuthError` at once (no retry storm against an identity provider);
* ``410 Gone`` raises :class:`GoneError` (an expired cursor: the connector restarts its listing);
* any other 4xx (and 5xx outside the retry set) raises :class:`PlatformError` with the status and
  the start of the body.

Secrets never reach a log line, an exception message or a ``source``: :meth:`HttpClient.redact`
masks the token/password values and ``wstoken=`` / ``token=`` / ``password=`` query arguments.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from urllib.parse import urlencode

import httpx

from ingestion.connectors.base import ApiConnection, AuthError, PlatformError

log = logging.getLogger(__name__)
# httpx logs every request at INFO: tens of thousands of lines per night. The connectors log
# their own progress (pages, retries); keep httpx for warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)

RETRY_STATUSES = frozenset({502, 503, 504})
AUTH_STATUSES = frozenset({401, 403})

_SECRET_ARGS = re.compile(r"(?i)\b(wstoken|token|access_token|password|passwd|secret)=([^&\s\"']*)")
_AUTH_HEADER = re.compile(r"(?i)(authorization\s*[:=]\s*)(\S+\s+)?\S+")


class GoneError(PlatformError):
    """HTTP 410 Gone: a paging cursor expired; the caller restarts its listing."""


@dataclass
class JsonResponse:
    """A successful response: the body exactly as received, and its parsed JSON."""

    content: bytes
    data: Any
    url: str
    status: int
    source: str
    headers: Mapping[str, str] = field(default_factory=dict)  # case-insensitive from httpx


def parse_retry_after(value: str | None, now: Callable[[], float] = time.time) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - now())


def parse_json_body(content: bytes) -> Any:
    """JSON from a body; a leading UTF-8 BOM (misconfigured PHP) is tolerated."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]
    return json.loads(content)


class HttpClient:
    """A retrying JSON client for one platform (use as a context manager)."""

    def __init__(
        self,
        platform: str,
        conn: ApiConnection,
        *,
        headers: dict[str, str] | None = None,
        auth: httpx.Auth | tuple[str, str] | None = None,
        secrets: Iterable[str | None] = (),
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.platform = platform
        self.conn = conn
        self._secrets = sorted(
            {s for s in (*secrets, conn.token, conn.password) if s and len(s) >= 3},
            key=len,
            reverse=True,
        )
        self._sleep = sleep
        self.requests_sent = 0
        self.retries = 0
        self._client = httpx.Client(
            timeout=httpx.Timeout(conn.timeout),
            headers=headers,
            auth=auth,
            follow_redirects=True,
            transport=transport,
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- secrets ------------------------------------------------------------------------------
    def redact(self, text: str) -> str:
        text = _SECRET_ARGS.sub(lambda m: f"{m.group(1)}=***", text)
        text = _AUTH_HEADER.sub(lambda m: f"{m.group(1)}***", text)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    # -- requests -----------------------------------------------------------------------------
    def get_json(self, url: str, params: Any = None, *, source: str | None = None) -> JsonResponse:
        return self.request_json("GET", url, params=params, source=source)

    def post_form_json(
        self, url: str, pairs: list[tuple[str, str]], *, source: str
    ) -> JsonResponse:
        """POST ``application/x-www-form-urlencoded`` pairs (order and repeats kept)."""
        body = urlencode(pairs).encode("ascii")
        return self.request_json(
            "POST",
            url,
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            source=source,
        )

    def request_json(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        source: str | None = None,
    ) -> JsonResponse:
        """Send one request, retrying transient failures; return the JSON body.

        ``source`` names the request in messages (defaults to the URL with its query, redacted).
        """
        request = self._client.build_request(
            method, url, params=params, content=content, headers=headers
        )
        label = self.redact(source if source is not None else str(request.url))
        attempts_allowed = max(0, self.conn.max_retries) + 1
        attempt = 0
        while True:
            attempt += 1
            self.requests_sent += 1
            wait: float | None = None
            try:
                response = self._client.send(request)
            except httpx.TimeoutException:
                reason = f"timed out after {self.conn.timeout:g} s"
            except httpx.TransportError as exc:
                reason = f"connection error ({type(exc).__name__}: {self.redact(str(exc))})"
            else:
                status = response.status_code
                if 200 <= status < 300:
                    content = response.content
                    try:
                        data_out = parse_json_body(content)
                    except ValueError as exc:
                        reason = f"invalid JSON in a {len(content)}-byte body ({exc})"
                    else:
                        return JsonResponse(
                            content, data_out, str(response.url), status, label, response.headers
                        )
                elif status in AUTH_STATUSES:
                    raise AuthError(
                        f"HTTP {status} {response.reason_phrase}: the platform refused the "
                        f"credentials ({self._snippet(response)}); check the Airflow connection",
                        platform=self.platform,
                        request=label,
                    )
                elif status == 410:
                    raise GoneError(
                        f"HTTP 410 Gone ({self._snippet(response)})",
                        platform=self.platform,
                        request=label,
                    )
                elif status == 429:
                    wait = parse_retry_after(response.headers.get("Retry-After"))
                    reason = "HTTP 429 Too Many Requests"
                    if wait is not None and wait > self.conn.max_retry_after:
                        raise PlatformError(
                            f"rate limited: Retry-After asks for {wait:.0f} s, more than the "
                            f"{self.conn.max_retry_after:.0f} s this run is allowed to wait",
                            platform=self.platform,
                            request=label,
                        )
                    if wait is not None:
                        reason += f" (Retry-After {wait:g} s)"
                elif status in RETRY_STATUSES:
                    reason = f"HTTP {status} {response.reason_phrase}"
                else:
                    raise PlatformError(
                        f"HTTP {status} {response.reason_phrase}: {self._snippet(response)}",
                        platform=self.platform,
                        request=label,
                    )
            if attempt >= attempts_allowed:
                raise PlatformError(
                    f"gave up after {attempt} attempts; last failure: {reason}",
                    platform=self.platform,
                    request=label,
                )
            if wait is None:
                wait = self._backoff(attempt)
            self.retries += 1
            log.warning(
                "%s: %s: %s; retry %d/%d in %.2f s",
                self.platform,
                label,
                reason,
                attempt,
                attempts_allowed - 1,
                wait,
            )
            self._sleep(wait)

    def _backoff(self, attempt: int) -> float:
        base = min(self.conn.backoff_max, self.conn.backoff_base * 2 ** (attempt - 1))
        return base * (0.5 + random.random() / 2)  # "equal jitter": [base/2, base)

    def _snippet(self, response: httpx.Response, limit: int = 200) -> str:
        try:
            text = response.text
        except Exception:  # undecodable body
            text = repr(response.content[:limit])
        text = " ".join(text.split())
        if len(text) > limit:
            text = text[:limit] + "..."
        return self.redact(text) or "empty body"
