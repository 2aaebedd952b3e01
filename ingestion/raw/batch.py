"""A batch's life, written once: its states, its transitions, and its manifest record.

Every batch of the raw zone (one entity of one pull, one entity of one dropped file, one release
of quarantined rows) has exactly one manifest record, and this module is the only one that
writes it (``ingestion.raw.manifest`` stores records; it decides nothing)::

    landed ──validate──▶ accepted | partially_quarantined | rejected
       │                            partially_quarantined ──release──▶ (a ``released`` batch)
       └─ (nothing to validate) ──▶ empty | duplicate | ignored | rejected (unreadable file)

``landed`` is the only state that is not an outcome: such a batch waits for validation. A batch
left ``landed`` by a crash, a kill or a failed task is an *orphan*; the next run of its platform
validates it, whatever its date (:func:`orphans`). Watermarks are read only from batches whose
outcome delivered their rows to the warehouse (:data:`DELIVERED`), so a pull is never skipped
past rows nobody accepted.

Row counts always balance: ``rows_in = rows_accepted + rows_quarantined + rows_rejected +
rows_duplicate + rows_erased`` (``rows_duplicate``: exact duplicate rows of one file, landed
once; ``rows_erased``: rows of a person erased on request, dropped at landing). A file that
could not be read has ``rows_in`` NULL: nobody knows how many rows it holds.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from ingestion import config
from ingestion.raw.files import write_bytes_atomic
from ingestion.raw.manifest import read_manifest, read_record, write_record

LANDED = "landed"
ACCEPTED = "accepted"
PARTIALLY_QUARANTINED = "partially_quarantined"
REJECTED = "rejected"
EMPTY = "empty"
DUPLICATE = "duplicate"
IGNORED = "ignored"
RELEASED = "released"

OUTCOMES = frozenset(
    {ACCEPTED, PARTIALLY_QUARANTINED, REJECTED, EMPTY, DUPLICATE, IGNORED, RELEASED}
)
# Outcomes whose rows reached the accepted zone or quarantine (or that had none): only these
# move a watermark. A rejected or still-landed batch leaves the next pull where it was.
DELIVERED = frozenset({ACCEPTED, PARTIALLY_QUARANTINED, EMPTY})
# Outcomes the data team must look at: the run that produced them ends failed.
NEEDS_ATTENTION = frozenset({REJECTED, IGNORED})

# An orphan older than this holds the warehouse build (``CAPDEV_ORPHAN_MAX_AGE_HOURS``).
DEFAULT_ORPHAN_MAX_AGE_HOURS = 24.0


@dataclass(frozen=True)
class Batch:
    """A batch as the pipeline passes it between steps (and Airflow tasks, as a dict)."""

    platform: str
    entity: str
    batch_id: str
    load_date: str
    path: Path | None  # landed Parquet; None when nothing was landed
    rows: int  # rows landed (file rows less exact duplicates)
    source: str
    status: str
    message: str | None = None

    def to_dict(self) -> dict:
        """A JSON-safe form, for passing between Airflow tasks."""
        return {**self.__dict__, "path": str(self.path) if self.path else None}

    @classmethod
    def from_dict(cls, data: dict) -> Batch:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**{**known, "path": Path(known["path"]) if known.get("path") else None})


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def landed_path(platform: str, entity: str, load_date: date | str, batch_id: str) -> Path:
    """Where a batch's landed rows live (waiting for validation, kept after it)."""
    return partition(config.landed_dir(), platform, entity, load_date) / f"{batch_id}.parquet"


def accepted_path(platform: str, entity: str, load_date: date | str, batch_id: str) -> Path:
    """Where a validated batch's accepted rows live (what the warehouse reads)."""
    return partition(config.accepted_dir(), platform, entity, load_date) / f"{batch_id}.parquet"


def partition(root: Path, platform: str, entity: str, load_date: date | str) -> Path:
    """A load date's folder of one entity under a raw-zone root (archive, landed, accepted)."""
    day = load_date if isinstance(load_date, str) else load_date.isoformat()
    return root / platform / entity / f"load_date={day}"


# --------------------------------------------------------------------------- transitions


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
) -> Batch:
    """Record a batch whose rows are landed: ``landed`` (waiting for validation) or ``empty``.

    ``rows`` are the rows landed; ``duplicates`` the exact duplicate rows of the source that were
    landed once (``rows_in`` = both). ``columns_filled``: the columns holding a value in at least
    one row, with their types, against which the next batch is checked for schema drift.
    ``warnings``: what the connector noticed while pulling (a reconciliation gap, say), kept in
    the record's message.
    """
    status = LANDED if rows else EMPTY
    message = _join(
        "the source holds no new records" if not rows else None,
        f"{duplicates} exact duplicate row(s) landed once" if duplicates else None,
        f"{erased} row(s) of erased people dropped" if erased else None,
        *(warnings or []),
    )
    record = {
        "platform": platform,
        "entity": entity,
        "batch_id": batch_id,
        "load_date": load_date.isoformat(),
        "source": source,
        "checksum": checksum,
        "watermark_from": watermark_from,
        "watermark_to": watermark_to,
        "rows_in": rows + duplicates + erased,
        "rows_accepted": None if rows else 0,
        "rows_quarantined": None if rows else 0,
        "rows_rejected": None if rows else 0,
        "rows_duplicate": duplicates,
        "rows_erased": erased,
        "columns_filled": columns_filled,
        "status": status,
        "message": message,
        "started_at": started_at.isoformat(timespec="seconds"),
        "finished_at": _now(),
    }
    write_record(record)
    path = landed_path(platform, entity, load_date, batch_id)
    return Batch(platform, entity, batch_id, record["load_date"], path, rows, source, status)


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


# --------------------------------------------------------------------------- pulls in progress
#
# A long API pull lands as it goes (``landing.land_pull``): its parts wait under ``pull_dir``
# with a checkpoint saying which parts are landed and what the connector resumes from. None of
# it is a batch yet: no manifest record, nothing in ``accepted/``, so neither validation nor the
# warehouse sees a part. When the pull completes, each entity's parts become one landed batch
# (:func:`land`) and the checkpoint goes; a retried task finds the checkpoint and goes on.


def pull_dir(platform: str, load_date: date | str) -> Path:
    """Where an unfinished pull of a logical date keeps its parts and checkpoint."""
    return partition(config.landed_dir(), platform, "_pull", load_date)


def pull_checkpoint(platform: str, load_date: date | str) -> dict[str, Any] | None:
    """The checkpoint of an unfinished pull (None: no pull of that date is in progress)."""
    path = pull_dir(platform, load_date) / "checkpoint.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def record_pull_part(platform: str, load_date: date | str, checkpoint: dict[str, Any]) -> None:
    """Record (atomically) that a pull's parts up to the last in ``checkpoint`` are landed."""
    text = json.dumps(checkpoint, indent=1, ensure_ascii=False, default=str) + "\n"
    write_bytes_atomic(text.encode("utf-8"), pull_dir(platform, load_date) / "checkpoint.json")


def drop_pull(platform: str, load_date: date | str) -> None:
    """Forget a pull in progress: its parts and checkpoint (done, or to start afresh)."""
    shutil.rmtree(pull_dir(platform, load_date), ignore_errors=True)


def _join(*parts: str | None) -> str | None:
    text = "; ".join(p for p in parts if p)
    return text or None


# --------------------------------------------------------------------------- queries


def orphans(
    platform: str | None = None, older_than: timedelta | None = None
) -> list[dict[str, Any]]:
    """Batches left ``landed`` (waiting for a validation that never came), oldest first.

    ``older_than``: only those landed longer ago than that.
    """
    now = datetime.now(UTC)
    found = []
    for record in read_manifest(platform=platform):
        if record.get("status") != LANDED:
            continue
        landed_at = datetime.fromisoformat(str(record.get("finished_at") or record["started_at"]))
        if older_than is None or now - landed_at > older_than:
            found.append(record)
    return sorted(found, key=lambda r: (str(r.get("finished_at")), r["batch_id"]))


def as_batch(record: dict[str, Any]) -> Batch:
    """The :class:`Batch` of a manifest record (to validate an orphan)."""
    rows = int(record.get("rows_in") or 0)
    rows -= int(record.get("rows_duplicate") or 0) + int(record.get("rows_erased") or 0)
    path = landed_path(
        record["platform"], record["entity"], record["load_date"], record["batch_id"]
    )
    return Batch(
        record["platform"],
        record["entity"],
        record["batch_id"],
        str(record["load_date"]),
        path,
        rows,
        str(record.get("source") or ""),
        str(record["status"]),
    )


def orphan_max_age() -> timedelta:
    """How long a batch may stay ``landed`` before the warehouse build refuses to publish."""
    hours = float(os.environ.get("CAPDEV_ORPHAN_MAX_AGE_HOURS", DEFAULT_ORPHAN_MAX_AGE_HOURS))
    return timedelta(hours=hours)


class OrphanedBatches(RuntimeError):
    """Batches waited longer than allowed for validation: publishing would hide their rows."""


def check_no_old_orphans(max_age: timedelta | None = None) -> None:
    """Raise :class:`OrphanedBatches`, naming each batch, if any waited longer than allowed."""
    age = orphan_max_age() if max_age is None else max_age
    old = orphans(older_than=age)
    if old:
        listed = "\n".join(
            f"  {r['platform']}/{r['entity']} {r['batch_id']} (landed {r.get('finished_at')})"
            for r in old
        )
        raise OrphanedBatches(
            f"{len(old)} batch(es) landed more than {age} ago were never validated; the next "
            f"run of their platform validates them (or see `capdev batches`):\n{listed}"
        )


def watermarks(platform: str, entities: tuple[str, ...], before: date) -> dict[str, str | None]:
    """Each entity's watermark: the newest one of a delivered batch of an earlier logical date.

    Reading only earlier dates makes a rerun of a date pull exactly what the first run pulled;
    reading only delivered batches makes a night after a rejection or a crash pull again what
    was never accepted.
    """
    marks: dict[str, str | None] = dict.fromkeys(entities)
    best: dict[str, str] = {}
    for record in read_manifest(platform=platform):
        entity = record.get("entity")
        if entity not in marks or record.get("status") not in DELIVERED:
            continue
        if record.get("load_date", "") >= before.isoformat() or not record.get("watermark_to"):
            continue
        if record["load_date"] >= best.get(entity, ""):
            best[entity] = record["load_date"]
            marks[entity] = record["watermark_to"]
    return marks


def previous_delivered(batch: Batch) -> dict[str, Any] | None:
    """The entity's newest delivered batch of an earlier date (row-count and drift checks)."""
    earlier = [
        r
        for r in read_manifest(platform=batch.platform, entity=batch.entity)
        if r.get("load_date", "") < batch.load_date
        and r.get("status") in (ACCEPTED, PARTIALLY_QUARANTINED)
    ]
    return max(earlier, key=lambda r: (r["load_date"], r["batch_id"])) if earlier else None


def landed_sources(platform: str) -> dict[str, dict[str, Any]]:
    """Checksum → the record of a batch that landed those bytes (duplicates and files that
    were rejected or ignored do not count: the same bytes may be dropped again after a fix)."""
    seen: dict[str, dict[str, Any]] = {}
    for record in read_manifest(platform=platform):
        if record.get("checksum") and record.get("status") not in (DUPLICATE, REJECTED, IGNORED):
            seen.setdefault(record["checksum"], record)
    return seen


def print_batches(
    platform: str | None = None, statuses: frozenset[str] | None = None, limit: int = 200
) -> int:
    """``capdev batches``: the batches that need the data team (orphans, rejected and ignored
    files), or those of the statuses given; returns how many were listed."""
    wanted = statuses or (NEEDS_ATTENTION | {LANDED})
    records = [r for r in read_manifest(platform=platform) if r.get("status") in wanted]
    records.sort(key=lambda r: (str(r.get("load_date")), r["platform"], r["batch_id"]))
    if not records:
        print(f"no batch is {' or '.join(sorted(wanted))}")
        return 0
    print(f"{len(records)} batch(es) {' / '.join(sorted(wanted))}")
    for r in records[-limit:]:
        rows = "?" if r.get("rows_in") is None else r["rows_in"]
        print(f"{r['load_date']}  {r['status']:<21} {r['platform']}/{r['entity']}  {r['batch_id']}")
        print(f"            rows in: {rows}  source: {r.get('source')}")
        if r.get("message"):
            print(f"            {r['message']}")
    if len(records) > limit:
        print(f"(the oldest {len(records) - limit} not shown)")
    return len(records)
