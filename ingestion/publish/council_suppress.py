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
2. Complementary suppression: the file is read as the auditor (``council_audit``) reads it, and
   a search in memory hides, for each hidden cell the auditor's propagation can pin down, more
   published figures, until none can be (:class:`_Search`, :func:`protect`). A hidden cell is
   hidden with every copy of it (the same number stated elsewhere; a period row's rounded twin
   in ``people_by_group``, not the reverse), a hidden event count in every period of its
   series; then one complement per pinned cell, the cheapest (:func:`_cost`: a rounded crossed
   cell first, a headline last, never a year's total or headline for a crossed cell), and
   after ``GREEDY_ROUNDS`` rounds every cheap published figure of a pinning relation. The
   choice is greedy, not optimal: it hides more than an optimal complementary suppression
   would. A hidden people count hides its whole row
   (``suppressed = true``); another hidden count leaves the row ``partially_suppressed``.

Because the search and the auditor use the same relations, the file it leaves passes the audit;
``publish_council`` audits it once more, from scratch, and refuses to publish if anything is
left. docs/council.md has the method and its figures.
"""

from __future__ import annotations

import logging
import math
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion.publish.council_audit import (
    ADDITIVE,
    CROSS_KEYS,
    CROSS_TABLE,
    Constraint,
    Disclosure,
    System,
    Var,
    _stated_rules,
    build_system,
    disclosing,
    published_twin,
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
# Rounds of the greedy choice (one complement per disclosed cell, the cheapest); after them,
# the tail of a cascade on a sparse file is closed faster by hiding every published figure of
# the relations that still pin a cell (more hidden, far fewer rounds).
GREEDY_ROUNDS = 12
# The cost of a year's total (and above it a headline), never a complement of a crossed cell,
# and of a figure that is never a complement at all (:func:`_cost`).
YEAR_TOTAL = 4
NEVER = 6
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
              and g.category in ('F', 'M') and g.people_trained is null
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
    if {"gender", "country_group"} <= _columns(con, CROSS_TABLE):
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
            (p.dimension = 'overall' and c.participant_region = 'ALL'
                and c.activity_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'region' and c.activity_region = p.category
                and c.participant_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'participant_region' and c.participant_region = p.category
                and c.activity_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'gender' and c.gender = p.category
                and c.participant_region = 'ALL' and c.activity_region = 'ALL')
        )
    """
    # a crossed margin is the people of a period row, rounded: a period row hidden is hidden
    # in the crossed table too (its rounded value would give it back to within +/- 2). Not the
    # reverse: a crossed cell hidden as a complement leaves the exact figures published.
    con.execute(
        f"""
        update {CROSS_TABLE} as c
        set people_trained = null, suppressed = true
        where c.people_trained is not null and c.country_group = 'ALL' and exists (
            select 1 from period_figures as p
            where p.period_from = p.period_to and p.people_trained is null and {same_cell}
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
              and c.country_group in ('developing', 'developed')
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
              and c.country_group = 'ALL' and c.gender in ('F', 'M')
              and c.people_trained is null
              and (
                (p.dimension = 'region' and c.activity_region = p.category
                    and c.participant_region = 'ALL')
                or (p.dimension = 'participant_region' and c.participant_region = p.category
                    and c.activity_region = 'ALL')
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


def _cost(system: System, var: Var) -> int:
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
    (:func:`_cost`): a rounded crossed cell first, a period breakdown, total or headline last."""
    seen: set[int] = set()
    # a crossed cell never costs a year's total or a headline (see _crossed_slice)
    crossed = disclosure.cell[0] == CROSS_TABLE
    frontier = [c for c in disclosure.relations if not _vacuous(c)]
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
            if id(constraint) in seen or _vacuous(constraint):
                continue
            seen.add(id(constraint))
            for var, coefficient in constraint.terms.items():
                lo, hi = system.bounds[var]
                published = _published(system, var)
                if published and hi >= 1 and var[0] in KEYS:
                    # the cheapest table first, and a part rather than the total (coefficient
                    # -1), the smallest part first; never a crossed cell with a published twin
                    cost = _cost(system, var)
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
        and _published(system, v)
        and system.bounds[v][1] >= 1
        and _cost(system, v) == 0
    }


def _complements(system: System, disclosure: Disclosure, disclosed: frozenset) -> set[Var]:
    """The complement of one disclosed cell this round (:func:`_complement`); for a crossed
    cell none is found, the rest of its year and bureau in the crossed table."""
    var = _complement(system, disclosure, disclosed)
    if var is not None:
        return {var}
    if disclosure.cell[0] == CROSS_TABLE:
        return _crossed_slice(system, disclosure.cell)
    return set()


def _row_vars(system: System, var: Var) -> list[Var]:
    """The figures hiding ``var`` hides with it: a people count hides its whole figure row
    (every count the file nulls with it), any other figure only itself."""
    table = var[0]
    if var[-1] != "people_trained" or table not in KEYS or table.startswith("duplication"):
        return [var]
    row = var[:-1]
    return [(*row, m) for m in FIGURE_ROW_NULLS if (*row, m) in system.bounds]


def _series_key(var: Var) -> tuple | None:
    """The time series an additive count belongs to: (bureau, dimension, category, measure)
    of ``period_figures`` (a headline is the overall series of its bureau); else None."""
    if var[-1] not in ADDITIVE:
        return None
    if var[0] == "period_figures":
        return (var[3], var[4], var[5], var[-1])
    if var[0] == "headline_figures":
        return (var[2], "overall", "ALL", var[-1])
    return None


def _copies(system: System) -> dict[Var, list[Var]]:
    """The figures each figure equals by a relation of two unknowns alone: an identity (a
    headline and its period row, a crossed margin and its period row), or a union whose other
    parts are all 0 (a period with one non-empty year; 'ALL' bureaux with one bureau). Hiding
    a figure and leaving its copy published hides nothing, so copies are hidden together."""
    copies: dict[Var, list[Var]] = {}
    for c in system.constraints:
        if c.share or c.lo != 0:
            continue
        live = [v for v, a in c.terms.items() if a and tuple(system.bounds[v]) != (0.0, 0.0)]
        if len(live) != 2 or sorted(c.terms[v] for v in live) != [-1.0, 1.0]:
            continue
        # an identity (= 0), or the sum side of a union (its other side is total >= part)
        if c.hi == 0 or (c.hi == math.inf and len(c.terms) > 2):
            a, b = live
            crossed = {v[0] == CROSS_TABLE for v in live}
            if crossed == {True, False}:
                # a crossed margin is an exact figure rounded: hiding the exact figure hides
                # its rounded copy, but a crossed cell hidden leaves the exact figure published
                exact = a if a[0] != CROSS_TABLE else b
                copies.setdefault(exact, []).append(b if exact == a else a)
                continue
            copies.setdefault(a, []).append(b)
            copies.setdefault(b, []).append(a)
    return copies


def _series_index(system: System) -> dict[tuple, list[Var]]:
    """Every published figure of each additive series (all its periods, and the headlines)."""
    index: dict[tuple, list[Var]] = {}
    for var in system.bounds:
        key = _series_key(var)
        if key is not None and var not in system.synthetic:
            index.setdefault(key, []).append(var)
    return index


class _Search:
    """Complementary suppression on one in-memory system, re-solving only what a hiding touches.

    The auditor's relations split into independent groups: published exact figures are
    constants, so two unknowns (hidden cells, or counts published rounded) interact only
    through a chain of relations of unknowns. When cells are hidden, only the groups they join
    are reset to their published intervals and propagated again; every other group is at its
    fixed point already. A share relation is dropped as soon as one of its cells is hidden (the
    share is then null: rule 1). Each round hides at least one more figure or stops, so the
    search ends; its fixed point is the one a full propagation reaches (propagation narrows
    monotonically, so its fixed point does not depend on the order).
    """

    def __init__(self, system: System, threshold: int) -> None:
        self.system = system
        self.threshold = threshold
        self.initial = {v: tuple(b) for v, b in system.bounds.items()}
        self.ids = system.constraint_ids()
        self.parent: dict[Var, Var] = {}
        self.reasons: dict[Var, list[int]] = {}
        self.disclosed: dict[Var, Disclosure] = {}
        self.series = _series_index(system)
        self.copies = _copies(system)
        # every figure hidden here, in the order hidden (primary cells' series included)
        self.hidden: list[Var] = []
        for var, (lo, hi) in self.initial.items():
            if lo != hi:
                self._join(var)
        # an additive count hidden in one period is hidden in every period of its series, and
        # a hidden cell in every other place the file states the same number
        for var in sorted(system.suppressed, key=str):
            if _series_key(var) is not None or var in self.copies:
                self.hide(var)

    def _root(self, var: Var) -> Var:
        parent = self.parent
        while parent[var] != var:
            parent[var] = parent[parent[var]]
            var = parent[var]
        return var

    def _join(self, var: Var) -> None:
        """Make ``var`` an unknown: one group with the unknowns of its live relations."""
        self.parent.setdefault(var, var)
        for i in self.ids.get(var, []):
            c = self.system.constraints[i]
            if _vacuous(c):
                continue
            for other in c.terms:
                if other in self.parent:
                    a, b = self._root(var), self._root(other)
                    if a != b:
                        self.parent[a] = b

    def solve(self, touched: set[Var] | None = None) -> list[Disclosure]:
        """Propagate the groups of ``touched`` (default: all) anew; every disclosure."""
        s = self.system
        if touched is None:
            reset = set(self.parent)
        else:
            roots = {self._root(v) for v in touched}
            reset = {v for v in self.parent if self._root(v) in roots}
        start: set[int] = set()
        for var in reset:
            s.bounds[var] = list(self.initial[var])
            self.reasons.pop(var, None)
            start.update(self.ids.get(var, []))
        for var, used in s.propagate(start=sorted(start)).items():
            self.reasons[var] = used
        for var in reset:
            self.disclosed.pop(var, None)
            if var not in s.suppressed or published_twin(s, var) is not None:
                continue
            lo, hi = s.bounds[var]
            if disclosing(var, lo, hi, self.threshold):
                used = self.reasons.get(var, [])
                self.disclosed[var] = Disclosure(
                    var,
                    int(lo),
                    int(hi),
                    [s.constraints[i].why for i in used],
                    [s.constraints[i] for i in used],
                )
        return [self.disclosed[v] for v in sorted(self.disclosed, key=str)]

    def hide(self, var: Var) -> set[Var]:
        """Hide ``var`` in memory, with its row and, for an additive count, its whole series
        (see :func:`protect`); the unknowns whose groups must be re-solved."""
        s = self.system
        touched: set[Var] = set()
        pending = _row_vars(s, var)
        while pending:
            v = pending.pop()
            series = _series_key(v)
            if series is not None:
                pending.extend(u for u in self.series.pop(series, []) if u not in s.suppressed)
            for u in self.copies.pop(v, []):
                if u not in s.suppressed and u[0] in KEYS and u not in s.synthetic:
                    pending.extend(_row_vars(s, u))
            if v in s.suppressed and v != var:
                continue
            if v not in s.suppressed:
                s.suppressed.add(v)
                self.hidden.append(v)
            self.initial[v] = (0.0, math.inf)
            touched.add(v)
            for i in self.ids.get(v, []):
                c = s.constraints[i]
                if c.share and not _vacuous(c):
                    # the share is null once a cell it divides is hidden: no relation left
                    c.lo, c.hi = -math.inf, math.inf
                    touched.update(u for u in c.terms if u in self.parent)
        for v in touched:
            self._join(v)
        return touched


def _vacuous(c: Constraint) -> bool:
    return c.lo == -math.inf and c.hi == math.inf


def _search(system: System, threshold: int, max_rounds: int) -> tuple[list[Var], int]:
    """Complements for one system until the auditor's propagation pins no hidden cell:
    (every figure hidden, the disclosures left when no complement was found).

    People counts and the additive counts never share a relation, so their groups are
    separate; the additive counts (published rounded) form a few large groups, the people
    counts many small ones. Rounds re-solve the people groups a hiding touched; the additive
    groups it touched (a hidden people count hides its row's counts too) wait until the people
    are safe, then are re-solved together; the search ends when both are.
    """
    search = _Search(system, threshold)
    disclosures = search.solve()
    waiting: set[Var] = set()  # additive unknowns whose groups are yet to be re-solved
    for _round in range(max_rounds):
        if not disclosures:
            if not waiting:
                return search.hidden, 0
            disclosures = search.solve(waiting)
            waiting = set()
            continue
        cells = frozenset(d.cell for d in disclosures)
        if _round < GREEDY_ROUNDS:
            complements = set()
            for d in disclosures:
                complements |= _complements(system, d, cells)
            if not complements:
                for d in disclosures:
                    complements |= _complements(system, d, frozenset())
        else:
            # the long tail of a cascade: every published figure of a pinning relation at once
            # (a cell pinned through other hidden cells alone: one complement, farther off)
            complements = set()
            for d in disclosures:
                complements |= _partners(system, d) or _complements(system, d, frozenset())
        if not complements:
            break
        touched: set[Var] = set()
        for var in sorted(complements, key=str):
            touched |= search.hide(var)
        people = {v for v in touched if v[-1] not in ADDITIVE}
        additive = touched - people
        if people and not any(v[-1] in ADDITIVE for v in complements):
            # additive groups wait: forget their disclosures until they are re-solved
            waiting |= additive
            for var in [v for v in search.disclosed if v[-1] in ADDITIVE]:
                del search.disclosed[var]
            disclosures = search.solve(people)
        else:
            disclosures = search.solve(touched | waiting)
            waiting = set()
        log.debug(
            "round %d: %d hidden, %d disclosed", _round + 1, len(search.hidden), len(disclosures)
        )
    return search.hidden, len(disclosures)


def _partners(system: System, disclosure: Disclosure) -> set[Var]:
    """Every published figure of the relations that pin ``disclosure``'s cell; only the
    cheap ones (rounded crossed cells, fine figure-table cells) when there are any."""
    partners = {
        var
        for c in disclosure.relations
        if not _vacuous(c)
        for var in c.terms
        if var[0] in KEYS and _published(system, var) and system.bounds[var][1] >= 1
    }
    costs = {var: _cost(system, var) for var in partners}
    cheap = {var for var, cost in costs.items() if cost <= 1}
    dearest = YEAR_TOTAL if disclosure.cell[0] == CROSS_TABLE else NEVER
    return cheap or {var for var, cost in costs.items() if cost < dearest}


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
        columns = _columns(con, table)
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
    hidden: list[Var] = []
    share_readings, base = _stated_rules(Path(db_path))
    for _pass in range(max_rounds):
        con = duckdb.connect(str(db_path))
        try:
            _hide_dependent_shares(con)
        finally:
            con.close()
        chosen: set[Var] = set()
        left = 0
        for reading in share_readings:
            system = build_system(Path(db_path), rounding_base=base, share_rest=reading)
            try:
                found, unresolved = _search(system, threshold, max_rounds=len(system.bounds))
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
