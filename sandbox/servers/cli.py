"""``capdev-sandbox serve``: run the sandbox servers until SIGTERM / SIGINT.

    serve --data DIR [--platform all|academy|tsb_events|gs_lrs]... [--host H] [--port N]
          [--fault [PLATFORM:]NAME[=VALUE]]... [--seed N] [--lrs-endpoint PATH]
          [--lrs-omit-more] [--port-file FILE]

``--fault`` takes a scenario name (``flaky_5xx``, ``rate_limited``, ``slow``, ``truncated_json``,
``expired_cursor``, ``bad_token``, ``timestamp_window``, ``none``; ``=VALUE`` sets the
scenario's rate) or a :class:`FaultConfig` field (``error_rate=0.2``, ``slow_seconds=5``,
``cursor_ttl_seconds=30``, ``reject_auth``); a ``PLATFORM:`` prefix limits it to one server.
``--port N`` gives fixed ports N, N+1, N+2 (academy, tsb_events, gs_lrs in that order, for the
platforms started); 0 = free ports.
The port file is JSON ``{"academy": {"url", "endpoint", "host", "port", "credentials"}, ...}``,
written atomically once every server listens, and removed on shutdown.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from sandbox.servers import PLATFORMS, start_server
from sandbox.servers.faults import FaultConfig
from sandbox.servers.runtime import RunningServer

SCENARIO_RATE_FIELD = {
    "flaky_5xx": "error_rate",
    "rate_limited": "rate_limit_rate",
    "slow": "slow_rate",
    "truncated_json": "truncate_rate",
    "expired_cursor": "expired_cursor_rate",
    "bad_token": "reject_auth",
    "timestamp_window": "timestamp_window",
}
_FIELD_TYPES = {f.name: f.type for f in dataclasses.fields(FaultConfig)}


def _default_data_dir() -> Path:
    return Path(os.environ.get("CAPDEV_DATA_DIR", "data")) / "sandbox"


def _convert(field_name: str, text: str | None) -> Any:
    kind = str(_FIELD_TYPES[field_name])
    if "bool" in kind:
        return text is None or text.strip().lower() in ("1", "true", "yes", "on")
    if text is None:
        raise ValueError(f"--fault {field_name} needs a value ({field_name}=...)")
    if "None" in kind and text.strip().lower() in ("none", "never", ""):
        return None
    if kind == "int":
        return int(text)
    return float(text)


def parse_fault_specs(specs: list[str], seed: int | None = None) -> dict[str, FaultConfig]:
    """``[PLATFORM:]NAME[=VALUE]`` specs into one FaultConfig per platform."""
    changes: dict[str, dict[str, Any]] = {name: {} for name in PLATFORMS}
    for spec in specs:
        target, sep, rest = spec.partition(":")
        if sep and target in PLATFORMS:
            platforms, spec_body = [target], rest
        else:
            platforms, spec_body = list(PLATFORMS), spec
        name, eq, value = spec_body.partition("=")
        name = name.strip()
        value_text = value if eq else None
        if name in FaultConfig.SCENARIOS:
            update = dict(FaultConfig.SCENARIOS[name])
            if name in SCENARIO_RATE_FIELD and value_text is not None:
                field = SCENARIO_RATE_FIELD[name]
                update[field] = _convert(field, value_text)
        elif name in _FIELD_TYPES and name != "SCENARIOS":
            update = {name: _convert(name, value_text)}
        else:
            known = ", ".join([*FaultConfig.SCENARIOS, *_FIELD_TYPES])
            raise ValueError(f"unknown fault {name!r} (known: {known})")
        for platform in platforms:
            changes[platform].update(update)
    configs = {}
    for platform, change in changes.items():
        if seed is not None:
            change.setdefault("seed", seed)
        configs[platform] = FaultConfig(**change)
    return configs


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox serve",
        description="Serve the sandbox platforms (Moodle WS, TSB events API, xAPI LRS).",
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="sandbox root (default $CAPDEV_DATA_DIR/sandbox)"
    )
    parser.add_argument(
        "--platform",
        action="append",
        default=None,
        help="all (default) or academy / tsb_events / gs_lrs; repeatable or comma-separated",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="first fixed port (0: free ports)")
    parser.add_argument("--fault", action="append", default=[], metavar="[PLATFORM:]NAME[=VALUE]")
    parser.add_argument("--seed", type=int, default=None, help="fault seed")
    parser.add_argument(
        "--lrs-endpoint", default="/xapi/", help="xAPI endpoint path (e.g. /data/xAPI/)"
    )
    parser.add_argument(
        "--lrs-omit-more", action="store_true", help="omit 'more' on the last LRS page"
    )
    parser.add_argument("--port-file", type=Path, default=None)
    return parser


def _platforms(values: list[str] | None) -> list[str]:
    names: list[str] = []
    for value in values or ["all"]:
        for name in value.split(","):
            name = name.strip()
            if name == "all":
                names.extend(PLATFORMS)
            elif name in PLATFORMS:
                names.append(name)
            elif name:
                raise ValueError(f"unknown platform {name!r}; known: all, {', '.join(PLATFORMS)}")
    return [p for p in PLATFORMS if p in names]


def _write_port_file(path: Path, servers: dict[str, RunningServer]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps({n: s.describe() for n, s in servers.items()}, indent=2), encoding="utf-8"
    )
    os.replace(tmp, path)


def serve_main(argv: list[str] | None = None, *, stop_event: threading.Event | None = None) -> int:
    """Start the servers, print where they are, block until SIGTERM/SIGINT (or ``stop_event``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        platforms = _platforms(args.platform)
        faults = parse_fault_specs(args.fault, args.seed)
    except ValueError as exc:
        parser.error(str(exc))
    data_dir = args.data or _default_data_dir()
    if not data_dir.is_dir():
        print(
            f"sandbox data directory not found: {data_dir} (run the generator first)",
            file=sys.stderr,
        )
        return 2

    stop = stop_event or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())

    servers: dict[str, RunningServer] = {}
    try:
        for index, platform in enumerate(platforms):
            options: dict[str, Any] = {}
            if platform == "gs_lrs":
                options = {
                    "endpoint_path": args.lrs_endpoint,
                    "omit_empty_more": args.lrs_omit_more,
                }
            servers[platform] = start_server(
                platform,
                data_dir,
                faults=faults[platform],
                host=args.host,
                port=args.port + index if args.port else 0,
                **options,
            )
        for platform, server in servers.items():
            creds = " ".join(f"{k}={v}" for k, v in server.credentials.items())
            active = {
                k: v
                for k, v in dataclasses.asdict(server.faults).items()
                if v != getattr(FaultConfig(), k)
            }
            print(
                f"{platform:<11} {server.endpoint}  {creds}"
                + (f"  faults={active}" if active else "")
            )
        if args.port_file:
            _write_port_file(args.port_file, servers)
            print(f"ports written to {args.port_file}")
        print("serving; stop with Ctrl-C or SIGTERM", flush=True)
        while not stop.wait(0.2):
            pass
    finally:
        for server in servers.values():
            server.stop()
        if args.port_file and args.port_file.exists() and servers:
            args.port_file.unlink(missing_ok=True)
    return 0


def main() -> None:  # pragma: no cover - thin wrapper
    sys.exit(serve_main(sys.argv[1:]))


if __name__ == "__main__":  # pragma: no cover
    main()
