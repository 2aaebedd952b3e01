"""Text normalisation for Python callers, defined once: by the dbt macros of
``dbt_project/macros/text.sql``.

``normalize_key`` is the join key of every lookup seed in the warehouse (country aliases, gender
codes, taxonomy terms): lower case, accents and the letters ``strip_accents`` leaves alone folded,
white space collapsed, punctuation runs turned into one space, empty text absent. Validation must
fold text exactly so (a spelling the warehouse maps must not be quarantined as unknown, as
"Benín" once was), so it does not re-implement the rule: it renders the macro with Jinja (the
text macros use no dbt context) and runs that SQL in DuckDB over the values.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Iterable
from functools import cache
from typing import Any

import duckdb
import jinja2
import pyarrow as pa

from ingestion import config

_local = threading.local()
TEXT_MACROS = config.PROJECT_ROOT / "dbt_project" / "macros" / "text.sql"


@cache
def macro_sql(macro: str, expression: str = "value") -> str:
    """The SQL a macro of ``text.sql`` compiles to, applied to ``expression``."""
    module = jinja2.Environment().from_string(TEXT_MACROS.read_text(encoding="utf-8")).module
    return str(getattr(module, macro)(expression)).strip()


def _text(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    try:
        if value != value:  # pandas.NA and NaT compare unequal to themselves
            return None
    except TypeError:  # pandas.NA refuses a truth value
        return None
    return str(value)


def normalize_many(values: Iterable[Any], macro: str = "normalize_key") -> list[str | None]:
    """Every value through the macro, in one DuckDB query; None (or NaN) stays None."""
    column = pa.array([_text(v) for v in values], pa.string())
    if not len(column):
        return []
    texts = pa.table({"value": column, "position": pa.array(range(len(column)), pa.int64())})
    con = _connection()
    con.register("texts", texts)
    try:
        sql = f"select {macro_sql(macro)} from texts order by position"
        return [row[0] for row in con.execute(sql).fetchall()]
    finally:
        con.unregister("texts")


def _connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB of this thread's own (opening one costs more than the query); a
    forked worker opens its own rather than use its parent's."""
    if getattr(_local, "pid", None) != os.getpid():
        _local.connection = duckdb.connect()
        _local.pid = os.getpid()
    return _local.connection


def normalize_key(value: Any) -> str | None:
    """One value's ``normalize_key`` (prefer :func:`normalize_many` for a column)."""
    return normalize_many([value])[0]
