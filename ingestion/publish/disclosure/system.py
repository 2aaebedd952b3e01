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
        """Tighten every interval until a fixed point; returns the constraints used per var.

        ``start``: the constraints to begin from (default: all). Secondary suppression passes
        those of the unknowns it has just reset; the others are at their fixed point already.
        The order is fixed (last queued, first tightened): the constraints used per var, and so
        the complements secondary suppression picks, depend on it. Vars are numbered here
        (:class:`_Numbering`): the loop indexes lists instead of hashing cell names.
        """
        numbering = self._numbering()
        # the bounds lists themselves, by var number: tightened in place
        bounds = [self.bounds[v] for v in numbering.vars]
        by_var, terms = numbering.by_var, numbering.terms
        reasons: dict[int, list[int]] = {}
        queue = list(range(len(self.constraints))) if start is None else list(start)
        queued = set(queue)
        rounds = 0
        limit = max_rounds * max(1, len(self.constraints))
        while queue and rounds < limit:
            rounds += 1
            i = queue.pop()
            queued.discard(i)
            for k in _tighten(self.constraints[i], terms[i], bounds):
                used = reasons.setdefault(k, [])
                if i not in used:
                    used.append(i)
                for j in by_var[k]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
        return {numbering.vars[k]: used for k, used in reasons.items()}

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


@dataclass
class _Numbering:
    """Each var of the relations by number: the relations' terms (non-zero coefficients, in
    their order) and the relations each var takes part in (every term, in relation order)."""

    vars: list[Var]
    terms: list[tuple[tuple[int, float], ...]]
    by_var: list[list[int]]

    def __init__(self, constraints: list[Constraint]) -> None:
        number: dict[Var, int] = {}
        self.vars, self.terms, self.by_var = [], [], []
        for i, c in enumerate(constraints):
            for v in c.terms:
                k = number.get(v)
                if k is None:
                    k = number[v] = len(self.vars)
                    self.vars.append(v)
                    self.by_var.append([])
                self.by_var[k].append(i)
            self.terms.append(tuple((number[v], b) for v, b in c.terms.items() if b != 0))


def _tighten(
    c: Constraint, terms: tuple[tuple[int, float], ...], bounds: list[list[float]]
) -> list[int]:
    """Narrow each term of ``c`` by the bounds of the others; the vars (numbers) it narrowed.

    The bounds of each term, then of the sum of all terms, in one pass: the rest of the sum
    without v is the total minus v's own term (infinite bounds counted apart). Every term is
    narrowed with the bounds as they were before this call. The hot loop of the audit:
    infinities are tested by comparison (no NaN can arise: see the relations' bounds).
    """
    spans = []
    lo_sum = hi_sum = 0.0
    lo_inf = hi_inf = 0
    for u, b in terms:
        lo, hi = bounds[u]
        low, high = (b * lo, b * hi) if b > 0 else (b * hi, b * lo)
        spans.append((u, b, low, high))
        if low == INF or low == -INF:
            lo_inf += 1
        else:
            lo_sum += low
        if high == INF or high == -INF:
            hi_inf += 1
        else:
            hi_sum += high
    changed = []
    c_lo, c_hi = c.lo, c.hi
    for v, a, low, high in spans:
        own_lo_inf = low == INF or low == -INF
        own_hi_inf = high == INF or high == -INF
        rest_lo = -INF if lo_inf - own_lo_inf else lo_sum - (0.0 if own_lo_inf else low)
        rest_hi = INF if hi_inf - own_hi_inf else hi_sum - (0.0 if own_hi_inf else high)
        lo_a, hi_a = c_lo - rest_hi, c_hi - rest_lo  # bounds of a * v
        new_lo, new_hi = (lo_a / a, hi_a / a) if a > 0 else (hi_a / a, lo_a / a)
        # counts are integers: round inwards (with a tolerance for floating point)
        if new_lo != INF and new_lo != -INF:
            new_lo = math.ceil(new_lo - 1e-7)
        if new_hi != INF and new_hi != -INF:
            new_hi = math.floor(new_hi + 1e-7)
        bound = bounds[v]
        moved = False
        if new_lo > bound[0]:
            bound[0] = new_lo
            moved = True
        if new_hi < bound[1]:
            bound[1] = new_hi
            moved = True
        if bound[0] > bound[1]:
            raise ValueError(f"the published figures contradict each other: {c.why}")
        if moved:
            changed.append(v)
    return changed
