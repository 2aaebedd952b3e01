"""PostgreSQL and Redis from Debian's packages: installed when missing, PostgreSQL's programs
found in its versioned folder."""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
from pathlib import Path

DEBIAN_PACKAGES = ("postgresql", "redis-server")


def postgres_bin(name: str) -> Path | None:
    """A PostgreSQL server program (Debian keeps them out of PATH, per major version)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if found:
        return Path(found[-1])
    on_path = shutil.which(name)
    return Path(on_path) if on_path else None


def _version_key(path: str) -> int:
    match = re.search(r"/postgresql/(\d+)/", path)
    return int(match.group(1)) if match else 0


def install_packages() -> None:
    """Install PostgreSQL and Redis from Debian's packages if a program is missing."""
    if postgres_bin("postgres") and postgres_bin("initdb") and shutil.which("redis-server"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing {' '.join(DEBIAN_PACKAGES)} (Debian packages)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )
