"""The shared retrying HTTP layer, on httpx's mock transport (no sockets)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from ingestion.connectors.base import ApiConnection, AuthError, PlatformError
from ingestion.connectors.http import GoneError, HttpClient, parse_retry_after

CONN = ApiConnection(
    "https://api.example", token="tok-SECRET-123", max_retries=3, backoff_base=0.001
)


def client(responses, conn=CONN, sleeps=None):
    """An HttpClient whose transport answers from ``responses`` (callables or Responses)."""
    seen: list[httpx.Request] = []
    queue = list(responses)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        item = queue.pop(0)
        return item(request) if callable(item) else item

    sleep = (lambda s: sleeps.append(s)) if sleeps is not None else (lambda s: None)
    http = HttpClient(
        "test_platform",
        conn,
        headers={"Authorization": f"Bearer {conn.token}"},
        transport=httpx.MockTransport(handler),
        sleep=sleep,
    )
    return http, seen


def test_retry_then_success_on_5xx_and_invalid_json():
    http, seen = client(
        [
            httpx.Response(502, text="<html>bad gateway</html>"),
            httpx.Response(200, content=b'{"data": [1, 2'),  # truncated JSON
            httpx.Response(504),
            httpx.Response(200, json={"data": [1, 2, 3]}),
        ]
    )
    response = http.get_json("https://api.example/things", {"page_size": 2})
    assert response.data == {"data": [1, 2, 3]}
    assert response.content == b'{"data":[1,2,3]}'
    assert len(seen) == 4 and http.retries == 3


def test_bounded_retries_then_a_clear_error():
    http, seen = client([httpx.Response(503)] * 4)
    with pytest.raises(PlatformError) as err:
        http.get_json("https://api.example/things?wstoken=tok-SECRET-123")
    assert len(seen) == 4  # 1 + max_retries
    message = str(err.value)
    assert "gave up after 4 attempts" in message and "503" in message
    assert "test_platform" in message and "/things" in message
    assert "tok-SECRET-123" not in message and "wstoken=***" in message


def test_timeouts_and_connection_errors_are_retried():
    def timeout(request):
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request):
        raise httpx.ConnectError("refused", request=request)

    http, seen = client([timeout, refused, httpx.Response(200, json=[])])
    assert http.get_json("https://api.example/x").data == []
    assert len(seen) == 3


@pytest.mark.parametrize("status", [401, 403])
def test_auth_failures_are_not_retried(status):
    http, seen = client([httpx.Response(status, json={"error": "invalid_token"})] * 3)
    with pytest.raises(AuthError, match=str(status)) as err:
        http.get_json("https://api.example/x")
    assert len(seen) == 1
    assert "tok-SECRET-123" not in str(err.value)


def test_other_4xx_is_a_platform_error_with_the_body():
    http, seen = client([httpx.Response(400, json={"error": "invalid_parameter"})])
    with pytest.raises(PlatformError, match="HTTP 400 Bad Request.*invalid_parameter"):
        http.get_json("https://api.example/x")
    assert len(seen) == 1


def test_410_is_gone():
    http, _ = client([httpx.Response(410, json={"error": "cursor_expired"})])
    with pytest.raises(GoneError):
        http.get_json("https://api.example/x")


def test_429_waits_retry_after_seconds_and_dates():
    later = datetime.now(UTC) + timedelta(seconds=30)
    sleeps: list[float] = []
    http, seen = client(
        [
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(429, headers={"Retry-After": format_datetime(later, usegmt=True)}),
            httpx.Response(200, json={}),
        ],
        sleeps=sleeps,
    )
    http.get_json("https://api.example/x")
    assert sleeps[0] == 7
    assert 25 <= sleeps[1] <= 31


def test_parse_retry_after():
    assert parse_retry_after("120") == 120
    assert parse_retry_after(None) is None
    assert parse_retry_after("garbage") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now=lambda: 1445412480 - 60) == 60
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0  # in the past


def test_json_with_a_utf8_bom_is_read_but_archived_as_is():
    body = b'\xef\xbb\xbf{"ok": true}'
    http, _ = client([httpx.Response(200, content=body)])
    response = http.get_json("https://api.example/x")
    assert response.data == {"ok": True} and response.content == body


def test_form_post_keeps_pairs_and_hides_the_token(caplog):
    captured = {}

    def answer(request):
        captured["body"] = request.content
        captured["type"] = request.headers["Content-Type"]
        return httpx.Response(200, json={"ok": 1})

    http, _ = client([httpx.Response(503), answer])
    with caplog.at_level(logging.WARNING):
        http.post_form_json(
            "https://api.example/server.php",
            [("wstoken", CONN.token), ("a[0]", "1"), ("a[1]", "2")],
            source="fn?a[0]=1&a[1]=2",
        )
    assert captured["type"] == "application/x-www-form-urlencoded"
    assert captured["body"] == b"wstoken=tok-SECRET-123&a%5B0%5D=1&a%5B1%5D=2"
    assert "retry 1/3" in caplog.text and "fn?a[0]=1" in caplog.text
    assert "tok-SECRET-123" not in caplog.text


def test_redact():
    http, _ = client([])
    text = "GET /x?wstoken=abc&token=zzz Authorization: Bearer tok-SECRET-123 password=pw"
    redacted = http.redact(text)
    assert "abc" not in redacted and "zzz" not in redacted and "tok-SECRET-123" not in redacted
    assert "pw" not in redacted.replace("password", "")


def test_connection_repr_hides_secrets():
    text = repr(ApiConnection("https://x", token="t0ken", username="u", password="p4ss"))
    assert "t0ken" not in text and "p4ss" not in text


def test_a_pulls_key_names_its_server_without_credentials_and_its_shape():
    conn = ApiConnection("https://user:s3cret@lrs.example.org/xapi/?key=s3cret", page_size=40)
    settings = conn.pull_settings()
    assert settings["server"] == "https://lrs.example.org/xapi"
    assert "s3cret" not in repr(settings)
    assert settings["page_size"] == 40 and settings["pages_per_part"] == conn.pages_per_part
    assert ApiConnection("https://lrs.example.org/xapi", page_size=40).pull_settings() == settings
    assert ApiConnection("https://lrs2.example.org/xapi", page_size=40).pull_settings() != settings


def test_503_with_retry_after_waits_it_and_the_pause_holds_every_request():
    sleeps: list[float] = []
    http, seen = client(
        [
            httpx.Response(503, headers={"Retry-After": "5"}),
            httpx.Response(200, json={"a": 1}),
            httpx.Response(200, json={"b": 2}),
        ],
        conn=ApiConnection("https://api.example", max_retries=3, max_in_flight=4),
        sleeps=sleeps,
    )
    assert http.get_json("https://api.example/a").data == {"a": 1}
    assert sleeps == [5]
    assert http.allowed_in_flight == 2  # fewer at once after a rate limit
    # the fake sleep let no time pass: the pause asked for still holds the next request
    assert http.get_json("https://api.example/b").data == {"b": 2}
    assert len(sleeps) == 2 and 4 <= sleeps[1] <= 5


def test_map_keeps_the_items_order_and_the_bound_on_requests_in_flight():
    import threading
    import time

    lock = threading.Lock()
    state = {"now": 0, "peak": 0}

    def answer(request: httpx.Request) -> httpx.Response:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(0.02 if request.url.params["n"] in "02468" else 0.001)
        with lock:
            state["now"] -= 1
        return httpx.Response(200, json={"n": int(request.url.params["n"])})

    conn = ApiConnection("https://api.example", max_in_flight=3)
    http, _ = client([answer] * 12, conn=conn)
    try:
        got = http.map(lambda n: http.get_json("https://api.example/x", {"n": n}).data, range(10))
    finally:
        http.close()
    assert got == [{"n": n} for n in range(10)]
    assert 1 < state["peak"] <= 3 and http.peak_in_flight <= 3
