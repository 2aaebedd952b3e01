"""Reference seeds cover every spelling the sandbox's platforms produce (pure Python, no dbt run).

(a) every country label sandbox.generator.geo can emit maps, through country_aliases.csv, to the
    right ISO alpha-2 code; (b) every activity-type / topic wording of sandbox.generator.taxonomy
    (platform terms, labels, xAPI IRIs) is an exact term of taxonomy_terms.csv with the right code;
    (c) the delivery-mode labels of the Academy map in delivery_mode_terms.csv.
Keys are built like the dbt macro normalize_key (dbt_project/macros/text.sql): lower case, the
letters strip_accents leaves alone (ø ł đ ı ħ ŧ ð, tatweel, ß æ œ þ) folded, accents stripped,
white space collapsed, punctuation runs turned into one space.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from pathlib import Path

import pytest

from sandbox.generator import geo, taxonomy

SEEDS = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds"

# sandbox topic codes -> warehouse topic codes (same topics, the warehouse's shorter codes)
TOPIC_CODES = {
    "ict_policy_regulation": "ict_policy_regulation",
    "standardization_conformity": "standardization_conformity",
    "digital_inclusion_accessibility": "digital_inclusion_accessibility",
    "iot_smart_cities": "iot_smart_cities",
    "broadband_infrastructure": "broadband_infrastructure",
    "environment_ewaste": "environment_ewaste",
}


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


def _country_labels() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for c in geo.COUNTRIES.values():
        labels = {c.iso2, c.iso3, c.en, c.fr, c.es, geo.country_name(c, "ru")}
        for names in c.variants.values():
            labels.update(names)
        out.extend((label, c.iso2) for label in sorted(labels))
    return out


def test_normalize_key_matches_macro_examples() -> None:
    assert normalize_key("Côte d’Ivoire") == normalize_key("COTE D'IVOIRE") == "cote d ivoire"
    assert normalize_key("  Türkiye ") == "turkiye"


def test_country_aliases_cover_sandbox_spellings() -> None:
    aliases: dict[str, set[str]] = {}
    for row in _rows("country_aliases"):
        aliases.setdefault(normalize_key(row["alias"]), set()).add(row["iso2"])
    wrong = [
        (label, iso2, sorted(aliases.get(normalize_key(label), ())))
        for label, iso2 in _country_labels()
        if aliases.get(normalize_key(label)) != {iso2}
    ]
    assert not wrong, f"country spellings not mapped (or mapped wrongly): {wrong}"


def test_country_aliases_are_unambiguous() -> None:
    aliases: dict[str, set[str]] = {}
    for row in _rows("country_aliases"):
        aliases.setdefault(normalize_key(row["alias"]), set()).add(row["iso2"])
    assert not {k: v for k, v in aliases.items() if len(v) > 1}


def _exact_terms(kind: str) -> dict[str, set[str]]:
    terms: dict[str, set[str]] = {}
    for row in _rows("taxonomy_terms"):
        if row["maps_to_kind"] == kind and row["match"] == "exact":
            terms.setdefault(normalize_key(row["term"]), set()).add(row["code"])
    return terms


def _activity_type_wordings() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for code, labels in taxonomy.ACTIVITY_TYPES.items():
        out.extend((label, code) for label in labels.values())
    for code, words in taxonomy.ACADEMY_DELIVERY_MODE.items():
        out.extend((word, code) for word in words)
    out.extend(taxonomy.TSB_EVENT_TYPES.items())
    for by_code in taxonomy.REGIONAL_TYPE_TERMS.values():
        for code, words in by_code.items():
            out.extend((word, code) for word in words)
    out.extend((iri, code) for code, iri in taxonomy.GS_ACTIVITY_TYPE_IRIS.items())
    return out


@pytest.mark.parametrize("kind", ["activity_type", "topic"])
def test_taxonomy_terms_cover_sandbox_wordings(kind: str) -> None:
    terms = _exact_terms(kind)
    if kind == "activity_type":
        wordings = _activity_type_wordings()
    else:
        wordings = [
            (label, TOPIC_CODES.get(code, code))
            for code, labels in taxonomy.TOPICS.items()
            for label in labels.values()
        ]
    known = {row["code"] for row in _rows(f"taxonomy_{kind}s")}
    assert {code for _, code in wordings} <= known
    wrong = [
        (word, code, sorted(terms.get(normalize_key(word), ())))
        for word, code in wordings
        if terms.get(normalize_key(word)) != {code}
    ]
    assert not wrong, f"{kind} wordings not mapped (or mapped wrongly): {wrong}"


def test_delivery_mode_terms_cover_academy_labels() -> None:
    modes = {normalize_key(row["term"]) for row in _rows("delivery_mode_terms")}
    missing = [
        word
        for code, words in taxonomy.ACADEMY_DELIVERY_MODE.items()
        if code != "webinar"  # 'Webinar' falls back to the type's default (online_live)
        for word in words
        if normalize_key(word) not in modes
    ]
    assert not missing


def test_region_aliases_cover_bilingual_labels() -> None:
    aliases = {normalize_key(r["alias"]): r["itu_region"] for r in _rows("region_aliases")}
    for region, fr in geo.REGION_NAMES_FR.items():
        assert aliases.get(normalize_key(f"{region} / {fr}")) == region
        assert aliases.get(normalize_key(region)) == region


def test_validation_knows_every_sandbox_country_spelling() -> None:
    """Great Expectations' country check (before the warehouse) accepts what the warehouse maps:
    an unknown country quarantines its row, so a missed spelling would lose a participant."""
    from ingestion.raw.validation.suites import load_known_countries, normalize

    known = set(load_known_countries() or ())
    missing = sorted({label for label, _ in _country_labels() if normalize(label) not in known})
    assert not missing, f"country spellings validation would quarantine: {missing}"
