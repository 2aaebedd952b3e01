"""Secondary (complementary) suppression of the Council file, across all its tables.

The dbt marts apply primary suppression cell by cell (a cell of 1..threshold-1 people is
null). Here, on the staged ``council.duckdb`` before it is published, two rules close the gaps
between cells and tables:

1. Dependent figures follow the cells they are derived from: ``women_share`` of an overall or
   headline cell (women / (women + men)) is null when the women or men cell of the same group
   is hidden, and ``completion_rate`` is null wherever ``completions`` is.
2. Complementary suppression: the disclosure auditor (``council_audit``) runs on the file; for
   each hidden cell it can pin down, one more published figure of a relation that pinned it is
   hidden too (a part of a breakdown rather than its total, the smallest first, to lose the
   least), and the audit runs again, until no hidden cell can be recovered. The choice is
   greedy, not optimal: it can hide more than an optimal complementary suppression would. A
   hidden people count hides its whole row (``suppressed = true``); another hidden count
   leaves the row ``partially_suppressed``.

Because the auditor and this loop use the same relations, the file it leaves passes the audit;
``publish_council`` audits it once more and refuses to publish if anything is left.
"""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb

from ingestion.publish.council_audit import Constraint, Disclosure, System, Var, readings
from ingestion.publish.reporting.data import MEASURES
from ingestion.publish.threshold import min_cell_size

log = logging.getLogger(__name__)

# The key columns of each table, in the order the auditor's cell names use them.
KEYS = {
    "period_figures": ("period_from", "period_to", "bureau", "dimension", "category"),
    "headline_figures": ("year", "bureau"),
    "activity_figures": (
        "year",
        "bureau",
        "region",
        "topic",
        "activity_type",
        "delivery_mode",
    ),
    "duplication_by_period": ("period_from", "period_to", "bureau_a", "bureau_b", "topic"),
    "duplication_summary": ("bureau_a", "bureau_b", "topic"),
}
# A suppressed figure row keeps its activity count (never a people count) and its flags.
FIGURE_ROW_NULLS = tuple(
    m for m in MEASURES if m not in ("activities", "suppressed", "partially_suppressed")
)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ?", [table]
    ).fetchall()
    return {name for (name,) in rows}


def _hide_dependent_shares(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 1: a share or rate is null when a cell it is computed from is hidden."""
    needed = {"women_share", "partially_suppressed", "people_trained", "completion_rate"}
    if not needed <= _columns(con, "period_figures") & _columns(con, "headline_figures"):
        return  # not the Council marts' layout: the audit and the scan judge it as it is
    con.execute(
        """
        update period_figures as p
        set women_share = null, partially_suppressed = true
        where p.dimension = 'overall' and p.women_share is not null and exists (
            select 1 from period_figures as g
            where g.period_from = p.period_from and g.period_to = p.period_to
              and g.bureau = p.bureau and g.dimension = 'gender'
              and g.category in ('women', 'men') and g.people_trained is null
        )
        """
    )
    con.execute(
        """
        update headline_figures as h
        set women_share = null, partially_suppressed = true
        where h.women_share is not null and exists (
            select 1 from period_figures as p
            where p.period_from = h.year and p.period_to = h.year and p.bureau = h.bureau
              and p.dimension = 'overall' and p.women_share is null
        )
        """
    )
    for table in ("period_figures", "headline_figures", "activity_figures"):
        if "completion_rate" not in _columns(con, table):
            continue
        con.execute(
            f"update {table} set completion_rate = null, partially_suppressed = true "
            "where completions is null and completion_rate is not null"
        )


def _complement(system: System, disclosure: Disclosure) -> Var | None:
    """A published figure whose hiding breaks a relation that pins the disclosed cell."""
    seen: set[int] = set()
    frontier: list[Constraint] = list(disclosure.relations)
    # Breadth-first over the relations: the pinning may come through other hidden cells.
    for _depth in range(8):
        candidates = []
        next_frontier: list[Constraint] = []
        for constraint in frontier:
            if id(constraint) in seen:
                continue
            seen.add(id(constraint))
            for var, coefficient in constraint.terms.items():
                lo, hi = system.bounds[var]
                published = var not in system.suppressed and var not in system.synthetic
                if published and hi >= 1 and var[0] in KEYS:
                    # a part rather than the total (coefficient -1): totals are what Council
                    # reads first, so a breakdown cell is hidden in their place
                    candidates.append((coefficient < 0, lo, str(var), var))
                elif not published:
                    next_frontier.extend(system.constraints_of(var))
        if candidates:
            return min(candidates)[3]
        frontier = next_frontier
    return None


def _hide(con: duckdb.DuckDBPyConnection, var: Var) -> None:
    table, *rest = var
    keys = KEYS[table]
    values, measure = rest[: len(keys)], rest[len(keys)]
    where = " and ".join(f"{k} = ?" for k in keys)
    if table.startswith("duplication"):
        nulls, flag = ["shared_participants"], "suppressed"
    elif measure == "people_trained":
        nulls, flag = list(FIGURE_ROW_NULLS), "suppressed"
    else:
        nulls, flag = [measure], "partially_suppressed"
    columns = _columns(con, table)
    sets = ", ".join(
        [f"{c} = null" for c in nulls if c in columns]
        + ([f"{flag} = true"] if flag in columns else [])
    )
    con.execute(f"update {table} set {sets} where {where}", list(values))


def protect(db_path: Path, threshold: int | None = None, max_rounds: int = 100) -> list[Var]:
    """Apply secondary suppression to ``db_path`` in place; returns the figures it hid."""
    threshold = min_cell_size() if threshold is None else threshold
    hidden: list[Var] = []
    for _round in range(max_rounds):
        con = duckdb.connect(str(db_path))
        try:
            _hide_dependent_shares(con)
        finally:
            con.close()
        chosen: set[Var] = set()
        found = 0
        for system, disclosures in readings(db_path, threshold):
            found += len(disclosures)
            chosen |= {c for d in disclosures if (c := _complement(system, d)) is not None}
        if not found:
            break
        if not chosen:
            log.warning("no complement left for %d disclosed cell(s)", found)
            break
        con = duckdb.connect(str(db_path))
        try:
            for var in sorted(chosen, key=str):
                _hide(con, var)
        finally:
            con.close()
        hidden.extend(sorted(chosen, key=str))
    log.info("secondary suppression hid %d figure(s)", len(hidden))
    return hidden
