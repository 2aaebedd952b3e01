"""Secondary (complementary) suppression of the Council file, across all its tables.

The dbt marts apply primary suppression cell by cell (a cell of 1..threshold-1 people is
null). Here, on the staged ``council.duckdb`` before it is published, two rules close the gaps
between cells and tables:

1. Dependent figures follow the cells they are derived from (:mod:`.shares`): a share or rate
   is null when a cell it divides is hidden.
2. Complementary suppression: the file is read as the auditor (:mod:`.audit`) reads it, and a
   search in memory (:mod:`.search`) hides, for each hidden cell the auditor's propagation can
   pin down, more published figures, until none can be. A hidden people count hides its whole
   row (``suppressed = true``); another hidden count leaves the row ``partially_suppressed``.

Because the search and the auditor use the same relations, the file it leaves passes the audit;
``publish_council`` audits it once more, from scratch, and refuses to publish if anything is
left. docs/council.md has the method and its figures.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.publish.disclosure.build import build_system, collector_paused
from ingestion.publish.disclosure.layout import FIGURE_ROW_NULLS, KEYS, stated_rules
from ingestion.publish.disclosure.search import complementary_search
from ingestion.publish.disclosure.shares import hide_dependent_shares, table_columns
from ingestion.publish.disclosure.system import Var
from ingestion.publish.threshold import min_cell_size

log = logging.getLogger(__name__)


def _hide_all(con: duckdb.DuckDBPyConnection, chosen: list[Var]) -> None:
    """Write the hidden figures to the file: one update per table and kind of figure."""
    groups: dict[tuple[str, str], list[tuple]] = {}
    whole_rows = {var[:-1] for var in chosen if var[-1] == "people_trained"}
    for var in chosen:
        if var[-1] != "people_trained" and var[:-1] in whole_rows:
            continue  # nulled with its row
        table, *rest = var
        keys = KEYS[table]
        if table.startswith("duplication"):
            kind = "shared_participants"
        elif rest[len(keys)] == "people_trained":
            kind = "row"
        else:
            kind = rest[len(keys)]
        groups.setdefault((table, kind), []).append(tuple(rest[: len(keys)]))
    for (table, kind), rows in sorted(groups.items()):
        keys = KEYS[table]
        if kind == "shared_participants":
            nulls, flag = ["shared_participants"], "suppressed"
        elif kind == "row":
            nulls, flag = list(FIGURE_ROW_NULLS), "suppressed"
        else:
            nulls, flag = [kind], "partially_suppressed"
        columns = table_columns(con, table)
        sets = ", ".join(
            [f"{c} = null" for c in nulls if c in columns]
            + ([f"{flag} = true"] if flag in columns else [])
        )
        frame = pa.Table.from_pylist([dict(zip(keys, row, strict=True)) for row in rows])
        con.register("hidden_keys", frame)
        where = " and ".join(f"{table}.{k} = hidden_keys.{k}" for k in keys)
        con.execute(f"update {table} set {sets} from hidden_keys where {where}").fetchall()
        con.unregister("hidden_keys")


def protect(db_path: Path, threshold: int | None = None, max_rounds: int = 20) -> list[Var]:
    """Apply secondary suppression to ``db_path`` in place; returns the figures it hid.

    Each pass applies rule 1 to the file, reads it as the auditor does and runs the
    complementary search in memory to its end, then writes what it hid. A pass that finds
    nothing to hide is the fixed point; more than one is needed only where the file's rule 1
    hides a share the in-memory search had kept (or the reverse).
    """
    threshold = min_cell_size() if threshold is None else threshold
    with collector_paused():
        return _passes(Path(db_path), threshold, max_rounds)


def _passes(db_path: Path, threshold: int, max_rounds: int) -> list[Var]:
    """The passes of :func:`protect` until one hides nothing (or ``max_rounds``)."""
    hidden: list[Var] = []
    share_readings, base = stated_rules(Path(db_path))
    for _pass in range(max_rounds):
        con = duckdb.connect(str(db_path))
        try:
            hide_dependent_shares(con)
        finally:
            con.close()
        chosen: set[Var] = set()
        left = 0
        for reading in share_readings:
            system = build_system(Path(db_path), rounding_base=base, share_rest=reading)
            try:
                found, unresolved = complementary_search(
                    system, threshold, max_rounds=len(system.bounds)
                )
            except ValueError:
                continue  # a reading the file contradicts is not the file's (as in the audit)
            chosen.update(found)
            left += unresolved
        if left:
            log.warning("no complement left for %d disclosed cell(s)", left)
        if not chosen:
            break
        con = duckdb.connect(str(db_path))
        try:
            _hide_all(con, sorted(chosen, key=str))
        finally:
            con.close()
        hidden.extend(sorted(chosen, key=str))
        log.info("secondary suppression pass %d hid %d figure(s)", _pass + 1, len(chosen))
    log.info("secondary suppression hid %d figure(s)", len(hidden))
    return hidden
