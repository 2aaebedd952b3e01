"""The run bookkeeping of identity resolution: what one run did, and the run log.

Every resolution is summarised as an :class:`IdentityRun` (records, method, links, seconds),
logged, and, from the dbt model, appended to a JSON-lines run log that ``ops.identity_runs``
reads (:func:`append_run`).
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path


@dataclass
class IdentityRun:
    """What one resolution did: the row ``ops.identity_runs`` keeps per run."""

    records: int = 0
    profiles: int = 0
    #: ``model`` (trained Splink model), ``deterministic`` (rules only) or ``none`` (< 2 records)
    method: str = "none"
    #: why the deterministic rules decided alone, when they did
    reason: str | None = None
    attributes: str = ""
    links: int = 0
    persons: int = 0
    #: reviewed decisions given, and of those: applied (changed a cluster), naming a record
    #: that is not there, refused (a must-link a cannot-link keeps apart)
    decisions: int = 0
    decisions_applied: int = 0
    decisions_unknown: int = 0
    decisions_refused: int = 0
    seconds: float = 0.0
    finished_at: str = ""


def append_run(path: Path, run: IdentityRun) -> None:
    """Append one run's summary to a JSON-lines run log."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dataclasses.asdict(run)) + "\n")
