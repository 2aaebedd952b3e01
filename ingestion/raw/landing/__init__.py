"""Landing: archive what was pulled byte-for-byte, land its rows as Parquet, record the batch.

Layout and columns are specified in ``docs/raw-zone.md``. Every function here is idempotent for a
logical date: the batch id is derived from platform, entity and load date (plus the file name for
dropped files), so a rerun rewrites the same files instead of adding new ones. The batch records
themselves are :mod:`ingestion.raw.batch`'s to write.

The package: ``frames`` (batch ids, lineage columns), ``pulls`` (API pulls, whole or part by
part) and ``drops`` (dropped files).
"""

from __future__ import annotations

from ingestion.raw.landing.drops import (
    MAX_FILE_KEY,
    archive_drop,
    archive_target,
    file_key,
    land_file_extracts,
    settle_file,
)
from ingestion.raw.landing.frames import (
    LINEAGE_COLUMNS,
    batch_id_for,
    columns_filled,
    content_hashes,
    records_frame,
)
from ingestion.raw.landing.pulls import (
    land_extract,
    land_pull,
)

__all__ = [
    "LINEAGE_COLUMNS",
    "MAX_FILE_KEY",
    "archive_drop",
    "archive_target",
    "batch_id_for",
    "columns_filled",
    "content_hashes",
    "file_key",
    "land_extract",
    "land_file_extracts",
    "land_pull",
    "records_frame",
    "settle_file",
]
