"""The Moodle Web Services REST client: PHP-style form arguments, ``exception`` bodies raised
as :class:`MoodleException` or :class:`AuthError`."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlencode

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    PlatformError,
    RawPage,
)
from ingestion.connectors.http import HttpClient

log = logging.getLogger(__name__)

PLATFORM = "academy"
WS_PATH = "/webservice/rest/server.php"
AUTH_ERRORCODES = frozenset({"invalidtoken"})


class MoodleException(PlatformError):
    """A Moodle ``exception`` body (HTTP 200)."""

    def __init__(self, reason: str, *, errorcode: str, request: str):
        super().__init__(reason, platform=PLATFORM, request=request)
        self.errorcode = errorcode


def php_params(args: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Function arguments as Moodle's PHP-style form pairs.

    ``{"options": [{"name": "limitfrom", "value": 0}]}`` →
    ``[("options[0][name]", "limitfrom"), ("options[0][value]", "0")]``; None is left out,
    booleans become 1/0.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in args.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, dict):
            pairs.extend(php_params(value, name))
        elif isinstance(value, list | tuple):
            pairs.extend(php_params(dict(enumerate(value)), name))
        elif isinstance(value, bool):
            pairs.append((name, "1" if value else "0"))
        else:
            pairs.append((name, str(value)))
    return pairs


def _int(value: Any) -> int:
    """Moodle epochs / ids / flags as int (0 when absent or unreadable)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _pick(obj: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {f: obj.get(f) for f in fields}


def ws_url(base_url: str) -> str:
    """The REST endpoint from the site root (a full server.php URL is accepted as is)."""
    base = base_url.rstrip("/")
    if base.endswith("/server.php"):
        return base
    return base + WS_PATH


class MoodleClient:
    """Calls Moodle WS functions (from several threads at once: :meth:`fetch` keeps no state)."""

    def __init__(self, conn: ApiConnection, http: HttpClient | None = None):
        if not conn.token:
            raise AuthError("no web service token configured", platform=PLATFORM)
        self.conn = conn
        self.url = ws_url(conn.base_url)
        self.http = http or HttpClient(PLATFORM, conn, secrets=[conn.token])

    def close(self) -> None:
        self.http.close()

    def call(self, function: str, args: dict[str, Any] | None = None) -> Any:
        """The body of one call (see :meth:`fetch`)."""
        return self.fetch(function, args)[0]

    def fetch(self, function: str, args: dict[str, Any] | None = None) -> tuple[Any, RawPage]:
        """Call one function: its body and the page to archive; raise on an exception body.

        The page is unnamed: landing names pages in the pull's order.
        """
        pairs = php_params(args or {})
        source = function + ("?" + urlencode(pairs, safe="[]") if pairs else "")
        data = [
            ("wstoken", self.conn.token or ""),
            ("wsfunction", function),
            ("moodlewsrestformat", "json"),
            *pairs,
        ]
        response = self.http.post_form_json(self.url, data, source=source)
        body = response.data
        if isinstance(body, dict) and "exception" in body:
            errorcode = str(body.get("errorcode") or "")
            message = self.http.redact(str(body.get("message") or ""))
            debug = body.get("debuginfo")
            reason = f"Moodle exception {body.get('exception')} ({errorcode}): {message}"
            if debug:
                reason += f" [{self.http.redact(str(debug))}]"
            if errorcode in AUTH_ERRORCODES:
                raise AuthError(
                    reason + "; check the web service token of the Airflow connection",
                    platform=PLATFORM,
                    request=source,
                )
            raise MoodleException(reason, errorcode=errorcode, request=source)
        if isinstance(body, dict):
            for warning in body.get("warnings") or []:
                log.warning("%s: %s: warning %s", PLATFORM, source, warning)
        return body, RawPage("", response.content, source)
