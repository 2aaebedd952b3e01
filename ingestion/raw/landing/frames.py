"""The landed rows: deterministic batch ids, lineage columns, and the columns a batch fills."""

from __future__ import annotations

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
