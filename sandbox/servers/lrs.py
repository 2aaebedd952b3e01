"""General Secretariat sandbox: an xAPI 1.0.3 Learning Record Store (read side).

* The xAPI endpoint is configurable (``/xapi/`` by default; real products use ``/xAPI/``,
  ``/data/xAPI/`` ...); resources hang off it: ``statements``, ``statements/more/<token>``,
  ``about``.
* HTTP Basic auth (401 + ``WWW-Authenticate`` otherwise); every request but ``about`` needs an
  ``X-Experience-API-Version`` header starting with ``1.0`` (400 otherwise). Every answer carries
  ``X-Experience-API-Version: 1.0.3``; statement queries also
  ``X-Experience-API-Consistent-Through``.
* ``GET statements`` with ``since`` (exclusive, on ``stored``), ``until`` (inclusive), ``limit``
  (0 = server maximum, larger values are clamped), ``ascending`` (default false: newest first),
  ``verb``, ``agent``, ``activity``, ``registration``, ``related_activities``, ``format``,
  ``attachments``; unknown parameters are refused with 400.
* ``{"statements": [...], "more": "<path>"}``: ``more`` is a server-relative URL
  (``<endpoint>statements/more/<token>``); on the last page it is ``""``, or absent when the
  server was started with ``omit_empty_more=True``. A ``more`` link older than the cursor TTL, or
  from an earlier server run, is refused with **410 Gone** (the client restarts from its ``since``
  watermark); a malformed one with 400.
* ``X-Experience-API-Consistent-Through`` is now, or the newest ``stored`` when the data is
  dated later; fault ``consistency_lag_seconds`` puts it that far behind the newest ``stored``.
* Fault ``timestamp_window`` (:mod:`sandbox.servers.faults`): ``since`` / ``until`` filter, and
  results are ordered (ties by id), on ``timestamp`` instead of ``stored``, as some LRSs in wide
  use do (e.g. Ralph's Elasticsearch backend).
* Voiding (xAPI 1.0.3 Data 2.2.9 / Communication 2.1.4): voided statements are left out of every
  query result; the voiding statements themselves are returned like any other. ``statementId`` of
  a voided statement gives 404; ``voidedStatementId`` returns it.

The query's parameters, filters and matching are in :mod:`sandbox.servers.lrs_query`.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sandbox.servers.base import (
    CursorExpired,
    CursorInvalid,
    Request,
    Response,
    ServerContext,
    iso_utc,
    json_error,
    json_response,
    listing_key,
    load_json,
    parse_iso,
    safe_instant,
)
from sandbox.servers.lrs_query import (
    QUERY_PARAMS,
    BadRequest,
    bool_param,
    has_activity,
    has_agent,
    query_filters,
)

VOIDED = "http://adlnet.gov/expapi/verbs/voided"
XAPI_VERSION = "1.0.3"
DEFAULT_MAX_PAGE = 100


def normalize_endpoint_path(path: str) -> str:
    path = "/" + path.strip("/")
    return path + "/" if path != "/" else "/"


class LrsApp:
    platform = "gs_lrs"

    def __init__(
        self,
        data_dir: Path,
        credentials: dict[str, Any],
        context: ServerContext,
        *,
        endpoint_path: str = "/xapi/",
        omit_empty_more: bool = False,
        max_page_size: int = DEFAULT_MAX_PAGE,
    ):
        self.context = context
        self.username = str(credentials.get("username", ""))
        self.password = str(credentials.get("password", ""))
        self.endpoint_path = normalize_endpoint_path(endpoint_path)
        self.omit_empty_more = omit_empty_more
        self.max_page_size = max_page_size
        statements = load_json(data_dir / "gs_lrs" / "statements.json", [])
        keyed = sorted(
            ((safe_instant(s.get("stored")), str(s.get("id")), s) for s in statements),
            key=lambda t: t[:2],
        )
        self.stored: list[datetime] = [t[0] for t in keyed]
        self.statements: list[dict[str, Any]] = [t[2] for t in keyed]
        self.by_id = {str(s["id"]): s for s in self.statements}
        # for the timestamp_window fault: the same statements in timestamp order
        by_time = sorted(
            ((safe_instant(s.get("timestamp")), str(s.get("id")), s) for s in statements),
            key=lambda t: t[:2],
        )
        self.timestamps: list[datetime] = [t[0] for t in by_time]
        self.by_timestamp: list[dict[str, Any]] = [t[2] for t in by_time]
        self.voided_ids = {
            str(s["object"]["id"])
            for s in self.statements
            if s.get("verb", {}).get("id") == VOIDED
            and s.get("object", {}).get("objectType") == "StatementRef"
        }
        self._cache: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
        self._cache_lock = threading.Lock()

    def endpoint(self, base_url: str) -> str:
        return base_url + self.endpoint_path

    # -- HTTP -----------------------------------------------------------------------------
    def _headers(self, consistent: bool = False) -> list[tuple[str, str]]:
        headers = [("X-Experience-API-Version", XAPI_VERSION)]
        if consistent:
            headers.append(("X-Experience-API-Consistent-Through", iso_utc(self._consistent())))
        return headers

    def _consistent(self) -> datetime:
        # never before the newest stored: the generated data may be dated after the machine's
        # clock, and an LRS cannot have stored a statement in its own future
        newest = self.stored[-1] if self.stored else datetime.now(UTC)
        lag = self.context.faults.consistency_lag_seconds
        if lag:
            return newest - timedelta(seconds=lag)
        return max(datetime.now(UTC), newest)

    def _error(
        self, status: int, error: str, message: str, extra: list[tuple[str, str]] | None = None
    ) -> Response:
        return json_error(status, error, message, self._headers() + list(extra or []))

    def handle(self, request: Request) -> Response:
        if not request.path.startswith(self.endpoint_path):
            return self._error(404, "not_found", f"No resource at {request.path}")
        resource = request.path[len(self.endpoint_path) :]
        if resource == "about":
            return json_response(200, {"version": [XAPI_VERSION]}, self._headers())
        if not self._authorized(request):
            return self._error(
                401,
                "unauthorized",
                "Authentication required.",
                [("WWW-Authenticate", 'Basic realm="LRS"')],
            )
        version = request.header("x-experience-api-version")
        if not version or not version.strip().startswith("1.0"):
            return self._error(
                400,
                "bad_request",
                "The X-Experience-API-Version header is missing or not supported (use 1.0.3).",
            )
        if resource not in ("statements",) and not resource.startswith("statements/more/"):
            return self._error(404, "not_found", f"No resource at {request.path}")
        if request.method not in ("GET", "HEAD"):
            return self._error(403, "forbidden", "These credentials are read-only.")
        try:
            if resource == "statements":
                return self._statements(request.query_params())
            return self._more(resource[len("statements/more/") :])
        except BadRequest as exc:
            return self._error(400, "bad_request", str(exc))

    def _authorized(self, request: Request) -> bool:
        if self.context.faults.reject_auth:
            return False
        scheme, _, encoded = (request.header("authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded.strip()).decode("utf-8").partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return bool(self.username) and user == self.username and password == self.password

    # -- resources ------------------------------------------------------------------------
    def _statements(self, params: dict[str, str]) -> Response:
        unknown = sorted(set(params) - QUERY_PARAMS)
        if unknown:
            raise BadRequest(f"Unknown parameter(s): {', '.join(unknown)}")
        if params.get("format", "exact") not in ("exact", "ids", "canonical"):
            raise BadRequest("format must be exact, ids or canonical")
        bool_param(params, "attachments", False)
        if "statementId" in params or "voidedStatementId" in params:
            return self._single(params)
        filters = query_filters(params)
        try:
            limit = int(params.get("limit", "0"))
        except ValueError as exc:
            raise BadRequest("limit must be a non-negative integer") from exc
        if limit < 0:
            raise BadRequest("limit must be a non-negative integer")
        limit = self.max_page_size if limit == 0 else min(limit, self.max_page_size)
        return self._page(filters, 0, limit)

    def _single(self, params: dict[str, str]) -> Response:
        extra = set(params) - {"statementId", "voidedStatementId", "format", "attachments"}
        if extra or ("statementId" in params and "voidedStatementId" in params):
            raise BadRequest(
                "statementId / voidedStatementId cannot be combined with other filters"
            )
        if "statementId" in params:
            sid = params["statementId"]
            statement = self.by_id.get(sid)
            if statement is None or sid in self.voided_ids:
                return self._error(404, "not_found", f"No statement {sid}")
        else:
            sid = params["voidedStatementId"]
            statement = self.by_id.get(sid)
            if statement is None or sid not in self.voided_ids:
                return self._error(404, "not_found", f"No voided statement {sid}")
        headers = self._headers() + [("Last-Modified", str(statement.get("stored", "")))]
        return json_response(200, statement, headers)

    def _listing(self, filters: dict[str, Any]) -> list[dict[str, Any]]:
        on_timestamp = self.context.faults.timestamp_window
        key = listing_key(filters, on_timestamp)
        with self._cache_lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        instants, ordered = (
            (self.timestamps, self.by_timestamp) if on_timestamp else (self.stored, self.statements)
        )
        lo, hi = 0, len(ordered)
        if "since" in filters:
            lo = bisect.bisect_right(instants, parse_iso(filters["since"]))
        if "until" in filters:
            hi = bisect.bisect_right(instants, parse_iso(filters["until"]))
        rows = [s for s in ordered[lo:hi] if str(s["id"]) not in self.voided_ids]
        if "verb" in filters:
            rows = [s for s in rows if s.get("verb", {}).get("id") == filters["verb"]]
        if "registration" in filters:
            rows = [
                s
                for s in rows
                if (s.get("context") or {}).get("registration") == filters["registration"]
            ]
        if "activity" in filters:
            rows = [
                s
                for s in rows
                if has_activity(s, filters["activity"], filters["related_activities"])
            ]
        if "agent" in filters:
            wanted = {
                k: tuple(v) if isinstance(v, list) else v for k, v in filters["agent"].items()
            }
            rows = [s for s in rows if has_agent(s, wanted, filters["related_agents"])]
        if not filters["ascending"]:
            rows = rows[::-1]
        with self._cache_lock:
            self._cache[key] = rows
            while len(self._cache) > 32:
                self._cache.popitem(last=False)
        return rows

    def _page(self, filters: dict[str, Any], offset: int, limit: int) -> Response:
        rows = self._listing(filters)
        page = rows[offset : offset + limit]
        body: dict[str, Any] = {"statements": page}
        if offset + limit < len(rows):
            token = self.context.cursors.issue({"f": filters, "o": offset + limit, "n": limit})
            body["more"] = f"{self.endpoint_path}statements/more/{token}"
        elif not self.omit_empty_more:
            body["more"] = ""
        return json_response(200, body, self._headers(consistent=True))

    def _more(self, token: str) -> Response:
        try:
            payload = self.context.cursors.resolve(token, self.context.faults.cursor_ttl_seconds)
        except CursorInvalid:
            raise BadRequest("The more link is not valid.") from None
        except CursorExpired:
            return self._expired()
        filters, offset, limit = payload.get("f"), payload.get("o"), payload.get("n")
        if (
            not isinstance(filters, dict)
            or not isinstance(offset, int)
            or not isinstance(limit, int)
        ):
            raise BadRequest("The more link is not valid.")
        if self.context.state.decide_cursor_expiry(listing_key("statements", filters)):
            return self._expired()
        return self._page(filters, offset, limit)

    def _expired(self) -> Response:
        return self._error(
            410,
            "more_expired",
            "The more link has expired. Query again from your 'since' watermark.",
        )


def make_app(
    data_dir: Path,
    credentials: dict[str, Any],
    *,
    endpoint_path: str = "/xapi/",
    omit_empty_more: bool = False,
    max_page_size: int = DEFAULT_MAX_PAGE,
) -> Callable[[ServerContext], LrsApp]:
    return lambda context: LrsApp(
        data_dir,
        credentials,
        context,
        endpoint_path=endpoint_path,
        omit_empty_more=omit_empty_more,
        max_page_size=max_page_size,
    )
