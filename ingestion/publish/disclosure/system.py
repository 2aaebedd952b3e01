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
        """
        by_var = self.constraint_ids()
        reasons: dict[Var, list[int]] = defaultdict(list)
        queue = list(range(len(self.constraints))) if start is None else list(start)
        queued = set(queue)
        rounds = 0
        while queue and rounds < max_rounds * max(1, len(self.constraints)):
            rounds += 1
            i = queue.pop()
            queued.discard(i)
            c = self.constraints[i]
            for v, changed in self._tighten(c):
                if changed and i not in reasons[v]:
                    reasons[v].append(i)
                for j in by_var[v]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
        return reasons

    def constraint_ids(self) -> dict[Var, list[int]]:
        """The indices of the relations each var takes part in (indexed once per size)."""
        if getattr(self, "_ids_size", -1) != len(self.constraints):
            self._ids: dict[Var, list[int]] = defaultdict(list)
            for i, c in enumerate(self.constraints):
                for v in c.terms:
                    self._ids[v].append(i)
            self._ids_size = len(self.constraints)
        return self._ids

    def _tighten(self, c: Constraint) -> list[tuple[Var, bool]]:
        # The bounds of each term, then of the sum of all terms, in one pass: the rest of the
        # sum without v is the total minus v's own term (infinite bounds counted apart).
        spans = {}
        lo_sum = hi_sum = 0.0
        lo_inf = hi_inf = 0
        for u, b in c.terms.items():
            if b == 0:
                continue
            lo, hi = self.bounds[u]
            low, high = (b * lo, b * hi) if b > 0 else (b * hi, b * lo)
            spans[u] = (low, high)
            if math.isinf(low):
                lo_inf += 1
            else:
                lo_sum += low
            if math.isinf(high):
                hi_inf += 1
            else:
                hi_sum += high
        changed = []
        for v, (low, high) in spans.items():
            a = c.terms[v]
            own_lo_inf, own_hi_inf = math.isinf(low), math.isinf(high)
            rest_lo = -INF if lo_inf - own_lo_inf else lo_sum - (0.0 if own_lo_inf else low)
            rest_hi = INF if hi_inf - own_hi_inf else hi_sum - (0.0 if own_hi_inf else high)
            lo_a, hi_a = c.lo - rest_hi, c.hi - rest_lo  # bounds of a * v
            new_lo, new_hi = (lo_a / a, hi_a / a) if a > 0 else (hi_a / a, lo_a / a)
            # counts are integers: round inwards (with a tolerance for floating point)
            new_lo = math.ceil(new_lo - 1e-7) if math.isfinite(new_lo) else new_lo
            new_hi = math.floor(new_hi + 1e-7) if math.isfinite(new_hi) else new_hi
            bounds = self.bounds[v]
            moved = False
            if new_lo > bounds[0]:
                bounds[0] = new_lo
                moved = True
            if new_hi < bounds[1]:
                bounds[1] = new_hi
                moved = True
            if bounds[0] > bounds[1]:
                raise ValueError(f"the published figures contradict each other: {c.why}")
            if moved:
                changed.append((v, True))
        return changed
