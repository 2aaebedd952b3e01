"""A dbt-duckdb plugin: registers the project's SQL functions on every connection dbt opens.

The published keys of :mod:`ingestion.pseudonym`, the one definition of each, with the key read
from the environment (never written into SQL, so neither compiled models nor the warehouse's
view definitions hold it):

* ``capdev_participant_record_key(platform, source_record_key)``;
* ``capdev_participant_key(record_key)``.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
from dbt.adapters.duckdb.plugins import BasePlugin

from ingestion.pseudonym import participant_key, participant_record_key, pseudonym_key


def _record_key_column(platforms: pa.Array, source_keys: pa.Array) -> pa.Array:
    # a missing part gives NULL, as SQL's || would
    key = pseudonym_key()
    pairs = zip(platforms.to_pylist(), source_keys.to_pylist(), strict=True)
    return pa.array(
        [None if p is None or s is None else participant_record_key(p, s, key) for p, s in pairs],
        pa.string(),
    )


def _participant_key_column(record_keys: pa.Array) -> pa.Array:
    key = pseudonym_key()
    return pa.array(
        [None if r is None else participant_key(r, key) for r in record_keys.to_pylist()],
        pa.string(),
    )


class Plugin(BasePlugin):
    """Loaded by ``profiles.yml`` (``plugins: [{module: ingestion.warehouse.duckdb_plugin}]``)."""

    def configure_connection(self, conn: duckdb.DuckDBPyConnection) -> None:
        # Refuse at once a run (by hand, bypassing the pipeline) without a real key: nothing
        # may be hashed with the public development key outside demo and test mode.
        pseudonym_key()
        for name, function, parameters in (
            ("capdev_participant_record_key", _record_key_column, ["VARCHAR", "VARCHAR"]),
            ("capdev_participant_key", _participant_key_column, ["VARCHAR"]),
        ):
            conn.create_function(name, function, parameters, "VARCHAR", type="arrow")
