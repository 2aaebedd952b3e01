"""Interval propagation: all queued relations tightened at once reach the fixed point that
tightening one relation at a time reaches.

``System.propagate`` tightens every queued relation in one array step per round. The
reference here is the textbook rule, written out for one relation at a time in a work queue
(the way the auditor propagated before): narrow each term by the bounds of the others, round
inwards, queue the relations of whatever narrowed. On random systems of the auditor's three
kinds of relation (sums, unions, shares), both reach the same bounds, or both find the figures
contradict each other; the relations listed for each narrowed var are relations that, alone
and on the final bounds, give it a bound it was narrowed to.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.publish.disclosure.system import Constraint, System

N_VARS = 8
# unknowns are capped: a cycle of relations with a constant in it then ends in a contradiction
# instead of raising a lower bound for ever (the figures of a real file are all >= 0 and finite)
CAP = 60.0


def _var(k: int) -> tuple:
    return ("period_figures", k, "people_trained")


def _tighten(c: Constraint, bounds: dict) -> list:
    """One relation, one term at a time, by the bounds of the others as they were."""
    narrowed = []
    before = {v: tuple(bounds[v]) for v in c.terms}
    for v, a in c.terms.items():
        if a == 0:
            continue
        rest_lo = rest_hi = 0.0
        for u, b in c.terms.items():
            if u == v or b == 0:
                continue
            lo, hi = before[u]
            rest_lo += min(b * lo, b * hi)
            rest_hi += max(b * lo, b * hi)
        lo_a, hi_a = c.lo - rest_hi, c.hi - rest_lo
        new_lo, new_hi = (lo_a / a, hi_a / a) if a > 0 else (hi_a / a, lo_a / a)
        new_lo = math.ceil(new_lo - 1e-7) if math.isfinite(new_lo) else new_lo
        new_hi = math.floor(new_hi + 1e-7) if math.isfinite(new_hi) else new_hi
        bound = bounds[v]
        if new_lo > bound[0] or new_hi < bound[1]:
            bound[0], bound[1] = max(bound[0], new_lo), min(bound[1], new_hi)
            narrowed.append(v)
        if bound[0] > bound[1]:
            raise ValueError(c.why)
    return narrowed


def _reference(system: System) -> dict:
    """The fixed point of tightening one relation at a time, from a work queue."""
    bounds = {v: list(b) for v, b in system.bounds.items()}
    queue = list(range(len(system.constraints)))
    while queue:
        c = system.constraints[queue.pop()]
        for v in _tighten(c, bounds):
            queue.extend(i for i in system.constraint_ids()[v] if i not in queue)
    return bounds


@st.composite
def systems(draw) -> System:
    s = System()
    for k in range(N_VARS):
        kind = draw(st.sampled_from(["fixed", "rounded", "unknown"]))
        if kind == "fixed":
            value = float(draw(st.integers(0, 30)))
            s.bounds[_var(k)] = [value, value]
        elif kind == "rounded":
            value = float(5 * draw(st.integers(0, 6)))
            s.bounds[_var(k)] = [max(0.0, value - 2), value + 2]
        else:
            s.bounds[_var(k)] = [0.0, CAP]
    vars_ = st.integers(0, N_VARS - 1)
    for _ in range(draw(st.integers(1, 6))):
        total = _var(draw(vars_))
        parts = [_var(k) for k in draw(st.lists(vars_, min_size=1, max_size=4, unique=True))]
        kind = draw(st.sampled_from(["sum", "union", "share"]))
        if kind == "sum":
            s.equal_sum(total, parts, "a sum")
        elif kind == "union":
            s.people_union(total, parts, "a union")
        else:
            rest = [p for p in parts if p != total]
            share = draw(st.sampled_from([0.0, 0.25, 0.3333, 0.5, 0.6667, 1.0]))
            s.share(total, rest, share, "a share")
    return s


@settings(max_examples=300, deadline=None)
@given(system=systems())
def test_all_at_once_reaches_the_fixed_point_of_one_at_a_time(system):
    try:
        expected = _reference(system)
    except ValueError:
        with pytest.raises(ValueError, match="contradict"):
            system.propagate()
        return
    before = {v: tuple(b) for v, b in system.bounds.items()}
    used = system.propagate()
    assert {v: tuple(b) for v, b in system.bounds.items()} == {
        v: tuple(b) for v, b in expected.items()
    }
    narrowed = {v for v, b in system.bounds.items() if tuple(b) != before[v]}
    assert set(used) == narrowed
    for var, relations in used.items():
        assert relations and len(set(relations)) == len(relations)
        lo, hi = system.bounds[var]
        for i in relations:
            # alone, on the final bounds, the relation gives the var a bound it has narrowed
            own = {v: list(b) for v, b in system.bounds.items()}
            own[var] = [-math.inf, math.inf]
            _tighten(system.constraints[i], own)
            assert (own[var][0] == lo and lo > before[var][0]) or (
                own[var][1] == hi and hi < before[var][1]
            ), (var, system.constraints[i])


@settings(max_examples=150, deadline=None)
@given(system=systems(), reset=st.lists(st.integers(0, N_VARS - 1), max_size=N_VARS))
def test_a_restart_from_the_relations_of_reset_vars_is_a_fresh_propagation(system, reset):
    """The search resets its unknowns and propagates from their relations only: when every var
    reachable from them is reset, that equals propagating the fresh system."""
    initial = {v: list(b) for v, b in system.bounds.items()}
    try:
        system.propagate()
    except ValueError:
        return
    # every var linked to a reset one through relations, reset too
    linked = {_var(k) for k in reset}
    grew = True
    while grew:
        grew = False
        for c in system.constraints:
            if linked & set(c.terms) and not set(c.terms) <= linked:
                linked |= set(c.terms)
                grew = True
    start = set()
    for var in linked:
        system.bounds[var] = list(initial[var])
        start.update(system.constraint_ids().get(var, []))
    system.propagate(start=sorted(start))
    fresh = System()
    fresh.bounds = {v: list(b) for v, b in initial.items()}
    fresh.constraints = system.constraints
    fresh.propagate()
    assert system.bounds == fresh.bounds


def test_a_contradiction_names_a_relation_it_comes_from():
    s = System()
    s.bounds = {_var(0): [5.0, 5.0], _var(1): [2.0, 2.0], _var(2): [1.0, 1.0]}
    s.equal_sum(_var(0), [_var(1), _var(2)], "the margin of row 0")
    with pytest.raises(ValueError, match="the margin of row 0"):
        s.propagate()
