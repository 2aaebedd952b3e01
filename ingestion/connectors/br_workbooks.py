"""BR radiocommunication seminars: one workbook per seminar dropped in the BR inbox.

``.xlsx`` (read with openpyxl, which exposes merged cells) or, for older years, ``.csv``
(cp1252, ``;``). Labels are configuration: ``ingestion/mappings/br_seminars.yml``.

* Sheet ``Seminar``: key/value rows (``Seminar / Séminaire``, ``Type``, ``Dates``,
  ``Venue / Lieu``, ``Region / Région``) → one ``seminars`` record. A legacy CSV carries them in
  a **sidecar** next to it (``<stem>.meta.csv``, key;value rows, same encoding; other accepted
  names in the YAML; a re-send without its own sidecar uses the original's), or as key;value
  rows above its header. The reader returns the CSV's own participants and the seminar row
  built from the sidecar; the sidecar's bytes also travel as a :class:`RawPage` of the
  ``seminars`` extract, for a landing that wants to archive them (``list_drops`` never lists a
  sidecar on its own).
* Sheet ``Participants``: one to three title rows above a bilingual header, sometimes merged.
  Merged ranges are filled with their top-left value; the header is the row (or pair of rows)
  whose cells match the most known labels; header-like rows right below it (an English row
  under a French one) are skipped. Every following non-empty row is one ``participants``
  record, every value as text as shown in the sheet (numbers without a spurious ``.0``, dates as
  ISO). Rows with only a running number and nothing else (an unused template line) are skipped;
  a row with text only outside the participant columns (a note) is kept with ``_parse_error``.
* ``seminar_key`` = the file stem without a re-send suffix (``WRS-2024-Geneva_v2`` →
  ``WRS-2024-Geneva``; the regex is ``resend_suffix`` in the YAML). A re-sent workbook lands as
  its own batch with the same key; staging keeps the latest (:func:`resend_rank` orders them).

Structural problems (not a workbook, a truncated one, no participant sheet, no header, a
required column missing — every contract column but ``N°``; a legacy CSV that cannot be read to
its end: a CSV syntax error or an unbalanced quote, with the line) raise :class:`PlatformError`:
the whole file is rejected. Any other error while reading a file becomes a
:class:`PlatformError` too, never another exception type. A zero-byte file gives empty extracts.
Row-level problems set ``_parse_error`` on the row, which is kept for validation to quarantine:
in a CSV, a wrong field count or undecodable bytes; in a workbook, a formula cell without a
cached value in a participant column (a tool that does not compute formulas saved it: the value
would otherwise land as a silent NULL; on the Seminar sheet it flags the seminar row); the
seminar row is also flagged ``invalid_date: dates '30 February 2024' ...`` when its ``Dates``
text names an impossible date or none that staging's ``parse_date_range`` can read
(:func:`seminar_dates_problem`, the raw text is kept). A
participant row that repeats an earlier row of the file exactly (every field, ``N°`` included;
not the row number) is dropped and counted in ``duplicates_dropped`` of the extract.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ingestion.connectors.base import EntityExtract, PlatformError, RawPage, drop_exact_duplicates
from ingestion.connectors.regional_csv import decode_bytes, parse_csv, utf16_out_of_step

log = logging.getLogger(__name__)

PLATFORM = "br_seminars"
MAPPING_FILE = Path(__file__).resolve().parents[1] / "mappings" / "br_seminars.yml"
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


# --------------------------------------------------------------------------- configuration


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


# --------------------------------------------------------------------------- file names


def split_resend(stem: str, config: BrConfig | None = None) -> tuple[str, int]:
    """(seminar key, re-send rank): ``WRS-2024_v2`` → (``WRS-2024``, 2); original → rank 0."""
    config = config or load_config()
    key, rank = stem, 0
    while True:
        match = config.resend_suffix.search(key)
        if not match or match.start() == 0:
            break
        digits = re.findall(r"\d+", match.group(0))
        rank = max(rank, int(digits[-1]) if digits else 1)
        key = key[: match.start()]
    return key, rank


def seminar_key(path: Path) -> str:
    return split_resend(_stem(Path(path)))[0]


def resend_rank(path: Path) -> int:
    return split_resend(_stem(Path(path)))[1]


def _stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix else path.name


def is_sidecar(path: Path, config: BrConfig | None = None) -> bool:
    config = config or load_config()
    name = path.name.lower()
    return any(name.endswith(s.lower()) for s in config.sidecar_suffixes)


def sidecar_stem(path: Path, config: BrConfig | None = None) -> str:
    """The stem of the data file a sidecar describes (``X.meta.csv`` → ``X``)."""
    config = config or load_config()
    name = path.name
    for suffix in config.sidecar_suffixes:
        if name.lower().endswith(suffix.lower()):
            return name[: -len(suffix)]
    return _stem(path)


def find_sidecar(path: Path, config: BrConfig | None = None) -> Path | None:
    """The metadata sidecar of a legacy CSV: ``<stem>.meta.csv`` (or another accepted suffix);
    a re-send without its own sidecar uses the original's (``<seminar key>.meta.csv``)."""
    config = config or load_config()
    stem = _stem(path)
    key = split_resend(stem, config)[0]
    for base in dict.fromkeys((stem, key)):
        for suffix in config.sidecar_suffixes:
            candidate = path.with_name(base + suffix)
            if candidate.is_file():
                return candidate
    return None


# --------------------------------------------------------------------------- cell values


def cell_text(value: Any) -> str | None:
    """A cell as text, as the sheet shows it; empty → None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    text = str(value)
    return text if text.strip() else None


# --------------------------------------------------------------------------- grid logic


Grid = list[list[Any]]


def _split_bilingual(text: str) -> list[str]:
    """``Nom / Name`` → [``Nom``, ``Name``]; slashes inside parentheses (``(/20)``) stay."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        if (ch == "/" and depth == 0) or ch in "\n|":
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p for p in parts if p.strip()]


def match_label(value: Any, labels: dict[str, str]) -> str | None:
    """The canonical name a cell's label stands for, or None."""
    text = cell_text(value)
    if not text:
        return None
    whole = labels.get(normalize_label(text))
    if whole:
        return whole
    for part in _split_bilingual(text):
        found = labels.get(normalize_label(part))
        if found:
            return found
    return None


def _row_matches(row: list[Any], labels: dict[str, str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, value in enumerate(row):
        canonical = match_label(value, labels)
        if canonical and canonical not in found:
            found[canonical] = position
    return found


def _block_matches(grid: Grid, start: int, height: int, labels: dict[str, str]) -> dict[str, int]:
    """Matches of a header spanning ``height`` rows: per column, the joined text or either cell."""
    width = max(len(grid[r]) for r in range(start, start + height))
    found: dict[str, int] = {}
    for position in range(width):
        texts: list[str] = []
        for r in range(start, start + height):
            text = cell_text(grid[r][position]) if position < len(grid[r]) else None
            if text and (not texts or texts[-1] != text):
                texts.append(text)
        for candidate in [" ".join(texts), *reversed(texts)]:
            canonical = match_label(candidate, labels)
            if canonical and canonical not in found:
                found[canonical] = position
                break
    return found


def find_header(grid: Grid, config: BrConfig) -> tuple[int, int, dict[str, int]]:
    """(first header row, first data row, canonical → column) or raise."""
    best: tuple[int, int, int, dict[str, int]] | None = None  # score, -height, start, found
    limit = min(len(grid), config.header_search_rows)
    for start in range(limit):
        for height in (1, 2):
            if start + height > len(grid):
                continue
            found = (
                _row_matches(grid[start], config.columns)
                if height == 1
                else _block_matches(grid, start, height, config.columns)
            )
            key = (len(found), -height)
            if best is None or key > best[:2]:
                best = (len(found), -height, start, found)
    if best is None or best[0] < config.min_header_matches:
        raise ValueError(
            f"no header row with at least {config.min_header_matches} known column labels "
            f"in the first {limit} rows"
        )
    _, neg_height, start, found = best
    data_start = start - neg_height
    # skip header-like rows right below (an English label row under a French one)
    while data_start < len(grid) and _looks_like_header(grid[data_start], config):
        data_start += 1
    return start, data_start, found


def _looks_like_header(row: list[Any], config: BrConfig) -> bool:
    filled = [v for v in row if cell_text(v)]
    if not filled:
        return False
    matched = _row_matches(row, config.columns)
    return len(matched) >= 2 and len(matched) * 2 >= len(filled)


def key_values(grid: Grid, labels: dict[str, str]) -> dict[str, str | None]:
    """Key/value rows: a label cell, then the value in the next filled cell to its right."""
    out: dict[str, str | None] = {}
    for row in grid:
        for position, value in enumerate(row):
            field = labels.get(normalize_label(cell_text(value) or ""))
            if field is None:
                # "Seminar / Séminaire:" written as one label, or "Type: WRS" in one cell
                text = cell_text(value) or ""
                if ":" in text:
                    label, _, rest = text.partition(":")
                    field = labels.get(normalize_label(label))
                    if field and rest.strip() and field not in out:
                        out[field] = rest.strip()
                        break
                continue
            if field in out:
                break
            rest_cells = [cell_text(v) for v in row[position + 1 :]]
            out[field] = next((t for t in rest_cells if t), None)
            break
    return out


def participant_records(
    grid: Grid,
    config: BrConfig,
    *,
    key: str,
    source_file: str,
    row_errors: dict[int, str] | None = None,
    cell_errors: dict[tuple[int, int], str] | None = None,
    where: str,
) -> tuple[list[dict[str, Any]], int, int]:
    """Records of the participant rows of a grid, the header row and the first data row.

    ``row_errors`` (grid row → reason) and ``cell_errors`` ((grid row, column) → reason; only
    those in a participant column count) set ``_parse_error`` on a row that is kept; a row with
    nothing but such cells (a template line of formulas) is still skipped as blank.
    """
    try:
        header_row, data_start, positions = find_header(grid, config)
    except ValueError as exc:
        raise PlatformError(f"{where}: {exc}", platform=PLATFORM, request=source_file) from exc
    missing = [c for c in config.required if c not in positions]
    if missing:
        raise PlatformError(
            f"{where}: required column(s) {missing} not found in the header "
            f"{[cell_text(v) for v in grid[header_row]]}; the file is rejected",
            platform=PLATFORM,
            request=source_file,
        )
    records = []
    for index in range(data_start, len(grid)):
        row = grid[index]
        values = {c: cell_text(row[p]) if p < len(row) else None for c, p in positions.items()}
        filled = [c for c, v in values.items() if v is not None]
        error = (row_errors or {}).get(index)
        if not filled and error is None:
            others = [cell_text(v) for v in row if cell_text(v)]
            if not others:
                continue  # a blank row
            # text only outside the participant columns (a note): kept, flagged for review
            error = f"no value in any participant column (row text: {others})"
        if filled == ["no"] and error is None and re.fullmatch(r"\d+\.?", values["no"] or ""):
            continue  # an unused, pre-numbered template line
        record: dict[str, Any] = dict.fromkeys(PARTICIPANT_COLUMNS)
        record.update(values)
        record["seminar_key"] = key
        record["source_file"] = source_file
        record["_source"] = source_file
        record["_row_number"] = index - data_start + 1
        cell_problems = [
            (cell_errors or {})[(index, p)]
            for p in sorted(positions.values())
            if (index, p) in (cell_errors or {})
        ]
        record["_parse_error"] = "; ".join(([error] if error else []) + cell_problems) or None
        records.append(record)
    return records, header_row, data_start


# --------------------------------------------------------------------------- readers


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


# openpyxl's objects for array and data-table formulas (plain formulas are "=..." text)
_FORMULA_TYPES = frozenset({"ArrayFormula", "DataTableFormula"})


def _uncached_formulas(path: Path, sheets: list[str], grids: list[Grid]) -> list[dict]:
    """Per sheet, (grid row, column) → reason, for each formula cell without a cached value.

    A workbook written by a tool that does not compute formulas stores the formula and no
    value; read with ``data_only`` the cell looks empty, which would land a silent NULL.
    """
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    found: list[dict[tuple[int, int], str]] = []
    wb = load_workbook(path, data_only=False, read_only=True)
    try:
        for name, grid in zip(sheets, grids, strict=True):
            cells: dict[tuple[int, int], str] = {}
            for r, row in enumerate(wb[name].iter_rows(values_only=True)):
                for c, value in enumerate(row):
                    text = value if isinstance(value, str) else getattr(value, "text", None)
                    is_formula = type(value).__name__ in _FORMULA_TYPES or (
                        isinstance(text, str) and text.startswith("=")
                    )
                    cached = grid[r][c] if r < len(grid) and c < len(grid[r]) else None
                    if is_formula and cached is None:
                        cells[(r, c)] = (
                            f"formula without a cached value in {get_column_letter(c + 1)}{r + 1}"
                            f" ({str(text or value)[:60]}): the workbook was saved by a tool that "
                            "does not compute formulas"
                        )
            found.append(cells)
    finally:
        wb.close()
    return found


def _filled_grid(ws: Any) -> Grid:
    grid: Grid = [list(row) for row in ws.iter_rows(values_only=True)]
    for merged in ws.merged_cells.ranges:
        top = grid[merged.min_row - 1][merged.min_col - 1] if merged.min_row <= len(grid) else None
        for r in range(merged.min_row, merged.max_row + 1):
            if r > len(grid):
                break
            row = grid[r - 1]
            if len(row) < merged.max_col:
                row.extend([None] * (merged.max_col - len(row)))
            for c in range(merged.min_col, merged.max_col + 1):
                row[c - 1] = top
    return grid


def _pick_sheet(names: list[str], wanted: frozenset[str], fallback: str) -> str | None:
    for name in names:
        if normalize_label(name) in wanted:
            return name
    for name in names:
        if fallback in normalize_label(name):
            return name
    return None


def _read_workbook(path: Path, config: BrConfig) -> list[EntityExtract]:
    from openpyxl import load_workbook  # heavy import, only when a workbook arrives

    key = seminar_key(path)
    try:
        wb = load_workbook(path, data_only=True)  # not read-only: merged ranges are needed
    except Exception as exc:  # not a zip, a truncated zip (EOFError, zlib), broken XML ...
        raise PlatformError(
            f"not a readable .xlsx workbook: {type(exc).__name__}: {exc}",
            platform=PLATFORM,
            request=path.name,
        ) from exc
    try:
        names = list(wb.sheetnames)
        part_name = _pick_sheet(names, config.participant_sheets, "particip")
        sem_name = _pick_sheet(
            [n for n in names if n != part_name], config.seminar_sheets, "semina"
        )
        if part_name is None:
            others = [n for n in names if n != sem_name]
            if len(others) == 1:
                part_name = others[0]
            else:
                raise PlatformError(
                    f"no participant sheet among {names}",
                    platform=PLATFORM,
                    request=path.name,
                )
        grid = _filled_grid(wb[part_name])
        sheets, grids = [part_name], [grid]
        if sem_name is not None:
            sheets.append(sem_name)
            grids.append(_filled_grid(wb[sem_name]))
        formulas = _uncached_formulas(path, sheets, grids)
        participants, header_row, _ = participant_records(
            grid,
            config,
            key=key,
            source_file=path.name,
            cell_errors=formulas[0],
            where=f"sheet {part_name!r}",
        )
        metadata: dict[str, str | None] = {}
        if sem_name is not None:
            metadata = key_values(grids[1], config.seminar_fields)
        else:
            log.warning("%s: %s: no Seminar sheet in %s", PLATFORM, path.name, names)
        if header_row:  # title rows may also carry key/value metadata
            for field, value in key_values(grid[:header_row], config.seminar_fields).items():
                metadata.setdefault(field, value)
    finally:
        wb.close()
    seminar = _seminar_record(key, path.name, metadata)
    if len(formulas) > 1 and formulas[1]:  # the Seminar sheet's values are formulas too
        problems = [seminar["_parse_error"], *(formulas[1][k] for k in sorted(formulas[1]))]
        seminar["_parse_error"] = "; ".join(p for p in problems if p)
    log.info(
        "%s: %s: seminar %r, %d participants (sheet %r, header row %d)",
        PLATFORM,
        path.name,
        key,
        len(participants),
        part_name,
        header_row + 1,
    )
    return [EntityExtract("seminars", [seminar], []), _without_duplicates(path.name, participants)]


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


def _csv_grid(
    raw: bytes, config: BrConfig, request: str
) -> tuple[Grid, dict[int, str], str, list[range]]:
    """Rows of a legacy CSV, decoding problems per row index, the encoding used, and the
    physical lines each row spans.

    A file that cannot be read to its end (CSV syntax error, unbalanced quote) is rejected by
    :func:`~ingestion.connectors.regional_csv.parse_csv` with the line number.
    """
    decoded = decode_bytes(raw, config.csv_encoding)
    shifted = utf16_out_of_step(decoded)
    if shifted is not None:
        raise PlatformError(
            f"UTF-16 text out of step from line {shifted} (a byte added or lost): the rows "
            "after it cannot be read; the file is rejected",
            platform=PLATFORM,
            request=request,
        )
    rows, spans = parse_csv(decoded.text, config.csv_delimiter, platform=PLATFORM, request=request)
    grid: Grid = [list(row) for row in rows]
    errors: dict[int, str] = {}
    for index, lines in enumerate(spans):
        problems = [decoded.line_errors[n] for n in lines if n in decoded.line_errors]
        if problems:
            errors[index] = "; ".join(dict.fromkeys(problems))
    return grid, errors, decoded.encoding, spans


def _read_legacy_csv(path: Path, config: BrConfig) -> list[EntityExtract]:
    key = seminar_key(path)
    grid, errors, encoding, spans = _csv_grid(path.read_bytes(), config, path.name)
    log.info("%s: %s: legacy CSV read as %s", PLATFORM, path.name, encoding)
    participants, header_row, data_start = participant_records(
        grid, config, key=key, source_file=path.name, row_errors=errors, where="CSV"
    )
    _check_widths(grid, header_row, data_start, participants, spans, path.name)
    metadata = key_values(grid[:header_row], config.seminar_fields) if header_row else {}
    pages: list[RawPage] = []
    sidecar = find_sidecar(path, config)
    if sidecar is not None:
        raw = sidecar.read_bytes()
        side_grid, _, side_encoding, _ = _csv_grid(raw, config, sidecar.name)
        for field, value in key_values(side_grid, config.seminar_fields).items():
            metadata[field] = value  # the sidecar wins over title rows
        pages.append(RawPage(sidecar.name, raw, sidecar.name))
        log.info(
            "%s: %s: metadata from sidecar %s (%s)",
            PLATFORM,
            path.name,
            sidecar.name,
            side_encoding,
        )
    seminar = _seminar_record(key, path.name, metadata)
    return [
        EntityExtract("seminars", [seminar], pages),
        _without_duplicates(path.name, participants),
    ]


def _check_widths(
    grid: Grid,
    header_row: int,
    data_start: int,
    records: list[dict[str, Any]],
    spans: list[range],
    request: str,
) -> None:
    """Flag CSV rows whose field count differs from the header's (trailing empties ignored).

    A row over several lines with the wrong width is a quote that swallowed a line break: the
    file cannot be read row by row and is rejected.
    """
    header = grid[header_row]
    width = len(header)
    while width and not str(header[width - 1] or "").strip():
        width -= 1
    for record in records:
        index = data_start + record["_row_number"] - 1
        row = grid[index]
        length = len(row)
        while length > width and not str(row[length - 1] or "").strip():
            length -= 1
        if length != width and len(spans[index]) > 1:
            raise PlatformError(
                f"unbalanced quote at line {spans[index].start}: a row runs over lines "
                f"{spans[index].start}-{spans[index].stop - 1} with {len(row)} fields instead "
                f"of {width}; the file cannot be read row by row and is rejected",
                platform=PLATFORM,
                request=request,
            )
        if length != width:
            problem = f"expected {width} fields, found {len(row)}"
            record["_parse_error"] = (
                f"{record['_parse_error']}; {problem}" if record["_parse_error"] else problem
            )
