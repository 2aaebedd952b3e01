"""The load manifest: one JSON record per batch at ``manifest/<platform>/<entity>/<batch_id>.json``.

Fields are specified in ``docs/raw-zone.md``. Records are written atomically (a temporary file in
the same folder, then ``os.replace``), so a reader never sees half a record, and a record that
carries all three row counts must satisfy ``rows_in = rows_accepted + rows_quarantined``.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from ingestion import config

REQUIRED_KEYS = ("platform", "entity", "batch_id")


def manifest_path(platform: str, entity: str, batch_id: str) -> Path:
    """Where the record of one batch lives."""
    return config.manifest_dir() / platform / entity / f"{batch_id}.json"


def write_manifest(record: dict[str, Any]) -> Path:
    """Write (or rewrite) one batch's record atomically; returns its path.

    Raises ``ValueError`` when an identity field is missing or the row counts do not add up.
    """
    missing = [key for key in REQUIRED_KEYS if not record.get(key)]
    if missing:
        raise ValueError(f"manifest record without {', '.join(missing)}: {record!r}")
    counts = [record.get(k) for k in ("rows_in", "rows_accepted", "rows_quarantined")]
    if all(isinstance(c, int) for c in counts) and counts[0] != counts[1] + counts[2]:
        raise ValueError(
            f"manifest record of batch {record['batch_id']}: rows_in ({counts[0]}) != "
            f"rows_accepted ({counts[1]}) + rows_quarantined ({counts[2]})"
        )
    path = manifest_path(record["platform"], record["entity"], record["batch_id"])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    text = json.dumps(record, indent=2, ensure_ascii=False, default=str) + "\n"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
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
