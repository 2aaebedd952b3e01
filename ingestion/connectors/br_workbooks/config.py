"""BR seminar workbooks: the labels of ``ingestion/mappings/br_seminars.yml`` and the
contract columns."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ingestion.connectors.base import PlatformError

PLATFORM = "br_seminars"
MAPPING_FILE = Path(__file__).resolve().parents[2] / "mappings" / "br_seminars.yml"
SEMINAR_COLUMNS = ("seminar_key", "source_file", "seminar", "type", "dates", "venue", "region")
PARTICIPANT_COLUMNS = (
    "seminar_key",
    "source_file",
    "no",
    "last_name",
    "first_name",
    "country",
    "organization",
    "email",
    "gender",
    "exam",
    "certificate",
)
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv",)


def normalize_label(value: Any) -> str:
    """Comparison key of a label: accents, case, punctuation and spacing removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"[^0-9a-z]+", " ", text.casefold())
    return " ".join(text.split())


@dataclass(frozen=True)
class BrConfig:
    seminar_sheets: frozenset[str]
    participant_sheets: frozenset[str]
    seminar_fields: dict[str, str]  # normalized label → field
    columns: dict[str, str]  # normalized label → canonical column
    required: tuple[str, ...]
    min_header_matches: int
    header_search_rows: int
    csv_encoding: str
    csv_delimiter: str
    sidecar_suffixes: tuple[str, ...]
    resend_suffix: re.Pattern[str]


def _labels(spec: dict[str, list[str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for canonical, labels in spec.items():
        for label in [canonical, *labels]:
            key = normalize_label(label)
            if key:
                out.setdefault(key, str(canonical))
    return out


@cache
def load_config(path: Path = MAPPING_FILE) -> BrConfig:
    try:
        spec = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
        sheets = spec["sheets"]
        legacy = spec.get("legacy_csv") or {}
        return BrConfig(
            seminar_sheets=frozenset(normalize_label(s) for s in sheets["seminar"]),
            participant_sheets=frozenset(normalize_label(s) for s in sheets["participants"]),
            seminar_fields=_labels(spec["seminar_fields"]),
            columns=_labels(spec["participant_columns"]),
            required=tuple(spec.get("required") or ()),
            min_header_matches=int(spec.get("min_header_matches", 3)),
            header_search_rows=int(spec.get("header_search_rows", 12)),
            csv_encoding=str(legacy.get("encoding", "cp1252")),
            csv_delimiter=str(legacy.get("delimiter", ";")),
            sidecar_suffixes=tuple(legacy.get("sidecar_suffixes") or (".meta.csv",)),
            resend_suffix=re.compile(spec["resend_suffix"], re.IGNORECASE),
        )
    except (OSError, KeyError, TypeError, ValueError, re.error, yaml.YAMLError) as exc:
        raise PlatformError(f"invalid BR mapping file {path}: {exc}", platform=PLATFORM) from exc
