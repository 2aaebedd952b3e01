"""Secondary (complementary) suppression of the Council file, across all its tables.

The dbt marts apply primary suppression cell by cell (a cell of 1..threshold-1 people is
null). Here, on the staged ``council.duckdb`` before it is published, two rules close the gaps
between cells and tables:

1. Dependent figures follow the cells they are derived from: ``women_share`` of an overall or
   headline cell (women / (women + men)) is null when the women or men cell of the same group
   is hidden, and ``completion_rate`` is null wherever ``completions`` is. The same for the
   crossed table ``people_by_group``: the ``women_share`` of a single-year region or
   participant-region row, and the ``developing_share`` of any single-year row, are null when
   the crossed cells they divide (women / men; developing / developed) are hidden.
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

from ingestion.publish.council_audit import (
    CROSS_KEYS,
    CROSS_TABLE,
    Constraint,
    Disclosure,
    System,
    Var,
    readings,
)
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
    CROSS_TABLE: CROSS_KEYS,
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
    if {"gender_code", "country_group_code"} <= _columns(con, CROSS_TABLE):
        _hide_shares_of_crossed_cells(con)
    for table in ("period_figures", "headline_figures", "activity_figures"):
        if "completion_rate" not in _columns(con, table):
            continue
        con.execute(
            f"update {table} set completion_rate = null, partially_suppressed = true "
            "where completions is null and completion_rate is not null"
        )


def _hide_shares_of_crossed_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 1 for people_by_group: a single-year share whose numerator or rest is a hidden
    crossed cell is hidden (women_share of a region or participant-region row; developing_share
    of every row), so that share x published cell does not give the hidden cell back."""
    # the crossed cell (country group and gender aside) of a single-year period row
    same_cell = """
        c.year = p.period_from and c.bureau = p.bureau
        and (
            (p.dimension = 'overall' and c.participant_region_code = 'ALL'
                and c.activity_region_code = 'ALL' and c.gender_code = 'ALL')
            or (p.dimension = 'region' and c.activity_region = p.category
                and c.participant_region_code = 'ALL' and c.gender_code = 'ALL')
            or (p.dimension = 'participant_region' and c.participant_region = p.category
                and c.activity_region_code = 'ALL' and c.gender_code = 'ALL')
            or (p.dimension = 'gender' and c.gender_code = p.category
                and c.participant_region_code = 'ALL' and c.activity_region_code = 'ALL')
        )
    """
    # the margins of the crossed table are the people of a period row: hidden in one table,
    # hidden in the other
    con.execute(
        f"""
        update {CROSS_TABLE} as c
        set people_trained = null, suppressed = true
        where c.people_trained is not null and c.country_group_code = 'ALL' and exists (
            select 1 from period_figures as p
            where p.period_from = p.period_to and p.people_trained is null and {same_cell}
        )
        """
    )
    nulls = ", ".join(
        f"{c} = null" for c in FIGURE_ROW_NULLS if c in _columns(con, "period_figures")
    )
    con.execute(
        f"""
        update period_figures as p
        set {nulls}, suppressed = true
        where p.period_from = p.period_to and p.people_trained is not null and exists (
            select 1 from {CROSS_TABLE} as c
            where c.people_trained is null and c.country_group_code = 'ALL' and {same_cell}
        )
        """
    )
    con.execute(
        f"""
        update period_figures as p
        set developing_share = null, partially_suppressed = true
        where p.period_from = p.period_to and p.developing_share is not null and exists (
            select 1 from {CROSS_TABLE} as c
            where {same_cell}
              and c.country_group_code in ('developing', 'developed')
              and c.people_trained is null
        )
        """
    )
    con.execute(
        f"""
        update period_figures as p
        set women_share = null, partially_suppressed = true
        where p.period_from = p.period_to and p.women_share is not null
          and p.dimension in ('region', 'participant_region') and exists (
            select 1 from {CROSS_TABLE} as c
            where c.year = p.period_from and c.bureau = p.bureau
              and c.country_group_code = 'ALL' and c.gender_code in ('women', 'men')
              and c.people_trained is null
              and (
                (p.dimension = 'region' and c.activity_region = p.category
                    and c.participant_region_code = 'ALL')
                or (p.dimension = 'participant_region' and c.participant_region = p.category
                    and c.activity_region_code = 'ALL')
              )
        )
        """
    )
    con.execute(
        """
        update headline_figures as h
        set developing_share = null, partially_suppressed = true
        where h.developing_share is not null and exists (
            select 1 from period_figures as p
            where p.period_from = h.year and p.period_to = h.year and p.bureau = h.bureau
              and p.dimension = 'overall' and p.developing_share is null
        )
        """
    )


def _published(system: System, var: Var) -> bool:
    return var not in system.suppressed and var not in system.synthetic


def _twin(c: Constraint, var: Var) -> Var | None:
    """The other figure of an identity ``var = twin`` (a crossed margin and its period row)."""
    if c.lo == c.hi == 0 and len(c.terms) == 2 and sorted(c.terms.values()) == [-1.0, 1.0]:
        others = [v for v in c.terms if v != var]
        if len(others) == 1:
            return others[0]
    return None


def _has_published_twin(system: System, var: Var) -> bool:
    """``var`` equals a published figure of another table (a crossed margin and its period
    row): hiding it alone would hide nothing, so it is the last choice of complement."""
    for c in system.constraints_of(var):
        twin = _twin(c, var)
        if twin is not None and _published(system, twin):
            return True
    return False


def _complement(
    system: System, disclosure: Disclosure, disclosed: frozenset = frozenset()
) -> Var | None:
    """A published figure whose hiding breaks a relation that pins the disclosed cell.

    Breadth-first from the relations that pin the cell, through the hidden cells in them. With
    the crossed table: a cell of another table that equals a crossed margin the same audit also
    finds disclosed (``disclosed``) gets none this round (``None``): the crossed cell's
    complement frees both. A crossed margin whose twin in another table is published is the
    last choice, after the cells of farther relations (hiding it would hide its twin, a figure
    Council reads first); a crossed cell comes before the others."""
    seen: set[int] = set()
    frontier: list[Constraint] = list(disclosure.relations)
    if disclosure.cell[0] != CROSS_TABLE and any(
        (twin := _twin(c, disclosure.cell)) and twin[0] == CROSS_TABLE and twin in disclosed
        for c in frontier
    ):
        return None  # equal to a disclosed crossed cell: that one's complement frees both
    fallback: list[tuple] = []
    # pinned by an equation of published figures alone: only hiding one of them breaks it
    direct = any(
        c.lo == c.hi and all(v == disclosure.cell or _published(system, v) for v in c.terms)
        for c in frontier
    )
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
                published = _published(system, var)
                if published and hi >= 1 and var[0] in KEYS:
                    # a cell of the crossed table rather than of the other tables, and a part
                    # rather than the total (coefficient -1): totals and the single breakdowns
                    # are what Council reads first, so a finer cell is hidden in their place
                    candidates.append(
                        (
                            var[0] == CROSS_TABLE and _has_published_twin(system, var),
                            var[0] != CROSS_TABLE,
                            coefficient < 0,
                            lo,
                            str(var),
                            var,
                        )
                    )
                elif not published:
                    next_frontier.extend(system.constraints_of(var))
        if candidates and (not min(candidates)[0] or (direct and _depth == 0)):
            return min(candidates)[-1]
        # only crossed margins with a published twin here, and the pin goes through other
        # hidden cells: a cell of a farther relation costs less
        fallback = fallback or candidates
        frontier = next_frontier
    return min(fallback)[-1] if fallback else None


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
            cells = frozenset(d.cell for d in disclosures)
            complements = {_complement(system, d, cells) for d in disclosures} - {None}
            if disclosures and not complements:
                complements = {_complement(system, d) for d in disclosures} - {None}
            chosen |= complements
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
