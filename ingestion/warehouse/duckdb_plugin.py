"""A dbt-duckdb plugin: registers the project's SQL functions on every connection dbt opens.

``capdev_pseudonym(text)``: :func:`ingestion.pseudonym.pseudonymize`, the one
pseudonymization rule, with the key read from the environment (never written into SQL, so
neither compiled models nor the warehouse's view definitions hold it).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from ingestion.pseudonym import pseudonym_key, pseudonymize


def _pseudonymize_column(texts: pa.Array) -> pa.Array:
    key = pseudonym_key()
    return pa.array(
        [None if t is None else pseudonymize(t, key) for t in texts.to_pylist()], pa.string()
    )


class Plugin(BasePlugin):
    """Loaded by ``profiles.yml`` (``plugins: [{module: ingestion.warehouse.duckdb_plugin}]``)."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        # Refuse at once a run (by hand, bypassing the pipeline) without a real key: nothing
        # may be hashed with the public development key outside demo and test mode.
        pseudonym_key()
        conn.create_function(
            "capdev_pseudonym", _pseudonymize_column, ["VARCHAR"], "VARCHAR", type="arrow"
        )
