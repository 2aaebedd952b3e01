"""Reading an ``.xlsx`` seminar workbook with openpyxl: merged cells filled, the participant
and Seminar sheets picked, formula cells without a cached value flagged."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ingestion.connectors.base import EntityExtract, PlatformError
from ingestion.connectors.br_workbooks.config import PLATFORM, BrConfig, normalize_label
from ingestion.connectors.br_workbooks.files import seminar_key
from ingestion.connectors.br_workbooks.layout import Grid, key_values, participant_records
from ingestion.connectors.br_workbooks.records import _seminar_record, _without_duplicates

log = logging.getLogger(__name__)


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
