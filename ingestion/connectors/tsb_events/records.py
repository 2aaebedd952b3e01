"""TSB rows as records: an event and a registration flattened to the landed columns, and a
part's records with their source."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from ingestion.connectors.base import to_json_text

EVENT_FIELDS = (
    "event_id",
    "title",
    "event_type",
    "study_group",
    "starts_at",
    "ends_at",
    "format",
    "updated_at",
)
PERSON_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "organization",
    "organization_type",
    "country",
)


def flatten_event(event: dict[str, Any]) -> dict[str, Any]:
    venue = event.get("venue") or {}
    return {
        "event_id": event.get("event_id"),
        "title": event.get("title"),
        "event_type": event.get("event_type"),
        "study_group": event.get("study_group"),
        "starts_at": event.get("starts_at"),
        "ends_at": event.get("ends_at"),
        "venue_city": venue.get("city"),
        "venue_country": venue.get("country"),
        "format": event.get("format"),
        "languages": to_json_text(event.get("languages")),
        "updated_at": event.get("updated_at"),
    }


def flatten_registration(event_id: str, reg: dict[str, Any]) -> dict[str, Any]:
    person = reg.get("person") or {}
    record: dict[str, Any] = {
        "event_id": event_id,
        "registration_id": reg.get("registration_id"),
    }
    for name in PERSON_FIELDS:
        record[f"person_{name}"] = person.get(name)
    for name in ("gender", "registered_at", "attended", "attendance_days", "updated_at"):
        record[name] = reg.get(name)
    return record


def _records(
    rows: Iterable[tuple[dict[str, Any], str, datetime | None]],
) -> tuple[list[dict[str, Any]], list[datetime]]:
    """Flattened rows as records (with their source), and their readable ``updated_at``."""
    records, marks = [], []
    for record, source, moment in rows:
        record["_source"] = source
        record["_parse_error"] = None
        records.append(record)
        if moment is not None:
            marks.append(moment)
    return records, marks
