"""The layout of a seminar grid (a sheet, or a legacy CSV's rows): cell text, the bilingual
header, key/value metadata and the participant rows under the header."""

from __future__ import annotations

import re
from datetime import date, datetime, time
from typing import Any

from ingestion.connectors.base import PlatformError
from ingestion.connectors.br_workbooks.config import (
    PARTICIPANT_COLUMNS,
    PLATFORM,
    BrConfig,
    normalize_label,
)

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
