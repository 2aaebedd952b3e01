"""What the manifest says of earlier batches: orphans (and the age that stops publishing), the
watermarks a pull starts from, the previous delivery, whether a full-state pull is unchanged,
bytes already landed, and ``capdev batches``."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ingestion import config
from ingestion.raw.batch.states import (
    ACCEPTED,
    DEFAULT_ORPHAN_MAX_AGE_HOURS,
    DELIVERED,
    DUPLICATE,
    IGNORED,
    LANDED,
    NEEDS_ATTENTION,
    PARTIALLY_QUARANTINED,
    REJECTED,
    Batch,
    landed_path,
)
from ingestion.raw.manifest import read_manifest


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


def unchanged_since(
    platform: str, entity: str, load_date: date, hashes: dict[str, str]
) -> list[dict[str, Any]] | None:
    """The records of the batches a pull repeats, when the pull need not land; None otherwise.

    Only for an entity the platform declares ``full_state`` (``ingestion/platforms.yml``: pulled
    whole each night, or whole per value of its scope columns, e.g. a course's enrolment list).
    ``hashes`` are the pull's content hashes per scope value (``landing.frames.content_hashes``).
    The pull is unchanged when, for every scope value it holds, the newest earlier batch with
    rows holding that value (``accepted`` or ``partially_quarantined``, of an earlier date) was
    accepted *whole* and holds the same rows. The warehouse then derives the same current state
    with or without the pull: ``latest``, ``scoped_snapshot`` and ``within`` read each key from
    the newest batch holding its scope, which already holds exactly these rows. A pull that
    differs in any row, holds a scope no batch held, or repeats rows that were quarantined lands
    as before (quarantined rows are validated again, never taken as settled).
    """
    spec = config.platforms()[platform]
    if entity not in spec.full_state or not hashes:
        return None
    earlier = sorted(
        (
            r
            for r in read_manifest(platform=platform, entity=entity)
            if r.get("load_date", "") < load_date.isoformat()
            and r.get("status") in (ACCEPTED, PARTIALLY_QUARANTINED)
        ),
        key=lambda r: (r["load_date"], r["batch_id"]),
        reverse=True,
    )
    repeated: dict[str, dict[str, Any]] = {}
    pending = dict(hashes)
    for record in earlier:
        theirs = record.get("content_hashes")
        if theirs is None or record.get("content_scope") != list(spec.full_state[entity]):
            return None  # hashed otherwise, or not at all (landed before): it may hold anything
        for scope in [s for s in pending if s in theirs]:
            whole = record["status"] == ACCEPTED and not record.get("rows_quarantined")
            if not whole or theirs[scope] != pending.pop(scope):
                return None
            repeated[record["batch_id"]] = record
        if not pending:
            return list(repeated.values())
    return None  # a scope value no earlier batch held


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
