"""``capdev-sandbox bench distance``: the Academy first load with the platform far away.

Two figures, each in its own data folder under ``data/bench/distance/``:

* **first load at latency** (default scale 1, 50 ms per request): the Academy sandbox server runs
  in its own process (``capdev-sandbox serve --fault latency_seconds=...``, as a real platform
  would: its work does not share the client's interpreter) and the pull lands through
  ``ingest_api`` in a child process, timed, with the child's peak RSS.
* **killed and retried** (default scale 0.1, 300 ms per request): the same first load, killed
  with SIGKILL after ``--kill-after`` seconds (a task timeout, a lost worker), then run again:
  the retry resumes after the parts the first try landed. Reported: parts and pages landed by
  the first try, pages fetched by the retry, and whether the retry completed.

Pages archived are the successful calls (one page per call). Figures are printed and written to
``data/bench/distance-<timestamp>.json``. It reports; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config

LOAD = """
import json, sys
from datetime import datetime
from pathlib import Path
from ingestion.connectors.base import ApiConnection
from ingestion.raw import ingest
conn = ApiConnection(sys.argv[1], token=sys.argv[2], max_in_flight=int(sys.argv[4]))
batches = ingest.ingest_api("academy", conn, datetime.fromisoformat(sys.argv[3]))
# VmHWM: this program's own peak (ru_maxrss would count the parent's pages at the fork)
status = Path("/proc/self/status").read_text()
peak_kb = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM")))
print(json.dumps({"rows": sum(b["rows"] for b in batches), "peak_rss_mb": round(peak_kb / 1024)}))
"""


def _serve(sandbox: Path, latency: float, stack: list) -> dict:
    """Start the Academy sandbox server in its own process; its URL and credentials."""
    port_file = Path(tempfile.mkdtemp()) / "ports.json"
    command = [
        sys.executable,
        "-m",
        "sandbox",
        "serve",
        "--data",
        str(sandbox),
        "--platform",
        "academy",
        "--fault",
        f"latency_seconds={latency}",
        "--port-file",
        str(port_file),
    ]
    process = subprocess.Popen(command)
    stack.append(process)
    deadline = time.monotonic() + 120
    while not port_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the Academy sandbox server did not start")
        time.sleep(0.1)
    return json.loads(port_file.read_text())["academy"]


def _pages(data: Path) -> int:
    return sum(1 for _ in (data / "raw" / "archive" / "academy").rglob("*.json"))


def _load(data: Path, server: dict, logical: datetime, in_flight: int, kill_after: float | None):
    """Run the first load in a child process; (seconds, result or None if killed)."""
    env = {**os.environ, "CAPDEV_DATA_DIR": str(data)}
    args = [server["url"], server["credentials"]["token"], logical.isoformat(), str(in_flight)]
    started = time.monotonic()
    child = subprocess.Popen(
        [sys.executable, "-c", LOAD, *args], env=env, stdout=subprocess.PIPE, text=True
    )
    try:
        out, _ = child.communicate(timeout=kill_after)
    except subprocess.TimeoutExpired:
        child.send_signal(signal.SIGKILL)
        child.wait()
        return time.monotonic() - started, None
    if child.returncode:
        raise RuntimeError(f"the first load failed (exit {child.returncode})")
    return time.monotonic() - started, json.loads(out.strip().splitlines()[-1])


def _sandbox(root: Path, scale: float, seed: int) -> Path:
    from sandbox.generator import generate

    tree = root / f"sandbox-scale-{scale:g}"
    if not (tree / "academy").exists():
        shutil.rmtree(tree, ignore_errors=True)
        generate(tree, seed=seed, scale=scale)
    return tree


def first_load(root: Path, scale: float, seed: int, latency: float, in_flight: int) -> dict:
    tree = _sandbox(root, scale, seed)
    data = root / f"first-load-scale-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    logical = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    processes: list = []
    try:
        server = _serve(tree, latency, processes)
        seconds, result = _load(data, server, logical, in_flight, None)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    return {
        "scale": scale,
        "latency_ms": round(latency * 1000),
        "max_in_flight": in_flight,
        "seconds": round(seconds, 1),
        "minutes": round(seconds / 60, 2),
        "calls": _pages(data),
        "rows_landed": result["rows"],
        "peak_rss_mb": result["peak_rss_mb"],
    }


def killed_and_retried(
    root: Path, scale: float, seed: int, latency: float, in_flight: int, kill_after: float
) -> dict:
    from ingestion.raw import batch as batches

    tree = _sandbox(root, scale, seed)
    data = root / f"killed-scale-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    logical = datetime.now(UTC).replace(hour=1, minute=0, second=0, microsecond=0)
    processes: list = []
    try:
        server = _serve(tree, latency, processes)
        first_s, first = _load(data, server, logical, in_flight, kill_after)
        outer = os.environ.get("CAPDEV_DATA_DIR")
        os.environ["CAPDEV_DATA_DIR"] = str(data)  # read the killed load's checkpoint
        try:
            checkpoint = batches.pull_checkpoint("academy", logical.date()) or {}
        finally:
            if outer is None:
                os.environ.pop("CAPDEV_DATA_DIR")
            else:
                os.environ["CAPDEV_DATA_DIR"] = outer
        pages_at_kill = _pages(data)
        kept = sum(c["pages"] for c in (checkpoint.get("entities") or {}).values())
        retry_s, retry = _load(data, server, logical, in_flight, None)
    finally:
        for process in processes:
            process.terminate()
            process.wait()
    total = _pages(data)
    return {
        "scale": scale,
        "latency_ms": round(latency * 1000),
        "max_in_flight": in_flight,
        "killed_after_s": round(first_s, 1),
        "killed": first is None,
        "parts_landed_before_kill": len(checkpoint.get("parts") or []),
        "pages_kept_from_first_try": kept,
        "pages_archived_at_kill": pages_at_kill,
        "retry_s": round(retry_s, 1),
        "retry_completed": retry is not None,
        "calls_in_retry": total - kept,
        "calls_in_whole_pull": total,
        "rows_landed": retry["rows"] if retry else None,
        "retry_peak_rss_mb": retry["peak_rss_mb"] if retry else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox bench distance", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scale", type=float, default=1.0, help="first load scale (1)")
    parser.add_argument("--latency-ms", type=float, default=50.0, help="per request (50)")
    parser.add_argument("--kill-scale", type=float, default=0.1, help="killed load scale (0.1)")
    parser.add_argument("--kill-latency-ms", type=float, default=300.0, help="(300)")
    parser.add_argument("--kill-after", type=float, default=60.0, help="seconds (60)")
    parser.add_argument("--max-in-flight", type=int, default=8)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    out = config.data_dir() / "bench" / f"distance-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    root = config.data_dir() / "bench" / "distance"
    root.mkdir(parents=True, exist_ok=True)
    figures = {
        "first_load": first_load(
            root, args.scale, args.seed, args.latency_ms / 1000, args.max_in_flight
        ),
        "killed_and_retried": killed_and_retried(
            root,
            args.kill_scale,
            args.seed,
            args.kill_latency_ms / 1000,
            args.max_in_flight,
            args.kill_after,
        ),
        "load_average": os.getloadavg(),
    }
    print(json.dumps(figures, indent=2))
    out.write_text(json.dumps(figures, indent=2))
    print(f"figures written to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
