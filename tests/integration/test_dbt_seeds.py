"""The reference seeds of the dbt project (dbt_project/seeds/*.csv), checked on the files.

The same properties are dbt tests of the project (seeds/_seeds.yml, the normalized lookups of
models/intermediate/reference); checking them here keeps the dbt build test fast.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

REGIONS = {"Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe"}
ACTIVITY_TYPES = {
    "self_paced_online_course",
    "instructor_led_online_course",
    "blended_course",
    "face_to_face_training",
    "workshop",
    "seminar",
    "webinar",
    "forum",
    "tutorial",
}
TOPICS = {
    "spectrum_management",
    "satellite_services",
    "cybersecurity",
    "ict_policy_regulation",
    "standardization_conformity",
    "digital_inclusion_accessibility",
    "emergency_telecommunications",
    "digital_financial_services",
    "iot_smart_cities",
    "artificial_intelligence",
    "broadband_infrastructure",
    "quality_of_service",
    "environment_ewaste",
    "ict_statistics",
    "digital_transformation",
}
DELIVERY_MODES = {"online_self_paced", "online_live", "in_person", "hybrid", "blended"}

# the SQL of the normalize_key macro (dbt_project/macros/text.sql)
NORMALIZE_KEY = """nullif(trim(regexp_replace(nullif(trim(regexp_replace(
    strip_accents(replace(replace(replace(replace(replace(
        translate(lower({0}), 'øłđıħŧðـ', 'oldihtd'),
        'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe'), 'þ', 'th'), '’', '''')),
    '[\\s\\p{{Z}}]+', ' ', 'g')), ''), '[^\\p{{L}}\\p{{N}}]+', ' ', 'g')), '')"""


@pytest.fixture(scope="module")
def con():
    with duckdb.connect() as connection:
        for csv in SEEDS.glob("*.csv"):
            connection.execute(
                f"create table {csv.stem} as select *"
                f" from read_csv('{csv}', header = true, all_varchar = true)"
            )
        yield connection


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def test_countries(con):
    assert rows(con, "select count(*) from countries where is_itu_member = 'true'") == [(193,)]
    for column in ("iso2", "iso3", "m49"):
        assert rows(con, f"select count(*) - count(distinct {column}) from countries") == [(0,)], (
            column
        )
    assert rows(
        con, "select count(*) from countries where not regexp_full_match(m49, '\\d{3}')"
    ) == [(0,)]
    assert {r for (r,) in rows(con, "select distinct itu_region from countries")} == REGIONS
    counts = dict(
        rows(
            con,
            """
        select 'ldc', count(*) filter (where is_ldc = 'true' and is_itu_member = 'true')
        from countries
        union all select 'lldc', count(*) filter (where is_lldc = 'true') from countries
    """,
        )
    )
    assert counts == {"ldc": 44, "lldc": 32}
    for column in ("name_en", "name_fr", "name_es", "name_ru", "name_ar", "name_zh"):
        assert rows(con, f"select count(*) from countries where coalesce({column}, '') = ''") == [
            (0,)
        ], column
    flags = rows(con, "select is_developing from countries where iso2 in ('CH', 'SN', 'US', 'IN')")
    assert sorted(f for (f,) in flags) == ["false", "false", "true", "true"]


def test_country_aliases(con):
    assert [c[0] for c in con.execute("describe country_aliases").fetchall()][:2] == [
        "alias",
        "iso2",
    ]
    assert rows(con, "select count(*) - count(distinct alias) from country_aliases") == [(0,)]
    assert rows(
        con,
        """
        select count(*) from country_aliases a left join countries c using (iso2)
        where c.iso2 is null
    """,
    ) == [(0,)]
    ambiguous = rows(
        con,
        f"""
        select {NORMALIZE_KEY.format("alias")} as k, list(distinct iso2)
        from (
            select alias, iso2 from country_aliases
            union all
            select unnest([iso2, iso3, name_en, name_fr, name_es, name_ru, name_ar, name_zh]), iso2
            from countries
        )
        group by k having count(distinct iso2) > 1
    """,
    )
    assert ambiguous == []
    mapping = dict(rows(con, f"select {NORMALIZE_KEY.format('alias')}, iso2 from country_aliases"))

    def iso(value: str) -> str | None:
        return mapping.get(
            con.execute(f"select {NORMALIZE_KEY.format('$1')}", [value]).fetchone()[0]
        )

    expected = {
        "Swaziland": "SZ",
        "Eswatini": "SZ",
        "Turkey": "TR",
        "Türkiye": "TR",
        "Turquie": "TR",
        "TUR": "TR",
        "Côte d'Ivoire": "CI",
        "Cote d'Ivoire": "CI",
        "Ivory Coast": "CI",
        "Côte d’Ivoire": "CI",
        "CIV": "CI",
        "Czech Republic": "CZ",
        "Czechia": "CZ",
        "Macedonia": "MK",
        "North Macedonia": "MK",
        "Burma": "MM",
        "Myanmar": "MM",
        "Zaire": "CD",
        "Congo": "CG",
        "Sénégal": "SN",
        "Allemagne": "DE",
        "Alemania": "DE",
        "Германия": "DE",
        "ألمانيا": "DE",
        "德国": "DE",
        "Россия": "RU",
        "Fédération de Russie": "RU",
        "UNITED STATES": "US",
        "Viet Nam": "VN",
        "Vietnam": "VN",
        "Korea, Republic of": "KR",
        "Bolivia": "BO",
        "Iran": "IR",
        "Estados Unidos": "US",
        "Royaume-Uni": "GB",
        "Emiratos Árabes Unidos": "AE",
    }
    assert {name: iso(name) for name in expected} == expected


def test_taxonomy(con):
    assert {c for (c,) in rows(con, "select code from taxonomy_activity_types")} == ACTIVITY_TYPES
    assert {c for (c,) in rows(con, "select code from taxonomy_topics")} == TOPICS
    for table in ("taxonomy_activity_types", "taxonomy_topics"):
        for lang in ("en", "fr", "es", "ru", "ar", "zh"):
            assert rows(
                con, f"select count(*) from {table} where coalesce(label_{lang}, '') = ''"
            ) == [(0,)]
    assert {
        d for (d,) in rows(con, "select default_delivery_mode from taxonomy_activity_types")
    } <= DELIVERY_MODES
    terms = rows(
        con, "select term, language, maps_to_kind, code, match, priority from taxonomy_terms"
    )
    for term, language, kind, code, match, priority in terms:
        assert kind in ("activity_type", "topic")
        assert code in (ACTIVITY_TYPES if kind == "activity_type" else TOPICS), (term, code)
        assert match in ("exact", "keyword", "term_keyword") and language in (
            "en",
            "fr",
            "es",
            "ru",
            "ar",
            "zh",
            "und",
        )
        assert priority.isdigit()
    # every topic has title keywords in the six languages
    missing = rows(
        con,
        """
        select t.code, l.lang from taxonomy_topics t
        cross join (select unnest(['en', 'fr', 'es', 'ru', 'ar', 'zh']) as lang) l
        left join taxonomy_terms k
            on k.code = t.code and k.maps_to_kind = 'topic' and k.match = 'keyword'
            and k.language = l.lang
        group by all having count(k.term) = 0
    """,
    )
    assert missing == []
    ambiguous = rows(
        con,
        f"""
        select maps_to_kind, {NORMALIZE_KEY.format("term")} as k
        from taxonomy_terms where match = 'exact'
        group by all having count(distinct code) > 1
    """,
    )
    assert ambiguous == []
    exact = {
        (kind, term.lower()): code for term, _, kind, code, match, _ in terms if match == "exact"
    }
    for term, code in {
        "workshop": "workshop",
        "tutorial": "tutorial",
        "webinar": "webinar",
        "forum": "forum",
        "training": "face_to_face_training",
        "atelier": "workshop",
        "taller": "workshop",
        "семинар": "seminar",
        "вебинар": "webinar",
        "ورشة عمل": "workshop",
        "ندوة": "seminar",
        "wrs": "seminar",
        "rrs": "seminar",
    }.items():
        assert exact.get(("activity_type", term)) == code, term


def test_lookup_seeds(con):
    genders = dict(rows(con, "select raw_value, gender from gender_codes"))
    assert {v for v in genders.values()} == {"F", "M", "X", "unknown"}
    for raw, gender in {
        "M": "M",
        "F": "F",
        "H": "M",
        "Male": "M",
        "Female": "F",
        "Homme": "M",
        "Femme": "F",
        "Hombre": "M",
        "Mujer": "F",
        "Мужской": "M",
        "Женский": "F",
        "М": "M",
        "Ж": "F",
        "ذكر": "M",
        "أنثى": "F",
        "woman": "F",
        "man": "M",
    }.items():
        assert genders.get(raw, genders.get(raw.title())) == gender, raw
    scales = {
        (p, m): (lo, hi, mark)
        for p, m, lo, hi, mark in rows(
            con, "select platform, measure, scale_min, scale_max, pass_mark from assessment_scales"
        )
    }
    assert scales[("br_seminars", "exam")] == ("0", "20", "10")
    assert scales[("regional_offices", "satisfaction")][:2] == ("1", "5")
    units = rows(
        con,
        "select platform, office, bureau, org_unit from org_units"
        " where platform = 'regional_offices'",
    )
    assert len(units) == 6 and {b for _, _, b, _ in units} == {"BDT"}
    assert {
        d for (d,) in rows(con, "select delivery_mode from delivery_mode_terms")
    } == DELIVERY_MODES
    assert {
        r
        for (r,) in rows(con, "select itu_region from region_aliases where itu_region is not null")
    } == REGIONS
    assert rows(
        con, "select count(*) - count(distinct platform || entity || field) from platform_fields"
    ) == [(0,)]


def test_vocabularies_label_every_code_the_lookups_produce(con):
    """The lists of the vocabularies seed are exactly the codes the lookup seeds map onto (one
    spelling of each), each code once with a label; beside them, the codes only the Council
    marts use (their note says so): ALL, a total row, and unknown, nothing recorded."""

    def codes(vocabulary: str) -> set[str]:
        return {
            c
            for (c,) in rows(
                con,
                f"select code from vocabularies where vocabulary = '{vocabulary}' "
                "and note not like 'Council marts:%'",
            )
        }

    council = rows(
        con,
        "select distinct code from vocabularies where note like 'Council marts:%' "
        "and vocabulary not in ('country_group', 'dimension')",
    )
    assert {c for (c,) in council} == {"ALL", "unknown"}

    assert rows(con, "select count(*) - count(distinct (vocabulary, code)) from vocabularies") == [
        (0,)
    ]
    assert rows(con, "select count(*) from vocabularies where coalesce(label_en, '') = ''") == [
        (0,)
    ]
    assert codes("region") == REGIONS
    assert codes("delivery_mode") == DELIVERY_MODES
    assert codes("gender") == {g for (g,) in rows(con, "select distinct gender from gender_codes")}
    assert codes("platform") == {p for (p,) in rows(con, "select distinct platform from org_units")}
    languages = {lang for (lang,) in rows(con, "select distinct language from taxonomy_terms")}
    assert languages <= codes("language")
    # bureaux, units and offices are named in org_units: every bureau by its headquarters unit
    named = rows(con, "select distinct bureau from org_units where org_unit = bureau")
    assert {b for (b,) in named} == {
        b for (b,) in rows(con, "select distinct bureau from org_units")
    }


COURSE_SUBJECTS = {
    "strategy",
    "legal",
    "monitoring",
    "measurement",
    "emerging_technology",
    "financing",
    "project",
    "good_practice",
    "case_study",
    "trainers",
    "risk",
    "assessment",
    "data",
    "analysis",
    "partnership",
}
COURSE_LEVELS = {"introductory", "intermediate", "advanced"}


def test_course_terms(con):
    """The overlap detector's vocabulary: every subject and level in the six languages, each
    row with its real-world source, no term that names a topic (every course of the topic
    would share it) and none that is both a subject and a level."""
    terms = rows(con, "select term, language, kind, code, source from course_terms")
    assert {code for _, _, kind, code, _ in terms if kind == "subject"} == COURSE_SUBJECTS
    assert {code for _, _, kind, code, _ in terms if kind == "level"} == COURSE_LEVELS
    languages = {"en", "fr", "es", "ru", "ar", "zh"}
    for code in COURSE_SUBJECTS | COURSE_LEVELS:
        assert {lang for _, lang, _, c, _ in terms if c == code} == languages, code
    for term, _, _, _, source in terms:
        assert "*" not in term.rstrip("*"), f"inner '*' is not supported: {term}"
        assert source and source.strip(), term
        assert not any(w in source.lower() for w in ("sandbox", "generator")), (term, source)
    kinds = rows(
        con,
        f"""
        select {NORMALIZE_KEY.format("replace(term, '*', '')")} as k, list(distinct kind)
        from course_terms group by all having count(distinct kind) > 1
        """,
    )
    assert kinds == []
    # a subject term found in a topic label (six languages): conservative, a Latin or Cyrillic
    # term counts when its letters start a word of the label, Arabic and Chinese anywhere
    labels = [
        f" {label} "
        for (label,) in rows(
            con,
            "select unnest(["
            + ", ".join(
                NORMALIZE_KEY.format(f"label_{lang}")
                for lang in ("en", "fr", "es", "ru", "ar", "zh")
            )
            + "]) from taxonomy_topics",
        )
    ]
    keyed = rows(
        con,
        f"""
        select term, language, {NORMALIZE_KEY.format("replace(term, '*', '')")}
        from course_terms where kind = 'subject'
        """,
    )
    in_topics = [
        (term, label.strip())
        for term, lang, key in keyed
        for label in labels
        if (key in label if lang in ("ar", "zh") else f" {key}" in label)
    ]
    assert in_topics == [], "subject terms that name a topic"
