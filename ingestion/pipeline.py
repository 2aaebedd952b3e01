"""The nightly pipeline's steps, one function per Airflow task.

DAG files only wire these together; each function here takes plain values (a platform code, a
connection, a logical date) and can be called from a test, the CLI or a task alike.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from ingestion import config, landing
from ingestion.connectors import API_CONNECTORS, FILE_READERS, list_drops
from ingestion.connectors.base import ApiConnection, PlatformError
from ingestion.manifest import read_manifest, read_record, write_manifest

log = logging.getLogger(__name__)


class IngestionFailed(RuntimeError):
    """Raised at the end of a step when some batches or files failed; the others went through."""


@dataclass
class StepSummary:
    """What a step did, returned to Airflow (as a dict) and printed by the CLI."""

    batches: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def raise_for_failures(self, what: str) -> None:
        if self.failures:
            raise IngestionFailed(
                f"{what}: {len(self.failures)} failed\n" + "\n".join(self.failures)
            )


def ingest_api(platform: str, conn: ApiConnection, logical_date: datetime) -> list[dict]:
    """Pull one API platform since each entity's watermark and land every entity as a batch.

    ``logical_date`` bounds the pull (never ``now()``), so a rerun of a date pulls the same window.
    """
    spec = config.platforms()[platform]
    load_date = logical_date.date()
    marks = landing.watermarks(platform, spec.entities, before=load_date)
    log.info("pulling %s since %s", platform, marks)
    extracts = API_CONNECTORS[platform](conn, marks, until=logical_date)
    loaded_at = datetime.now(UTC)
    return [landing.land_extract(platform, e, load_date, loaded_at).to_dict() for e in extracts]


def ingest_drops(platform: str, logical_date: datetime) -> list[dict]:
    """Land every file waiting in a platform's inbox; each file moves into the raw zone.

    An empty file and a file already landed (same checksum) are recorded, not loaded. A file the
    reader cannot use (a missing column, say) is archived and recorded as rejected, and the step
    fails at the end, after the other files went through.
    """
    load_date = logical_date.date()
    inbox = config.inbox_dir(platform)
    seen = landing.already_landed_checksums(platform)
    summary = StepSummary()
    loaded_at = datetime.now(UTC)
    files = list_drops(inbox, platform) if inbox.exists() else []
    log.info("%s: %d file(s) in %s", platform, len(files), inbox)
    for path in files:
        checksum = landing.file_checksum(path)
        if path.stat().st_size == 0:
            extracts, problem = None, ("empty", "the file is empty")
        elif checksum in seen:
            extracts, problem = None, ("duplicate", f"same bytes as batch {seen[checksum]}")
        else:
            try:
                extracts, problem = FILE_READERS[platform](path), None
            except PlatformError as exc:
                extracts, problem = None, ("rejected", str(exc))
        archived = _archive_with_companions(platform, path, load_date, set(files))
        if problem:
            status, message = problem
            batch = landing.record_file_outcome(
                platform, archived, load_date, checksum, status, message
            )
            summary.batches.append(batch.to_dict())
            if status == "rejected":
                summary.failures.append(f"{platform}: file {path.name} rejected: {message}")
            continue
        seen[checksum] = archived.name
        for batch in landing.land_file_extracts(
            platform, archived, extracts, load_date, checksum, loaded_at
        ):
            summary.batches.append(batch.to_dict())
    summary.raise_for_failures(f"{platform}: reading the inbox")
    return summary.batches


def _archive_with_companions(platform: str, path: Path, load_date: date, drops: set[Path]) -> Path:
    """Move a dropped file and its companions (same stem, not drops themselves: a sidecar)."""
    companions = [p for p in path.parent.glob(f"{path.stem}.*") if p != path and p not in drops]
    archived = landing.archive_drop(platform, path, load_date)
    for companion in companions:
        landing.archive_drop(platform, companion, load_date)
    return archived


def validate_landed(batches: list[dict]) -> list[dict]:
    """Validate each landed batch with Great Expectations; accept, quarantine or reject it.

    Good batches are accepted even when another batch of the same run is rejected; the step then
    fails, naming every rejected batch, so the data team sees it. The many small batches of a
    file-drop run (one per file) are validated together in one Great Expectations run per entity,
    which gives the same verdicts (the suites' keys are scoped to the file) at a fraction of the
    cost; if that run finds a structural fault, each file is validated alone to name the culprit.
    """
    summary = StepSummary()
    groups: dict[tuple[str, str], list[landing.LandedBatch]] = {}
    for data in batches:
        batch = landing.LandedBatch.from_dict(data)
        if batch.status != "landed" or batch.path is None:
            summary.batches.append(data)
            continue
        groups.setdefault((batch.platform, batch.entity), []).append(batch)
    for (platform, _entity), group in groups.items():
        if len(group) > 1 and config.platforms()[platform].kind == "file_drop":
            results = _validate_together(group, summary)
        else:
            results = [_validate_one(batch, summary) for batch in group]
        summary.batches.extend(r for r in results if r)
    summary.raise_for_failures("validation rejected batches")
    return summary.batches


def _validate_one(batch: landing.LandedBatch, summary: StepSummary) -> dict | None:
    # Great Expectations takes seconds to import: only inside the task, never at DAG parse time.
    from ingestion.validation import BatchRejected, validate_batch

    try:
        outcome = validate_batch(
            pl.read_parquet(batch.path),
            platform=batch.platform,
            entity=batch.entity,
            batch_id=batch.batch_id,
            source=batch.source,
            previous_rows=_previous_rows(batch),
        )
    except BatchRejected as exc:
        _reject(batch, str(exc))
        summary.failures.append(str(exc))
        return None
    return _accept(batch, outcome.accepted, outcome.quarantined, outcome.failed_expectations)


def _validate_together(group: list[landing.LandedBatch], summary: StepSummary) -> list[dict | None]:
    from ingestion.validation import BatchRejected, validate_batch

    frames = [pl.read_parquet(batch.path) for batch in group]
    columns = {batch.batch_id: frame.columns for batch, frame in zip(group, frames, strict=True)}
    # Row numbers are unique per file only: validate on a run-wide number, keep the file's.
    union = pl.concat(frames, how="diagonal_relaxed").with_columns(
        pl.col("_row_number").alias("_file_row_number"),
        pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("_row_number"),
    )
    first = group[0]
    try:
        outcome = validate_batch(
            union,
            platform=first.platform,
            entity=first.entity,
            batch_id=f"{first.platform}__{first.entity}__{first.load_date}__{len(group)}_files",
            source=f"{len(group)} files",
        )
    except BatchRejected:
        return [_validate_one(batch, summary) for batch in group]

    def restore(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(pl.col("_file_row_number").alias("_row_number"))

    def by_batch(frame: pl.DataFrame) -> dict[str, pl.DataFrame]:
        # One pass over the run's rows, not one filter per file (runs carry thousands of files).
        parts = restore(frame).partition_by("_batch_id", as_dict=True)
        return {key[0]: part for key, part in parts.items()}

    accepted, quarantined = by_batch(outcome.accepted), by_batch(outcome.quarantined)
    no_accepted, no_quarantined = (
        restore(outcome.accepted.clear()),
        restore(outcome.quarantined.clear()),
    )
    results = []
    for batch in group:
        own = columns[batch.batch_id]
        mine = quarantined.get(batch.batch_id, no_quarantined)
        failed: dict[str, int] = {}
        for reasons in mine.get_column("_reasons").to_list():
            for reason in reasons:
                failed[reason] = failed.get(reason, 0) + 1
        results.append(
            _accept(
                batch,
                accepted.get(batch.batch_id, no_accepted).select(own),
                mine.select([*own, "_reasons"]),
                failed,
            )
        )
    return results


def _reject(batch: landing.LandedBatch, message: str) -> None:
    """Nothing of a rejected batch reaches the warehouse, not even from an earlier run."""
    from ingestion.quarantine import clear_batch_quarantine

    landing.accepted_path(
        batch.platform, batch.entity, date.fromisoformat(batch.load_date), batch.batch_id
    ).unlink(missing_ok=True)
    clear_batch_quarantine(batch.platform, batch.entity, batch.batch_id)
    write_manifest(
        {
            **_manifest_record(batch),
            "rows_accepted": 0,
            "rows_quarantined": 0,
            "status": "rejected",
            "message": message,
        }
    )


def _accept(
    batch: landing.LandedBatch,
    accepted: pl.DataFrame,
    quarantined: pl.DataFrame,
    failed: dict[str, int],
) -> dict:
    """Write a validated batch's accepted and quarantined rows and complete its manifest record."""
    from ingestion.quarantine import write_quarantine
    from ingestion.validation import ValidationOutcome

    if accepted.height + quarantined.height != batch.rows:
        raise IngestionFailed(f"{batch.batch_id}: rows_in != rows_accepted + rows_quarantined")
    outcome = ValidationOutcome(
        accepted=accepted,
        quarantined=quarantined,
        rows_in=batch.rows,
        rows_accepted=accepted.height,
        rows_quarantined=quarantined.height,
        failed_expectations=failed,
        status="partially_quarantined" if quarantined.height else "accepted",
    )
    landing.write_parquet_atomic(
        accepted,
        landing.accepted_path(
            batch.platform, batch.entity, date.fromisoformat(batch.load_date), batch.batch_id
        ),
    )
    write_quarantine(outcome, batch.platform, batch.entity, batch.batch_id)
    write_manifest(
        {
            **_manifest_record(batch),
            "rows_accepted": outcome.rows_accepted,
            "rows_quarantined": outcome.rows_quarantined,
            "status": outcome.status,
            "message": _describe_failures(failed),
            "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    return {
        **batch.to_dict(),
        "rows_accepted": outcome.rows_accepted,
        "rows_quarantined": outcome.rows_quarantined,
    }


def _manifest_record(batch: landing.LandedBatch) -> dict:
    # Read by path: a run of thousands of dropped files must not rescan the manifest per file.
    return read_record(batch.platform, batch.entity, batch.batch_id)


def _previous_rows(batch: landing.LandedBatch) -> int | None:
    """Rows of the newest earlier accepted batch of the same entity (for row-count sanity)."""
    earlier = [
        r
        for r in read_manifest(platform=batch.platform, entity=batch.entity)
        if r.get("load_date", "") < batch.load_date
        and r.get("rows_in")
        and r.get("status") != "released"
    ]
    return max(earlier, key=lambda r: r["load_date"])["rows_in"] if earlier else None


def _describe_failures(failed: dict[str, int]) -> str | None:
    if not failed:
        return None
    return "; ".join(f"{label}: {count} row(s)" for label, count in sorted(failed.items()))
