"""Measuring a bench stage: its time and the peak RSS of the bench and its children (dbt)."""

from __future__ import annotations

import os
import threading
import time
from contextlib import contextmanager, suppress
from pathlib import Path


def timed(fn, *args, **kwargs):
    """Call ``fn``; its result and the seconds it took."""
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        todo += children.get(pid, [])
    return total


@contextmanager
def stage(figures: dict, name: str):
    """Time a stage and sample the peak RSS of this process and its children (dbt) meanwhile;
    the figures go to ``figures[name]`` as ``{"s": ..., "peak_rss_mb": ...}``."""
    peak = [0]
    done = threading.Event()
    clear = Path("/proc/self/clear_refs")
    with suppress(OSError):
        clear.write_text("5")  # resets VmHWM: this process's own peak is then the stage's

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        yield
    finally:
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
        own = 0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) * 1024
        figures[name] = {
            "s": round(seconds, 1),
            "peak_rss_mb": round(max(peak[0], own, _tree_rss(os.getpid())) / 2**20),
        }
