"""The pandas frame Great Expectations validates, and the derived columns computed for it.

A suite's ``meta.capdev.derived_columns`` name helper columns computed from the landed ones for
validation only (never landed): normalized text, epoch seconds, values read out of JSON text.
Nothing here imports Great Expectations; pandas is imported only when a frame is built.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any, Protocol

import polars as pl

from ingestion.normalize import normalize_many


class FrameSpec(Protocol):
    """What the frame needs of a suite (``suites.SuiteSpec`` has it): the optional columns to
    add as nulls when absent, and the derived columns to compute. Named here, not imported, so
    that the suites may use :data:`DERIVED_KINDS` without an import cycle."""

    optional_columns: Sequence[str]
    derived: Sequence[dict[str, Any]]


# The kinds of derived column :func:`derive` computes (a suite naming another is refused).
DERIVED_KINDS = ("normalized", "epoch", "iso8601", "json_number", "json_text", "json_pluck")


def gx_frame(frame: pl.DataFrame, spec: FrameSpec):
    """The pandas frame Great Expectations validates: the batch (integers as nullable ``Int*``,
    booleans as ``boolean``, so a null does not turn an id column into floats), absent optional
    columns as nulls, plus the suite's derived columns."""
    import pandas as pd
    import pyarrow as pa

    mapping = {
        pa.int8(): pd.Int8Dtype(),
        pa.int16(): pd.Int16Dtype(),
        pa.int32(): pd.Int32Dtype(),
        pa.int64(): pd.Int64Dtype(),
        pa.uint8(): pd.UInt8Dtype(),
        pa.uint16(): pd.UInt16Dtype(),
        pa.uint32(): pd.UInt32Dtype(),
        pa.uint64(): pd.UInt64Dtype(),
        pa.bool_(): pd.BooleanDtype(),
    }
    data = frame.to_pandas(types_mapper=mapping.get)
    data.index = pd.RangeIndex(len(data))
    for column in spec.optional_columns:
        if column not in data.columns:
            data[column] = pd.Series([None] * len(data), dtype=object)
    for derived in spec.derived:
        source = derived["from"]
        if source in data.columns:
            data[derived["name"]] = derive(data[source], derived)
    return data


def derive(column, spec: dict[str, Any]):
    """One derived column (validation only; never landed):

    * ``normalized``: the warehouse's ``normalize_key`` of the text (value sets, countries);
    * ``epoch``: epoch seconds as float, ``0`` and below as null (Moodle's "never");
    * ``iso8601``: ISO 8601 text (any offset) parsed to epoch seconds, null when unreadable
      (the parse itself is checked by a regex or strftime expectation on the text);
    * ``json_number`` / ``json_text``: the value at ``path`` of a JSON text column (a present
      value that is not a number becomes +inf, so range checks catch it);
    * ``json_pluck``: ``field`` of every object of a JSON list, normalized, joined with ``|``.
    """
    import numpy as np
    import pandas as pd

    kind = spec["kind"]
    if kind == "normalized":
        return pd.Series(normalize_many(column.tolist()), index=column.index, dtype=object)
    if kind == "epoch":
        numbers = pd.to_numeric(column, errors="coerce").astype("float64")
        return numbers.where(numbers > 0, np.nan)
    if kind == "iso8601":
        text = column.astype(object).where(column.notna(), None)
        parsed = pd.to_datetime(text, utc=True, errors="coerce", format="ISO8601")
        epoch = pd.Timestamp("1970-01-01", tz="UTC")
        return (parsed - epoch).dt.total_seconds().astype("float64")
    if kind in ("json_number", "json_text"):
        path = spec.get("path") or []

        def pick(text: Any) -> Any:
            value = _json_at(text, path)
            if kind == "json_text":
                return None if value is None else str(value)
            if value is None:
                return np.nan
            if isinstance(value, bool) or not isinstance(value, int | float):
                return math.inf
            return float(value)

        values = column.map(pick, na_action="ignore")
        if kind == "json_number":
            return pd.to_numeric(values, errors="coerce").astype("float64")
        return values.astype(object)
    if kind == "json_pluck":
        field = spec["field"]

        def pluck(text: Any) -> list[Any] | None:
            items = _json_load(text)
            if not isinstance(items, list):
                return None
            return [i.get(field) if isinstance(i, dict) else None for i in items]

        lists = [pluck(t) for t in column.tolist()]
        # every plucked value normalized in one pass, then joined back per row
        names = iter(normalize_many(v for values in lists if values for v in values))
        joined = [None if v is None else "|".join(next(names) or "" for _ in v) for v in lists]
        return pd.Series(joined, index=column.index, dtype=object)
    raise ValueError(f"unknown derived column kind {kind!r}")


_MISSING = object()


def _json_load(text: Any) -> Any:
    if not isinstance(text, str):
        return _MISSING
    try:
        return json.loads(text)
    except ValueError:
        return _MISSING


def _json_at(text: Any, path: list[str]) -> Any:
    value = _json_load(text)
    if value is _MISSING:
        return None  # unreadable JSON is reported by the json_parseable expectation
    for key in path:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value
