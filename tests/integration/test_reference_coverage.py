"""Reference seeds against real-world reference lists, never against the sandbox generator
(pure Python, no dbt run).

(a) countries: every code of countries.csv is an ISO 3166-1 code CLDR knows (babel, locked), every
    country's own six-language names and codes are aliases of it, CLDR's country names in the six
    UN languages are aliases of the right country (none maps elsewhere; coverage per language
    at least what the seed documents), and validation (Great Expectations) knows every alias;
(b) taxonomy: the labels of taxonomy_topics / taxonomy_activity_types (ITU's own names, six
    languages) are exact terms of their code; study-group terms name real ITU study groups;
    xAPI activity-type IRIs come from the public xAPI vocabularies, none invented;
(c) the held-out vocabulary of the sandbox (sandbox/generator/heldout.py) appears nowhere in the
    seeds: the held-out accuracy `capdev evaluate` reports stays a test on unseen wording; the
    same for its course names (subject and level wordings) against the overlap seed
    course_terms.csv, so the held-out overlap figures are too;
(d) course subjects and levels (course_terms.csv, read by the overlap detector): the UN's own
    six-language equivalents of course subjects (UNTERM) and the usual names of course levels
    each name the subjects or level of their English term, and no other.
Keys are built like the dbt macro normalize_key (dbt_project/macros/text.sql): lower case, the
letters strip_accents leaves alone (ø ł đ ı ħ ŧ ð, tatweel, ß æ œ þ) folded, accents stripped,
white space collapsed, punctuation runs turned into one space.
"""

from __future__ import annotations

import csv
import functools
import re
import unicodedata
from pathlib import Path

import pytest
from babel import Locale

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"
LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")

# Least share of CLDR country names (per language) that country_aliases.csv holds: all of them,
# since ingestion/reference/countries.py writes the seed from CLDR. The display names stay the UN
# terminology (UNTERM); CLDR's forms ("St. Kitts & Nevis", "Конго - Киншаса") are aliases.
CLDR_COVERAGE = {lang: 1.0 for lang in LANGUAGES}

# ITU-T study groups (2022-2024 and 2025-2028 study periods), ITU-R and ITU-D study groups.
ITU_T_STUDY_GROUPS = {2, 3, 5, 9, 11, 12, 13, 15, 16, 17, 20, 21}
ITU_R_STUDY_GROUPS = {1, 3, 4, 5, 6, 7}
ITU_D_STUDY_GROUPS = {1, 2}

# Public xAPI activity-type vocabularies: ADL, the Tin Can registry, w3id.org profiles (cmi5,
# acrossx). An IRI outside them would be a platform's private vocabulary, to be documented.
XAPI_VOCABULARY_HOSTS = (
    "http://adlnet.gov/expapi/",
    "http://id.tincanapi.com/",
    "https://w3id.org/",
)


def normalize_key(value: str) -> str:
    s = value.lower().translate(str.maketrans("øłđıħŧð", "oldihtd")).replace("ـ", "")
    s = s.replace("ß", "ss").replace("æ", "ae").replace("œ", "oe").replace("þ", "th")
    s = s.replace("’", "'")
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))
    s = re.sub(r"\s+", " ", s).strip()
    return re.sub(r"[\W_]+", " ", s).strip()


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _aliases() -> dict[str, set[str]]:
    aliases: dict[str, set[str]] = {}
    for row in _rows("country_aliases"):
        aliases.setdefault(normalize_key(row["alias"]), set()).add(row["iso2"])
    return aliases


def test_normalize_key_matches_macro_examples() -> None:
    assert normalize_key("Côte d’Ivoire") == normalize_key("COTE D'IVOIRE") == "cote d ivoire"
    assert normalize_key("  Türkiye ") == "turkiye"


# --------------------------------------------------------------------------- countries


def test_country_codes_are_iso_3166() -> None:
    territories = Locale.parse("en").territories
    codes = [row["iso2"] for row in _rows("countries")]
    assert len(codes) == len(set(codes))
    assert [c for c in codes if not re.fullmatch(r"[A-Z]{2}", c) or c not in territories] == []


def test_country_aliases_hold_each_countrys_own_names_and_codes() -> None:
    aliases = _aliases()
    wrong = []
    for row in _rows("countries"):
        labels = [row["iso2"], row["iso3"]] + [row[f"name_{lang}"] for lang in LANGUAGES]
        wrong += [
            (label, row["iso2"])
            for label in labels
            if aliases.get(normalize_key(label)) != {row["iso2"]}
        ]
    assert not wrong, f"country names or codes not mapped (or mapped wrongly): {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_country_aliases_agree_with_cldr(lang: str) -> None:
    """CLDR's name of a country, in each UN language, maps to that country and to no other; the
    seed holds most of them."""
    aliases = _aliases()
    territories = Locale.parse(lang).territories
    codes = {row["iso2"] for row in _rows("countries")}
    elsewhere = [
        (code, name, sorted(aliases[normalize_key(name)]))
        for code, name in territories.items()
        if len(code) == 2
        and normalize_key(name) in aliases
        and aliases[normalize_key(name)] != {code}
    ]
    assert not elsewhere, f"CLDR {lang} names mapped to another country: {elsewhere}"
    held = [c for c in codes if normalize_key(territories[c]) in aliases]
    assert len(held) / len(codes) >= CLDR_COVERAGE[lang], sorted(
        (c, territories[c]) for c in codes - set(held)
    )


def test_country_aliases_are_unambiguous() -> None:
    assert not {k: v for k, v in _aliases().items() if len(v) > 1}


def test_validation_knows_every_country_alias() -> None:
    """Great Expectations' country check (before the warehouse) accepts what the warehouse maps:
    an unknown country quarantines its row."""
    from ingestion.normalize import normalize_many
    from ingestion.raw.validation.suites import load_known_countries

    known = set(load_known_countries() or ())
    rows = _rows("country_aliases")
    labels = [row["alias"] for row in rows] + [row["name_en"] for row in _rows("countries")]
    keys = dict(zip(labels, normalize_many(labels), strict=True))
    assert sorted({label for label, key in keys.items() if key not in known}) == []


def test_region_aliases_cover_bilingual_itu_region_names() -> None:
    """ITU's six regions, in English and as ITU's bilingual documents write them (EN / FR)."""
    aliases = {normalize_key(r["alias"]): r["itu_region"] for r in _rows("region_aliases")}
    french = {
        "Africa": "Afrique",
        "Americas": "Amériques",
        "Arab States": "États arabes",
        "Asia-Pacific": "Asie-Pacifique",
        "CIS": "CEI",
        "Europe": "Europe",
    }
    for region, fr in french.items():
        assert aliases.get(normalize_key(region)) == region
        assert aliases.get(normalize_key(f"{region} / {fr}")) == region


# --------------------------------------------------------------------------- taxonomy


def _terms(kind: str, match: str = "exact") -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    for row in _rows("taxonomy_terms"):
        if row["maps_to_kind"] == kind and row["match"] == match:
            terms.setdefault(normalize_key(row["term"]), set()).add(row["code"])
    return terms


@pytest.mark.parametrize("kind", ["activity_type", "topic"])
def test_taxonomy_labels_are_exact_terms(kind: str) -> None:
    """Each code's documented label in the six languages is an exact term of that code."""
    terms = _terms(kind)
    wrong = [
        (
            row[f"label_{lang}"],
            row["code"],
            sorted(terms.get(normalize_key(row[f"label_{lang}"]), ())),
        )
        for row in _rows(f"taxonomy_{kind}s")
        for lang in LANGUAGES
        if terms.get(normalize_key(row[f"label_{lang}"])) != {row["code"]}
    ]
    assert not wrong, f"{kind} labels not mapped (or mapped wrongly): {wrong}"


def test_study_group_terms_name_real_itu_study_groups() -> None:
    groups = {"ITU-T": ITU_T_STUDY_GROUPS, "ITU-R": ITU_R_STUDY_GROUPS, "ITU-D": ITU_D_STUDY_GROUPS}
    for row in _rows("taxonomy_terms"):
        m = re.fullmatch(r"(?:(ITU-[TRD]) )?SG(\d+)", row["term"])
        if m:
            sector = m.group(1) or "ITU-T"  # TSB's event pages write ITU-T groups bare
            assert int(m.group(2)) in groups[sector], row


def test_xapi_iris_come_from_public_vocabularies() -> None:
    iris = [row["term"] for row in _rows("taxonomy_terms") if "://" in row["term"]]
    assert iris
    assert [iri for iri in iris if not iri.startswith(XAPI_VOCABULARY_HOSTS)] == []


def test_exact_terms_are_unambiguous() -> None:
    for kind in ("activity_type", "topic"):
        assert {k: v for k, v in _terms(kind).items() if len(v) > 1} == {}


def test_held_out_vocabulary_is_not_in_the_seeds() -> None:
    """No held-out wording (titles, delivery-mode and type words) is a term of any seed: the
    held-out figures measure the classifier on wording it never saw."""
    from sandbox.generator import heldout

    seed_terms = (
        {normalize_key(row["term"]).replace("*", "") for row in _rows("taxonomy_terms")}
        | {normalize_key(row["term"]) for row in _rows("delivery_mode_terms")}
        | {normalize_key(row["term"].replace("*", "")) for row in _rows("course_terms")}
    )
    wordings = heldout.all_wordings()
    assert len(wordings) > 200
    kinds = {kind for kind, _, _ in wordings}
    assert {"course_aspect", "course_level"} <= kinds
    found = [
        (kind, code, text) for kind, code, text in wordings if normalize_key(text) in seed_terms
    ]
    assert not found, f"held-out wordings copied into the seeds: {found}"
    # and the held-out titles are no in-sample titles either (they are written apart)
    from sandbox.generator.taxonomy import TITLES

    in_sample = {
        normalize_key(t) for by_lang in TITLES.values() for ts in by_lang.values() for t in ts
    }
    assert [t for k, _, t in wordings if k == "title" and normalize_key(t) in in_sample] == []


def test_held_out_course_wordings_are_not_the_in_sample_ones() -> None:
    """The held-out course names share no subject or level wording with the in-sample course
    names (courses.py) they stand beside: the two were written apart."""
    from sandbox.generator import courses, heldout

    in_sample = {
        normalize_key(w) for by_lang in courses.ASPECTS.values() for w in by_lang.values()
    } | {
        normalize_key(w)
        for by_lang in courses.LEVELS.values()
        for ws in by_lang.values()
        for w in ws
    }
    copied = [
        (kind, code, text)
        for kind, code, text in heldout.all_wordings()
        if kind.startswith("course_") and normalize_key(text) in in_sample
    ]
    assert not copied, copied


# --------------------------------------------------------------------------- course terms

# UNTERM's equivalents in the six UN languages of phrases course titles are made of, and the
# usual names of course levels; each names exactly these subjects / this level.
UN_COURSE_PHRASES: list[tuple[frozenset[str], dict[str, str]]] = [
    (
        frozenset({"monitoring", "assessment"}),
        {
            "en": "monitoring and evaluation",
            "fr": "suivi et évaluation",
            "es": "seguimiento y evaluación",
            "ru": "мониторинг и оценка",
            "ar": "الرصد والتقييم",
            "zh": "监测和评价",
        },
    ),
    (
        frozenset({"partnership"}),
        {
            "en": "public-private partnership",
            "fr": "partenariat public-privé",
            "es": "asociación público-privada",
            "ru": "партнерство между государственным и частным секторами",
            "ar": "الشراكة بين القطاعين العام والخاص",
            "zh": "公私伙伴关系",
        },
    ),
    (
        frozenset({"good_practice"}),
        {
            "en": "best practices",
            "fr": "pratiques optimales",
            "es": "mejores prácticas",
            "ru": "наилучшие виды практики",
            "ar": "أفضل الممارسات",
            "zh": "最佳做法",
        },
    ),
    (
        frozenset({"risk", "assessment"}),
        {
            "en": "risk assessment",
            "fr": "évaluation des risques",
            "es": "evaluación de riesgos",
            "ru": "оценка рисков",
            "ar": "تقييم المخاطر",
            "zh": "风险评估",
        },
    ),
    (
        frozenset({"trainers"}),
        {
            "en": "training of trainers",
            "fr": "formation de formateurs",
            "es": "formación de formadores",
            "ru": "подготовка инструкторов",
            "ar": "تدريب المدربين",
            "zh": "培训员培训",
        },
    ),
    (
        frozenset({"case_study"}),
        {
            "en": "case study",
            "fr": "étude de cas",
            "es": "estudio de caso",
            "ru": "тематическое исследование",
            "ar": "دراسة حالة",
            "zh": "案例研究",
        },
    ),
    (
        frozenset({"financing"}),
        {
            "en": "resource mobilization",
            "fr": "mobilisation de ressources",
            "es": "movilización de recursos",
            "ru": "мобилизация ресурсов",
            "ar": "تعبئة الموارد",
            "zh": "资源调动",
        },
    ),
    (
        frozenset({"emerging_technology"}),
        {
            "en": "emerging technologies",
            "fr": "technologies émergentes",
            "es": "tecnologías emergentes",
            "ru": "новые технологии",
            "ar": "التكنولوجيات الناشئة",
            "zh": "新兴技术",
        },
    ),
    (
        frozenset({"data", "analysis"}),
        {
            "en": "data analysis",
            "fr": "analyse des données",
            "es": "análisis de datos",
            "ru": "анализ данных",
            "ar": "تحليل البيانات",
            "zh": "数据分析",
        },
    ),
    (
        frozenset({"strategy"}),
        {
            "en": "national strategy",
            "fr": "stratégie nationale",
            "es": "estrategia nacional",
            "ru": "национальная стратегия",
            "ar": "الاستراتيجية الوطنية",
            "zh": "国家战略",
        },
    ),
    (
        frozenset({"legal"}),
        {
            "en": "legal framework",
            "fr": "cadre juridique",
            "es": "marco jurídico",
            "ru": "правовая база",
            "ar": "الإطار القانوني",
            "zh": "法律框架",
        },
    ),
    (
        frozenset({"project"}),
        {
            "en": "project management",
            "fr": "gestion de projet",
            "es": "gestión de proyectos",
            "ru": "управление проектами",
            "ar": "إدارة المشاريع",
            "zh": "项目管理",
        },
    ),
    (
        frozenset({"introductory"}),
        {
            "en": "introductory course",
            "fr": "cours d'initiation",
            "es": "curso introductorio",
            "ru": "вводный курс",
            "ar": "دورة تمهيدية",
            "zh": "入门课程",
        },
    ),
    (
        frozenset({"intermediate"}),
        {
            "en": "intermediate level",
            "fr": "niveau intermédiaire",
            "es": "nivel intermedio",
            "ru": "средний уровень",
            "ar": "المستوى المتوسط",
            "zh": "中级",
        },
    ),
    (
        frozenset({"advanced"}),
        {
            "en": "advanced course",
            "fr": "cours avancé",
            "es": "curso avanzado",
            "ru": "углубленный курс",
            "ar": "دورة متقدمة",
            "zh": "高级课程",
        },
    ),
]


@functools.cache
def _course_term_keys() -> list[tuple[str, str, str]]:
    """(language, code, key) of every course term, the key by the warehouse's own normalize_key
    macro (ingestion.normalize), '*' left out."""
    from ingestion.normalize import normalize_many

    rows = _rows("course_terms")
    keys = normalize_many([row["term"].rstrip("*") for row in rows])
    return [(row["language"], row["code"], key) for row, key in zip(rows, keys, strict=True)]


def _course_codes_found(phrase: str) -> set[str]:
    """The codes whose course term occurs in the phrase, at least as loosely as the dbt model
    int_course_terms_normalized matches (a Latin or Cyrillic term where a word starts, an
    Arabic or Chinese one anywhere): a phrase that should not name a code is checked strictly."""
    from ingestion.normalize import normalize_many

    text = f" {normalize_many([phrase])[0]} "
    return {
        code
        for lang, code, key in _course_term_keys()
        if ((key in text) if lang in ("ar", "zh") else (f" {key}" in text))
    }


@pytest.mark.parametrize(
    "codes, phrases",
    UN_COURSE_PHRASES,
    ids=["-".join(sorted(codes)) for codes, _ in UN_COURSE_PHRASES],
)
def test_course_terms_name_un_course_phrases(codes: frozenset[str], phrases: dict[str, str]):
    assert set(phrases) == set(LANGUAGES)
    wrong = {
        lang: sorted(found)
        for lang, phrase in phrases.items()
        if (found := _course_codes_found(phrase)) != codes
    }
    assert not wrong, f"{sorted(codes)}: {wrong}"
