"""Landing a dropped file: its place in the archive, one batch per entity read from it, or a
record of a file that lands no rows."""

from __future__ import annotations

import hashlib
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from ingestion import config
from ingestion.connectors.base import EntityExtract
from ingestion.raw import batch as batches
from ingestion.raw.erasure import drop_erased
from ingestion.raw.files import file_checksum, private_dir, write_parquet_atomic
from ingestion.raw.landing.frames import batch_id_for, records_frame

# Batch ids become file names: keep them short and portable whatever a dropped file is called.
MAX_FILE_KEY = 80


def archive_target(platform: str, path: Path, load_date: date, inbox: Path) -> Path:
    """Where a dropped file goes in the archive: its load date's partition, keeping the inbox's
    sub-folder (the office); a different file of the same name that day keeps both."""
    target_dir = batches.partition(config.archive_dir(), platform, "_files", load_date)
    target = target_dir / path.relative_to(inbox)
    if target.exists() and file_checksum(target) != file_checksum(path):
        target = target.with_name(f"{path.stem}__{file_checksum(path)[:8]}{path.suffix}")
    return target


def archive_drop(path: Path, target: Path, companions: list[Path] = ()) -> Path:
    """Move a dropped file, and the files travelling with it (a sidecar), from the inbox into
    the archive (never delete them)."""
    private_dir(target.parent)
    for source, destination in [
        (path, target),
        *((c, target.with_name(c.name)) for c in companions),
    ]:
        shutil.move(str(source), destination)
        destination.chmod(0o600)
    return target


def land_file_extracts(
    platform: str,
    archived: Path,
    extracts: list[EntityExtract],
    load_date: date,
    checksum: str,
    loaded_at: datetime | None = None,
) -> list[batches.Batch]:
    """Land the entities read from one dropped file (about to be archived at ``archived``),
    one batch per entity."""
    loaded_at = loaded_at or datetime.now(UTC)
    landed = []
    source = _source_name(archived)
    for extract in extracts:
        batch_id = batch_id_for(platform, extract.entity, load_date, file_key(archived))
        records, erased = drop_erased(platform, extract.entity, extract.records)
        frame = records_frame(
            records,
            platform=platform,
            entity=extract.entity,
            batch_id=batch_id,
            loaded_at=loaded_at,
        )
        write_parquet_atomic(
            frame, batches.landed_path(platform, extract.entity, load_date, batch_id)
        )
        landed.append(
            batches.land(
                batches.Pull(
                    platform=platform,
                    entity=extract.entity,
                    batch_id=batch_id,
                    load_date=load_date,
                    source=source,
                    checksum=checksum,
                    started_at=loaded_at,
                    rows=frame.height,
                    duplicates=extract.duplicates_dropped,
                    erased=erased,
                )
            )
        )
    return landed


def settle_file(
    platform: str,
    archived: Path,
    load_date: date,
    checksum: str | None,
    status: str,
    message: str,
) -> batches.Batch:
    """Record a dropped file that lands no rows (empty, duplicate, ignored, unreadable)."""
    return batches.settle(
        platform=platform,
        entity="_files",
        batch_id=batch_id_for(platform, "_files", load_date, file_key(archived)),
        load_date=load_date,
        source=_source_name(archived),
        checksum=checksum,
        status=status,
        message=message,
    )


def _source_name(path: Path) -> str:
    """A file's name in the manifest: relative to the archive (or to the data folder, for a
    file left in an inbox)."""
    for root in (config.archive_dir(), config.data_dir()):
        if path.is_relative_to(root):
            return str(path.relative_to(root))
    return str(path)


def file_key(archived: Path) -> str:
    """A batch-id-safe name of a dropped file: its sub-folder (the office), stem and extension
    (``X.csv`` and ``X.txt`` are two files), portable characters only, and short (a long name
    keeps its start and a hash of the whole)."""
    parent = archived.parent.name
    name = archived.name if parent.startswith("load_date=") else f"{parent}-{archived.name}"
    stem, dot, suffix = name.rpartition(".")
    text = f"{stem}-{suffix}" if dot else name
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "file"
    if len(safe) > MAX_FILE_KEY or safe != text:
        digest = hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
        safe = f"{safe[: MAX_FILE_KEY - 9]}_{digest}"
    return safe
