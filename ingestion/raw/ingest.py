"""The nightly ingest steps, one function per Airflow task.

DAG files only wire these together; each function takes plain values (a platform code, a
connection, a logical date) and can be called from a test, the CLI or a task alike.

A bad input never holds back a good one: a file that cannot be read is archived and recorded as
rejected on its own, every other file of the night is landed and validated in the same run, and
only then does the step fail, naming each bad file. Batches a crashed or killed run left landed
are validated by the next run of their platform (:func:`validate_landed`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from ingestion import config
from ingestion.connectors import FILE_READERS, RESUMABLE_CONNECTORS
from ingestion.connectors.base import ApiConnection
from ingestion.connectors.drops import WAITING, scan_inbox
from ingestion.raw import batch as batches
from ingestion.raw import landing
from ingestion.raw.files import file_checksum, write_parquet_atomic
from ingestion.raw.quarantine import clear_batch_quarantine, write_quarantine

log = logging.getLogger(__name__)

# Schema drift is judged on batches of at least this many rows: a column that held values and
# is now empty in every one of them has been renamed or dropped by the platform.
DRIFT_MIN_ROWS = 20


class IngestionFailed(RuntimeError):
    """Raised at the end of a step when some batches or files failed; the others went through."""


@dataclass
class StepSummary:
    """What a step did, returned to Airflow (as a list of dicts) and printed by the CLI."""

    batches: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def raise_for_failures(self, what: str) -> None:
        if self.failures:
            raise IngestionFailed(
                f"{what}: {len(self.failures)} failed\n" + "\n".join(self.failures)
            )


def ingest_api(platform: str, conn: ApiConnection, logical_date: datetime) -> list[dict]:
    """Pull one API platform since each entity's watermark and land every entity as a batch.

    Every API platform's pull comes in parts (``RESUMABLE_CONNECTORS``) that
    ``landing.land_pull`` lands as they come: the one way a pull is landed.

    ``logical_date`` bounds the pull (never ``now()``), so a rerun of a date pulls the same window.
    """
    spec = config.platforms()[platform]
    load_date = logical_date.date()
    marks = batches.watermarks(platform, spec.entities, before=load_date)
    log.info("pulling %s since %s", platform, marks)
    pull_parts = RESUMABLE_CONNECTORS[platform]
    # lands as it goes; a retry of this date (same watermarks) resumes where it stopped
    key = {
        "watermarks": marks,
        "until": logical_date.isoformat(),
        "settings": conn.pull_settings(),
    }
    landed = landing.land_pull(
        platform,
        lambda state: pull_parts(conn, marks, logical_date, state),
        spec.entities,
        load_date,
        key,
    )
    return [b.to_dict() for b in landed]


def ingest_drops(platform: str, logical_date: datetime) -> list[dict]:
    """Land every file waiting in a platform's inbox; each file then moves into the archive.

    Never raises for a bad file: an empty, duplicate, unreadable or ignored file is recorded
    (and archived) on its own, and :func:`validate_landed` fails the run once the good files are
    through. A file found in the inbox that an earlier, interrupted run had already landed is
    landed again under that run's batch ids (same date), so it is neither lost nor doubled.
    """
    load_date = logical_date.date()
    inbox = config.inbox_dir(platform)
    scan = scan_inbox(inbox, platform)
    seen = batches.landed_sources(platform)
    loaded_at = datetime.now(UTC)
    landed: list[dict] = []
    log.info(
        "%s: %d file(s) in %s (%d not data files)",
        platform,
        len(scan.drops),
        inbox,
        len(scan.ignored),
    )
    for path, reason in scan.ignored:
        target = landing.archive_target(platform, path, load_date, inbox)
        if reason.startswith(WAITING):
            target = path  # still being written: left where it is, recorded every night
        else:
            landing.archive_drop(path, target)
        batch = landing.settle_file(platform, target, load_date, None, batches.IGNORED, reason)
        landed.append(batch.to_dict())
    for path in scan.drops:
        companions = scan.companions.get(path, [])
        landed.extend(_ingest_file(platform, path, companions, inbox, load_date, seen, loaded_at))
    return landed


def _ingest_file(
    platform: str,
    path: Path,
    companions: list[Path],
    inbox: Path,
    load_date: date,
    seen: dict[str, dict],
    loaded_at: datetime,
) -> list[dict]:
    """Land one dropped file (or record why not), then archive it with its companions."""
    checksum = file_checksum(path)
    earlier = seen.get(checksum)
    if earlier and not (config.archive_dir() / str(earlier["source"])).exists():
        # Landed by a run that was interrupted before archiving it: finish that run's work.
        load_date = date.fromisoformat(str(earlier["load_date"]))
        earlier = None
    target = landing.archive_target(platform, path, load_date, inbox)
    problem: tuple[str, str] | None = None
    extracts = []
    if path.stat().st_size == 0:
        problem = (batches.EMPTY, "the file is empty")
    elif earlier:
        problem = (batches.DUPLICATE, f"same bytes as batch {earlier['batch_id']}")
    else:
        try:
            extracts = FILE_READERS[platform](path)
        except Exception as exc:  # any reader failure rejects this file alone, with its reason
            problem = (batches.REJECTED, f"{type(exc).__name__}: {exc}".strip())
    if problem:
        landing.archive_drop(path, target, companions)
        status, message = problem
        outcome = landing.settle_file(platform, target, load_date, checksum, status, message)
        return [outcome.to_dict()]
    landed = landing.land_file_extracts(platform, target, extracts, load_date, checksum, loaded_at)
    # The archive move comes last: a file still in the inbox after a crash is landed again.
    landing.archive_drop(path, target, companions)
    source = str(target.relative_to(config.archive_dir()))
    seen[checksum] = {"batch_id": landed[0].batch_id if landed else "", "source": source}
    return [b.to_dict() for b in landed]


# --------------------------------------------------------------------------- validation


def validate_landed(landed: list[dict], platform: str | None = None) -> list[dict]:
    """Validate the run's landed batches, and every orphan of the platform, whatever its date.

    Good batches are accepted even when another batch of the run is rejected; the step then
    fails, naming every rejected or ignored batch and file, so the data team sees it. The many
    small batches of a file-drop run (one per file) are validated together in one Great
    Expectations run per entity, which gives the same verdicts (the suites' keys are scoped to
    the file); if that run finds a structural fault, each file is validated alone.
    """
    summary = StepSummary()
    run = [batches.Batch.from_dict(data) for data in landed]
    platforms = {platform} if platform else {b.platform for b in run}
    pending = {b.batch_id: b for b in run if b.status == batches.LANDED}
    for code in sorted(platforms):
        for record in batches.orphans(code):
            if record["batch_id"] not in pending:
                log.warning(
                    "validating orphaned batch %s (landed %s)",
                    record["batch_id"],
                    record.get("finished_at"),
                )
                pending[record["batch_id"]] = batches.as_batch(record)
    for b in run:
        if b.status != batches.LANDED:
            summary.batches.append(b.to_dict())
            if b.status in batches.NEEDS_ATTENTION:
                summary.failures.append(f"{b.platform}: {b.status} {b.source}: {b.message}")
    groups: dict[tuple[str, str], list[batches.Batch]] = {}
    for b in pending.values():
        groups.setdefault((b.platform, b.entity), []).append(b)
    for (code, _entity), group in sorted(groups.items()):
        if len(group) > 1 and config.platforms()[code].kind == "file_drop":
            results = _validate_together(group, summary)
        else:
            results = [_validate_one(b, summary) for b in group]
        summary.batches.extend(results)
    summary.raise_for_failures("ingest")
    return summary.batches


def _validate_one(batch: batches.Batch, summary: StepSummary) -> dict:
    # Great Expectations takes seconds to import: only inside the task, never at DAG parse time.
    from ingestion.raw.validation import BatchRejected, validate_batch

    if batch.path is None or not batch.path.exists():
        return _reject(batch, f"landed file {batch.path} is missing", summary)
    frame = pl.read_parquet(batch.path)
    previous = batches.previous_delivered(batch)
    drift = _drifted_columns(batch, frame, previous)
    if drift and previous:
        since = f"since batch {previous['batch_id']}"
        return _reject(batch, f"schema drift {since}: {'; '.join(drift)}", summary)
    try:
        outcome = validate_batch(
            frame,
            platform=batch.platform,
            entity=batch.entity,
            batch_id=batch.batch_id,
            source=batch.source,
            previous_rows=previous["rows_in"] if previous else None,
        )
    except BatchRejected as exc:
        return _reject(batch, str(exc), summary)
    return _accept(batch, outcome.accepted, outcome.quarantined, outcome.failed_expectations)


def _drifted_columns(batch: batches.Batch, frame: pl.DataFrame, previous: dict | None) -> list[str]:
    """API columns that held values in the previous batch and are now empty in every row, or
    hold values of another type: the platform renamed, dropped or retyped a field."""
    if config.platforms()[batch.platform].kind != "api" or frame.height < DRIFT_MIN_ROWS:
        return []
    if not previous or (previous.get("rows_in") or 0) < DRIFT_MIN_ROWS:
        return []
    before = previous.get("columns_filled") or {}
    now = landing.columns_filled(frame)
    drift = []
    for column, kind in sorted(before.items()):
        if column not in now:
            drift.append(f"{column} empty in all {frame.height} rows")
        elif now[column] != kind:
            drift.append(f"{column} is {now[column]}, was {kind}")
    return drift


def _validate_together(group: list[batches.Batch], summary: StepSummary) -> list[dict]:
    from ingestion.raw.validation import BatchRejected, validate_batch

    present = [b for b in group if b.path is not None and b.path.exists()]
    results = [
        _reject(b, f"landed file {b.path} is missing", summary) for b in group if b not in present
    ]
    if not present:
        return results
    frames = [pl.read_parquet(b.path) for b in present]
    columns = {b.batch_id: frame.columns for b, frame in zip(present, frames, strict=True)}
    # Row numbers are unique per file only: validate on a run-wide number, keep the file's.
    union = pl.concat(frames, how="diagonal_relaxed").with_columns(
        pl.col("_row_number").alias("_file_row_number"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_row_number"),
    )
    first = present[0]
    try:
        outcome = validate_batch(
            union,
            platform=first.platform,
            entity=first.entity,
            batch_id=f"{first.platform}__{first.entity}__{first.load_date}__{len(present)}_files",
            source=f"{len(present)} files",
        )
    except BatchRejected:
        return results + [_validate_one(b, summary) for b in present]

    def by_batch(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
        # One pass over the run's rows, not one filter per file (runs carry thousands of files).
        restored = frame.with_columns(pl.col("_file_row_number").alias("_row_number"))
        return {k[0]: part for k, part in restored.partition_by("_batch_id", as_dict=True).items()}

    accepted, quarantined = by_batch(outcome.accepted), by_batch(outcome.quarantined)
    for b in present:
        own = columns[b.batch_id]
        mine = quarantined.get(b.batch_id)
        mine = mine.select([*own, "_reasons"]) if mine is not None else None
        failed: dict[str, int] = {}
        for reasons in mine.get_column("_reasons").to_list() if mine is not None else []:
            for reason in reasons:
                failed[reason] = failed.get(reason, 0) + 1
        good = accepted.get(b.batch_id)
        results.append(
            _accept(
                b,
                good.select(own) if good is not None else outcome.accepted.clear().select(own),
                mine
                if mine is not None
                else outcome.quarantined.clear().select([*own, "_reasons"]),
                failed,
            )
        )
    return results


def _reject(batch: batches.Batch, message: str, summary: StepSummary) -> dict:
    """Nothing of a rejected batch reaches the warehouse, not even from an earlier run."""
    batches.accepted_path(batch.platform, batch.entity, batch.load_date, batch.batch_id).unlink(
        missing_ok=True
    )
    clear_batch_quarantine(batch.platform, batch.entity, batch.batch_id)
    summary.failures.append(
        f"{batch.platform}: rejected {batch.batch_id} ({batch.source}): {message}"
    )
    return batches.rejected(batch, message)


def _accept(
    batch: batches.Batch,
    accepted: pl.DataFrame,
    quarantined: pl.DataFrame,
    failed: dict[str, int],
) -> dict:
    """Write a validated batch's accepted and quarantined rows, then complete its record.

    The record comes last: a crash before it leaves the batch landed, and the next run writes
    both files again.
    """
    if accepted.height + quarantined.height != batch.rows:
        raise IngestionFailed(
            f"{batch.batch_id}: {batch.rows} rows landed != {accepted.height} accepted + "
            f"{quarantined.height} quarantined"
        )
    write_parquet_atomic(
        accepted,
        batches.accepted_path(batch.platform, batch.entity, batch.load_date, batch.batch_id),
    )
    write_quarantine(quarantined, batch.platform, batch.entity, batch.batch_id)
    message = "; ".join(f"{label}: {count} row(s)" for label, count in sorted(failed.items()))
    return batches.validated(
        batch, accepted=accepted.height, quarantined=quarantined.height, message=message or None
    )
