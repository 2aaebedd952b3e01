"""BR seminar file names: the seminar key, a re-send's rank, and a legacy CSV's sidecar."""

from __future__ import annotations

import re
from pathlib import Path

from ingestion.connectors.br_workbooks.config import BrConfig, load_config


def split_resend(stem: str, config: BrConfig | None = None) -> tuple[str, int]:
    """(seminar key, re-send rank): ``WRS-2024_v2`` → (``WRS-2024``, 2); original → rank 0."""
    config = config or load_config()
    key, rank = stem, 0
    while True:
        match = config.resend_suffix.search(key)
        if not match or match.start() == 0:
            break
        digits = re.findall(r"\d+", match.group(0))
        rank = max(rank, int(digits[-1]) if digits else 1)
        key = key[: match.start()]
    return key, rank


def seminar_key(path: Path) -> str:
    return split_resend(_stem(Path(path)))[0]


def resend_rank(path: Path) -> int:
    return split_resend(_stem(Path(path)))[1]


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def is_sidecar(path: Path, config: BrConfig | None = None) -> bool:
    config = config or load_config()
    name = path.name.lower()
    return any(name.endswith(s.lower()) for s in config.sidecar_suffixes)


def sidecar_stem(path: Path, config: BrConfig | None = None) -> str:
    """The stem of the data file a sidecar describes (``X.meta.csv`` → ``X``)."""
    config = config or load_config()
    name = path.name
    for suffix in config.sidecar_suffixes:
        if name.lower().endswith(suffix.lower()):
            return name[: -len(suffix)]
    return _stem(path)


def find_sidecar(path: Path, config: BrConfig | None = None) -> Path | None:
    """The metadata sidecar of a legacy CSV: ``<stem>.meta.csv`` (or another accepted suffix);
    a re-send without its own sidecar uses the original's (``<seminar key>.meta.csv``)."""
    config = config or load_config()
    stem = _stem(path)
    key = split_resend(stem, config)[0]
    for base in dict.fromkeys((stem, key)):
        for suffix in config.sidecar_suffixes:
            candidate = path.with_name(base + suffix)
            if candidate.is_file():
                return candidate
    return None
