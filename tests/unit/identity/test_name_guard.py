"""The name guard, the rare-pair name levels, the u correction and the fuzzier address and
name levels: behaviour on small hand-made inputs (no timing)."""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from ingestion.warehouse import identity
from ingestion.warehouse.identity.clusters import assemble
from ingestion.warehouse.identity.comparisons import COMPARISONS
from ingestion.warehouse.identity.decisions import CANNOT_LINK, Decision, apply_decisions
from ingestion.warehouse.identity.features import build_features
from ingestion.warehouse.identity.model import ModelOptions, features_sql, remove_matches_from_u
from ingestion.warehouse.identity.names import name_tokens, names_conflict, tokens_correspond

# --------------------------------------------------------------------------------------------
# Which names conflict
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("José Luis Fernández", "José María Fernández"),  # two different middle names
        ("Anja Jerome Kruger", "Kruger Anja Lukas"),  # order does not matter
    ],
)
def test_two_different_middle_names_conflict(a, b):
    assert names_conflict(name_tokens(a), name_tokens(b))


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("José Luis Fernández", "José Fernández"),  # a dropped middle name
        ("José Luis Fernández", "Fernandez Jose Luis"),  # order, accents
        ("Alexa Rose White", "Alexa Rxose White"),  # a typo in the middle name
        ("Alexa Ose White", "Alexa Rxose White"),  # two typos of one middle name
        ("Mohammed Ali Hassan", "Muhammad Ali Hasan"),  # transliteration
        ("Ana Silva", "Maria Costa"),  # nothing shared: not the guard's business
        ("Ana Maria Silva", "Ana Costa Pereira"),  # one shared token only
    ],
)
def test_compatible_or_unrelated_names_do_not_conflict(a, b):
    assert not names_conflict(name_tokens(a), name_tokens(b))


def test_tokens_correspond_like_the_model():
    assert tokens_correspond("mohammed", "muhammad")  # skeleton
    assert tokens_correspond("fernandez", "fernadnez")  # typo (Jaro-Winkler)
    assert tokens_correspond("liam", "laim")  # four letters, one keystroke
    assert not tokens_correspond("jerome", "lukas")


# --------------------------------------------------------------------------------------------
# The guard in clustering
# --------------------------------------------------------------------------------------------

NAMES = {
    "a": name_tokens("Maria Jerome Gomez"),
    "b": name_tokens("Maria Gomez"),
    "c": name_tokens("Maria Lukas Gomez"),
}
NO_COUNTRY = dict.fromkeys(NAMES)


def test_a_record_without_middle_name_does_not_chain_two_namesakes():
    edges = [("a", "b", 0.95, False), ("b", "c", 0.9, False)]
    clusters = identity.guarded_clusters(NO_COUNTRY, edges, names=NAMES)
    # b joins its strongest link; c, another middle name, stays apart
    assert clusters == {"a": "a", "b": "a", "c": "c"}


def test_without_names_the_chain_is_one_cluster():
    edges = [("a", "b", 0.95, False), ("b", "c", 0.9, False)]
    assert set(identity.guarded_clusters(NO_COUNTRY, edges).values()) == {"a"}


def test_an_exact_email_overrides_the_name_guard():
    edges = [("a", "b", 0.95, False), ("b", "c", 0.9, True)]
    assert set(identity.guarded_clusters(NO_COUNTRY, edges, names=NAMES).values()) == {"a"}


def test_a_direct_edge_between_the_conflicting_records_is_kept():
    # the model linked a and c themselves (their other evidence outweighed the names)
    edges = [("a", "c", 0.99, False), ("a", "b", 0.95, False)]
    assert set(identity.guarded_clusters(NO_COUNTRY, edges, names=NAMES).values()) == {"a"}


def test_country_guard_still_holds_with_names():
    countries = {"a": "ES", "b": None, "c": "MX"}
    names = {k: name_tokens("Maria Gomez") for k in countries}
    edges = [("a", "b", 0.95, False), ("b", "c", 0.9, False)]
    assert identity.guarded_clusters(countries, edges, names=names) == {
        "a": "a",
        "b": "a",
        "c": "c",
    }


def test_reviewed_decisions_keep_the_name_guard():
    groups = {"s:a": ["a", "b"], "s:c": ["c"], "s:x": ["x", "y"]}
    edges = [("a", "b", 0.95, False), ("b", "c", 0.9, False), ("x", "y", 0.9, False)]
    decisions = [Decision("x", "y", CANNOT_LINK), Decision("a", "x", CANNOT_LINK)]
    out, _ = apply_decisions(groups, edges, NO_COUNTRY, decisions, names=NAMES)
    partition = {frozenset(m) for m in out.values()}
    assert frozenset("c") in partition and frozenset("ab") in partition


def test_a_name_guard_split_is_labelled():
    table = assemble({"n:a": ["a", "b"], "g:c": ["c"], "s:d": ["d"]}, key=b"k")
    resolution = dict(
        zip(
            *(table.column(c).to_pylist() for c in ("participant_record_key", "resolution")),
            strict=True,
        )
    )
    assert resolution == {
        "a": "split_by_name_guard",
        "b": "split_by_name_guard",
        "c": "split_by_country_guard",
        "d": "singleton",
    }


# --------------------------------------------------------------------------------------------
# Rare pairs of name tokens
# --------------------------------------------------------------------------------------------


def _features(names: list[str], options: ModelOptions | None = None) -> dict[str, list]:
    records = pa.table(
        {"participant_record_key": [f"k{i:02d}" for i in range(len(names))], "full_name": names}
    )
    con = duckdb.connect()
    con.register("profiles_in", build_features(records))
    con.execute(features_sql("profiles_in", options or ModelOptions()))
    rows = con.sql("select unique_id, name_rare_pairs from features order by unique_id").fetchall()
    return {key: sorted(pairs or []) for key, pairs in rows}


def test_a_pair_held_by_few_names_is_rare_and_by_many_is_not():
    names = ["Lukas Helratoov", "Lukas Sabine Helratoov"]  # one person, with a middle name
    names += [f"Amelie {m} Lambert" for m in ("Ana", "Ute", "Ines")] + ["Amelie Lambert"]
    rare = _features(names)
    assert "hlrtv lks" in rare["k00"] and "hlrtv lks" in rare["k01"]
    # four distinct names hold "amelie lambert": four people at least, not rare
    assert not any("lambert" in p and "amelie" in p for p in rare["k05"])


def test_rare_pair_limits_are_options():
    names = ["Lukas Helratoov", "Lukas Sabine Helratoov"]
    assert _features(names, ModelOptions(rare_pair_names=1))["k00"] == []


# --------------------------------------------------------------------------------------------
# Comparison levels
# --------------------------------------------------------------------------------------------


def _level(comparison: str, left: dict, right: dict) -> str:
    """The label of the comparison level a pair of feature rows falls in (first that holds)."""
    made = COMPARISONS[comparison]()
    con = duckdb.connect()
    row = {**{f"{k}_l": v for k, v in left.items()}, **{f"{k}_r": v for k, v in right.items()}}
    con.register("p", pa.Table.from_pylist([row]))
    for level in made.get_comparison("duckdb").comparison_levels:
        sql = level._sql_condition if hasattr(level, "_sql_condition") else level.sql_condition
        if sql.strip().upper() == "ELSE":
            return level.label_for_charts
        if con.sql(f"select coalesce(({sql}), false) from p").fetchall()[0][0]:
            return level.label_for_charts
    raise AssertionError("no level")


def test_address_mostly_the_same():
    left = {"address": "199 beauchamp street mindaree"}
    right = {"address": "199 beauchamp street old post office"}
    assert _level("address", left, right) == "address mostly the same"
    other = {"address": "4 sanford place white lodge"}
    assert _level("address", left, other) == "All other comparisons"


def test_names_with_a_space_dropped_share_the_skeleton_level():
    features = build_features(
        pa.table({"participant_record_key": ["a", "b"], "full_name": ["Riley H O", "Riley Ho"]})
    ).to_pylist()
    keep = ("name_sorted", "name_ordered", "name_skeleton", "name_tokens", "name_token_skeletons")
    left, right = ({k: f[k] for k in keep} | {"name_rare_pairs": None} for f in features)
    assert _level("name", left, right) == "same consonant skeleton"


# --------------------------------------------------------------------------------------------
# u without the matches of the random sample
# --------------------------------------------------------------------------------------------


class _Level:
    def __init__(self, m, u, fixed=False):
        self.m_probability, self.u_probability, self._fix_u_probability = m, u, fixed


class _Comparison:
    def __init__(self, levels):
        self._comparison_levels_excluding_null = levels


class _Linker:
    def __init__(self, levels):
        self._settings_obj = type("S", (), {"comparisons": [_Comparison(levels)]})()


def test_u_loses_the_matches_share_of_the_sample():
    agree, differ, fixed = _Level(0.9, 0.002), _Level(0.1, 0.998), _Level(0.9, 1e-6, fixed=True)
    remove_matches_from_u(_Linker([agree, differ, fixed]), prior=0.001)
    assert agree.u_probability == pytest.approx((0.002 - 0.0009) / 0.999)
    assert differ.u_probability == pytest.approx((0.998 - 0.0001) / 0.999)
    assert fixed.u_probability == 1e-6  # fixed u values are left alone


def test_u_correction_is_floored():
    level = _Level(0.9, 0.0005)  # fewer sampled pairs than the matches alone would give
    remove_matches_from_u(_Linker([level]), prior=0.001)
    assert level.u_probability == pytest.approx(0.0005 / 20)
