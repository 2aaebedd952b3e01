"""The choice of complements: which published figure to hide so that a disclosed cell is not.

One complement per disclosed cell, the cheapest (:func:`complement_cost`: a rounded crossed
cell first, a headline last, never a year's total or headline for a crossed cell), found
breadth-first from the relations that pin the cell (:func:`complements`); in the long tail of
a cascade, every cheap published figure of a pinning relation at once (:func:`partners`). The
choice is greedy, not optimal: it hides more than an optimal complementary suppression would.
"""

from __future__ import annotations

import math

from ingestion.publish.disclosure.audit import published_twin
from ingestion.publish.disclosure.layout import ADDITIVE, CROSS_TABLE, KEYS
from ingestion.publish.disclosure.system import Constraint, Disclosure, System, Var

# The cost of a year's total (and above it a headline), never a complement of a crossed cell,
# and of a figure that is never a complement at all (:func:`complement_cost`).
YEAR_TOTAL = 4
NEVER = 6


def vacuous(c: Constraint) -> bool:
    """A relation with no bounds left (a share nulled with one of its cells)."""
    return c.lo == -math.inf and c.hi == math.inf


def is_published(system: System, var: Var) -> bool:
    """``var`` is a figure the file states (neither hidden nor left out)."""
    return var not in system.suppressed and var not in system.synthetic


def _twin(c: Constraint, var: Var) -> Var | None:
    """The other figure of an identity ``var = twin`` (a crossed margin and its period row)."""
    if c.lo == c.hi == 0 and len(c.terms) == 2 and sorted(c.terms.values()) == [-1.0, 1.0]:
        others = [v for v in c.terms if v != var]
        if len(others) == 1:
            return others[0]
    return None


def complement_cost(system: System, var: Var) -> int:
    """How dear a people count is as a complement (lower is hidden first): a rounded crossed
    cell, then the finest figure tables (activity cells, duplication), then the period
    breakdowns and the headlines Council reads first (hiding a people count there hides its
    row's event counts, and those in every period of their series); last, a crossed margin
    whose exact twin is published (hiding it alone hides nothing). Event counts (published
    rounded, in series) all cost the same: a part before a total, the smallest first."""
    table = var[0]
    if var[-1] in ADDITIVE:
        return 1
    if table == CROSS_TABLE:
        return NEVER if _has_published_twin(system, var) else 0
    if table == "period_figures":
        if var[1] != var[2]:
            return 2
        return YEAR_TOTAL if var[4] == "overall" else YEAR_TOTAL - 1
    if table == "headline_figures":
        return YEAR_TOTAL + 1
    return 1


def _has_published_twin(system: System, var: Var) -> bool:
    """``var`` is a crossed margin whose exact twin (a period row, a headline) is published:
    hiding it would hide nothing, so it is never a complement."""
    return published_twin(system, var) is not None


def _complement(
    system: System, disclosure: Disclosure, disclosed: frozenset = frozenset()
) -> Var | None:
    """A published figure whose hiding breaks a relation that pins the disclosed cell.

    Breadth-first from the relations that pin the cell, through the hidden cells in them. With
    the crossed table: a cell of another table that equals a crossed margin the same audit also
    finds disclosed (``disclosed``) gets none this round (``None``): the crossed cell's
    complement frees both. Among the figures of the nearest relations, the cheapest
    (:func:`complement_cost`): a rounded crossed cell first, a period breakdown, total or
    headline last."""
    seen: set[int] = set()
    # a crossed cell never costs a year's total or a headline (see _crossed_slice)
    crossed = disclosure.cell[0] == CROSS_TABLE
    frontier = [c for c in disclosure.relations if not vacuous(c)]
    if disclosure.cell[0] != CROSS_TABLE and any(
        (twin := _twin(c, disclosure.cell)) and twin[0] == CROSS_TABLE and twin in disclosed
        for c in frontier
    ):
        return None  # equal to a disclosed crossed cell: that one's complement frees both
    # Breadth-first over the relations: the pinning may come through other hidden cells.
    for _depth in range(8):
        candidates = []
        next_frontier: list[Constraint] = []
        for constraint in frontier:
            if id(constraint) in seen or vacuous(constraint):
                continue
            seen.add(id(constraint))
            for var, coefficient in constraint.terms.items():
                lo, hi = system.bounds[var]
                published = is_published(system, var)
                if published and hi >= 1 and var[0] in KEYS:
                    # the cheapest table first, and a part rather than the total (coefficient
                    # -1), the smallest part first; never a crossed cell with a published twin
                    cost = complement_cost(system, var)
                    if cost < (YEAR_TOTAL if crossed else NEVER):
                        candidates.append((cost, coefficient < 0, lo, str(var), var))
                elif not published:
                    next_frontier.extend(system.constraints_of(var))
        if candidates:
            return min(candidates)[-1]
        frontier = next_frontier
    return None


def _crossed_slice(system: System, var: Var) -> set[Var]:
    """Every published crossed cell of ``var``'s year and bureau that may be hidden (no
    exact twin published): the complement of last resort for a crossed cell that no nearer
    crossed or breakdown figure frees, rather than a year's total or a headline."""
    year, bureau = var[1], var[2]
    return {
        v
        for v in system.bounds
        if v[0] == CROSS_TABLE
        and v[1] == year
        and v[2] == bureau
        and is_published(system, v)
        and system.bounds[v][1] >= 1
        and complement_cost(system, v) == 0
    }


def complements(system: System, disclosure: Disclosure, disclosed: frozenset) -> set[Var]:
    """The complement of one disclosed cell this round (:func:`_complement`); for a crossed
    cell none is found, the rest of its year and bureau in the crossed table."""
    var = _complement(system, disclosure, disclosed)
    if var is not None:
        return {var}
    if disclosure.cell[0] == CROSS_TABLE:
        return _crossed_slice(system, disclosure.cell)
    return set()


def partners(system: System, disclosure: Disclosure) -> set[Var]:
    """Every published figure of the relations that pin ``disclosure``'s cell; only the
    cheap ones (rounded crossed cells, fine figure-table cells) when there are any."""
    found = {
        var
        for c in disclosure.relations
        if not vacuous(c)
        for var in c.terms
        if var[0] in KEYS and is_published(system, var) and system.bounds[var][1] >= 1
    }
    costs = {var: complement_cost(system, var) for var in found}
    cheap = {var for var, cost in costs.items() if cost <= 1}
    below_totals = {var for var, cost in costs.items() if cost < YEAR_TOTAL}
    dearest = YEAR_TOTAL if disclosure.cell[0] == CROSS_TABLE else NEVER
    return cheap or below_totals or {var for var, cost in costs.items() if cost < dearest}
