"""The two extracts of a seminar drop: the seminar row (with its ``Dates`` checked as staging
reads them) and the participants without exact duplicates."""

from __future__ import annotations

import logging
import re
import unicodedata
from datetime import date
from typing import Any

from ingestion.connectors.base import EntityExtract, drop_exact_duplicates
from ingestion.connectors.br_workbooks.config import PLATFORM, SEMINAR_COLUMNS

log = logging.getLogger(__name__)


def _without_duplicates(source_file: str, records: list[dict[str, Any]]) -> EntityExtract:
    """The ``participants`` extract, exact duplicate rows dropped and counted."""
    kept, dropped = drop_exact_duplicates(records)
    if dropped:
        log.warning(
            "%s: %s: %d exact duplicate participant row(s) dropped (rows %s)",
            PLATFORM,
            source_file,
            len(dropped),
            dropped,
        )
    return EntityExtract("participants", kept, [], duplicates_dropped=len(dropped))


# The seminar's free-text ``Dates`` as staging reads them (dbt macro ``parse_date_range``, which
# keeps the two in step): ISO dates, else day-first numeric dates, else day / month-name / year
# tokens, the first of each for the start and the last for the end.
_ISO_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_DMY_DATE = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})")
_DATE_TOKEN = re.compile(r"\d{4}|\d{1,2}|[a-z]{3,}")
_MONTHS = (
    ("jan", "ene"),
    ("feb", "fev"),
    ("mar",),
    ("apr", "avr", "abr"),
    ("may", "mai"),
    ("jun", "juin"),
    ("jul", "juil"),
    ("aug", "aou", "ago"),
    ("sep", "set"),
    ("oct",),
    ("nov",),
    ("dec", "dic"),
)


def _month(token: str) -> int | None:
    for number, prefixes in enumerate(_MONTHS, start=1):
        if token.startswith(prefixes):
            return number
    return None


def seminar_dates_problem(text: str | None) -> str | None:
    """``invalid_date: ...`` when the seminar's ``Dates`` text names an impossible start or end
    date (``30 February 2024``, ``31/04/2024``) or none staging can read; None when both read
    (or the text is empty: the suite's not-null check reports that)."""
    if text is None or not text.strip():
        return None
    lowered = unicodedata.normalize("NFKD", text.casefold())
    lowered = "".join(ch for ch in lowered if not unicodedata.combining(ch))
    candidates: list[tuple[int, int, int]] = []
    iso = _ISO_DATE.findall(lowered)
    dmy = _DMY_DATE.findall(lowered)
    if iso:
        candidates = [tuple(int(p) for p in d.split("-")) for d in (iso[0], iso[-1])]
    elif dmy:
        candidates = [(int(y), int(m), int(d)) for d, m, y in (dmy[0], dmy[-1])]
    else:
        tokens = _DATE_TOKEN.findall(lowered)
        years = [int(t) for t in tokens if len(t) == 4 and t.isdigit()]
        months = [m for m in (_month(t) for t in tokens if t.isalpha()) if m]
        days = [int(t) for t in tokens if t.isdigit() and len(t) <= 2]
        if years and months and days:
            candidates = [(years[i], months[i], days[i]) for i in (0, -1)]
    if not candidates:
        return f"invalid_date: dates {text.strip()!r} names no date"
    for year, month, day in candidates:
        try:
            date(year, month, day)
        except ValueError:
            return f"invalid_date: dates {text.strip()!r} ({day}/{month}/{year} is not a date)"
    return None


def _seminar_record(key: str, source_file: str, metadata: dict[str, str | None]) -> dict:
    record: dict[str, Any] = dict.fromkeys(SEMINAR_COLUMNS)
    record.update({k: v for k, v in metadata.items() if k in SEMINAR_COLUMNS})
    record["seminar_key"] = key
    record["source_file"] = source_file
    record["_source"] = source_file
    record["_row_number"] = 1
    record["_parse_error"] = seminar_dates_problem(record["dates"])
    if not any(metadata.get(f) for f in ("seminar", "type", "dates", "venue", "region")):
        log.warning("%s: %s: no seminar metadata found", PLATFORM, source_file)
    return record
