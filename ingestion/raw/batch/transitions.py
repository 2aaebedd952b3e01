"""A batch's transitions, each writing its manifest record: landed, unchanged, settled without
rows, validated, rejected, released. The only writer of the manifest."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ingestion.raw.batch.states import (
    ACCEPTED,
    DUPLICATE,
    EMPTY,
    IGNORED,
    LANDED,
    PARTIALLY_QUARANTINED,
    REJECTED,
    RELEASED,
    UNCHANGED,
    Batch,
    _now,
    landed_path,
)
from ingestion.raw.manifest import read_record, write_record


def land(
    *,
    platform: str,
    entity: str,
    batch_id: str,
    load_date: date,
    source: str,
    checksum: str,
    rows: int,
    started_at: datetime,
    duplicates: int = 0,
    erased: int = 0,
    watermark_from: str | None = None,
    watermark_to: str | None = None,
    columns_filled: dict[str, str] | None = None,
    warnings: list[str] | None = None,
    content_hashes: dict[str, str] | None = None,
    content_scope: tuple[str, ...] = (),
) -> Batch:
    """Record a batch whose rows are landed: ``landed`` (waiting for validation) or ``empty``.

    ``rows`` are the rows landed; ``duplicates`` the exact duplicate rows of the source that were
    landed once (``rows_in`` = both). ``columns_filled``: the columns holding a value in at least
    one row, with their types, against which the next batch is checked for schema drift.
    ``warnings``: what the connector noticed while pulling (a reconciliation gap, say), kept in
    the record's message. ``content_hashes``: the landed content's hashes per value of the
    ``content_scope`` columns (``landing.frames.content_hashes``), against which the next pulls
    of a full-state entity are compared. An ``empty`` pull also records ``checked_at``: the
    source was read and holds nothing new, which source freshness counts as fresh.
    """
    status = LANDED if rows else EMPTY
    message = _join(
        "the source holds no new records" if not rows else None,
        *_intake_notes(duplicates, erased, warnings),
    )
    record = {
        **_pull_record(
            platform,
            entity,
            batch_id,
            load_date,
            source,
            checksum,
            started_at,
            watermark_from,
            watermark_to,
            rows + duplicates + erased,
            duplicates,
            erased,
        ),
        "rows_accepted": None if rows else 0,
        "rows_quarantined": None if rows else 0,
        "rows_rejected": None if rows else 0,
        "columns_filled": columns_filled,
        "content_hashes": content_hashes or None,
        "content_scope": list(content_scope) if content_hashes else None,
        "status": status,
        "message": message,
        "checked_at": None if rows else started_at.isoformat(timespec="seconds"),
    }
    write_record(record)
    path = landed_path(platform, entity, load_date, batch_id)
    return Batch(platform, entity, batch_id, record["load_date"], path, rows, source, status)


def unchanged(
    *,
    same_as: list[dict],
    batch_id: str,
    load_date: date,
    source: str,
    checksum: str,
    rows: int,
    started_at: datetime,
    duplicates: int = 0,
    erased: int = 0,
    watermark_from: str | None = None,
    watermark_to: str | None = None,
    content_hashes: dict[str, str],
    content_scope: tuple[str, ...] = (),
    warnings: list[str] | None = None,
) -> Batch:
    """Record a full-state pull whose content equals the last accepted rows of each of its
    scopes (``same_as``: the records of the batches holding them, newest first):
    ``unchanged``, nothing landed, nothing to validate.

    Its ``rows`` are counted as ``rows_unchanged`` (the record balances), its watermarks move
    the next pull on as a delivered batch's would (every row of the window is already
    accepted), and ``checked_at`` tells source freshness the platform was read.
    """
    platform, entity = same_as[0]["platform"], same_as[0]["entity"]
    names = [r["batch_id"] for r in same_as]
    message = _join(
        f"{rows} row(s) identical to the last accepted rows of batch(es) {', '.join(names[:3])}"
        + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        + ": nothing landed",
        *_intake_notes(duplicates, erased, warnings),
    )
    write_record(
        {
            **_pull_record(
                platform,
                entity,
                batch_id,
                load_date,
                source,
                checksum,
                started_at,
                watermark_from,
                watermark_to,
                rows + duplicates + erased,
                duplicates,
                erased,
            ),
            "rows_accepted": 0,
            "rows_quarantined": 0,
            "rows_rejected": 0,
            "rows_unchanged": rows,
            "columns_filled": same_as[0].get("columns_filled"),
            "content_hashes": content_hashes,
            "content_scope": list(content_scope),
            "same_as": names[0],
            "status": UNCHANGED,
            "message": message,
            "checked_at": started_at.isoformat(timespec="seconds"),
        }
    )
    return Batch(
        platform, entity, batch_id, load_date.isoformat(), None, 0, source, UNCHANGED, message
    )


def settle(
    *,
    platform: str,
    entity: str,
    batch_id: str,
    load_date: date,
    source: str,
    checksum: str | None,
    status: str,
    message: str,
) -> Batch:
    """Record a source that lands nothing: a ``duplicate`` or empty file, an ``ignored`` one
    (not a data file, or in the wrong place), or one ``rejected`` because it cannot be read to
    its end (``rows_in`` unknown)."""
    if status not in (DUPLICATE, EMPTY, IGNORED, REJECTED):
        raise ValueError(f"a settled source cannot be {status!r}")
    known = status in (DUPLICATE, EMPTY)
    write_record(
        {
            "platform": platform,
            "entity": entity,
            "batch_id": batch_id,
            "load_date": load_date.isoformat(),
            "source": source,
            "checksum": checksum,
            "watermark_from": None,
            "watermark_to": None,
            "rows_in": 0 if known else None,
            "rows_accepted": 0,
            "rows_quarantined": 0,
            "rows_rejected": 0 if known else None,
            "rows_duplicate": 0,
            "status": status,
            "message": message,
            "started_at": _now(),
            "finished_at": _now(),
        }
    )
    return Batch(
        platform, entity, batch_id, load_date.isoformat(), None, 0, source, status, message
    )


def validated(batch: Batch, *, accepted: int, quarantined: int, message: str | None) -> dict:
    """Complete a landed batch's record once its accepted and quarantined rows are written."""
    record = read_record(batch.platform, batch.entity, batch.batch_id)
    status = PARTIALLY_QUARANTINED if quarantined else ACCEPTED
    record.update(
        rows_accepted=accepted,
        rows_quarantined=quarantined,
        rows_rejected=0,
        status=status,
        # what landing noted (duplicates, pull warnings) stays beside validation's findings
        message=_join(record.get("message"), message),
        finished_at=_now(),
    )
    write_record(record)
    return {
        **batch.to_dict(),
        "status": status,
        "rows_accepted": accepted,
        "rows_quarantined": quarantined,
    }


def rejected(batch: Batch, message: str) -> dict:
    """A landed batch that failed a structural expectation: none of its rows go further."""
    record = read_record(batch.platform, batch.entity, batch.batch_id)
    record.update(
        rows_accepted=0,
        rows_quarantined=0,
        rows_rejected=batch.rows,
        status=REJECTED,
        message=message,
        finished_at=_now(),
    )
    write_record(record)
    return {**batch.to_dict(), "status": REJECTED, "message": message}


def released(
    *,
    platform: str,
    entity: str,
    release_id: str,
    released_from: str,
    load_date: str,
    source: str,
    checksum: str,
    accepted: int,
    quarantined: int,
    started_at: datetime,
) -> Path:
    """Record a release of quarantined rows: its own batch, pointing at the original."""
    return write_record(
        {
            "platform": platform,
            "entity": entity,
            "batch_id": release_id,
            "load_date": load_date,
            "source": source,
            "checksum": checksum,
            "watermark_from": None,
            "watermark_to": None,
            "rows_in": accepted + quarantined,
            "rows_accepted": accepted,
            "rows_quarantined": quarantined,
            "rows_rejected": 0,
            "rows_duplicate": 0,
            "status": RELEASED,
            "message": (
                f"re-validated {accepted + quarantined} quarantined row(s) of {released_from}: "
                f"{accepted} released, {quarantined} still quarantined"
            ),
            "started_at": started_at.isoformat(timespec="seconds"),
            "finished_at": _now(),
            "released_from": released_from,
        }
    )


def _pull_record(
    platform: str,
    entity: str,
    batch_id: str,
    load_date: date,
    source: str,
    checksum: str,
    started_at: datetime,
    watermark_from: str | None,
    watermark_to: str | None,
    rows_in: int,
    duplicates: int,
    erased: int,
) -> dict:
    """The fields every record of a pull has, whether it landed rows or found them unchanged."""
    return {
        "platform": platform,
        "entity": entity,
        "batch_id": batch_id,
        "load_date": load_date.isoformat(),
        "source": source,
        "checksum": checksum,
        "watermark_from": watermark_from,
        "watermark_to": watermark_to,
        "rows_in": rows_in,
        "rows_duplicate": duplicates,
        "rows_erased": erased,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": _now(),
    }


def _intake_notes(duplicates: int, erased: int, warnings: list[str] | None) -> list[str]:
    """What a pull's record says about rows set aside on the way in, and the connector's notes."""
    return [
        *([f"{duplicates} exact duplicate row(s) landed once"] if duplicates else []),
        *([f"{erased} row(s) of erased people dropped"] if erased else []),
        *(warnings or []),
    ]


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None
