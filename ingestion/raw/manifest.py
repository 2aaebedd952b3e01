"""The load manifest's storage: one JSON record per batch at
``manifest/<platform>/<entity>/<batch_id>.json``.

Fields are specified in ``docs/raw-zone.md``. This module stores and reads records; what a
record says is decided by :mod:`ingestion.raw.batch`, the only caller of :func:`write_record`.
Records are written atomically, so a reader never sees half a record, and a record whose counts
are known must balance: ``rows_in = rows_accepted + rows_quarantined + rows_rejected +
rows_duplicate + rows_erased + rows_unchanged``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ingestion import config
from ingestion.raw.files import write_bytes_atomic

REQUIRED_KEYS = ("platform", "entity", "batch_id")
OUTCOME_COUNTS = (
    "rows_accepted",
    "rows_quarantined",
    "rows_rejected",
    "rows_duplicate",
    "rows_erased",
    "rows_unchanged",
)


def manifest_path(platform: str, entity: str, batch_id: str) -> Path:
    """Where the record of one batch lives."""
    return config.manifest_dir() / platform / entity / f"{batch_id}.json"


def write_record(record: dict[str, Any]) -> Path:
    """Write (or rewrite) one batch's record atomically; returns its path.

    Raises ``ValueError`` when an identity field is missing or the row counts do not add up.
    """
    missing = [key for key in REQUIRED_KEYS if not record.get(key)]
    if missing:
        raise ValueError(f"manifest record without {', '.join(missing)}: {record!r}")
    rows_in = record.get("rows_in")
    counts = [record.get(key) for key in OUTCOME_COUNTS]
    settled = all(isinstance(c, int) for c in counts[:2])
    if isinstance(rows_in, int) and settled and rows_in != sum(c or 0 for c in counts):
        raise ValueError(
            f"manifest record of batch {record['batch_id']}: rows_in ({rows_in}) != "
            + " + ".join(
                f"{key} ({count or 0})" for key, count in zip(OUTCOME_COUNTS, counts, strict=True)
            )
        )
    path = manifest_path(record["platform"], record["entity"], record["batch_id"])
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
    write_bytes_atomic(text.encode("utf-8"), path)
    return path


def read_record(platform: str, entity: str, batch_id: str) -> dict[str, Any]:
    """The record of one batch (``LookupError`` if there is none)."""
    path = manifest_path(platform, entity, batch_id)
    if not path.exists():
        raise LookupError(f"no manifest record for batch {batch_id}")
    return json.loads(path.read_text(encoding="utf-8"))


def read_manifest(platform: str | None = None, entity: str | None = None) -> list[dict[str, Any]]:
    """Every record (of one platform and/or entity when given), ordered by path."""
    root = config.manifest_dir()
    pattern = f"{platform or '*'}/{entity or '*'}/*.json"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(root.glob(pattern))]
