"""The six regional offices' CSV exports, read through each office's mapping file.

Everything office-specific lives in ``ingestion/mappings/regional_offices/<office>.yml``
(delimiter, encoding, date format, and ``columns``: canonical column → the office's header);
the office is the name of the folder the file was dropped in. Adding a seventh office is a new
YAML file, nothing else. Optional mapping keys: ``optional`` (canonical columns that may be
absent from an export; by default every mapped column is required) and ``fallback_encodings``.

Encoding detection: :mod:`ingestion.connectors.text_files` (the BOM, then UTF-16 without one, then
UTF-8, then the most plausible code page; the one used is logged, with a warning when it is
not the declared one).

Rows: the header is the first record (a few leading title/blank rows are skipped if the mapped
headers appear below them); each following record is one participant row. A record with the
wrong number of fields, or with undecodable bytes, is returned with ``_parse_error`` and
whatever could be read (never dropped); blank lines (also lines of empty fields) are skipped but
counted, so ``_row_number`` is the data row's position after the header. Dates are converted to
ISO ``YYYY-MM-DD`` with the declared ``date_format``; the raw text is kept in
``start_date_raw`` / ``end_date_raw``, and a date that is not one (``30/02/2024``,
``2024-13-45``, another format) stays null with ``_parse_error`` ``invalid_date: start_date
'30/02/2024' ...``, so validation quarantines the row. A row that repeats an earlier row exactly
(every field but the row number) is dropped and counted in ``duplicates_dropped``.

Rejected files (:class:`PlatformError`, the pipeline archives the file and records why): a mapped
column missing from the header (renamed or removed; the message names the office, the file and
the column; extra columns are ignored and logged), and a file that cannot be read to its end
(:func:`parse_csv`: a CSV syntax error such as a field over the size limit, an unbalanced
quote; :func:`utf16_out_of_step`: a UTF-16 file with a byte added or lost), with the line
number. Any other error while reading a file also becomes a
:class:`PlatformError`: a hostile file never raises another exception type.
"""

from __future__ import annotations

import codecs
import difflib
import logging
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from ingestion.connectors.base import EntityExtract, PlatformError, drop_exact_duplicates
from ingestion.connectors.text_files import (
    FALLBACK_ENCODINGS,
    Decoded,
    decode_bytes,
    parse_csv,
    reject_out_of_step,
    same_encoding,
)

log = logging.getLogger(__name__)

PLATFORM = "regional_offices"
MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "mappings" / "regional_offices"

# The landed columns, in order; the ones the contract declares (the dbt source file of
# regional_offices; tests/unit/validation/test_contracts.py checks they agree).
LANDED_COLUMNS = (
    "office",
    "source_file",
    "activity_title",
    "activity_type",
    "start_date",
    "end_date",
    "city",
    "venue_country",
    "full_name",
    "first_name",
    "last_name",
    "name_latin",
    "email",
    "country",
    "organization",
    "gender",
    "satisfaction",
    "start_date_raw",
    "end_date_raw",
)
MAPPABLE = frozenset(LANDED_COLUMNS) - {"office", "source_file", "start_date_raw", "end_date_raw"}
DATE_COLUMNS = ("start_date", "end_date")
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class OfficeMapping:
    office: str
    delimiter: str
    encoding: str
    date_format: str
    columns: dict[str, str]  # canonical → header
    optional: frozenset[str]
    fallback_encodings: tuple[str, ...]
    path: Path


def _delimiter(value: Any) -> str:
    text = str(value)
    aliases = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    text = aliases.get(text.lower(), text)
    if len(text) != 1:
        raise ValueError(f"delimiter must be one character, got {value!r}")
    return text


def load_mapping(office: str, mappings_dir: Path = MAPPINGS_DIR) -> OfficeMapping:
    path = Path(mappings_dir) / f"{office}.yml"
    if not path.is_file():
        raise PlatformError(
            f"no mapping file for office {office!r} (expected {path}); "
            "add one to declare the office's CSV format",
            platform=PLATFORM,
        )
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        columns = {str(k): str(v) for k, v in dict(spec["columns"]).items()}
        unknown = sorted(set(columns) - MAPPABLE)
        if unknown:
            raise ValueError(f"unknown canonical column(s) {unknown}; known: {sorted(MAPPABLE)}")
        for name in [spec["encoding"], *(spec.get("fallback_encodings") or ())]:
            codecs.lookup(str(name))
        mapping = OfficeMapping(
            office=str(spec.get("office") or office),
            delimiter=_delimiter(spec["delimiter"]),
            encoding=str(spec["encoding"]),
            date_format=str(spec["date_format"]),
            columns=columns,
            optional=frozenset(str(c) for c in spec.get("optional") or ()),
            fallback_encodings=tuple(
                dict.fromkeys([*(spec.get("fallback_encodings") or ()), *FALLBACK_ENCODINGS])
            ),
            path=path,
        )
    except (KeyError, TypeError, ValueError, LookupError, yaml.YAMLError) as exc:
        raise PlatformError(f"invalid mapping file {path}: {exc}", platform=PLATFORM) from exc
    return mapping


# --------------------------------------------------------------------------- headers


def normalize_label(text: str) -> str:
    """Header comparison key: NFC, case-folded, whitespace collapsed, BOM/quotes stripped."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    return " ".join(text.casefold().split()).strip("\"'")


def _find_header(rows: list[list[str]], mapping: OfficeMapping) -> tuple[int, dict[str, int]]:
    """(index of the header row, canonical → column index) — the best of the first rows."""
    wanted = {normalize_label(h): c for c, h in mapping.columns.items()}
    best_index, best_found = 0, {}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            canonical = wanted.get(normalize_label(cell))
            if canonical and canonical not in found:
                found[canonical] = position
        if len(found) > len(best_found):
            best_index, best_found = index, found
        if len(found) == len(wanted):
            break
    return best_index, best_found


# --------------------------------------------------------------------------- reading


def read_drop(path: Path, mappings_dir: Path | None = None) -> list[EntityExtract]:
    """Read one regional-office export: one ``participants`` extract with the file's rows.

    Whatever goes wrong with the file's bytes surfaces as :class:`PlatformError` (the pipeline
    rejects the file with its message), never as another exception type.
    """
    path = Path(path)
    request = f"{path.parent.name}/{path.name}"
    try:
        return _read_drop(path, Path(mappings_dir) if mappings_dir else MAPPINGS_DIR)
    except PlatformError:
        raise
    except Exception as exc:  # a hostile file must be rejected, not crash the run
        log.exception("%s: %s: unexpected error while reading", PLATFORM, request)
        raise PlatformError(
            f"file could not be read ({type(exc).__name__}: {exc}); the file is rejected",
            platform=PLATFORM,
            request=request,
        ) from exc


def _read_drop(path: Path, mappings_dir: Path) -> list[EntityExtract]:
    office = path.parent.name
    mapping = load_mapping(office, mappings_dir)
    source = f"{office}/{path.name}"
    decoded = _decode(path.read_bytes(), mapping, source)

    # (record, its physical lines) — a quoted field may span lines
    rows, spans = parse_csv(decoded.text, mapping.delimiter, platform=PLATFORM, request=source)
    if not any(any(cell.strip() for cell in row) for row in rows):
        log.warning("%s: %s: empty file", PLATFORM, source)
        return [EntityExtract("participants", [], [])]
    header_index, positions = _find_header(rows, mapping)
    _check_header(rows, header_index, positions, mapping, path.name, source)
    records = _participant_rows(
        rows, spans, header_index, positions, decoded, mapping, path.name, source
    )
    records, dropped = drop_exact_duplicates(records)
    if dropped:
        log.warning(
            "%s: %s: %d exact duplicate row(s) dropped (rows %s)",
            PLATFORM,
            source,
            len(dropped),
            dropped,
        )
    bad = sum(1 for r in records if r["_parse_error"])
    log.info(
        "%s: %s: %d rows (%d with parse errors, %d duplicates dropped), header at line %d",
        PLATFORM,
        source,
        len(records),
        bad,
        len(dropped),
        header_index + 1,
    )
    return [EntityExtract("participants", records, [], duplicates_dropped=len(dropped))]


def _decode(raw: bytes, mapping: OfficeMapping, source: str) -> Decoded:
    """The file's text, a UTF-16 file out of step rejected; the encoding used is logged (a
    warning when it is not the declared one or some lines did not decode)."""
    decoded = decode_bytes(raw, mapping.encoding, mapping.fallback_encodings)
    reject_out_of_step(decoded, platform=PLATFORM, request=source)
    message = "%s: %s: read as %s (declared %s)%s"
    extra = (
        f"; {len(decoded.line_errors)} line(s) not readable as such" if decoded.line_errors else ""
    )
    if same_encoding(decoded.encoding, mapping.encoding) and not decoded.line_errors:
        log.info(message, PLATFORM, source, decoded.encoding, mapping.encoding, extra)
    else:
        log.warning(message, PLATFORM, source, decoded.encoding, mapping.encoding, extra)
    return decoded


def _check_header(
    rows: list[list[str]],
    header_index: int,
    positions: dict[str, int],
    mapping: OfficeMapping,
    file_name: str,
    source: str,
) -> None:
    """Reject the file when a required column is missing; log extra columns and skipped rows."""
    header = rows[header_index]
    missing = [c for c in mapping.columns if c not in positions and c not in mapping.optional]
    if missing:
        details = []
        for canonical in missing:
            expected = mapping.columns[canonical]
            near = difflib.get_close_matches(expected, header, n=1, cutoff=0.5)
            hint = f" (closest header: {near[0]!r})" if near else ""
            details.append(f"{canonical} = {expected!r}{hint}")
        raise PlatformError(
            f"office {mapping.office!r}, file {file_name!r}: required column(s) missing from the "
            f"header: {'; '.join(details)}. Header found: {header!r}. The file is rejected; fix "
            f"the export or the mapping {mapping.path.name}",
            platform=PLATFORM,
            request=source,
        )
    used = set(positions.values())
    ignored = [cell for i, cell in enumerate(header) if i not in used and cell.strip()]
    if ignored:
        log.warning("%s: %s: extra column(s) ignored: %s", PLATFORM, source, ignored)
    if header_index:
        log.warning("%s: %s: %d row(s) above the header skipped", PLATFORM, source, header_index)


def _participant_rows(
    rows: list[list[str]],
    spans: list[range],
    header_index: int,
    positions: dict[str, int],
    decoded: Decoded,
    mapping: OfficeMapping,
    file_name: str,
    source: str,
) -> list[dict[str, Any]]:
    """One record per row under the header; blank rows skipped, row problems in
    ``_parse_error``; a record over several lines with the wrong width rejects the file."""
    width = len(rows[header_index])
    records: list[dict[str, Any]] = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        errors = []
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a participant row
        if index == len(rows) - 1 and not any(cell.replace("\ufffd", "").strip() for cell in row):
            continue  # a blank last line cut mid-character (a truncated file) holds no row either
        if len(row) != width and len(spans[index]) > 1:
            # a record over several lines with the wrong width: a quote swallowed a line break
            raise PlatformError(
                f"unbalanced quote at line {spans[index].start}: a record runs over lines "
                f"{spans[index].start}-{spans[index].stop - 1} with {len(row)} fields instead of "
                f"{width}; the file cannot be read row by row and is rejected",
                platform=PLATFORM,
                request=source,
            )
        if len(row) != width:
            errors.append(f"expected {width} fields, found {len(row)}")
        errors += [decoded.line_errors[n] for n in spans[index] if n in decoded.line_errors]
        record = _record(row, positions, mapping, file_name, errors)
        record["_source"] = source
        record["_row_number"] = index - header_index
        record["_parse_error"] = "; ".join(dict.fromkeys(errors)) or None
        records.append(record)
    return records


def _record(
    row: list[str],
    positions: dict[str, int],
    mapping: OfficeMapping,
    file_name: str,
    errors: list[str],
) -> dict[str, Any]:
    """The landed columns of one row, dates in ISO; a date that is not one adds to ``errors``."""
    record: dict[str, Any] = dict.fromkeys(LANDED_COLUMNS)
    record["office"] = mapping.office
    record["source_file"] = file_name
    for canonical, position in positions.items():
        value = row[position] if position < len(row) else None
        record[canonical] = value if value is not None and value.strip() else None
    for column in DATE_COLUMNS:
        raw_value = record[column]
        record[f"{column}_raw"] = raw_value
        record[column] = _iso_date(raw_value, mapping.date_format)
        if raw_value is not None and record[column] is None:
            # kept as raw text; the reason sends the row to quarantine (never NULL-accepted)
            errors.append(
                f"invalid_date: {column} {raw_value.strip()!r} is not a date in the "
                f"office's format {mapping.date_format}"
            )
    return record


def _iso_date(value: str | None, date_format: str) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), date_format).date().isoformat()
    except ValueError:
        return None
