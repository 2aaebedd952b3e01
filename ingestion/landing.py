"""The raw zone: archive what was pulled byte-for-byte, land it as Parquet, record the batch.

Layout and columns are specified in ``docs/raw-zone.md``. Every function here is idempotent for a
logical date: the batch id is derived from platform, entity and load date (plus the file name for
dropped files), so a rerun rewrites the same files instead of adding new ones.
"""

from __future__ import annotations

import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from ingestion import config
from ingestion.connectors.base import EntityExtract, RawPage
from ingestion.manifest import read_manifest, write_manifest

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


@dataclass(frozen=True)
class LandedBatch:
    """A batch written to the raw zone, waiting for validation."""

    platform: str
    entity: str
    batch_id: str
    load_date: str
    path: Path | None  # landed Parquet; None when nothing was landed (empty or duplicate file)
    rows: int
    source: str
    status: str  # landed | empty | duplicate

    def to_dict(self) -> dict:
        """A JSON-safe form, for passing between Airflow tasks."""
        return {**self.__dict__, "path": str(self.path) if self.path else None}

    @classmethod
    def from_dict(cls, data: dict) -> LandedBatch:
        return cls(**{**data, "path": Path(data["path"]) if data["path"] else None})


def batch_id_for(platform: str, entity: str, load_date: date, file_stem: str | None = None) -> str:
    """The deterministic batch id of a logical date (and dropped file)."""
    parts = [platform, entity, load_date.strftime("%Y%m%d")]
    if file_stem:
        parts.append(file_stem)
    return "__".join(parts)


def _partition(root: Path, platform: str, entity: str, load_date: date) -> Path:
    return root / platform / entity / f"load_date={load_date.isoformat()}"


def landed_path(platform: str, entity: str, load_date: date, batch_id: str) -> Path:
    return _partition(config.landed_dir(), platform, entity, load_date) / f"{batch_id}.parquet"


def accepted_path(platform: str, entity: str, load_date: date, batch_id: str) -> Path:
    return _partition(config.accepted_dir(), platform, entity, load_date) / f"{batch_id}.parquet"


def _sha256(chunks: list[bytes]) -> str:
    digest = hashlib.sha256()
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _record_batch(
    *,
    platform: str,
    entity: str,
    batch_id: str,
    load_date: date,
    source: str,
    checksum: str,
    rows: int,
    status: str,
    message: str | None,
    started_at: datetime,
    watermark_from: str | None = None,
    watermark_to: str | None = None,
) -> None:
    """Write a batch's manifest record as landing leaves it (validation completes it)."""
    settled = status != "landed"  # nothing to validate: the counts are final now
    write_manifest(
        {
            "platform": platform,
            "entity": entity,
            "batch_id": batch_id,
            "load_date": load_date.isoformat(),
            "source": source,
            "checksum": checksum,
            "watermark_from": watermark_from,
            "watermark_to": watermark_to,
            "rows_in": rows,
            "rows_accepted": 0 if settled else None,
            "rows_quarantined": 0 if settled else None,
            "status": status,
            "message": message,
            "started_at": started_at.isoformat(timespec="seconds"),
            "finished_at": _now(),
        }
    )


def write_parquet_atomic(frame: pl.DataFrame, path: Path) -> None:
    """Write Parquet through a temporary file so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".parquet.tmp")
    frame.write_parquet(tmp)
    tmp.replace(path)


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


def land_extract(
    platform: str, extract: EntityExtract, load_date: date, loaded_at: datetime | None = None
) -> LandedBatch:
    """Archive an API pull's pages byte-for-byte and land its records as one batch."""
    loaded_at = loaded_at or datetime.now(UTC)
    batch_id = batch_id_for(platform, extract.entity, load_date)
    archive = _partition(config.archive_dir(), platform, extract.entity, load_date) / batch_id
    # A rerun of the same logical date replaces its own archive, never another date's.
    if archive.exists():
        shutil.rmtree(archive)
    archive.mkdir(parents=True)
    for page in extract.pages:
        (archive / page.name).write_bytes(page.content)
    source = _describe_sources(extract.pages) or f"{platform}:{extract.entity}"
    frame = records_frame(
        extract.records,
        platform=platform,
        entity=extract.entity,
        batch_id=batch_id,
        loaded_at=loaded_at,
    )
    path = landed_path(platform, extract.entity, load_date, batch_id)
    write_parquet_atomic(frame, path)
    status = "landed" if frame.height else "empty"
    _record_batch(
        platform=platform,
        entity=extract.entity,
        batch_id=batch_id,
        load_date=load_date,
        source=source,
        checksum=_sha256([p.content for p in extract.pages]),
        rows=frame.height,
        status=status,
        message=None if frame.height else "the platform returned no new records",
        started_at=loaded_at,
        watermark_from=extract.watermark_from,
        watermark_to=extract.watermark_to,
    )
    log.info("landed %s/%s batch %s: %d rows", platform, extract.entity, batch_id, frame.height)
    return LandedBatch(
        platform,
        extract.entity,
        batch_id,
        load_date.isoformat(),
        path,
        frame.height,
        source,
        status,
    )


def _describe_sources(pages: list[RawPage]) -> str:
    if not pages:
        return ""
    first, last = pages[0].source, pages[-1].source
    return first if len(pages) == 1 else f"{first} … {last} ({len(pages)} pages)"


def file_checksum(path: Path) -> str:
    return _sha256([path.read_bytes()])


def already_landed_checksums(platform: str) -> dict[str, str]:
    """Checksum → batch id of every dropped file this platform has landed before."""
    seen: dict[str, str] = {}
    for record in read_manifest(platform=platform):
        if record.get("checksum") and record.get("status") not in ("duplicate", "rejected"):
            seen.setdefault(record["checksum"], record["batch_id"])
    return seen


def archive_drop(platform: str, path: Path, load_date: date) -> Path:
    """Move a dropped file from the inbox into the raw zone's archive (never delete it)."""
    target_dir = _partition(config.archive_dir(), platform, "_files", load_date)
    # Keep the office (or other sub-folder) of the inbox in the archive path.
    relative = path.parent.name if path.parent != config.inbox_dir(platform) else ""
    target = target_dir / relative / path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists() and file_checksum(target) != file_checksum(path):
        target = target.with_name(f"{path.stem}__{file_checksum(path)[:8]}{path.suffix}")
    shutil.move(str(path), target)
    return target


def land_file_extracts(
    platform: str,
    archived: Path,
    extracts: list[EntityExtract],
    load_date: date,
    checksum: str,
    loaded_at: datetime | None = None,
) -> list[LandedBatch]:
    """Land the entities read from one archived drop file, one batch per entity."""
    loaded_at = loaded_at or datetime.now(UTC)
    batches = []
    for extract in extracts:
        batch_id = batch_id_for(platform, extract.entity, load_date, _file_key(archived))
        frame = records_frame(
            extract.records,
            platform=platform,
            entity=extract.entity,
            batch_id=batch_id,
            loaded_at=loaded_at,
        )
        status = "landed" if frame.height else "empty"
        path = landed_path(platform, extract.entity, load_date, batch_id)
        write_parquet_atomic(frame, path)
        _record_batch(
            platform=platform,
            entity=extract.entity,
            batch_id=batch_id,
            load_date=load_date,
            source=str(archived.relative_to(config.archive_dir())),
            checksum=checksum,
            rows=frame.height,
            status=status,
            message=None if frame.height else "the file holds no data rows",
            started_at=loaded_at,
        )
        batches.append(
            LandedBatch(
                platform,
                extract.entity,
                batch_id,
                load_date.isoformat(),
                path,
                frame.height,
                archived.name,
                status,
            )
        )
    return batches


def record_file_outcome(
    platform: str, archived: Path, load_date: date, checksum: str, status: str, message: str
) -> LandedBatch:
    """Record a dropped file that lands no rows: a duplicate, or one rejected as unreadable."""
    batch_id = batch_id_for(platform, "_files", load_date, _file_key(archived))
    _record_batch(
        platform=platform,
        entity="_files",
        batch_id=batch_id,
        load_date=load_date,
        source=str(archived.relative_to(config.archive_dir())),
        checksum=checksum,
        rows=0,
        status=status,
        message=message,
        started_at=datetime.now(UTC),
    )
    return LandedBatch(
        platform, "_files", batch_id, load_date.isoformat(), None, 0, archived.name, status
    )


def _file_key(archived: Path) -> str:
    """A batch-id-safe name of a dropped file that keeps its sub-folder (the office)."""
    stem = archived.stem
    parent = archived.parent.name
    if parent.startswith("load_date="):
        return stem
    return f"{parent}-{stem}"


def watermarks(platform: str, entities: tuple[str, ...], before: date) -> dict[str, str | None]:
    """Each entity's watermark: the newest one recorded by a batch of an earlier logical date.

    Reading only earlier dates makes a rerun of a date pull exactly what the first run pulled.
    """
    marks: dict[str, str | None] = dict.fromkeys(entities)
    best: dict[str, str] = {}
    for record in read_manifest(platform=platform):
        entity = record.get("entity")
        if entity not in marks or record.get("status") == "rejected":
            continue
        if record.get("load_date", "") >= before.isoformat() or not record.get("watermark_to"):
            continue
        if record["load_date"] >= best.get(entity, ""):
            best[entity] = record["load_date"]
            marks[entity] = record["watermark_to"]
    return marks
