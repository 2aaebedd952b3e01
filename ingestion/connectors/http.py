"""The one retrying HTTP layer every API connector uses (httpx, synchronous).

Policy, per request:

* transient failures are retried a bounded number of times (``ApiConnection.max_retries``) with
  exponential backoff and jitter: HTTP 502/503/504, timeouts, connection errors (including a
  body cut short of its ``Content-Length``) and a 2xx body that is not valid JSON (truncated);
* ``429 Too Many Requests`` (and a 503 that sends ``Retry-After``) waits what ``Retry-After``
  asks (seconds or an HTTP date) and counts as an attempt; a wait longer than
  ``ApiConnection.max_retry_after`` fails the run instead. The wait holds the whole client, not
  only the refused request: every request in flight pauses until then, so a rate-limited platform
  is not hammered by the other workers;
* ``401``/``403`` raise :class:`AuthError` at once (no retry storm against an identity provider);
* ``410 Gone`` raises :class:`GoneError` (an expired cursor: the connector restarts its listing);
* any other 4xx (and 5xx outside the retry set) raises :class:`PlatformError` with the status and
  the start of the body.

Concurrency: at most ``ApiConnection.max_in_flight`` requests are in flight at once (a gate
around each send, whatever the number of threads calling). A rate-limit answer halves that
number for what follows; it grows back by one after a run of successes. :meth:`HttpClient.map`
runs a function over items on that many threads and returns the results **in the items'
order**, so what a connector lands never depends on the order the answers came back in.

Secrets never reach a log line, an exception message or a ``source``: :meth:`HttpClient.redact`
masks the token/password values and ``wstoken=`` / ``token=`` / ``password=`` query arguments.
"""

from __future__ import annotations

import email.utils
import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any, TypeVar
from urllib.parse import urlencode

import httpx

from ingestion.connectors.base import ApiConnection, AuthError, PlatformError

log = logging.getLogger(__name__)
# httpx logs every request at INFO: tens of thousands of lines per night. The connectors log
# their own progress (pages, retries); keep httpx for warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)

T = TypeVar("T")
R = TypeVar("R")

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
        self.max_in_flight = max(1, conn.max_in_flight)
        self._lock = threading.Lock()
        self._room = threading.Condition(self._lock)
        # Requests allowed in flight now: max_in_flight, halved by each rate-limit answer and
        # grown back by one after a run of successes, so that after a pause the workers do not
        # all come back at once and meet the limit again.
        self.allowed_in_flight = self.max_in_flight
        self._successes = 0
        self._in_flight = 0
        self.peak_in_flight = 0  # the most requests this client had in flight at once
        self._paused_until = 0.0  # time.monotonic() before which no request is sent
        self._pool: ThreadPoolExecutor | None = None
        self._client = httpx.Client(
            timeout=httpx.Timeout(conn.timeout),
            headers=headers,
            auth=auth,
            follow_redirects=True,
            transport=transport,
            limits=httpx.Limits(
                max_connections=self.max_in_flight, max_keepalive_connections=self.max_in_flight
            ),
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
        self._client.close()

    # -- concurrency --------------------------------------------------------------------------
    def map(self, fn: Callable[[T], R], items: Sequence[T]) -> list[R]:
        """``[fn(item) for item in items]`` with up to ``max_in_flight`` running at once.

        Results come back in the items' order, whatever order the answers arrived in; the first
        exception (in item order) is raised once every call has finished.
        """
        if self.max_in_flight == 1 or len(items) <= 1:
            return [fn(item) for item in items]
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.max_in_flight, thread_name_prefix=self.platform)
        futures = [self._pool.submit(fn, item) for item in items]
        errors = [f.exception() for f in futures]  # waits for all: no call left running
        for error in errors:
            if error is not None:
                raise error
        return [f.result() for f in futures]

    def _send(self, request: httpx.Request, waited_until: float) -> httpx.Response:
        """Send once, holding one of the ``max_in_flight`` slots, after a pause another request
        asked for (``waited_until``: the end of the pause this request already slept through)."""
        with self._room:
            self._room.wait_for(lambda: self._in_flight < self.allowed_in_flight)
            self._in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight)
            self.requests_sent += 1
            paused_until = self._paused_until
        try:
            # checked once the slot is held: a pause asked for while waiting for it counts too
            if paused_until > waited_until:
                wait = paused_until - time.monotonic()
                if wait > 0:
                    self._sleep(wait)
            response = self._client.send(request)
        finally:
            with self._room:
                self._in_flight -= 1
                self._room.notify()
        return response

    def _answered(self, limited: bool) -> None:
        """Adapt the requests allowed in flight: halve on a rate limit, +1 after successes."""
        with self._room:
            if limited:
                self.allowed_in_flight = max(1, self.allowed_in_flight // 2)
                self._successes = 0
                return
            self._successes += 1
            if self.allowed_in_flight < self.max_in_flight and (
                self._successes >= 4 * self.allowed_in_flight
            ):
                self.allowed_in_flight += 1
                self._successes = 0
                self._room.notify()

    def _pause(self, seconds: float) -> float:
        """Hold every request of this client for ``seconds`` (a Retry-After); returns when the
        pause ends."""
        with self._lock:
            self._paused_until = max(self._paused_until, time.monotonic() + seconds)
            return self._paused_until

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
        waited_until = 0.0
        while True:
            attempt += 1
            wait: float | None = None
            try:
                response = self._send(request, waited_until)
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
                        self._answered(limited=False)
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
                elif status == 429 or (
                    status in RETRY_STATUSES and "Retry-After" in response.headers
                ):
                    wait = parse_retry_after(response.headers.get("Retry-After"))
                    reason = f"HTTP {status} {response.reason_phrase}"
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
            else:
                # the platform asked: every request of this client waits, not only this one,
                # and fewer go at once afterwards
                waited_until = self._pause(wait)
                self._answered(limited=True)
            with self._lock:
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
