"""The dbt-facing entry: the warehouse's clusters table (int_participant_clusters) from
int_participant_records_for_linking, with each record's pairs, and the run appended to the run
log ``ops.identity_runs`` reads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.warehouse.identity.decisions import Decision
from ingestion.warehouse.identity.features import InputColumns
from ingestion.warehouse.identity.model import ModelOptions
from ingestion.warehouse.identity.pairs import PAIRS_SCHEMA
from ingestion.warehouse.identity.resolve import (
    DEFAULT_OPTIONS,
    DEFAULT_THRESHOLD,
    load_records,
    resolve_explained,
)
from ingestion.warehouse.identity.runs import append_run

#: A pair of the warehouse's clusters table, on the record of its smaller record id.
PAIR_TYPE = pa.struct(
    [
        ("record_id_r", pa.string()),
        *(f for f in PAIRS_SCHEMA if f.name not in ("record_l", "record_r")),
    ]
)

#: The warehouse's clusters table (what the dbt Python model int_participant_clusters returns).
CLUSTERS_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("source_record_key", pa.string()),
        ("cluster_id", pa.string()),
        ("cluster_size", pa.int64()),
        ("resolution", pa.string()),
        ("pairs", pa.list_(PAIR_TYPE)),
    ]
)

#: Column names of int_participant_records_for_linking (the dbt model giving the one shape).
LINKING_COLUMNS = InputColumns(record_key="record_id", country="country")


def resolve_participant_records(
    con: duckdb.DuckDBPyConnection,
    records: duckdb.DuckDBPyRelation,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    pairs_from: float | None = None,
    decisions: duckdb.DuckDBPyRelation | None = None,
    options: ModelOptions = DEFAULT_OPTIONS,
    run_log: Path | None = None,
) -> pa.Table:
    """The int_participant_clusters table from int_participant_records_for_linking: one row
    per participant record (platform, source_record_key), with cluster_id (an opaque label
    shared by one person's records: a hash of its smallest record id), cluster_size,
    resolution, and ``pairs``: the pairs (:mod:`.pairs`) whose smaller record id is this
    record's, each with the other record's id. No secret is involved: the pseudonymous
    participant_key is derived from the cluster in core.participant_crosswalk.

    ``pairs_from``: see :func:`.resolve.resolve_explained`. ``decisions``: a relation of reviewed
    decisions (record_id_a, record_id_b, decision; a null record id names a key that no longer
    exists). ``run_log``: a JSON-lines file the run's summary is appended to (read by
    ops.identity_runs)."""
    table = load_records(con, records, LINKING_COLUMNS)
    resolution = resolve_explained(
        table, threshold=threshold, pairs_from=pairs_from, columns=LINKING_COLUMNS,
        options=options, decisions=_decisions(decisions),
    )  # fmt: skip
    if run_log is not None:
        append_run(run_log, resolution.run)
    con.register("__identity_resolved", resolution.clusters)
    con.register("__identity_pairs", resolution.pairs)
    try:
        fields = ", ".join(f"{f.name} := {f.name}" for f in PAIR_TYPE if f.name != "record_id_r")
        pairs = con.sql(
            f"select record_l, list(struct_pack(record_id_r := record_r, {fields}) "
            "order by record_r, rule) as pairs from __identity_pairs group by record_l"
        )
        out = records.set_alias("r").join(
            con.table("__identity_resolved").set_alias("c"),
            "r.record_id = c.participant_record_key",
        ).join(pairs.set_alias("p"), "p.record_l = r.record_id", how="left").select(
            "r.platform, r.source_record_key, sha256(c.cluster_id) as cluster_id, "
            "c.cluster_size, c.resolution, coalesce(p.pairs, []) as pairs"
        ).order("platform, source_record_key").arrow()  # fmt: skip
        out = out.read_all() if isinstance(out, pa.RecordBatchReader) else out
    finally:
        con.unregister("__identity_resolved")
        con.unregister("__identity_pairs")
    return out.cast(CLUSTERS_SCHEMA)


def _decisions(relation: duckdb.DuckDBPyRelation | None) -> list[Decision]:
    """The reviewed decisions of a relation (record_id_a, record_id_b, decision)."""
    if relation is None:
        return []
    rows = relation.select("record_id_a, record_id_b, decision").fetchall()
    return [Decision(a, b, decision) for a, b, decision in rows]
