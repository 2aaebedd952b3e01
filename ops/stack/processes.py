"""The stack's long-running processes: each started in its own session with its id in a
pidfile, waited for, and stopped or killed by that id only."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path


class StackError(RuntimeError):
    """The stack could not be started (a missing package, a service that never came up)."""


class ProcessGroup:
    """Long-running processes, each in its own session: its output in ``logs/<name>.log``, its
    id in ``pids/<name>.pid``; only those ids are ever signalled."""

    def __init__(self, logs: Path, pids: Path) -> None:
        self.logs = logs
        self.pids = pids
        self.procs: dict[str, subprocess.Popen] = {}

    def _spawn(self, name: str, argv: list[str], env: Mapping[str, str], **kwargs) -> None:
        """Start one long-running process in its own session, its id in ``pids/<name>.pid``."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("a") as log:
            proc = subprocess.Popen(
                argv,
                env=dict(env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **kwargs,
            )
        self.procs[name] = proc
        (self.pids / f"{name}.pid").write_text(f"{proc.pid}\n")

    def _wait(self, ready, what: str, name: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise StackError(
                    f"{name} exited ({proc.returncode}) before {what}:\n{self.tail(name)}"
                )
            if time.monotonic() > deadline:
                raise StackError(f"timed out waiting for {what}:\n{self.tail(name)}")
            time.sleep(0.5)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    def pid(self, name: str) -> int | None:
        path = self.pids / f"{name}.pid"
        try:
            return int(path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def stop_process(
        self, name: str, sig: int = signal.SIGTERM, grace: float = 30, group: bool = True
    ) -> None:
        """Stop one process this stack started (by its pidfile) and everything in its session.

        ``group=False`` signals the process alone first (PostgreSQL's postmaster shuts its
        backends down itself); what is left of the session after ``grace`` is killed.
        """
        self.stop_processes([name], sig, grace, group)

    def stop_processes(
        self, names: list[str], sig: int = signal.SIGTERM, grace: float = 30, group: bool = True
    ) -> None:
        """Stop several processes at once: signal all, then wait for all (one grace period)."""
        started = {
            name: (pid, self.procs.pop(name, None)) for name in names if (pid := self.pid(name))
        }
        for pid, _ in started.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                (os.killpg if group else os.kill)(pid, sig)
        deadline = time.monotonic() + grace
        while any(_alive(pid, proc) for pid, proc in started.values()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for name, (pid, proc) in started.items():
            # stragglers of the session: task runners, API workers
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            while _alive(pid, proc) and time.monotonic() < deadline + 10:
                time.sleep(0.2)
            (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def kill(self, name: str) -> int:
        """``kill -9`` of one process and everything it started (its session): the crash of a
        container or host, for the fault tests."""
        pid = self.pid(name)
        if pid is None:
            raise StackError(f"{name} is not running")
        os.killpg(pid, signal.SIGKILL)
        proc = self.procs.pop(name, None)
        if proc is not None:
            proc.wait()
        (self.pids / f"{name}.pid").unlink(missing_ok=True)
        return pid

    def running(self) -> dict[str, int]:
        return {p.stem: pid for p in sorted(self.pids.glob("*.pid")) if (pid := self.pid(p.stem))}


def _alive(pid: int, proc: subprocess.Popen | None) -> bool:
    if proc is not None:
        return proc.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie of a parent that is gone counts as stopped
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return True
