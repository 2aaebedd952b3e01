"""Running a sandbox server: the faults applied around a platform app, the request log, the
threaded HTTP server and the :class:`RunningServer` handle (:func:`serve_app`)."""

from __future__ import annotations

import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from sandbox.servers.base import (
    CursorStore,
    PlatformApp,
    Request,
    Response,
    ServerContext,
    html_error,
    json_error,
)
from sandbox.servers.faults import FaultConfig, FaultState, unit_hash


@dataclass
class RequestRecord:
    method: str
    target: str
    status: int
    fault: str | None
    body: str
    at: float


class _Runtime:
    """Applies faults around an app and keeps the request log."""

    def __init__(self, app: PlatformApp, context: ServerContext) -> None:
        self.app = app
        self.context = context
        self.records: list[RequestRecord] = []
        self.request_log: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self.in_flight = 0  # requests being served now
        self.peak_in_flight = 0

    def serve(self, request: Request, send: Callable[[Response], None]) -> None:
        with self._lock:
            self.in_flight += 1
            self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
            crowded = self.in_flight
        done = False

        def leave() -> None:
            nonlocal done
            if not done:
                done = True
                with self._lock:
                    self.in_flight -= 1

        def answer(response: Response) -> None:
            # the request stops counting once its answer is ready: the client may send its
            # next request as soon as it has read this one
            leave()
            send(response)

        try:
            self._serve(request, answer, crowded)
        finally:
            leave()

    def _serve(self, request: Request, send: Callable[[Response], None], crowded: int) -> None:
        state = self.context.state
        key = f"{request.method} {request.target}\n{request.body.decode('utf-8', 'replace')}"
        cfg = state.config
        # distance first: a far platform makes every request wait, refused ones included
        delay = cfg.latency_seconds
        if cfg.latency_jitter_seconds:
            attempt = state.attempts(key)
            delay += cfg.latency_jitter_seconds * unit_hash(cfg.seed, "jitter", key, attempt)
        if delay and self.context.stop_event.wait(delay):
            return  # server stopping: drop the connection
        if cfg.max_in_flight is not None and crowded > cfg.max_in_flight:
            self._record(request, 429, "rate_limit")
            send(self._rate_limited(cfg))
            return
        fault = state.decide(key)
        response: Response
        if fault == "error":
            response = html_error(state.error_status(key))
        elif fault == "rate_limit":
            response = self._rate_limited(cfg)
        else:
            try:
                response = self.app.handle(request)
            except Exception as exc:  # a bug in the sandbox must show, not hang the client
                response = json_error(500, "internal_error", f"{type(exc).__name__}: {exc}")
            if fault == "truncate" and response.status == 200 and len(response.body) > 1:
                response.body = response.body[: len(response.body) // 2]
        # logged when decided, so a slow answer shows at once (even if the client gives up)
        self._record(request, response.status, fault)
        if fault == "slow" and self.context.stop_event.wait(cfg.slow_seconds):
            return  # server stopping: drop the connection
        send(response)

    def _rate_limited(self, cfg: FaultConfig) -> Response:
        wait = str(cfg.retry_after_seconds)
        if cfg.retry_after_date:  # RFC 9110 also allows an HTTP date
            wait = email.utils.formatdate(time.time() + cfg.retry_after_seconds, usegmt=True)
        headers = [("Retry-After", wait)]
        if self.app.platform == "tsb_events":
            return json_error(429, "rate_limited", "Too many requests; retry later.", headers)
        response = html_error(429)
        response.headers.extend(headers)
        return response

    def _record(self, request: Request, status: int, fault: str | None) -> None:
        record = RequestRecord(
            request.method,
            request.target,
            status,
            fault,
            request.body.decode("utf-8", "replace"),
            time.time(),
        )
        with self._lock:
            self.records.append(record)
            self.request_log.append((request.method, request.target, status))


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out in separate writes
    server_version = "capdev-sandbox/1.0"
    timeout = 60  # idle keep-alive connections are closed after this

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass

    def _dispatch(self) -> None:
        runtime: _Runtime = self.server.runtime  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        split = urlsplit(self.path)
        request = Request(
            method=self.command,
            path=split.path,
            query=split.query,
            headers={k.lower(): v for k, v in self.headers.items()},
            body=body,
        )
        try:
            runtime.serve(request, self._send)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _send(self, response: Response) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in response.headers:
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)
        self.wfile.flush()

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _dispatch


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64  # clients keeping several requests in flight connect at once


# --------------------------------------------------------------------------- the handle


class RunningServer:
    """A sandbox server running in a background thread. Use as a context manager or ``stop()``."""

    def __init__(
        self,
        platform: str,
        app: PlatformApp,
        httpd: _Server,
        runtime: _Runtime,
        credentials: dict[str, Any],
    ) -> None:
        self.platform = platform
        self.app = app
        self._httpd = httpd
        self._runtime = runtime
        self.credentials = dict(credentials)
        host, port = httpd.server_address[:2]
        self.host: str = host if isinstance(host, str) else str(host)
        self.port: int = int(port)
        url_host = f"[{self.host}]" if ":" in self.host else self.host
        self.url = f"http://{url_host}:{self.port}"
        runtime.context.base_url = self.url
        self.endpoint = app.endpoint(self.url)
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sandbox-{platform}-{self.port}",
            daemon=True,
        )
        self._stopped = False
        self._thread.start()

    # -- logs -----------------------------------------------------------------------------
    @property
    def request_log(self) -> list[tuple[str, str, int]]:
        """(method, path+query, status) for every request answered, in order."""
        return self._runtime.request_log

    @property
    def request_records(self) -> list[RequestRecord]:
        """Richer log: also the injected fault (or None) and the request body."""
        return self._runtime.records

    @property
    def peak_in_flight(self) -> int:
        """The most requests this server was serving at one time (since start or clear_log)."""
        return self._runtime.peak_in_flight

    def clear_log(self) -> None:
        with self._runtime._lock:
            self._runtime.records.clear()
            self._runtime.request_log.clear()
            self._runtime.peak_in_flight = self._runtime.in_flight

    # -- faults ---------------------------------------------------------------------------
    @property
    def faults(self) -> FaultConfig:
        return self._runtime.context.state.config

    def set_faults(self, faults: FaultConfig | None) -> None:
        """Switch the fault configuration; attempt counts start afresh."""
        self._runtime.context.state.reset(faults or FaultConfig())

    # -- lifecycle ------------------------------------------------------------------------
    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._runtime.context.stop_event.set()
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def describe(self) -> dict[str, Any]:
        """What a client needs: for the CLI's port file."""
        return {
            "url": self.url,
            "endpoint": self.endpoint,
            "host": self.host,
            "port": self.port,
            "credentials": self.credentials,
        }

    def __repr__(self) -> str:
        state = "stopped" if self._stopped else "running"
        return f"<RunningServer {self.platform} {self.url} {state}>"


def serve_app(
    platform: str,
    app_factory: Callable[[ServerContext], PlatformApp],
    credentials: dict[str, Any],
    faults: FaultConfig | None,
    host: str,
    port: int,
) -> RunningServer:
    context = ServerContext(FaultState(faults or FaultConfig()), CursorStore(), threading.Event())
    app = app_factory(context)
    runtime = _Runtime(app, context)
    httpd = _Server((host, port), _Handler)
    httpd.runtime = runtime  # type: ignore[attr-defined]
    return RunningServer(platform, app, httpd, runtime, credentials)
