"""Writing the raw zone's files: atomically, and readable by the pipeline's user only.

The raw zone, the quarantine and the manifest hold names and e-mail addresses, so every folder
is created 0700 and every file 0600, whatever the process umask.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import polars as pl

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    """Create a folder (and its missing parents) readable by the owner only."""
    missing = [p for p in (path, *path.parents) if not p.exists()]
    path.mkdir(parents=True, exist_ok=True)
    for created in missing:
        created.chmod(DIR_MODE)
    return path


def write_bytes_atomic(data: bytes, path: Path) -> None:
    """Write bytes through a temporary file in the same folder, then rename over ``path``."""
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet through a temporary file so a reader never sees half a file."""
    private_dir(path.parent)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    frame.write_parquet(tmp)
    tmp.chmod(FILE_MODE)
    os.replace(tmp, path)


def sha256_of(chunks: Iterable[bytes]) -> str:
    """The sha256 of the bytes, concatenated."""
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def file_checksum(path: Path) -> str:
    """The sha256 of a file, read in blocks (dropped workbooks can be large)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
