"""Landing: archive what was pulled byte-for-byte, land its rows as Parquet, record the batch.

Layout and columns are specified in ``docs/raw-zone.md``. Every function here is idempotent for a
logical date: the batch id is derived from platform, entity and load date (plus the file name for
dropped files), so a rerun rewrites the same files instead of adding new ones. The batch records
themselves are :mod:`ingestion.raw.batch`'s to write.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from ingestion import config
from ingestion.connectors.base import EntityExtract, RawPage
from ingestion.raw import batch as batches
from ingestion.raw.erasure import drop_erased
from ingestion.raw.files import file_checksum, private_dir, sha256_of, write_parquet_atomic

log = logging.getLogger(__name__)

LINEAGE_COLUMNS = (
    "_platform",
    "_entity",
    "_batch_id",
    "_source",
    "_row_number",
    "_loaded_at",
    "_parse_error",
)
# Batch ids become file names: keep them short and portable whatever a dropped file is called.
MAX_FILE_KEY = 80


def batch_id_for(platform: str, entity: str, load_date: date, file_key: str | None = None) -> str:
    """The deterministic batch id of a logical date (and dropped file)."""
    parts = [platform, entity, load_date.strftime("%Y%m%d")]
    if file_key:
        parts.append(file_key)
    return "__".join(parts)


def records_frame(
    records: list[dict], *, platform: str, entity: str, batch_id: str, loaded_at: datetime
) -> pl.DataFrame:
    """Records plus lineage columns, as a frame. Values keep their wire types.

    Nested values that a connector left as Python objects are serialised to JSON text, so that a
    column never mixes structs and scalars across pages.
    """
    rows = []
    for number, record in enumerate(records, start=1):
        row = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
            for key, value in record.items()
            if not key.startswith("_")
        }
        row.update(
            _platform=platform,
            _entity=entity,
            _batch_id=batch_id,
            _source=record.get("_source"),
            _row_number=record.get("_row_number", number),
            _loaded_at=loaded_at,
            _parse_error=record.get("_parse_error"),
        )
        rows.append(row)
    if not rows:
        return pl.DataFrame(
            schema={
                "_platform": pl.String,
                "_entity": pl.String,
                "_batch_id": pl.String,
                "_source": pl.String,
                "_row_number": pl.Int64,
                "_loaded_at": pl.Datetime("us", "UTC"),
                "_parse_error": pl.String,
            }
        )
    # infer_schema_length=None: a column that is null on the first pages must still get its type.
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.with_columns(
        pl.col("_row_number").cast(pl.Int64),
        pl.col("_parse_error").cast(pl.String),
        pl.col("_source").cast(pl.String),
    )


def columns_filled(frame: pl.DataFrame) -> dict[str, str]:
    """The data columns holding a value in at least one row, with their type (for the next
    batch's schema-drift check)."""
    data = [c for c in frame.columns if not c.startswith("_")]
    if not data or frame.is_empty():
        return {}
    filled = frame.select(pl.col(data).is_not_null().any()).row(0, named=True)
    return {name: str(frame.schema[name]) for name, any_value in filled.items() if any_value}


def land_extract(
    platform: str, extract: EntityExtract, load_date: date, loaded_at: datetime | None = None
) -> batches.Batch:
    """Archive an API pull's pages byte-for-byte and land its records as one batch."""
    loaded_at = loaded_at or datetime.now(UTC)
    batch_id = batch_id_for(platform, extract.entity, load_date)
    archive = (
        batches.partition(config.archive_dir(), platform, extract.entity, load_date) / batch_id
    )
    # A rerun of the same logical date replaces its own archive, never another date's.
    if archive.exists():
        shutil.rmtree(archive)
    private_dir(archive)
    for page in extract.pages:
        (archive / page.name).write_bytes(page.content)
        (archive / page.name).chmod(0o600)
    records, erased = drop_erased(platform, extract.entity, extract.records)
    frame = records_frame(
        records, platform=platform, entity=extract.entity, batch_id=batch_id, loaded_at=loaded_at
    )
    write_parquet_atomic(frame, batches.landed_path(platform, extract.entity, load_date, batch_id))
    landed = batches.land(
        platform=platform,
        entity=extract.entity,
        batch_id=batch_id,
        load_date=load_date,
        source=_describe_sources(extract.pages) or f"{platform}:{extract.entity}",
        checksum=sha256_of([p.content for p in extract.pages]),
        rows=frame.height,
        duplicates=extract.duplicates_dropped,
        erased=erased,
        started_at=loaded_at,
        watermark_from=extract.watermark_from,
        watermark_to=extract.watermark_to,
        columns_filled=columns_filled(frame),
        warnings=extract.warnings,
    )
    log.info("landed %s/%s batch %s: %d rows", platform, extract.entity, batch_id, frame.height)
    return landed


def _describe_sources(pages: list[RawPage]) -> str:
    if not pages:
        return ""
    first, last = pages[0].source, pages[-1].source
    return first if len(pages) == 1 else f"{first} … {last} ({len(pages)} pages)"


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
                platform=platform,
                entity=extract.entity,
                batch_id=batch_id,
                load_date=load_date,
                source=source,
                checksum=checksum,
                rows=frame.height,
                duplicates=extract.duplicates_dropped,
                erased=erased,
                started_at=loaded_at,
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
