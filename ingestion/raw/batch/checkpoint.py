"""Pulls in progress: the parts and the checkpoint of a long API pull that is not a batch yet."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

from ingestion import config
from ingestion.raw.batch.states import partition
from ingestion.raw.files import write_bytes_atomic

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
