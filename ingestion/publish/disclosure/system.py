"""Published values, unknowns and the linear relations between them; interval propagation.

Each published number is a fixed value (an interval of +/- 2 in a count column published
rounded to 5: the event counts, and the people of ``people_by_group``); each hidden one (a null
in a suppressed or partially suppressed row, or a row a suppressed group does not get) is an
unknown integer >= 0. Interval constraint propagation (bounds tightening until nothing changes)
then narrows every unknown.

Propagation is sound (every interval it reports holds) but not complete: a leak that needs
reasoning over several relations at once beyond bounds may escape it; see docs/council.md.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np

INF = math.inf
# Share and rate columns are rounded to 4 decimals by the marts.
SHARE_HALF_STEP = 0.00005

Var = tuple  # (table, *key, measure)


@dataclass
class Constraint:
    """lo <= sum(coeff * var) <= hi."""

    terms: dict[Var, float]
    lo: float
    hi: float
    why: str
    # a share x its cells: null (and so no relation) once one of its cells is hidden
    share: bool = False


@dataclass
class Disclosure:
    """A suppressed cell whose value the published figures pin down."""

    cell: Var
    lo: int
    hi: int
    why: list[str] = field(default_factory=list)
    relations: list[Constraint] = field(default_factory=list, repr=False, compare=False)

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.cell)
        value = str(self.lo) if self.lo == self.hi else f"between {self.lo} and {self.hi}"
        return f"{where} = {value} (by {'; '.join(self.why[:3])})"


class System:
    """Published values, unknowns and the linear relations between them."""

    def __init__(self) -> None:
        self.bounds: dict[Var, list[float]] = {}
        self.suppressed: set[Var] = set()
        # cells the file leaves out (a missing category, the breakdown of a hidden group)
        self.synthetic: set[Var] = set()
        # (table, column) -> rounding base of a column published rounded
        self.rounded: dict[tuple[str, str], int] = {}
        # (table, column) -> the least a published non-zero count can be (a rounded people
        # count: the cells under the threshold are null, not rounded)
        self.floor: dict[tuple[str, str], int] = {}
        self.constraints: list[Constraint] = []

    def value(self, var: Var, value: float | None, suppressed: bool) -> None:
        """Record a published value (fixed) or a suppressed one (unknown integer >= 0)."""
        base = self.rounded.get((var[0], var[-1]))
        if value is None:
            self.bounds[var] = [0.0, INF]
            if suppressed:
                self.suppressed.add(var)
        elif base and value:
            # rounded to the nearest multiple of base: the true count is within base // 2
            floor = float(self.floor.get((var[0], var[-1]), 0))
            self.bounds[var] = [max(floor, float(value) - base // 2), float(value) + base // 2]
        else:
            self.bounds[var] = [float(value), float(value)]

    def constraints_of(self, var: Var) -> list[Constraint]:
        """The relations ``var`` takes part in (indexed once, on first use)."""
        if getattr(self, "_index_size", -1) != len(self.constraints):
            self._index: dict[Var, list[Constraint]] = defaultdict(list)
            for c in self.constraints:
                for v in c.terms:
                    self._index[v].append(c)
            self._index_size = len(self.constraints)
        return self._index.get(var, [])

    def known(self, var: Var) -> bool:
        return var in self.bounds

    def _sum_minus_total(self, total: Var, parts: Iterable[Var]) -> tuple[list[Var], dict]:
        """The published parts and the terms of ``sum(parts) - total`` (none: no relation)."""
        parts = [p for p in parts if p in self.bounds]
        if total not in self.bounds or not parts:
            return [], {}
        terms: dict[Var, float] = defaultdict(float)
        terms[total] -= 1
        for part in parts:
            terms[part] += 1
        return parts, dict(terms)

    def equal_sum(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """total = sum(parts); parts missing from the tables are 0 and left out."""
        _, terms = self._sum_minus_total(total, parts)
        if terms:
            self.constraints.append(Constraint(terms, 0.0, 0.0, why))

    def people_union(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """Distinct people of a union: max(parts) <= total <= sum(parts)."""
        parts, terms = self._sum_minus_total(total, parts)
        if not terms:
            return
        self.constraints.append(Constraint(terms, 0.0, INF, why))
        for part in parts:
            self.constraints.append(Constraint({total: 1.0, part: -1.0}, 0.0, INF, why))

    def share(self, numerator: Var, rest: list[Var], share: float, why: str) -> None:
        """numerator / (numerator + sum(rest)) = share, to the rounding of the share."""
        vars_ = [numerator, *rest]
        if any(v not in self.bounds for v in vars_):
            return
        share = float(share)  # a DECIMAL column arrives as Decimal
        # numerator - (share -/+ half step) * (numerator + rest) >= 0 / <= 0
        for s, lo, hi in (
            (share - SHARE_HALF_STEP, 0.0, INF),
            (share + SHARE_HALF_STEP, -INF, 0.0),
        ):
            terms: dict[Var, float] = defaultdict(float)
            for v in vars_:
                terms[v] -= s
            terms[numerator] += 1
            self.constraints.append(Constraint(dict(terms), lo, hi, why, share=True))

    def propagate(
        self, max_rounds: int = 200, start: Iterable[int] | None = None
    ) -> dict[Var, list[int]]:
        """Tighten every interval until a fixed point; returns, for each var it narrowed, the
        relations that pin it there (in relation order).

        ``start``: the constraints to begin from (default: all). Secondary suppression passes
        those of the unknowns it has just reset; the others are at their fixed point already.
        Only the bounds of ``start`` and of their vars are read anew from the system (all of
        them without ``start``): a bound changed elsewhere must be of a var of ``start``. Each
        round tightens every queued relation at once, by the bounds as the round found
        them, and queues the relations of the vars it narrowed. The fixed point is the one any
        order of tightening reaches (each step only narrows, monotonically), and a relation
        pins a var when, at the fixed point, it alone gives one of the var's narrowed bounds:
        both depend on the relations alone, not on their order or on Python's string hashing,
        so neither do the complements the search picks from them. ``max_rounds`` bounds the
        work: that many tightenings per relation.
        """
        numbering = self._numbering()
        if not numbering.vars:
            return {}
        if start is None:
            queue = np.arange(len(self.constraints))
        else:
            queue = np.unique(np.fromiter(start, np.int64))
        lo, hi = numbering.read(self, queue)
        first_lo, first_hi = lo.copy(), hi.copy()
        work, limit = 0, max_rounds * max(1, len(self.constraints))
        while queue.size and work < limit:
            work += queue.size
            narrowed = _tighten(numbering, queue, self.constraints)
            queue = numbering.relations_of(narrowed)
        changed = np.flatnonzero((lo != first_lo) | (hi != first_hi))
        # written back in place: callers hold the bounds lists
        for k in changed.tolist():
            bound = self.bounds[numbering.vars[k]]
            bound[0], bound[1] = float(lo[k]), float(hi[k])
        return _pinning(numbering, changed, first_lo, first_hi)

    def constraint_ids(self) -> dict[Var, list[int]]:
        """The indices of the relations each var takes part in (indexed once per size)."""
        if getattr(self, "_ids_size", -1) != len(self.constraints):
            self._ids: dict[Var, list[int]] = defaultdict(list)
            for i, c in enumerate(self.constraints):
                for v in c.terms:
                    self._ids[v].append(i)
            self._ids_size = len(self.constraints)
        return self._ids

    def _numbering(self) -> _Numbering:
        """The vars and relations numbered (built once per size: only bounds change)."""
        if getattr(self, "_numbered_size", -1) != len(self.constraints):
            self._numbered = _Numbering(self.constraints)
            self._numbered_size = len(self.constraints)
        return self._numbered


class _Numbering:
    """The vars and relations by number, as arrays: each relation's terms (non-zero
    coefficients, in their order) and the relations each var takes part in (every term)."""

    def __init__(self, constraints: list[Constraint]) -> None:
        number: dict[Var, int] = {}
        self.vars: list[Var] = []
        term_vars: list[int] = []
        coefficients: list[float] = []
        sizes: list[int] = []
        member_vars: list[int] = []
        member_relations: list[int] = []
        for i, c in enumerate(constraints):
            size = 0
            for v, b in c.terms.items():
                k = number.get(v)
                if k is None:
                    k = number[v] = len(self.vars)
                    self.vars.append(v)
                member_vars.append(k)
                member_relations.append(i)
                if b != 0:
                    term_vars.append(k)
                    coefficients.append(b)
                    size += 1
            sizes.append(size)
        self.term_var = np.array(term_vars, dtype=np.int64)
        self.coefficient = np.array(coefficients, dtype=float)
        self.term_start = np.concatenate([[0], np.cumsum(sizes, dtype=np.int64)])
        # var -> its relations, as one sorted array sliced per var
        order = np.argsort(np.array(member_vars, dtype=np.int64), kind="stable")
        self.member_relation = np.array(member_relations, dtype=np.int64)[order]
        counts = np.bincount(np.array(member_vars, dtype=np.int64), minlength=len(self.vars))
        self.member_start = np.concatenate([[0], np.cumsum(counts)])
        # the bounds of the vars and of the relations, as the last propagation left them
        self.lo = np.zeros(len(self.vars))
        self.hi = np.zeros(len(self.vars))
        self.c_lo = np.zeros(len(constraints))
        self.c_hi = np.zeros(len(constraints))
        self.read_once = False

    def read(self, system: System, relations: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The bounds of ``relations`` and of the vars of their terms read anew from
        ``system`` (all of them the first time); the vars' bounds arrays. A propagation from
        ``relations`` reads what changed since the last one (the search resets unknowns and
        nulls shares, then starts from their relations)."""
        if not self.read_once:
            relations = np.arange(len(system.constraints))
            self.read_once = True
        constraints = system.constraints
        for i in relations.tolist():
            self.c_lo[i], self.c_hi[i] = constraints[i].lo, constraints[i].hi
        for k in np.unique(self.term_var[_ranges(self.term_start, relations)]).tolist():
            self.lo[k], self.hi[k] = system.bounds[self.vars[k]]
        return self.lo, self.hi

    def relations_of(self, vars_: np.ndarray) -> np.ndarray:
        """The relations (numbers, sorted, once each) the vars ``vars_`` take part in."""
        return np.unique(self.member_relation[_ranges(self.member_start, vars_)])


def _ranges(start: np.ndarray, items: np.ndarray) -> np.ndarray:
    """The concatenated index ranges ``start[i]:start[i + 1]`` of each of ``items``."""
    first = start[items]
    sizes = start[items + 1] - first
    offsets = np.repeat(first - np.cumsum(sizes) + sizes, sizes)
    return offsets + np.arange(int(sizes.sum()))


def _derived(
    numbering: _Numbering, relations: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The bounds each term of ``relations`` gets from the bounds of the others (the
    numbering's bounds arrays): (var,
    position of its relation in ``relations``, lower, upper), one row per term.

    The rest of a relation's sum without a term is the sum minus the term, infinite bounds
    counted apart (no NaN can arise: coefficients are non-zero, and a lower bound is never
    +inf nor an upper one -inf). Counts are integers: the bounds are rounded inwards, with a
    tolerance for floating point.
    """
    lo, hi = numbering.lo, numbering.hi
    terms = _ranges(numbering.term_start, relations)
    sizes = numbering.term_start[relations + 1] - numbering.term_start[relations]
    owner = np.repeat(np.arange(relations.size), sizes)
    u = numbering.term_var[terms]
    b = numbering.coefficient[terms]
    positive = b > 0
    low = np.where(positive, b * lo[u], b * hi[u])
    high = np.where(positive, b * hi[u], b * lo[u])
    low_inf, high_inf = np.isinf(low), np.isinf(high)
    low_finite = np.where(low_inf, 0.0, low)
    high_finite = np.where(high_inf, 0.0, high)
    n = relations.size
    lo_sum = np.bincount(owner, weights=low_finite, minlength=n)
    hi_sum = np.bincount(owner, weights=high_finite, minlength=n)
    lo_infs = np.bincount(owner, weights=low_inf, minlength=n)
    hi_infs = np.bincount(owner, weights=high_inf, minlength=n)
    rest_lo = np.where(lo_infs[owner] - low_inf > 0, -INF, lo_sum[owner] - low_finite)
    rest_hi = np.where(hi_infs[owner] - high_inf > 0, INF, hi_sum[owner] - high_finite)
    lo_a = numbering.c_lo[relations][owner] - rest_hi  # bounds of b * var
    hi_a = numbering.c_hi[relations][owner] - rest_lo
    new_lo = np.ceil(np.where(positive, lo_a / b, hi_a / b) - 1e-7)
    new_hi = np.floor(np.where(positive, hi_a / b, lo_a / b) + 1e-7)
    return u, owner, new_lo, new_hi


def _tighten(
    numbering: _Numbering, relations: np.ndarray, constraints: list[Constraint]
) -> np.ndarray:
    """Narrow each term of each of ``relations`` by the bounds of the others, all at once
    (the numbering's bounds, in place); the vars it narrowed, each once. The hot loop of the
    audit."""
    lo, hi = numbering.lo, numbering.hi
    u, owner, new_lo, new_hi = _derived(numbering, relations)
    narrows = (new_lo > lo[u]) | (new_hi < hi[u])
    if not narrows.any():
        return u[:0]
    u, owner = u[narrows], owner[narrows]
    np.maximum.at(lo, u, new_lo[narrows])
    np.minimum.at(hi, u, new_hi[narrows])
    empty = lo[u] > hi[u]
    if empty.any():
        first = int(relations[owner[np.flatnonzero(empty)[0]]])
        raise ValueError(f"the published figures contradict each other: {constraints[first].why}")
    return np.unique(u)


def _pinning(
    numbering: _Numbering, changed: np.ndarray, first_lo: np.ndarray, first_hi: np.ndarray
) -> dict[Var, list[int]]:
    """For each var of ``changed``, the relations that give it a narrowed bound at the fixed
    point (the numbering's bounds): those a complement must break. Each narrowed bound has at
    least one (the relation that last narrowed it gives it still: bounds only narrow)."""
    if not changed.size:
        return {}
    lo, hi = numbering.lo, numbering.hi
    relations = numbering.relations_of(changed)
    u, owner, new_lo, new_hi = _derived(numbering, relations)
    pins = ((lo[u] > first_lo[u]) & (new_lo >= lo[u])) | ((hi[u] < first_hi[u]) & (new_hi <= hi[u]))
    reasons: dict[Var, list[int]] = {}
    for k, i in zip(u[pins].tolist(), relations[owner[pins]].tolist(), strict=True):
        used = reasons.setdefault(numbering.vars[k], [])
        if not used or used[-1] != i:
            used.append(i)
    return reasons
