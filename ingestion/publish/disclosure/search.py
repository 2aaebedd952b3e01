"""The complementary search: hide published figures until the auditor's propagation pins no
hidden cell.

A hidden cell is hidden with every copy of it (the same number stated elsewhere; a period
row's rounded twin in ``people_by_group``, not the reverse), a hidden event count in every
period of its series; then one complement per pinned cell (:mod:`.complements`), and after
``GREEDY_ROUNDS`` rounds every cheap published figure of a pinning relation. A hidden people
count hides its whole row. The search works in memory on the auditor's own system
(:func:`.build.build_system`), so that the file it leaves passes the audit.
"""

from __future__ import annotations

import logging
import math

from ingestion.publish.disclosure.audit import disclosing, published_twin
from ingestion.publish.disclosure.complements import complements, partners, vacuous
from ingestion.publish.disclosure.layout import ADDITIVE, CROSS_TABLE, FIGURE_ROW_NULLS, KEYS
from ingestion.publish.disclosure.system import Disclosure, System, Var

log = logging.getLogger(__name__)

# Rounds of the greedy choice (one complement per disclosed cell, the cheapest); after them,
# the tail of a cascade on a sparse file is closed faster by hiding every published figure of
# the relations that still pin a cell (more hidden, far fewer rounds).
GREEDY_ROUNDS = 12


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
        # the unknowns of each group, by its root
        self.members: dict[Var, list[Var]] = {}
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
        """Make ``var`` an unknown: one group with the unknowns of its live relations.

        The unknowns of a live relation are always in one group already (each joined the
        others of its relations when it became an unknown, and a relation once vacuous stays
        so), so ``var`` joins one unknown of each relation, the first in its terms.
        """
        if var not in self.parent:
            self.parent[var] = var
            self.members[var] = [var]
        for i in self.ids.get(var, []):
            c = self.system.constraints[i]
            if vacuous(c):
                continue
            for other in c.terms:
                if other != var and other in self.parent:
                    self._union(var, other)
                    break

    def _union(self, var: Var, other: Var) -> None:
        """One group of the groups of ``var`` and ``other`` (the smaller joins the larger)."""
        a, b = self._root(var), self._root(other)
        if a == b:
            return
        if len(self.members[a]) > len(self.members[b]):
            a, b = b, a
        self.parent[a] = b
        self.members[b].extend(self.members.pop(a))

    def solve(self, touched: set[Var] | None = None) -> list[Disclosure]:
        """Propagate the groups of ``touched`` (default: all) anew; every disclosure."""
        s = self.system
        if touched is None:
            reset = set(self.parent)
        else:
            roots = {self._root(v) for v in touched}
            reset = {v for root in roots for v in self.members[root]}
        start: set[int] = set()
        for var in reset:
            s.bounds[var] = list(self.initial[var])
            self.reasons.pop(var, None)
            start.update(self.ids.get(var, []))
        narrowed = s.propagate(start=sorted(start))
        self.reasons.update(narrowed)
        for var in reset:
            self.disclosed.pop(var, None)
        # a hidden cell the propagation did not narrow is at (0, inf): it discloses nothing
        for var in narrowed:
            if var not in reset or var not in s.suppressed or published_twin(s, var) is not None:
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
                if c.share and not vacuous(c):
                    # the share is null once a cell it divides is hidden: no relation left
                    c.lo, c.hi = -math.inf, math.inf
                    touched.update(u for u in c.terms if u in self.parent)
        for v in touched:
            self._join(v)
        return touched


def complementary_search(system: System, threshold: int, max_rounds: int) -> tuple[list[Var], int]:
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
            chosen = set()
            for d in disclosures:
                chosen |= complements(system, d, cells)
            if not chosen:
                for d in disclosures:
                    chosen |= complements(system, d, frozenset())
        else:
            # the long tail of a cascade: every published figure of a pinning relation at once
            # (a cell pinned through other hidden cells alone: one complement, farther off)
            chosen = set()
            for d in disclosures:
                chosen |= partners(system, d) or complements(system, d, frozenset())
        if not chosen:
            break
        touched: set[Var] = set()
        for var in sorted(chosen, key=str):
            touched |= search.hide(var)
        people = {v for v in touched if v[-1] not in ADDITIVE}
        additive = touched - people
        if people and not any(v[-1] in ADDITIVE for v in chosen):
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
