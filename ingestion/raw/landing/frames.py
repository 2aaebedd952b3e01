"""The landed rows: deterministic batch ids, lineage columns, the columns a batch fills and the
hash of its content."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime

import polars as pl

LINEAGE_COLUMNS = (
    "_platform",
    "_entity",
    "_batch_id",
    "_source",
    "_row_number",
    "_loaded_at",
    "_parse_error",
)


def batch_id_for(platform: str, entity: str, load_date: date, file_key: str | None = None) -> str:
    """The deterministic batch id of a logical date (and dropped file)."""
    parts = [platform, entity, load_date.strftime("%Y%m%d")]
    if file_key:
        parts.append(file_key)
    return "__".join(parts)


def records_frame(
    records: list[dict], *, platform: str, entity: str, batch_id: str, loaded_at: datetime
) -> pl.DataFrame:
    """Records plus lineage columns, as a frame. Values keep their wire types.

    Nested values that a connector left as Python objects are serialised to JSON text, so that a
    column never mixes structs and scalars across pages.
    """
    rows = []
    for number, record in enumerate(records, start=1):
        row = {
            key: json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value
            for key, value in record.items()
            if not key.startswith("_")
        }
        row.update(
            _platform=platform,
            _entity=entity,
            _batch_id=batch_id,
            _source=record.get("_source"),
            _row_number=record.get("_row_number", number),
            _loaded_at=loaded_at,
            _parse_error=record.get("_parse_error"),
        )
        rows.append(row)
    if not rows:
        return pl.DataFrame(
            schema={
                "_platform": pl.String,
                "_entity": pl.String,
                "_batch_id": pl.String,
                "_source": pl.String,
                "_row_number": pl.Int64,
                "_loaded_at": pl.Datetime("us", "UTC"),
                "_parse_error": pl.String,
            }
        )
    # infer_schema_length=None: a column that is null on the first pages must still get its type.
    frame = pl.DataFrame(rows, infer_schema_length=None)
    return frame.with_columns(
        pl.col("_row_number").cast(pl.Int64),
        pl.col("_parse_error").cast(pl.String),
        pl.col("_source").cast(pl.String),
    )


def columns_filled(frame: pl.DataFrame) -> dict[str, str]:
    """The data columns holding a value in at least one row, with their type (for the next
    batch's schema-drift check)."""
    data = [c for c in frame.columns if not c.startswith("_")]
    if not data or frame.is_empty():
        return {}
    filled = frame.select(pl.col(data).is_not_null().any()).row(0, named=True)
    return {name: str(frame.schema[name]) for name, any_value in filled.items() if any_value}


# Rows hashed per slice: the canonical text of a whole large pull is never held at once.
_HASH_SLICE_ROWS = 50_000


def content_hashes(frame: pl.DataFrame, scope: tuple[str, ...] = ()) -> dict[str, str]:
    """The landed content of a pull, hashed per value of its ``scope`` columns (none: one hash
    of the whole pull, under the key ``[]``), whatever the order of its rows and columns.

    A hash covers the data columns (names, types, values, nulls) and ``_parse_error``; the other
    lineage columns say when and from which request a row came, not what it holds, and an API
    pull's ``_row_number`` is only its place in the pull. Rows are sorted on every column and
    written as JSON lines (a null, an empty text and a number as text stay distinct), so two
    scopes with the same hash hold the same rows (as a multiset). Keys are the scope values as
    JSON (``[1234]`` for course 1234).
    """
    if frame.is_empty():
        return {}
    columns = sorted(c for c in frame.columns if not c.startswith("_")) + ["_parse_error"]
    present = [c for c in columns if c in frame.columns]
    schema = json.dumps([(name, str(frame.schema[name])) for name in present])
    rows = frame.select(present).sort(present, nulls_last=True)
    if not scope or not set(scope) <= set(rows.columns):
        return {"[]": _digest(schema, rows)}
    parts = rows.partition_by(list(scope), as_dict=True, maintain_order=True)
    return {
        json.dumps(list(key), default=str): _digest(schema, part) for key, part in parts.items()
    }


def _digest(schema: str, rows: pl.DataFrame) -> str:
    digest = hashlib.sha256(schema.encode("utf-8"))
    for start in range(0, rows.height, _HASH_SLICE_ROWS):
        digest.update(rows.slice(start, _HASH_SLICE_ROWS).write_ndjson().encode("utf-8"))
    return digest.hexdigest()
