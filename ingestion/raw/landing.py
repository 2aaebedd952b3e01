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
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ingestion import config
from ingestion.connectors.base import EntityExtract, PullPart, RawPage, page_name
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


def land_pull(
    platform: str,
    pull: Callable[[dict[str, Any] | None], Iterable[PullPart]],
    entities: tuple[str, ...],
    load_date: date,
    key: dict[str, Any],
    loaded_at: datetime | None = None,
) -> list[batches.Batch]:
    """Land a pull part by part as it comes, then each entity's parts as one landed batch.

    ``pull(state)`` yields the parts of the pull after the part whose state is given (None: from
    the start). ``key`` says what the pull is (its watermarks, ``until``, settings): a checkpoint
    of this date left by an earlier try with the same key is resumed, any other is discarded.
    Only one part's pages and records are held at a time; pages go to the archive and rows to a
    part file as each part comes. The batches are recorded only once every part is landed (the
    batch ids, archive and row numbering are those :func:`land_extract` would give the whole
    pull), so an interrupted pull is never seen as data, and a resumed one lands each row once.
    """
    checkpoint = batches.pull_checkpoint(platform, load_date)
    if checkpoint is not None and checkpoint.get("key") == _jsonable(key):
        done = len(checkpoint["parts"])
        log.info("%s: resuming the pull of %s after %d landed part(s)", platform, load_date, done)
        loaded_at = datetime.fromisoformat(checkpoint["loaded_at"])
        for entity, counts in checkpoint["entities"].items():  # pages of the part cut short
            _trim_archive(platform, entity, load_date, counts["pages"])
    else:
        if checkpoint is not None:
            log.warning(
                "%s: discarding an unfinished pull of %s (not this pull)", platform, load_date
            )
        batches.drop_pull(platform, load_date)
        loaded_at = loaded_at or datetime.now(UTC)
        for entity in entities:  # a rerun of the same logical date replaces its own archive
            shutil.rmtree(_archive_dir(platform, entity, load_date), ignore_errors=True)
        checkpoint = {
            "key": _jsonable(key),
            "loaded_at": loaded_at.isoformat(),
            "parts": [],
            "state": None,
            "final": None,
            "entities": {e: dict(_EMPTY_COUNTS) for e in entities},
        }
    if checkpoint["final"] is None:
        for part in pull(checkpoint["state"]):
            _land_part(platform, part, load_date, checkpoint, loaded_at)
            checkpoint["parts"].append(part.key)
            checkpoint["state"] = part.state
            checkpoint["final"] = part.final
            batches.record_pull_part(platform, load_date, checkpoint)
        if checkpoint["final"] is None:
            raise RuntimeError(f"{platform}: the pull ended without its final part")
    landed = [_land_parts(platform, e, load_date, checkpoint, loaded_at) for e in entities]
    batches.drop_pull(platform, load_date)
    return landed


_EMPTY_COUNTS = {"records": 0, "erased": 0, "pages": 0, "first": None, "last": None}


def _jsonable(value: Any) -> Any:
    return json.loads(json.dumps(value, default=str))


def _archive_dir(platform: str, entity: str, load_date: date) -> Path:
    batch_id = batch_id_for(platform, entity, load_date)
    return batches.partition(config.archive_dir(), platform, entity, load_date) / batch_id


def _trim_archive(platform: str, entity: str, load_date: date, pages: int) -> None:
    """Remove the archived pages after the first ``pages`` (left by a part that never landed)."""
    folder = _archive_dir(platform, entity, load_date)
    for path in folder.glob("*.json") if folder.exists() else []:
        if path.stem.isdigit() and int(path.stem) > pages:
            path.unlink()


def _land_part(
    platform: str, part: PullPart, load_date: date, checkpoint: dict[str, Any], loaded_at: datetime
) -> None:
    """Archive one part's pages and write its rows to a part file (numbered after the parts
    before it); the caller then records the part in the checkpoint."""
    index = len(checkpoint["parts"])
    for extract in part.extracts:
        counts = checkpoint["entities"][extract.entity]
        archive = private_dir(_archive_dir(platform, extract.entity, load_date))
        for number, page in enumerate(extract.pages, start=counts["pages"] + 1):
            page.name = page_name(number)
            (archive / page.name).write_bytes(page.content)
            (archive / page.name).chmod(0o600)
        if extract.pages:
            counts["first"] = counts["first"] or extract.pages[0].source
            counts["last"] = extract.pages[-1].source
            counts["pages"] += len(extract.pages)
        for number, record in enumerate(extract.records, start=counts["records"] + 1):
            record["_row_number"] = number
        counts["records"] += len(extract.records)
        records, erased = drop_erased(platform, extract.entity, extract.records)
        counts["erased"] += erased
        if records:
            batch_id = batch_id_for(platform, extract.entity, load_date)
            frame = records_frame(
                records,
                platform=platform,
                entity=extract.entity,
                batch_id=batch_id,
                loaded_at=loaded_at,
            )
            path = batches.pull_dir(platform, load_date) / extract.entity / f"{index:05d}.parquet"
            write_parquet_atomic(frame, path)


def _land_parts(
    platform: str, entity: str, load_date: date, checkpoint: dict[str, Any], loaded_at: datetime
) -> batches.Batch:
    """Join an entity's part files into its landed batch and record it (as
    :func:`land_extract` records a whole pull)."""
    batch_id = batch_id_for(platform, entity, load_date)
    counts = checkpoint["entities"][entity]
    files = sorted((batches.pull_dir(platform, load_date) / entity).glob("*.parquet"))
    if files:
        frame = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed")
    else:
        frame = records_frame(
            [], platform=platform, entity=entity, batch_id=batch_id, loaded_at=loaded_at
        )
    write_parquet_atomic(frame, batches.landed_path(platform, entity, load_date, batch_id))
    archive = _archive_dir(platform, entity, load_date)
    pages = [archive / page_name(n) for n in range(1, counts["pages"] + 1)]
    if counts["pages"] == 1:
        source = counts["first"]
    elif counts["pages"]:
        source = f"{counts['first']} … {counts['last']} ({counts['pages']} pages)"
    else:
        source = f"{platform}:{entity}"
    ends = (checkpoint["final"] or {}).get(entity, {})
    landed = batches.land(
        platform=platform,
        entity=entity,
        batch_id=batch_id,
        load_date=load_date,
        source=source,
        checksum=sha256_of(p.read_bytes() for p in pages),
        rows=frame.height,
        erased=counts["erased"],
        started_at=loaded_at,
        watermark_from=ends.get("watermark_from"),
        watermark_to=ends.get("watermark_to"),
        columns_filled=columns_filled(frame),
        warnings=ends.get("warnings"),
    )
    log.info("landed %s/%s batch %s: %d rows", platform, entity, batch_id, frame.height)
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
