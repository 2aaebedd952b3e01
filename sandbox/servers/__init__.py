"""Local HTTP servers that speak the bureau platforms' real protocols over the generated tree.

```python
from sandbox.servers import start_server, FaultConfig

with start_server("academy", Path("data/sandbox"), faults=FaultConfig.scenario("flaky_5xx")) as srv:
    srv.url, srv.endpoint, srv.credentials, srv.request_log
```

* ``academy``    — Moodle Web Services REST;
  ``srv.endpoint`` = ``url + "/webservice/rest/server.php"``
* ``tsb_events`` — TSB events API; ``srv.endpoint`` = ``url + "/api/v1/"``
* ``gs_lrs``     — xAPI 1.0.3 LRS; ``srv.endpoint`` = ``url + endpoint_path`` (default ``/xapi/``)

Each server reads its JSON files once at start (layout in ``sandbox/README.md``), runs in a
daemon thread (``ThreadingHTTPServer``) bound to ``host`` (default 127.0.0.1) on ``port`` (0: a
free port). Fault injection: see :mod:`sandbox.servers.faults`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sandbox.servers import lrs, moodle, tsb
from sandbox.servers.base import load_json
from sandbox.servers.faults import FaultConfig
from sandbox.servers.runtime import RequestRecord, RunningServer, serve_app

PLATFORMS = ("academy", "tsb_events", "gs_lrs")

# Used only when the tree has no credentials.json (a hand-made partial tree).
DEFAULT_CREDENTIALS: dict[str, dict[str, str]] = {
    "academy": {"token": "sandbox-academy-token"},
    "tsb_events": {"token": "sandbox-tsb-token"},
    "gs_lrs": {"username": "sandbox-lrs", "password": "sandbox-lrs-secret"},
}


def load_credentials(data_dir: Path) -> dict[str, dict[str, Any]]:
    found = load_json(Path(data_dir) / "credentials.json", {})
    return {name: dict(found.get(name) or DEFAULT_CREDENTIALS[name]) for name in PLATFORMS}


def start_server(
    platform: str,
    data_dir: Path | str,
    *,
    faults: FaultConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    endpoint_path: str = "/xapi/",
    omit_empty_more: bool = False,
    max_page_size: int | None = None,
) -> RunningServer:
    """Start one sandbox server in a background thread and return its handle.

    ``endpoint_path``, ``omit_empty_more`` and ``max_page_size`` only concern ``gs_lrs``: the
    xAPI endpoint path (e.g. ``/data/xAPI/``), whether the last page omits ``more`` instead of
    sending ``""``, and the page size cap (default 100).
    """
    if platform not in PLATFORMS:
        raise ValueError(f"unknown sandbox platform {platform!r}; known: {', '.join(PLATFORMS)}")
    data_dir = Path(data_dir)
    if not data_dir.is_dir():
        raise FileNotFoundError(f"sandbox data directory not found: {data_dir}")
    credentials = load_credentials(data_dir)[platform]
    if platform == "academy":
        factory: Any = moodle.make_app(data_dir, credentials)
    elif platform == "tsb_events":
        factory = tsb.make_app(data_dir, credentials)
    else:
        factory = lrs.make_app(
            data_dir,
            credentials,
            endpoint_path=endpoint_path,
            omit_empty_more=omit_empty_more,
            max_page_size=max_page_size or lrs.DEFAULT_MAX_PAGE,
        )
    return serve_app(platform, factory, credentials, faults, host, port)


def start_all(
    data_dir: Path | str,
    *,
    platforms: tuple[str, ...] = PLATFORMS,
    faults: FaultConfig | dict[str, FaultConfig] | None = None,
    host: str = "127.0.0.1",
    **lrs_options: Any,
) -> dict[str, RunningServer]:
    """Start several servers (free ports); ``faults`` may be one config or one per platform."""
    started: dict[str, RunningServer] = {}
    try:
        for name in platforms:
            config = faults.get(name) if isinstance(faults, dict) else faults
            options = lrs_options if name == "gs_lrs" else {}
            started[name] = start_server(name, data_dir, faults=config, host=host, **options)
    except BaseException:
        for server in started.values():
            server.stop()
        raise
    return started


__all__ = [
    "DEFAULT_CREDENTIALS",
    "PLATFORMS",
    "FaultConfig",
    "RequestRecord",
    "RunningServer",
    "load_credentials",
    "start_all",
    "start_server",
]
