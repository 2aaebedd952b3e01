"""What the sandbox servers' platform apps share: the request/response model, error bodies,
instants, paging cursors, and what an app sees of its server (:class:`ServerContext`). Running
an app behind the faults is :mod:`sandbox.servers.runtime`."""

from __future__ import annotations

import base64
import binascii
import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl

from sandbox.servers.faults import FaultConfig, FaultState

# --------------------------------------------------------------------------- request / response


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # lower-cased names
    body: bytes = b""

    @property
    def target(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def query_params(self) -> dict[str, str]:
        """Query parameters (the last value wins for repeated names)."""
        return dict(parse_qsl(self.query, keep_blank_values=True))

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@dataclass
class Response:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    headers: list[tuple[str, str]] = field(default_factory=list)


def json_response(
    status: int, payload: Any, headers: list[tuple[str, str]] | None = None
) -> Response:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(status, body, headers=list(headers or []))


def json_error(
    status: int, error: str, message: str, headers: list[tuple[str, str]] | None = None
) -> Response:
    return json_response(status, {"error": error, "message": message}, headers)


_REASONS = {
    404: "Not Found",
    405: "Method Not Allowed",
    429: "Too Many Requests",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
}


def html_error(status: int) -> Response:
    """An error page as a reverse proxy (nginx) in front of the platform writes it."""
    reason = _REASONS.get(status, "Error")
    text = (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return Response(status, text.encode("ascii"), content_type="text/html")


def parse_iso(value: str) -> datetime:
    """An ISO 8601 timestamp as an aware datetime (naive input is taken as UTC).

    Tolerates a ``+`` that arrived as a space because the client did not percent-encode it.
    """
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        if " " not in text:
            raise
        parsed = datetime.fromisoformat(text.replace(" ", "+"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def safe_instant(value: Any) -> datetime:
    """A record's timestamp for ordering; a missing or unreadable one sorts first."""
    try:
        return parse_iso(str(value)) if value else EPOCH
    except ValueError:
        return EPOCH


def iso_utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def load_json(path: Path, default: Any) -> Any:
    if not path.exists():
        return default
    return json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- cursors


class CursorInvalid(Exception):
    """The token cannot be read (400)."""


class CursorExpired(Exception):
    """The token was never issued by this server run, or is older than the TTL (410)."""


class CursorStore:
    """Opaque paging tokens: URL-safe base64 of a small JSON payload (listing, filters, offset).

    Tokens are deterministic (same listing position, same token) so that request keys and fault
    decisions repeat across runs; the issue time is kept server-side, and a token this server run
    did not issue (e.g. after a restart) is refused as expired.
    """

    PREFIX = "c1"

    def __init__(self) -> None:
        self._issued: dict[str, float] = {}
        self._lock = threading.Lock()

    def issue(self, payload: dict[str, Any]) -> str:
        raw = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode("utf-8")
        token = self.PREFIX + base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")
        with self._lock:
            self._issued[token] = time.monotonic()
        return token

    def resolve(self, token: str, ttl_seconds: float | None) -> dict[str, Any]:
        if not token.startswith(self.PREFIX):
            raise CursorInvalid("malformed cursor")
        encoded = token[len(self.PREFIX) :]
        try:
            raw = base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4))
            payload = json.loads(raw)
        except (binascii.Error, ValueError) as exc:
            raise CursorInvalid("malformed cursor") from exc
        if not isinstance(payload, dict):
            raise CursorInvalid("malformed cursor")
        with self._lock:
            issued = self._issued.get(token)
        if issued is None:
            raise CursorExpired("unknown cursor")
        if ttl_seconds is not None and time.monotonic() - issued > ttl_seconds:
            raise CursorExpired("cursor expired")
        return payload


def listing_key(*parts: Any) -> str:
    return json.dumps(parts, sort_keys=True, separators=(",", ":"), default=str)


# --------------------------------------------------------------------------- app protocol


class PlatformApp(Protocol):
    platform: str

    def handle(self, request: Request) -> Response: ...

    def endpoint(self, base_url: str) -> str: ...


@dataclass
class ServerContext:
    """What an app sees of its server: faults, cursors, base URL, the stop signal."""

    state: FaultState
    cursors: CursorStore
    stop_event: threading.Event
    base_url: str = ""

    @property
    def faults(self) -> FaultConfig:
        return self.state.config
