"""Identity resolution on a hand-made set of participant records plus a seeded background.

The background population gives the unsupervised estimation (u by sampling, m by EM)
something to learn from; the hand-made people carry the cases that matter: swapped name order,
accents, transliterations (Latin spellings and native script), typos, e-mail case, work vs
personal address, missing e-mail, and namesakes in two countries that must stay apart.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest
from identity_synthetic import population, to_arrow

from ingestion.evaluate.identity import pair_metrics
from ingestion.pseudonym import KEY_ENV
from ingestion.warehouse import identity

BACKGROUND_PERSONS = 1500


def _rec(key, name, email=None, country=None, org=None, platform="academy"):
    return {
        "participant_record_key": key,
        "platform": platform,
        "source_record_key": key,
        "full_name": name,
        "email": email,
        "country_iso2": country,
        "organization": org,
    }


# Each tuple: the records of one real person (their keys start with "x" so they sort apart
# from the background population).
SAME_PERSON = {
    "mohammed": [
        _rec(
            "x-moh-1",
            "Mohammed Haddad",
            "m.haddad@trc.gov.jo",
            "JO",
            "Telecommunications Regulatory Commission",
        ),  # fmt: skip
        _rec(
            "x-moh-2", "HADDAD Mohamed", "M.Haddad@TRC.gov.jo", "JO", "TRC Jordan", "br_seminars"
        ),  # fmt: skip
        _rec("x-moh-3", "Muhammad Haddad", "m.haddad@trc.gov.jo", None, None, "gs_lrs"),
        _rec("x-moh-4", "محمد حداد", "m.haddad@trc.gov.jo", "JO", None, "regional_offices"),
    ],
    "sergey": [
        _rec(
            "x-ser-1",
            "Sergey Ivanovsky",
            "s.ivanovsky@minsvyaz.ru",
            "RU",
            "Ministry of Digital Development",
        ),  # fmt: skip
        _rec(
            "x-ser-2",
            "Сергей Ивановский",
            None,
            "RU",
            "Ministry of Digital Development",
            "regional_offices",
        ),  # fmt: skip
        _rec(
            "x-ser-3",
            "Ivanovsky Sergei",
            "sergei.ivanovsky@mail.ru",
            "RU",
            "Ministry of Digital Development",
            "tsb_events",
        ),  # fmt: skip
    ],
    "jose": [
        _rec("x-jos-1", "José Ignacio Villaseñor", "jvillasenor@subtel.gob.cl", "CL", "Subtel"),
        _rec(
            "x-jos-2",
            "Jose Ignacio Villasenor",
            "JVillasenor@SUBTEL.GOB.CL",
            "CL",
            None,
            "br_seminars",
        ),  # fmt: skip
        _rec(
            "x-jos-3",
            "VILLASEÑOR José Ignacio",
            "jvillasenor@subtel.gob.cl",
            "CL",
            "Subsecretaría de Telecomunicaciones",
            "tsb_events",
        ),  # fmt: skip
    ],
    "typo": [
        _rec(
            "x-wan-1",
            "Catherine Wanjiru Kamotho",
            "c.kamotho@ca.go.ke",
            "KE",
            "Communications Authority of Kenya",
        ),  # fmt: skip
        _rec("x-wan-2", "Catherine Wanjiru Kamohto", "c.kamotho@ca.go.ke", "KE", None, "gs_lrs"),
        _rec(
            "x-wan-3",
            "Catherine Kamotho",
            "catherine.kamotho@gmail.com",
            "KE",
            "Communications Authority of Kenya",
            "regional_offices",
        ),  # fmt: skip
    ],
    "moved": [
        # Two countries (nationality vs duty station), but the same e-mail address: strong
        # evidence, allowed to merge.
        _rec(
            "x-fat-1", "Fatoumata Diallo-Sangaré", "f.diallo@ecowas.int", "SN", "ECOWAS Commission"
        ),  # fmt: skip
        _rec(
            "x-fat-2",
            "Fatoumata Diallo-Sangare",
            "F.Diallo@ecowas.int",
            "NG",
            "ECOWAS Commission",
            "tsb_events",
        ),  # fmt: skip
    ],
}

# Namesakes: same name, two countries, different or no e-mail. Never one person.
NAMESAKES = [
    _rec("x-nam-1", "Pierre-Olivier Brunelleschi", "po.brunelleschi@arcep.fr", "FR", "ARCEP"),
    _rec(
        "x-nam-2",
        "Pierre-Olivier Brunelleschi",
        "po.brunelleschi@bipt.be",
        "BE",
        "BIPT",
        "tsb_events",
    ),  # fmt: skip
    _rec("x-nam-3", "Pierre Olivier Brunelleschi", None, "CH", None, "br_seminars"),
]

# Colleagues: same organisation, country and e-mail domain, similar names. Org, country and
# domain are shared by colleagues; without corresponding names they are never one person.
COLLEAGUES = [
    _rec(
        "x-col-1", "Arsène Obame", "aobame@artic.bi", "BI", "Autorité de Régulation des TIC (ARTIC)"
    ),  # fmt: skip
    _rec(
        "x-col-2",
        "Arsène Kouamé",
        "akouame@artic.bi",
        "BI",
        "Autorité de Régulation des TIC (ARTIC)",
        "tsb_events",
    ),  # fmt: skip
    _rec(
        "x-col-3",
        "Jun-ho Son",
        "junho.son@rkca.kr",
        "KR",
        "Republic of Korea Communications Authority",
    ),  # fmt: skip
    _rec(
        "x-col-4",
        "Jun-ho Song",
        "junho.song@rkca.kr",
        "KR",
        "Republic of Korea Communications Authority",
        "br_seminars",
    ),  # fmt: skip
    _rec(
        "x-col-5",
        "Jun-ho Shin",
        "shin.junho@rkca.kr",
        "KR",
        "Republic of Korea Communications Authority",
        "gs_lrs",
    ),  # fmt: skip
]

# One person, many identical records without e-mail (a frequent participant of one office):
# identical records form one profile, so they neither crowd a block nor dilute the name's weight.
FREQUENT = [
    _rec(f"x-frq-{i:03d}", "Nurlanbek Rakhimzhanov", None, "KG", "State Communications Agency")
    for i in range(150)
] + [_rec("x-frq-999", "RAKHIMZHANOV Nurlanbek", "n.rakh@sca.kg", "KG", "SCA", "tsb_events")]

# A Moodle user and the same login in an xAPI LRS fed by the Academy.
ACCOUNT = [
    {
        **_rec("x-acc-1", "Ngozi Chukwu", "ngozi.c@ncc.gov.ng", "NG", "NCC"),
        "account_key": "academy.itu.int|ngozi.c",
    },  # fmt: skip
    {
        **_rec("x-acc-2", "N. Chukwu", None, None, None, "gs_lrs"),
        "account_key": "academy.itu.int|ngozi.c",
    },  # fmt: skip
]

# A chain through a record without country: A (PL) — B (no country) — C (DE). B may join one
# side, but A and C must never end up in one person.
CHAIN = [
    _rec(
        "x-chn-a",
        "Agnieszka Wierzbicka-Nowak",
        "awn@uke.gov.pl",
        "PL",
        "Office of Electronic Communications",
    ),  # fmt: skip
    _rec(
        "x-chn-b",
        "Agnieszka Wierzbicka-Nowak",
        None,
        None,
        "Office of Electronic Communications",
        "gs_lrs",
    ),  # fmt: skip
    _rec(
        "x-chn-c",
        "Agnieszka Wierzbicka-Nowak",
        "a.wierzbicka@bnetza.de",
        "DE",
        "Office of Electronic Communications",
        "tsb_events",
    ),  # fmt: skip
]


SPECIAL = (
    [r for group in SAME_PERSON.values() for r in group]
    + NAMESAKES
    + CHAIN
    + COLLEAGUES
    + FREQUENT
    + ACCOUNT
)


@pytest.fixture(scope="module")
def resolved() -> dict[str, dict]:
    background, _ = population(BACKGROUND_PERSONS, seed=11)
    records = to_arrow(background + SPECIAL)
    con = duckdb.connect()
    con.register("records_in", records)
    con.execute("create table records as select * from records_in").fetchall()
    result = identity.resolve(con, "records", key=b"test-key")
    rows = result.fetchall()
    columns = result.columns
    con.close()
    return {row[0]: dict(zip(columns, row, strict=True)) for row in rows}


# --------------------------------------------------------------------------------------------
# Features
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variants",
    [
        ["Mohammed", "Mohamed", "Muhammad", "MOHAMMAD", "محمد"],
        ["Sergey", "Sergei", "Serguei", "Сергей"],
        ["Alexander", "Aleksandr", "Александр"],
        ["Shcherbakov", "Scherbakov", "Щербаков"],
        ["Youssef", "Yousef", "Yusuf"],
        ["Khaled", "Khalid", "خالد"],
    ],
)
def test_transliteration_variants_share_a_skeleton(variants):
    skeletons = {identity.skeleton(identity.name_tokens(v)[0]) for v in variants}
    assert len(skeletons) == 1, skeletons


def test_names_are_token_sorted_without_accents_honorifics_or_initials():
    a = identity.name_features("Dr. José A. García-López")
    b = identity.name_features("GARCIA LOPEZ, Jose")
    assert a["name_sorted"] == b["name_sorted"] == "garcia jose lopez"
    assert a["name_skeleton"] == b["name_skeleton"]
    # Pair keys tolerate a dropped token: one pair is shared with the shorter name.
    shorter = identity.name_features("José García")
    assert set(shorter["name_skeleton_pairs"]) <= set(a["name_skeleton_pairs"])


def test_short_and_vowel_heavy_names_keep_their_vowels():
    skeletons = {n: identity.skeleton(identity.name_tokens(n)[0]) for n in ("Son", "Shin", "Song")}
    assert len(set(skeletons.values())) == 3, skeletons
    assert identity.skeleton("keita") != identity.skeleton("kouyate")
    assert identity.skeleton("reem") != identity.skeleton("ramy")
    assert identity.skeleton("ramy") == identity.skeleton("rami")
    # ... while a consonant-rich name still matches its vowel-less Arabic-script spelling
    assert identity.skeleton("haddad") == identity.skeleton(identity.name_tokens("حداد")[0])


def test_organisation_acronyms():
    full = identity.organization_acronyms("Agence de Régulation des Télécommunications (ART)")
    assert full == ("art",) and identity.organization_acronyms("ART") == ("art",)
    assert "mddcmm" in identity.organization_acronyms(
        "Ministry of Digital Development, Communications and Mass Media"
    )
    assert identity.organization_acronyms(None) == ()


def test_native_script_is_transliterated():
    assert identity.name_tokens("Сергей Иванов") == ("sergey", "ivanov")
    assert identity.name_tokens("王伟") == ("wang", "wei")
    assert identity.name_features(None)["name_sorted"] is None
    assert identity.name_features("  ")["name_sorted"] is None


def test_email_normalisation():
    assert identity.normalize_email(" J.Smith+itu@Example.ORG ") == (
        "j.smith+itu@example.org",
        "jsmith",
        "example.org",
    )
    assert identity.normalize_email("mailto:a.b@c.int") == ("a.b@c.int", "ab", "c.int")
    assert identity.normalize_email("not an address") == (None, None, None)
    assert identity.normalize_email(None) == (None, None, None)


def test_participant_key_is_a_stable_keyed_hash(monkeypatch):
    monkeypatch.setenv(KEY_ENV, "secret-1")
    first = identity.participant_key_for("abc")
    assert first == identity.participant_key_for("abc")
    assert len(first) == 64 and first != identity.participant_key_for("abd")
    monkeypatch.setenv(KEY_ENV, "secret-2")
    assert identity.participant_key_for("abc") != first


# --------------------------------------------------------------------------------------------
# The country guard on its own
# --------------------------------------------------------------------------------------------


def test_guard_splits_a_chain_through_a_record_without_country():
    countries = {"a": "PL", "b": None, "c": "DE"}
    edges = [("a", "b", 0.99, False), ("b", "c", 0.95, False)]
    clusters = identity.guarded_clusters(countries, edges)
    assert clusters == {"a": "a", "b": "a", "c": "c"}  # b joins its strongest link


def test_guard_allows_two_countries_over_an_exact_email():
    countries = {"a": "SN", "b": "CI", "c": None}
    edges = [("a", "b", 0.99, True), ("b", "c", 0.97, False)]
    assert set(identity.guarded_clusters(countries, edges).values()) == {"a"}


def test_guard_is_deterministic_on_ties():
    countries = {"a": "FR", "b": None, "c": "BE"}
    edges = [("b", "c", 0.9, False), ("a", "b", 0.9, False)]
    assert identity.guarded_clusters(countries, edges) == {"a": "a", "b": "a", "c": "c"}


# --------------------------------------------------------------------------------------------
# End to end on an in-memory DuckDB
# --------------------------------------------------------------------------------------------


def test_every_record_gets_exactly_one_person(resolved):
    background, _ = population(BACKGROUND_PERSONS, seed=11)
    assert len(resolved) == len(background) + len(SPECIAL)
    for row in resolved.values():
        assert row["cluster_id"] <= row["participant_record_key"]
        assert row["participant_key"] == identity.participant_key_for(
            row["cluster_id"], b"test-key"
        )


@pytest.mark.parametrize("person", sorted(SAME_PERSON))
def test_variants_of_one_person_are_merged(resolved, person):
    keys = [r["participant_record_key"] for r in SAME_PERSON[person]]
    clusters = {resolved[k]["cluster_id"] for k in keys}
    assert len(clusters) == 1, {k: resolved[k]["cluster_id"] for k in keys}
    assert resolved[keys[0]]["cluster_size"] == len(keys)


def test_namesakes_in_different_countries_stay_apart(resolved):
    clusters = {resolved[r["participant_record_key"]]["cluster_id"] for r in NAMESAKES}
    assert len(clusters) == len(NAMESAKES)


def test_chain_through_missing_country_does_not_join_two_countries(resolved):
    a, b, c = (resolved[r["participant_record_key"]] for r in CHAIN)
    assert a["cluster_id"] != c["cluster_id"]


def test_colleagues_with_similar_names_stay_apart(resolved):
    clusters = {resolved[r["participant_record_key"]]["cluster_id"] for r in COLLEAGUES}
    assert len(clusters) == len(COLLEAGUES)


def test_a_frequent_participant_is_one_person(resolved):
    clusters = {resolved[r["participant_record_key"]]["cluster_id"] for r in FREQUENT}
    assert clusters == {"x-frq-000"}
    assert resolved["x-frq-000"]["cluster_size"] == len(FREQUENT)


def test_a_shared_login_links_records(resolved):
    assert resolved["x-acc-1"]["cluster_id"] == resolved["x-acc-2"]["cluster_id"]


def test_no_cluster_spans_two_countries_without_a_shared_email(resolved):
    background, _ = population(BACKGROUND_PERSONS, seed=11)
    records = background + SPECIAL
    by_cluster: dict[str, list[dict]] = {}
    for r in records:
        by_cluster.setdefault(resolved[r["participant_record_key"]]["cluster_id"], []).append(r)
    for members in by_cluster.values():
        countries = {m["country_iso2"] for m in members if m["country_iso2"]}
        if len(countries) > 1:
            emails = [(m["email"] or "").lower() for m in members if m["email"]]
            assert len(set(emails)) < len(emails), members


def test_background_quality(resolved):
    """A sanity floor on the synthetic population (not a benchmark: see capdev evaluate)."""
    _, truth = population(BACKGROUND_PERSONS, seed=11)
    con = duckdb.connect()
    con.register(
        "t",
        pa.table(
            {
                "cluster": [resolved[k]["cluster_id"] for k in truth],
                "person": list(truth.values()),
            }
        ),
    )
    metrics = pair_metrics(con, "t")
    assert metrics["precision"] >= 0.95, metrics
    assert metrics["recall"] >= 0.6, metrics


def test_resolve_is_deterministic():
    records, _ = population(300, seed=5)
    con = duckdb.connect()
    con.register("records", to_arrow(records))
    first = identity.resolve(con, "records", key=b"k").fetchall()
    second = identity.resolve(con, "records", key=b"k").fetchall()
    assert first == second


def test_resolve_handles_no_records():
    con = duckdb.connect()
    con.execute(
        "create table records (participant_record_key varchar, full_name varchar, "
        "email varchar, country_iso2 varchar, organization varchar)"
    ).fetchall()
    assert identity.resolve(con, "records").fetchall() == []


# --------------------------------------------------------------------------------------------
# evaluate's pair counting
# --------------------------------------------------------------------------------------------


def test_pair_metrics_counts_pairs_by_combinatorics():
    # Truth: P1 = {1, 2, 3}, P2 = {4, 5}, P3 = {6}.  Prediction: C1 = {1, 2}, C2 = {3, 4, 5, 6}.
    # True pairs: 3 + 1 = 4. Predicted pairs: 1 + 6 = 7. True positives: (1,2) and (4,5) = 2.
    con = duckdb.connect()
    con.execute(
        """
        create table t as select * from (values
            ('C1', 'P1'), ('C1', 'P1'), ('C2', 'P1'), ('C2', 'P2'), ('C2', 'P2'), ('C2', 'P3')
        ) as v(cluster, person)
        """
    ).fetchall()
    m = pair_metrics(con, "t")
    assert (m["predicted_pairs"], m["true_pairs"], m["true_positive_pairs"]) == (7, 4, 2)
    assert m["precision"] == pytest.approx(2 / 7)
    assert m["recall"] == pytest.approx(0.5)
    assert m["f1"] == pytest.approx(2 * (2 / 7) * 0.5 / (2 / 7 + 0.5))


def test_pair_metrics_with_only_singletons():
    con = duckdb.connect()
    con.execute(
        "create table t as select 'C' || i as cluster, 'P' || i as person from range(3) r(i)"
    )
    m = pair_metrics(con, "t")
    assert m["predicted_pairs"] == m["true_pairs"] == 0
    assert m["precision"] is None and m["recall"] is None and m["f1"] is None
