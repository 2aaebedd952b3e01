"""Landing an API pull part by part as it comes, resumable (:func:`land_pull`: how the nightly
ingest lands every pull), or whole (:func:`land_extract`: tests and tools); pages archived
byte-for-byte, rows as Parquet, or nothing when a full-state pull is unchanged since the
entity's last accepted batch."""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from ingestion import config
from ingestion.connectors.base import EntityExtract, PullPart, RawPage, StartOver, page_name
from ingestion.raw import batch as batches
from ingestion.raw.erasure import drop_erased
from ingestion.raw.files import private_dir, sha256_of, write_parquet_atomic
from ingestion.raw.landing.frames import (
    batch_id_for,
    columns_filled,
    content_hashes,
    records_frame,
)
from ingestion.raw.quarantine import clear_batch_quarantine

log = logging.getLogger(__name__)


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
    return _land_frame(
        frame,
        batches.Pull(
            platform=platform,
            entity=extract.entity,
            batch_id=batch_id,
            load_date=load_date,
            source=_describe_sources(extract.pages) or f"{platform}:{extract.entity}",
            checksum=sha256_of([p.content for p in extract.pages]),
            started_at=loaded_at,
            rows=frame.height,
            duplicates=extract.duplicates_dropped,
            erased=erased,
            watermark_from=extract.watermark_from,
            watermark_to=extract.watermark_to,
            warnings=tuple(extract.warnings or ()),
        ),
    )


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
    A pull that raises :class:`StartOver` (it cannot go on from where it is) is discarded and
    pulled again from the start, once.
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
        checkpoint = _afresh(platform, entities, load_date, key, loaded_at)
    try:
        _land_rest(platform, pull, load_date, checkpoint)
    except StartOver as exc:
        # the pull cannot go on from its parts: what it landed goes, and it starts again (once)
        log.warning("%s: the pull of %s starts over from the start (%s)", platform, load_date, exc)
        checkpoint = _afresh(platform, entities, load_date, key, loaded_at)
        _land_rest(platform, pull, load_date, checkpoint)
    loaded_at = datetime.fromisoformat(checkpoint["loaded_at"])
    landed = [_land_parts(platform, e, load_date, checkpoint, loaded_at) for e in entities]
    batches.drop_pull(platform, load_date)
    return landed


def _afresh(
    platform: str,
    entities: tuple[str, ...],
    load_date: date,
    key: dict[str, Any],
    loaded_at: datetime | None,
) -> dict[str, Any]:
    """Forget any pull of this date (parts, checkpoint, archived pages): a new checkpoint."""
    batches.drop_pull(platform, load_date)
    for entity in entities:  # a rerun of the same logical date replaces its own archive
        shutil.rmtree(_archive_dir(platform, entity, load_date), ignore_errors=True)
    return {
        "key": _jsonable(key),
        "loaded_at": (loaded_at or datetime.now(UTC)).isoformat(),
        "parts": [],
        "state": None,
        "final": None,
        "entities": {e: dict(_EMPTY_COUNTS) for e in entities},
    }


def _land_rest(
    platform: str,
    pull: Callable[[dict[str, Any] | None], Iterable[PullPart]],
    load_date: date,
    checkpoint: dict[str, Any],
) -> None:
    """Land the parts after the checkpoint's last one, recording each in the checkpoint."""
    if checkpoint["final"] is not None:
        return
    loaded_at = datetime.fromisoformat(checkpoint["loaded_at"])
    for part in pull(checkpoint["state"]):
        _land_part(platform, part, load_date, checkpoint, loaded_at)
        checkpoint["parts"].append(part.key)
        checkpoint["state"] = part.state
        checkpoint["final"] = part.final
        batches.record_pull_part(platform, load_date, checkpoint)
    if checkpoint["final"] is None:
        raise RuntimeError(f"{platform}: the pull ended without its final part")


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
    archive = _archive_dir(platform, entity, load_date)
    pages = [archive / page_name(n) for n in range(1, counts["pages"] + 1)]
    if counts["pages"] == 1:
        source = counts["first"]
    elif counts["pages"]:
        source = f"{counts['first']} … {counts['last']} ({counts['pages']} pages)"
    else:
        source = f"{platform}:{entity}"
    ends = (checkpoint["final"] or {}).get(entity, {})
    return _land_frame(
        frame,
        batches.Pull(
            platform=platform,
            entity=entity,
            batch_id=batch_id,
            load_date=load_date,
            source=source,
            checksum=sha256_of(p.read_bytes() for p in pages),
            started_at=loaded_at,
            rows=frame.height,
            erased=counts["erased"],
            watermark_from=ends.get("watermark_from"),
            watermark_to=ends.get("watermark_to"),
            warnings=tuple(ends.get("warnings") or ()),
        ),
    )


def _land_frame(frame: pl.DataFrame, pull: batches.Pull) -> batches.Batch:
    """Land a pull's rows (``frame``, ``pull.rows`` of them) as the batch of its date and
    record it, unless the batch lifecycle finds the content unchanged since the entity's last
    accepted batch: then nothing is landed (and whatever an earlier run of this date landed
    under the batch id goes) and the pull is recorded ``unchanged``."""
    # hashed only where a later pull is compared with it: full-state entities
    scope = config.platforms()[pull.platform].full_state.get(pull.entity)
    hashes = content_hashes(frame, scope) if scope is not None else {}
    same = batches.unchanged_since(pull.platform, pull.entity, pull.load_date, hashes)
    where = (pull.platform, pull.entity, pull.load_date, pull.batch_id)
    if same is not None:
        batches.landed_path(*where).unlink(missing_ok=True)
        batches.accepted_path(*where).unlink(missing_ok=True)
        clear_batch_quarantine(pull.platform, pull.entity, pull.batch_id)
        log.info(
            "%s/%s: %d rows identical to the last accepted rows of %s, nothing landed",
            pull.platform,
            pull.entity,
            frame.height,
            ", ".join(r["batch_id"] for r in same),
        )
        return batches.unchanged(
            pull, same_as=same, content_hashes=hashes, content_scope=scope or ()
        )
    write_parquet_atomic(frame, batches.landed_path(*where))
    landed = batches.land(
        pull,
        columns_filled=columns_filled(frame),
        content_hashes=hashes,
        content_scope=scope or (),
    )
    log.info("landed %s/%s batch %s: %d rows", pull.platform, pull.entity, pull.batch_id, pull.rows)
    return landed


def _describe_sources(pages: list[RawPage]) -> str:
    if not pages:
        return ""
    first, last = pages[0].source, pages[-1].source
    return first if len(pages) == 1 else f"{first} … {last} ({len(pages)} pages)"
