"""One seminar drop read whole: the file type decides the reader; any error becomes a
:class:`PlatformError`."""

from __future__ import annotations

import logging
from pathlib import Path

from ingestion.connectors.base import EntityExtract, PlatformError
from ingestion.connectors.br_workbooks.config import (
    CSV_SUFFIXES,
    MAPPING_FILE,
    PLATFORM,
    WORKBOOK_SUFFIXES,
    load_config,
)
from ingestion.connectors.br_workbooks.legacy_csv import _read_legacy_csv
from ingestion.connectors.br_workbooks.workbook import _read_workbook

log = logging.getLogger(__name__)


def read_drop(path: Path, config_path: Path | None = None) -> list[EntityExtract]:
    """Read one seminar drop (.xlsx or legacy .csv): ``seminars`` (one row) + ``participants``.

    Whatever goes wrong with the file surfaces as :class:`PlatformError` (the pipeline rejects
    the file with its message), never as another exception type.
    """
    path = Path(path)
    try:
        return _read_drop(path, config_path)
    except PlatformError:
        raise
    except Exception as exc:  # a hostile file must be rejected, not crash the run
        log.exception("%s: %s: unexpected error while reading", PLATFORM, path.name)
        raise PlatformError(
            f"file could not be read ({type(exc).__name__}: {exc}); the file is rejected",
            platform=PLATFORM,
            request=path.name,
        ) from exc


def _read_drop(path: Path, config_path: Path | None) -> list[EntityExtract]:
    config = load_config(Path(config_path) if config_path else MAPPING_FILE)
    suffix = path.suffix.lower()
    if suffix in WORKBOOK_SUFFIXES + CSV_SUFFIXES and path.stat().st_size == 0:
        log.warning("%s: %s: empty (zero-byte) file", PLATFORM, path.name)
        return [EntityExtract("seminars", [], []), EntityExtract("participants", [], [])]
    if suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, config)
    if suffix in CSV_SUFFIXES:
        return _read_legacy_csv(path, config)
    raise PlatformError(
        f"unsupported file type {path.suffix!r} (expected .xlsx or .csv)",
        platform=PLATFORM,
        request=path.name,
    )
