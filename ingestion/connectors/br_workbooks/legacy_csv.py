"""Reading a legacy seminar ``.csv`` (cp1252, ``;``) and its metadata sidecar."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from ingestion.connectors.base import EntityExtract, PlatformError, RawPage
from ingestion.connectors.br_workbooks.config import PLATFORM, BrConfig
from ingestion.connectors.br_workbooks.files import find_sidecar, seminar_key
from ingestion.connectors.br_workbooks.layout import Grid, key_values, participant_records
from ingestion.connectors.br_workbooks.records import _seminar_record, _without_duplicates
from ingestion.connectors.text_files import (
    decode_bytes,
    parse_csv,
    reject_out_of_step,
)

log = logging.getLogger(__name__)


def _csv_grid(
    raw: bytes, config: BrConfig, request: str
) -> tuple[Grid, dict[int, str], str, list[range]]:
    """Rows of a legacy CSV, decoding problems per row index, the encoding used, and the
    physical lines each row spans.

    A file that cannot be read to its end (CSV syntax error, unbalanced quote) is rejected by
    :func:`~ingestion.connectors.regional_csv.parse_csv` with the line number.
    """
    decoded = decode_bytes(raw, config.csv_encoding)
    reject_out_of_step(decoded, platform=PLATFORM, request=request)
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
