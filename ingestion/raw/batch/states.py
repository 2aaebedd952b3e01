"""A batch's states (the outcomes, and which of them deliver rows or need the data team), the
:class:`Batch` passed between steps, and where its rows live."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from ingestion import config

LANDED = "landed"
ACCEPTED = "accepted"
PARTIALLY_QUARANTINED = "partially_quarantined"
REJECTED = "rejected"
EMPTY = "empty"
DUPLICATE = "duplicate"
IGNORED = "ignored"
RELEASED = "released"
# A full-state pull whose content equals the entity's last accepted batch: checked, not landed.
UNCHANGED = "unchanged"

OUTCOMES = frozenset(
    {ACCEPTED, PARTIALLY_QUARANTINED, REJECTED, EMPTY, DUPLICATE, IGNORED, RELEASED, UNCHANGED}
)
# Outcomes whose rows reached the accepted zone or quarantine (or that had none, or only rows
# already accepted): only these move a watermark. A rejected or still-landed batch leaves the
# next pull where it was.
DELIVERED = frozenset({ACCEPTED, PARTIALLY_QUARANTINED, EMPTY, UNCHANGED})
# Outcomes the data team must look at: the run that produced them ends failed.
NEEDS_ATTENTION = frozenset({REJECTED, IGNORED})

# An orphan older than this holds the warehouse build (``CAPDEV_ORPHAN_MAX_AGE_HOURS``).
DEFAULT_ORPHAN_MAX_AGE_HOURS = 24.0


@dataclass(frozen=True)
class Pull:
    """What one pull (or one entity of a dropped file) delivered, as landing hands it to the
    batch lifecycle: where it came from, its rows, and what intake set aside on the way in."""

    platform: str
    entity: str
    batch_id: str
    load_date: date
    source: str
    checksum: str
    started_at: datetime
    rows: int  # rows delivered to landing (exact duplicates and erased people's rows left out)
    duplicates: int = 0
    erased: int = 0
    watermark_from: str | None = None
    watermark_to: str | None = None
    warnings: tuple[str, ...] = ()

    @property
    def rows_in(self) -> int:
        """Every row the source gave, whatever became of it."""
        return self.rows + self.duplicates + self.erased

    def notes(self) -> list[str]:
        """What the record says about rows set aside on the way in, and the connector's notes."""
        return [
            *([f"{self.duplicates} exact duplicate row(s) landed once"] if self.duplicates else []),
            *([f"{self.erased} row(s) of erased people dropped"] if self.erased else []),
            *self.warnings,
        ]

    def record(self) -> dict:
        """The fields every manifest record of a pull has, whether it landed rows or found them
        unchanged."""
        return {
            "platform": self.platform,
            "entity": self.entity,
            "batch_id": self.batch_id,
            "load_date": self.load_date.isoformat(),
            "source": self.source,
            "checksum": self.checksum,
            "watermark_from": self.watermark_from,
            "watermark_to": self.watermark_to,
            "rows_in": self.rows_in,
            "rows_duplicate": self.duplicates,
            "rows_erased": self.erased,
            "started_at": self.started_at.isoformat(timespec="seconds"),
            "finished_at": _now(),
        }


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
