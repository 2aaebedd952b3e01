"""Headless Chromium (Debian's package) for tests that look at a page as a person would.

Required, not optional: `make test` installs it (`make browser`). ``offline=True`` sends every
host name nowhere, so a page that still needs the network shows it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# no name resolves and no proxy answers: nothing outside the page's own files can load
OFFLINE = ["--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-server=http://127.0.0.1:9"]


def chromium() -> str:
    """The Chromium binary, or a failed test saying how to install it."""
    found = str(CHROMIUM) if CHROMIUM.exists() else shutil.which("chromium")
    if not found:
        pytest.fail(
            "Chromium is required to check pages in a real browser: "
            "install it with `apt-get update && apt-get install -y chromium`"
        )
    return found


def run_chromium(
    args: list[str], profile: Path, *, offline: bool = False
) -> subprocess.CompletedProcess:
    """Run headless Chromium with its own profile folder; output captured, never raises."""
    return subprocess.run(
        [chromium(), *FLAGS, *(OFFLINE if offline else []), f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
