"""Erasure requests in the raw zone: remove a person's rows, and keep them out for good.

A request is recorded without the personal data it names: only the keyed hashes (HMAC under the
pseudonymization key) of the person's e-mail addresses and platform record keys, in
``erasure/requests.jsonl``. Landing drops every re-delivered record that carries one of them
(counted as ``rows_erased`` in the manifest). :func:`erase_rows` removes the person's rows from
the landed, accepted and quarantined Parquet files and blanks their e-mails and names in the
archived raw bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import polars as pl

from ingestion import config
from ingestion.pseudonym import pseudonymize
from ingestion.raw.files import private_dir, write_bytes_atomic, write_parquet_atomic

EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
REDACTED = "[erased]"


def requests_file() -> Path:
    return config.erasure_dir() / "requests.jsonl"


def email_digest(email: str) -> str:
    return pseudonymize(f"email|{email.strip().lower()}")


def key_digest(platform: str, key: object) -> str:
    return pseudonymize(f"key|{platform}|{key}")


@dataclass
class Erased:
    """The keyed hashes of every erased person's e-mails and platform keys."""

    emails: set[str] = field(default_factory=set)
    keys: set[str] = field(default_factory=set)


def record_request(emails: set[str], keys: set[tuple[str, str]], reason: str) -> None:
    """Append a request: hashes only, so the log itself holds no personal data."""
    line = {
        "requested_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "reason": reason,
        "emails": sorted(email_digest(e) for e in emails),
        "keys": sorted(key_digest(p, k) for p, k in keys),
    }
    path = requests_file()
    old = path.read_bytes() if path.exists() else b""
    private_dir(path.parent)
    write_bytes_atomic(old + (json.dumps(line) + "\n").encode("utf-8"), path)
    _erased.cache_clear()


@cache
def _erased(path: str, mtime: float) -> Erased:
    found = Erased()
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip():
            request = json.loads(line)
            found.emails.update(request.get("emails") or [])
            found.keys.update(request.get("keys") or [])
    return found


def erased() -> Erased:
    """Every request recorded so far (read again when the log changes)."""
    path = requests_file()
    if not path.exists():
        return Erased()
    return _erased(str(path), path.stat().st_mtime)


def _is_erased(
    platform: str, key_column: str | None, record: dict[str, Any], known: Erased
) -> bool:
    key = record.get(key_column) if key_column else None
    if key is not None and key_digest(platform, key) in known.keys:
        return True
    emails = (
        e for v in record.values() if isinstance(v, str) and "@" in v for e in EMAIL.findall(v)
    )
    return any(email_digest(e) in known.emails for e in emails)


def drop_erased(
    platform: str, entity: str, records: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], int]:
    """The records of people who were not erased, and how many were dropped."""
    known = erased()
    if not (known.emails or known.keys):
        return records, 0
    key_column = config.platforms()[platform].person_keys.get(entity)
    kept = [r for r in records if not _is_erased(platform, key_column, r, known)]
    return kept, len(records) - len(kept)


@dataclass
class ErasureReport:
    """What :func:`erase_rows` changed (counts only)."""

    rows_removed: int = 0
    files_rewritten: int = 0
    archived_files_redacted: int = 0


def erase_rows(emails: set[str], keys: set[tuple[str, str]], names: set[str]) -> ErasureReport:
    """Remove the person's rows from every Parquet file of the raw zone and the quarantine,
    and blank their e-mails and names in the archived raw files."""
    report = ErasureReport()
    lowered = sorted({e.lower() for e in emails})
    roots = [config.landed_dir(), config.accepted_dir(), config.quarantine_dir()]
    for root in roots:
        for path in sorted(root.rglob("*.parquet")):
            frame = pl.read_parquet(path)
            matches = _matching_rows(frame, path, root, lowered, keys)
            if matches.any():
                write_parquet_atomic(frame.filter(~matches), path)
                report.rows_removed += int(matches.sum())
                report.files_rewritten += 1
    patterns = [re.escape(v) for v in sorted(set(lowered) | names, key=len, reverse=True) if v]
    if patterns:
        blank = re.compile("|".join(patterns).encode("utf-8"), re.IGNORECASE)
        for path in sorted(p for p in config.archive_dir().rglob("*") if p.is_file()):
            data = path.read_bytes()
            redacted = blank.sub(REDACTED.encode(), data)
            if redacted != data:
                write_bytes_atomic(redacted, path)
                report.archived_files_redacted += 1
    return report


def _matching_rows(
    frame: pl.DataFrame, path: Path, root: Path, emails: list[str], keys: set[tuple[str, str]]
) -> pl.Series:
    """Rows holding one of the e-mails (any text column) or one of the platform keys."""
    platform, entity = path.relative_to(root).parts[:2]
    hit = pl.repeat(False, frame.height, eager=True)
    texts = [c for c, t in frame.schema.items() if t == pl.String]
    for column in texts:
        lowered = frame.get_column(column).str.to_lowercase()
        for email in emails:
            hit = hit | lowered.str.contains(email, literal=True).fill_null(False)
    key_column = config.platforms().get(platform)
    column = key_column.person_keys.get(entity) if key_column else None
    wanted = {k for p, k in keys if p == platform}
    if column and column in frame.columns and wanted:
        values = frame.get_column(column).cast(pl.String)
        hit = hit | values.is_in(sorted(wanted)).fill_null(False)
    return hit
