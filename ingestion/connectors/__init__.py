"""Extraction: one module per bureau platform, none of them importing Airflow.

API platforms: ``pull_parts(conn: ApiConnection, watermarks: dict[str, str | None], until:
datetime, state) -> Iterator[PullPart]`` (``RESUMABLE_CONNECTORS``, what the nightly ingest
lands) — watermarks keyed by entity from the previous successful batch (None: first load),
``until`` the end of the run's data interval; and ``pull(conn, watermarks, until) ->
list[EntityExtract]`` (``API_CONNECTORS``), the same pull collected whole in memory, for tests
and tools.

File-drop platforms: ``read_drop(path: Path) -> list[EntityExtract]`` for one dropped file, and
:func:`list_drops` for the files of an inbox in processing order.
"""

from __future__ import annotations

from ingestion.connectors import br_workbooks, moodle, regional_csv, tsb_events, xapi
from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    RawPage,
)
from ingestion.connectors.drops import list_drops, scan_inbox

API_CONNECTORS = {
    "academy": moodle.pull,
    "tsb_events": tsb_events.pull,
    "gs_lrs": xapi.pull,
}

# Every API platform's pull lands as it goes and resumes after a landed part:
# ``pull_parts(conn, watermarks, until, state) -> Iterator[PullPart]`` (``state``: that of the
# last part an earlier try landed, None from the start). Landing: ``landing.land_pull``, the only
# way ``ingest.ingest_api`` lands a pull. Each one's ``pull`` (``API_CONNECTORS``) is
# ``base.pull_whole`` over its ``pull_parts`` (the parts in memory, a start-over done once).
RESUMABLE_CONNECTORS = {
    "academy": moodle.pull_parts,
    "tsb_events": tsb_events.pull_parts,
    "gs_lrs": xapi.pull_parts,
}

FILE_READERS = {
    "br_seminars": br_workbooks.read_drop,
    "regional_offices": regional_csv.read_drop,
}

__all__ = [
    "API_CONNECTORS",
    "FILE_READERS",
    "RESUMABLE_CONNECTORS",
    "ApiConnection",
    "AuthError",
    "EntityExtract",
    "PlatformError",
    "RawPage",
    "list_drops",
    "scan_inbox",
]
