"""Reviewed decisions and the pairs behind the clusters, on the reclustering alone and through
the resolver (deterministic rules: small inputs, no training)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from identity_synthetic import population, to_arrow

from ingestion.warehouse import identity
from ingestion.warehouse.identity import CANNOT_LINK, MUST_LINK, Decision, apply_decisions

# --------------------------------------------------------------------------------------------
# apply_decisions on its own
# --------------------------------------------------------------------------------------------

TRIANGLE = {"s:a": ["a", "b", "c"], "s:x": ["x"], "s:y": ["y"]}
TRIANGLE_EDGES = [("a", "b", 0.99, False), ("a", "c", 0.95, False), ("b", "c", 0.93, False)]
NO_COUNTRY: dict[str, str | None] = {}


def _partition(groups: dict[str, list[str]]) -> set[frozenset[str]]:
    return {frozenset(members) for members in groups.values()}


def test_cannot_link_cuts_the_weakest_edges_that_would_reconnect():
    groups, outcome = apply_decisions(
        TRIANGLE, TRIANGLE_EDGES, NO_COUNTRY, [Decision("b", "c", CANNOT_LINK)]
    )
    # a-b (0.99) holds; a-c (0.95) would bring c to b through a: cut, as is b-c itself
    assert _partition(groups) == {frozenset("ab"), frozenset("c"), frozenset("x"), frozenset("y")}
    assert outcome.applied == 1 and outcome.unknown == outcome.refused == 0


def test_cannot_link_of_a_chain_splits_at_its_weakest_link():
    chain = {"s:a": ["a", "b", "c", "d"]}
    edges = [("a", "b", 0.99, False), ("b", "c", 0.91, False), ("c", "d", 0.97, False)]
    groups, _ = apply_decisions(chain, edges, NO_COUNTRY, [Decision("a", "d", CANNOT_LINK)])
    assert _partition(groups) == {frozenset("ab"), frozenset("cd")}


def test_must_link_joins_two_clusters_whole():
    groups, outcome = apply_decisions(
        TRIANGLE, TRIANGLE_EDGES, NO_COUNTRY, [Decision("c", "x", MUST_LINK)]
    )
    assert _partition(groups) == {frozenset("abcx"), frozenset("y")}
    assert outcome.applied == 1
    (label,) = [label for label, members in groups.items() if "x" in members]
    assert label.startswith("r:")  # re-formed: resolution "reviewed"
    assert "s:y" in groups  # untouched clusters keep their label


def test_must_link_overrides_the_country_guard():
    clusters = {"s:a": ["a"], "s:b": ["b"]}
    countries = {"a": "FR", "b": "DE"}
    groups, outcome = apply_decisions(clusters, [], countries, [Decision("a", "b", MUST_LINK)])
    assert _partition(groups) == {frozenset("ab")} and outcome.applied == 1


def test_cannot_link_wins_over_a_must_link_that_would_break_it():
    decisions = [
        Decision("a", "x", MUST_LINK),
        Decision("x", "y", MUST_LINK),
        Decision("a", "y", CANNOT_LINK),
    ]
    groups, outcome = apply_decisions(TRIANGLE, TRIANGLE_EDGES, NO_COUNTRY, decisions)
    cluster_of = {m: label for label, members in groups.items() for m in members}
    assert cluster_of["a"] != cluster_of["y"]
    assert outcome.refused == 1 and outcome.applied == 1  # x-y is refused (a-x came first)


def test_decisions_already_true_change_nothing():
    decisions = [Decision("a", "b", MUST_LINK), Decision("a", "x", CANNOT_LINK)]
    groups, outcome = apply_decisions(TRIANGLE, TRIANGLE_EDGES, NO_COUNTRY, decisions)
    assert groups == TRIANGLE and outcome.held == 2 and outcome.applied == 0


@pytest.mark.parametrize(
    "decision",
    [
        Decision(None, "a", MUST_LINK),  # a key that no longer names a record
        Decision("gone", "a", CANNOT_LINK),
        Decision("a", "a", CANNOT_LINK),
        Decision("a", "b", "maybe"),
    ],
)
def test_unknown_decisions_are_counted_and_ignored(decision):
    groups, outcome = apply_decisions(TRIANGLE, TRIANGLE_EDGES, NO_COUNTRY, [decision])
    assert groups == TRIANGLE and outcome.unknown == 1


def test_guard_refuses_a_merge_that_joins_a_cannot_link_pair_through_a_chain():
    countries = {"a": None, "b": None, "c": None, "d": None}
    edges = [("a", "b", 0.9, False), ("c", "d", 0.9, False), ("b", "c", 0.8, False)]
    clusters = identity.guarded_clusters(countries, edges, cannot_link=[("a", "d")])
    assert clusters == {"a": "a", "b": "a", "c": "c", "d": "c"}


# --------------------------------------------------------------------------------------------
# Through the resolver
# --------------------------------------------------------------------------------------------


def _records() -> pa.Table:
    rows = [
        ("a", "Ana Silveira", "ana.s@anatel.gov.br", "BR", "Anatel"),
        ("b", "Ana Silveira", "ana.s@anatel.gov.br", "BR", "Anatel"),  # identical to a
        ("c", "Ana Silveira", "other@provider.example", "BR", "Anatel"),  # same-name rule
        ("d", "Tomas Ferreira", "tf@anatel.gov.br", "BR", "Anatel"),
        ("e", "Tomas Ferreira Lima", "tfl@provider.example", "BR", None),
    ]
    keys = ("participant_record_key", "full_name", "email", "country_iso2", "organization")
    return pa.Table.from_pylist([dict(zip(keys, row, strict=True)) for row in rows])


def test_the_resolver_explains_its_links():
    resolved = identity.resolve_explained(_records(), key=b"k")
    pairs = {(p["record_l"], p["record_r"]): p for p in resolved.pairs.to_pylist()}
    assert pairs[("a", "b")]["rule"] == "identical" and pairs[("a", "b")]["links"]
    assert pairs[("a", "c")]["rule"] == "deterministic"
    assert "l.name_sorted = r.name_sorted" in pairs[("a", "c")]["deterministic_rule"]
    assert set(pairs) == {("a", "b"), ("a", "c")}


def test_the_resolver_applies_decisions_at_the_record_level():
    decisions = [
        Decision("a", "b", CANNOT_LINK),  # two records of one profile part
        Decision("d", "e", MUST_LINK),
        Decision("a", None, MUST_LINK),
    ]
    resolved = identity.resolve_explained(_records(), key=b"k", decisions=decisions)
    rows = {r["participant_record_key"]: r for r in resolved.clusters.to_pylist()}
    assert rows["a"]["cluster_id"] != rows["b"]["cluster_id"]
    assert rows["d"]["cluster_id"] == rows["e"]["cluster_id"] == "d"
    assert rows["d"]["resolution"] == rows["e"]["resolution"] == "reviewed"
    run = resolved.run
    assert (run.decisions, run.decisions_applied, run.decisions_unknown) == (3, 2, 1)
    assert run.persons == 3  # {a, c} or {b, c}, the other of a / b, {d, e}
    pairs = {(p["record_l"], p["record_r"]): p for p in resolved.pairs.to_pylist()}
    assert pairs[("d", "e")]["rule"] == "reviewed" and pairs[("d", "e")]["links"]


def test_pairs_from_keeps_scored_pairs_below_the_threshold():
    records, _ = population(300, seed=5)
    resolved = identity.resolve_explained(to_arrow(records), key=b"k", pairs_from=0.5)
    assert resolved.run.method == "model"
    model = [p for p in resolved.pairs.to_pylist() if p["rule"] == "model"]
    below = [p for p in model if p["match_probability"] < identity.DEFAULT_THRESHOLD]
    assert below and all(not p["links"] and p["match_probability"] >= 0.5 for p in below)
    assert all(p["links"] for p in model if p["match_probability"] >= identity.DEFAULT_THRESHOLD)
    linked = sum(p["links"] for p in model)
    assert linked == resolved.run.links
    for pair in model:
        comparisons = {level["comparison"]: level for level in pair["comparison_levels"]}
        assert {"name", "email", "country"} <= set(comparisons)
        assert all(level["label"] for level in pair["comparison_levels"])
