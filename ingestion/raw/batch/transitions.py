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
    Pull,
    _now,
    landed_path,
)
from ingestion.raw.manifest import read_record, write_record


def land(
    pull: Pull,
    *,
    columns_filled: dict[str, str] | None = None,
    content_hashes: dict[str, str] | None = None,
    content_scope: tuple[str, ...] = (),
) -> Batch:
    """Record a pull whose rows are landed: ``landed`` (waiting for validation) or ``empty``.

    ``pull.rows`` are the rows landed; the exact duplicates landed once and the erased people's
    rows dropped count in ``rows_in`` too; the connector's ``warnings`` (a reconciliation gap,
    say) are kept in the record's message. ``columns_filled``: the columns holding a value in
    at least one row, with their types, against which the next batch is checked for schema
    drift. ``content_hashes``: the landed content's hashes per value of the ``content_scope``
    columns (``landing.frames.content_hashes``), against which the next pulls of a full-state
    entity are compared. An ``empty`` pull also records ``checked_at``: the source was read and
    holds nothing new, which source freshness counts as fresh.
    """
    status = LANDED if pull.rows else EMPTY
    message = _join("the source holds no new records" if not pull.rows else None, *pull.notes())
    record = {
        **pull.record(),
        "rows_accepted": None if pull.rows else 0,
        "rows_quarantined": None if pull.rows else 0,
        "rows_rejected": None if pull.rows else 0,
        "columns_filled": columns_filled,
        "content_hashes": content_hashes or None,
        "content_scope": list(content_scope) if content_hashes else None,
        "status": status,
        "message": message,
        "checked_at": None if pull.rows else pull.started_at.isoformat(timespec="seconds"),
    }
    write_record(record)
    path = landed_path(pull.platform, pull.entity, pull.load_date, pull.batch_id)
    return Batch(
        pull.platform,
        pull.entity,
        pull.batch_id,
        record["load_date"],
        path,
        pull.rows,
        pull.source,
        status,
    )


def unchanged(
    pull: Pull,
    *,
    same_as: list[dict],
    content_hashes: dict[str, str],
    content_scope: tuple[str, ...] = (),
) -> Batch:
    """Record a full-state pull whose content equals the last accepted rows of each of its
    scopes (``same_as``: the records of the batches holding them, newest first):
    ``unchanged``, nothing landed, nothing to validate.

    Its ``rows`` are counted as ``rows_unchanged`` (the record balances), its watermarks move
    the next pull on as a delivered batch's would (every row of the window is already
    accepted), and ``checked_at`` tells source freshness the platform was read.
    """
    names = [r["batch_id"] for r in same_as]
    message = _join(
        f"{pull.rows} row(s) identical to the last accepted rows of batch(es) "
        f"{', '.join(names[:3])}"
        + (f" and {len(names) - 3} more" if len(names) > 3 else "")
        + ": nothing landed",
        *pull.notes(),
    )
    write_record(
        {
            **pull.record(),
            "rows_accepted": 0,
            "rows_quarantined": 0,
            "rows_rejected": 0,
            "rows_unchanged": pull.rows,
            "columns_filled": same_as[0].get("columns_filled"),
            "content_hashes": content_hashes,
            "content_scope": list(content_scope),
            "same_as": names[0],
            "status": UNCHANGED,
            "message": message,
            "checked_at": pull.started_at.isoformat(timespec="seconds"),
        }
    )
    return Batch(
        pull.platform,
        pull.entity,
        pull.batch_id,
        pull.load_date.isoformat(),
        None,
        0,
        pull.source,
        UNCHANGED,
        message,
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


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None
