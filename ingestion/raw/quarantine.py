"""Quarantined rows: write them, list them, and release them after a fix.

``quarantine/<platform>/<entity>/<batch_id>.parquet`` holds the rows of a batch that failed a
row expectation, with their ``_reasons``. A rerun of the batch overwrites it (and removes it, and
the batch's earlier releases, when the rerun quarantines nothing), so it always reflects the
latest validation of the batch.

Release (``capdev quarantine release``): after a data fix — a spelling added to
``expectations/value_sets.yml`` or to the country aliases seed, a corrected suite — the
quarantined rows are re-validated with the *current* suites and lists:

* the rows that now pass become a new accepted batch ``<batch_id>__release_<n>`` in the original
  batch's partition (``raw/accepted/<platform>/<entity>/load_date=<same>/``), their ``_batch_id``
  set to the release batch (``_row_number``, ``_source`` and ``_loaded_at`` keep pointing at the
  original file or request);
* the quarantine file is rewritten with the rows that still fail (fresh ``_reasons``); the
  previous file is moved to ``quarantine/_released/<platform>/<entity>/<release batch>.parquet``
  for audit, so nothing is ever lost;
* the release batch gets its own manifest record (status ``released``, ``released_from`` = the
  original batch, ``rows_in`` = rows re-validated = ``rows_accepted`` + ``rows_quarantined``).
  The original batch's record is left as it was (history); current figures per original batch
  are the warehouse's to compute (original record + its ``__release_<n>`` records).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from ingestion import config
from ingestion.raw import batch as batches
from ingestion.raw.files import private_dir, write_parquet_atomic
from ingestion.raw.manifest import manifest_path

REASONS_COLUMN = "_reasons"
RELEASED_DIR = "_released"
RELEASE_RE = re.compile(r"^(?P<batch>.+)__release_(?P<n>\d+)$")


def quarantine_path(platform: str, entity: str, batch_id: str) -> Path:
    return config.quarantine_dir() / platform / entity / f"{batch_id}.parquet"


def write_quarantine(
    quarantined: pl.DataFrame, platform: str, entity: str, batch_id: str
) -> Path | None:
    """Write a batch's quarantined rows (with ``_reasons``; overwriting a rerun's); None when
    there are none.

    What an earlier run of the same batch left is superseded first (see
    :func:`clear_batch_quarantine`): its quarantine file, and the releases made from it.
    """
    clear_batch_quarantine(platform, entity, batch_id)
    if quarantined.height == 0:
        return None
    path = quarantine_path(platform, entity, batch_id)
    write_parquet_atomic(quarantined, path)
    return path


def clear_batch_quarantine(platform: str, entity: str, batch_id: str) -> list[Path]:
    """Forget what earlier runs of a batch left in quarantine: its quarantine file and its
    releases (the ``<batch_id>__release_<n>`` accepted files and manifest records).

    A rerun of a logical date re-lands and re-validates the whole batch, so its new accepted file
    holds every row that passes today, released ones included; keeping old releases would count
    them twice. :func:`write_quarantine` calls this; call it too when a rerun is rejected. The
    audit copies under ``quarantine/_released`` stay (and release numbers keep counting up).
    """
    removed: list[Path] = []
    candidates = [quarantine_path(platform, entity, batch_id)]
    accepted = config.accepted_dir() / platform / entity
    candidates += accepted.glob(f"load_date=*/{batch_id}__release_*.parquet")
    candidates += (config.manifest_dir() / platform / entity).glob(f"{batch_id}__release_*.json")
    for path in candidates:
        name = path.name.removesuffix(".parquet").removesuffix(".json")
        match = RELEASE_RE.match(name)
        if path.is_file() and (name == batch_id or (match and match["batch"] == batch_id)):
            path.unlink()
            removed.append(path)
    return removed


def quarantine_files(
    platform: str | None = None, entity: str | None = None, batch_id: str | None = None
) -> list[Path]:
    """Current quarantine files (not the audit copies under ``_released``)."""
    root = config.quarantine_dir()
    pattern = f"{platform or '*'}/{entity or '*'}/{batch_id or '*'}.parquet"
    return [p for p in sorted(root.glob(pattern)) if p.parts[-3] != RELEASED_DIR]


def quarantine_summary(platform: str | None = None, entity: str | None = None) -> pl.DataFrame:
    """Quarantined rows per platform, entity, batch and reason (a row counts once per reason)."""
    frames = []
    for path in quarantine_files(platform, entity):
        rows = pl.read_parquet(path, columns=["_row_number", REASONS_COLUMN])
        frames.append(
            rows.explode(REASONS_COLUMN).select(
                pl.lit(path.parts[-3]).alias("platform"),
                pl.lit(path.parts[-2]).alias("entity"),
                pl.lit(path.stem).alias("batch_id"),
                pl.col(REASONS_COLUMN).alias("reason"),
            )
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "platform": pl.String,
                "entity": pl.String,
                "batch_id": pl.String,
                "reason": pl.String,
                "rows": pl.UInt32,
            }
        )
    return (
        pl.concat(frames)
        .group_by("platform", "entity", "batch_id", "reason")
        .agg(pl.len().alias("rows"))
        .sort("platform", "entity", "batch_id", "rows", descending=[False, False, False, True])
    )


def print_quarantine(platform: str | None = None, entity: str | None = None) -> None:
    """``capdev quarantine list``: quarantined rows per platform, entity, batch and reason."""
    summary = quarantine_summary(platform, entity)
    files = quarantine_files(platform, entity)
    total = sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in files)
    if not files:
        print("no quarantined rows")
        return
    print(f"{total} quarantined row(s) in {len(files)} batch(es)")
    current = None
    for row in summary.iter_rows(named=True):
        batch = (row["platform"], row["entity"], row["batch_id"])
        if batch != current:
            current = batch
            print(f"\n{row['platform']}/{row['entity']}  {row['batch_id']}")
        print(f"  {row['rows']:>7}  {row['reason']}")


# --------------------------------------------------------------------------- release


@dataclass
class ReleaseResult:
    """What releasing one batch's quarantine did."""

    platform: str
    entity: str
    batch_id: str  # the original batch
    status: str  # released | nothing_released | rejected
    release_batch_id: str | None = None
    rows_in: int = 0  # rows re-validated
    rows_accepted: int = 0  # released now
    rows_quarantined: int = 0  # still quarantined
    accepted_path: Path | None = None
    quarantine_path: Path | None = None  # the rewritten quarantine file (None: nothing left)
    manifest_path: Path | None = None
    message: str | None = None

    def __str__(self) -> str:
        where = f"{self.platform}/{self.entity} {self.batch_id}"
        if self.status == "released":
            return (
                f"{where}: released {self.rows_accepted} of {self.rows_in} row(s) as "
                f"{self.release_batch_id}; {self.rows_quarantined} still quarantined"
            )
        if self.status == "nothing_released":
            return f"{where}: all {self.rows_in} row(s) still fail; nothing released"
        return f"{where}: release rejected: {self.message}"


def release_quarantine(
    platform: str | None = None,
    entity: str | None = None,
    batch_id: str | None = None,
    *,
    country_aliases: Path | str | None = None,
    value_sets: Path | str | None = None,
) -> list[ReleaseResult]:
    """Re-validate quarantined rows (of the batches selected) and re-land those that now pass.

    See the module docstring for what is written. ``country_aliases`` / ``value_sets`` override
    the lists used (as in :func:`ingestion.raw.validation.validate_batch`).
    """
    return [
        _release_one(path, country_aliases=country_aliases, value_sets=value_sets)
        for path in quarantine_files(platform, entity, batch_id)
    ]


def _release_one(
    path: Path, *, country_aliases: Path | str | None, value_sets: Path | str | None
) -> ReleaseResult:
    from ingestion.raw.validation import BatchRejected, validate_batch

    platform, entity, batch_id = path.parts[-3], path.parts[-2], path.stem
    started_at = datetime.now(UTC)
    raw = path.read_bytes()
    rows = pl.read_parquet(path)
    if REASONS_COLUMN in rows.columns:
        rows = rows.drop(REASONS_COLUMN)
    number = _next_release_number(platform, entity, batch_id)
    release_id = f"{batch_id}__release_{number}"
    original = _original_record(platform, entity, batch_id)
    load_date = _load_date(platform, entity, batch_id, original)
    source = f"quarantine/{platform}/{entity}/{path.name} (release of {batch_id})"
    result = ReleaseResult(platform, entity, batch_id, "nothing_released", rows_in=rows.height)
    try:
        outcome = validate_batch(
            rows,
            platform=platform,
            entity=entity,
            batch_id=release_id,
            source=source,
            expect_rows=False,
            country_aliases=country_aliases,
            value_sets=value_sets,
        )
    except BatchRejected as exc:
        result.status, result.message = "rejected", str(exc)
        result.rows_quarantined = rows.height
        return result
    result.rows_quarantined = outcome.rows_quarantined
    if outcome.rows_accepted == 0:
        result.quarantine_path = path
        return result

    # Order matters for a crash half-way: the accepted file first (a retry recomputes the same
    # release number and overwrites it), the quarantine swap next, the manifest record last.
    accepted = outcome.accepted.with_columns(pl.lit(release_id).alias("_batch_id"))
    accepted_path = (
        config.accepted_dir()
        / platform
        / entity
        / f"load_date={load_date}"
        / f"{release_id}.parquet"
    )
    write_parquet_atomic(accepted, accepted_path)
    audit = config.quarantine_dir() / RELEASED_DIR / platform / entity / f"{release_id}.parquet"
    private_dir(audit.parent)
    if outcome.rows_quarantined:
        tmp = path.with_name(f".{path.name}.{os.getpid()}.release.tmp")
        outcome.quarantined.write_parquet(tmp)
        tmp.chmod(0o600)
        os.replace(path, audit)
        os.replace(tmp, path)
        result.quarantine_path = path
    else:
        os.replace(path, audit)
    result.manifest_path = batches.released(
        platform=platform,
        entity=entity,
        release_id=release_id,
        released_from=batch_id,
        load_date=load_date,
        source=source,
        checksum=hashlib.sha256(raw).hexdigest(),
        accepted=outcome.rows_accepted,
        quarantined=outcome.rows_quarantined,
        started_at=started_at,
    )
    result.status = "released"
    result.release_batch_id = release_id
    result.rows_accepted = outcome.rows_accepted
    result.accepted_path = accepted_path
    return result


def _next_release_number(platform: str, entity: str, batch_id: str) -> int:
    """1 + the highest release of the batch recorded (manifest) or audited (``_released``).

    An accepted file without either is a release that crashed half-way: its number is reused.
    """
    numbers = [0]
    names = [p.stem for p in (config.manifest_dir() / platform / entity).glob("*.json")]
    audit_dir = config.quarantine_dir() / RELEASED_DIR / platform / entity
    names += [p.stem for p in audit_dir.glob("*.parquet")]
    for name in names:
        match = RELEASE_RE.match(name)
        if match and match["batch"] == batch_id:
            numbers.append(int(match["n"]))
    return max(numbers) + 1


def _original_record(platform: str, entity: str, batch_id: str) -> dict | None:
    path = manifest_path(platform, entity, batch_id)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _load_date(platform: str, entity: str, batch_id: str, record: dict | None) -> str:
    """The original batch's load date: its manifest record, its landed file, or its id."""
    if record and record.get("load_date"):
        return str(record["load_date"])
    landed = config.landed_dir() / platform / entity
    for candidate in sorted(landed.glob(f"load_date=*/{batch_id}.parquet")):
        return candidate.parent.name.removeprefix("load_date=")
    match = re.search(r"__(\d{4})(\d{2})(\d{2})(?:__|$)", batch_id)
    if match:
        return f"{match[1]}-{match[2]}-{match[3]}"
    raise LookupError(f"cannot tell the load date of batch {batch_id}")
