"""The complementary search's groups of unknowns: joined cheaply, the same as joined in full.

An unknown joins one unknown of each of its live relations (``_Search._join``), not all of
them, on the ground that the unknowns of a live relation are in one group already. These tests
check that ground on random systems, hidings and shares made null along the way, against the
plain rule (join every unknown of every live relation), and that each group's member list is
exactly its unknowns (a round re-solves the groups by those lists).
"""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from ingestion.publish.disclosure.complements import vacuous
from ingestion.publish.disclosure.search import _Search
from ingestion.publish.disclosure.system import Constraint, System

N_VARS = 10


class _PlainSearch(_Search):
    """The search with the plain rule: every unknown of every live relation joins ``var``."""

    def _join(self, var):
        if var not in self.parent:
            self.parent[var] = var
            self.members[var] = [var]
        for i in self.ids.get(var, []):
            c = self.system.constraints[i]
            if vacuous(c):
                continue
            for other in c.terms:
                if other in self.parent:
                    self._union(var, other)


def _var(k: int) -> tuple:
    return ("some_table", k, "some_measure")


def _system(fixed: list[bool], relations: list[tuple[frozenset, bool]]) -> System:
    s = System()
    for k, is_fixed in enumerate(fixed):
        s.bounds[_var(k)] = [3.0, 3.0] if is_fixed else [0.0, math.inf]
    for members, share in relations:
        terms = {_var(k): 1.0 for k in sorted(members)}
        s.constraints.append(Constraint(terms, 0.0, 0.0, "a relation", share=share))
    return s


def _partition(search: _Search) -> set[frozenset]:
    groups: dict = {}
    for var in search.parent:
        groups.setdefault(search._root(var), set()).add(var)
    return {frozenset(g) for g in groups.values()}


relations = st.lists(
    st.tuples(
        st.frozensets(st.integers(0, N_VARS - 1), min_size=2, max_size=5),
        st.booleans(),
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(
    fixed=st.lists(st.booleans(), min_size=N_VARS, max_size=N_VARS),
    relations=relations,
    hidings=st.lists(st.integers(0, N_VARS - 1), max_size=6),
)
def test_groups_joined_cheaply_equal_groups_joined_in_full(fixed, relations, hidings):
    cheap = _Search(_system(fixed, relations), threshold=5)
    plain = _PlainSearch(_system(fixed, relations), threshold=5)
    assert _partition(cheap) == _partition(plain)
    for k in hidings:
        # hiding a cell makes it an unknown and nulls the shares it is in
        assert cheap.hide(_var(k)) == plain.hide(_var(k))
        assert _partition(cheap) == _partition(plain)
    for root, members in cheap.members.items():
        assert cheap._root(root) == root
        assert {cheap._root(v) for v in members} == {root}
    assert sorted(v for m in cheap.members.values() for v in m) == sorted(cheap.parent)
