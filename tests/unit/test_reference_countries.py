"""The country spellings seed is generated (ingestion/reference/countries.py): the committed
file is what the script writes, the curated variants each earn their row, and a curated
spelling that names two countries stops the generator."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from ingestion.normalize import normalize_key, normalize_many
from ingestion.reference import countries


def test_the_committed_seed_is_what_the_generator_writes():
    assert countries.ALIASES.read_text(encoding="utf-8") == countries.generate(), (
        "dbt_project/seeds/country_aliases.csv is out of date: run `make reference`"
    )


def test_every_curated_variant_has_a_note_and_adds_a_spelling():
    """A variant CLDR or the countries seed already spells (up to case, accents and
    punctuation) is noise in the curated file; each one left must reach the seed as a variant."""
    variants = countries.read_csv(countries.VARIANTS)
    assert all(row["note"].strip() for row in variants)
    seed = {(a.alias, a.iso2) for a in countries.build(countries.read_csv(countries.COUNTRIES), [])}
    written = {
        (row["alias"], row["iso2"])
        for row in countries.read_csv(countries.ALIASES)
        if row["alias_kind"] == "variant"
    }
    assert [(r["alias"], r["iso2"]) for r in variants if (r["alias"], r["iso2"]) in seed] == []
    assert {(r["alias"], r["iso2"]) for r in variants} == written


@pytest.mark.parametrize(
    ("spelling", "iso2"),
    [
        ("Ivory Coast", "CI"),
        ("Côte d’Ivoire", "CI"),
        ("COTE D'IVOIRE", "CI"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("Swaziland", "SZ"),
        ("Burma", "MM"),
        ("Czech Republic", "CZ"),
        ("Macedonia", "MK"),
        ("Cape Verde", "CV"),
        ("Viet Nam", "VN"),
        ("Vietnam", "VN"),
        ("Lao PDR", "LA"),
        ("DR Congo", "CD"),
        ("Congo - Kinshasa", "CD"),  # CLDR's English name
        ("Korea (Rep. of)", "KR"),
        ("Deutschland", "DE"),  # CLDR, the country's own language
        ("Кот-д’Ивуар", "CI"),
    ],
)
def test_real_world_spellings_map_to_their_country(spelling: str, iso2: str):
    rows = countries.read_csv(countries.ALIASES)
    keys = dict(
        zip(normalize_many(r["alias"] for r in rows), (r["iso2"] for r in rows), strict=True)
    )
    assert keys.get(normalize_key(spelling)) == iso2


def test_a_curated_spelling_of_two_countries_stops_the_generator(tmp_path: Path):
    """ "Niger" is the Niger's name; a variant giving it to Nigeria must not be written."""
    variants = tmp_path / "variants.csv"
    with variants.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["alias", "iso2", "note"], ["Niger", "NG", "wrong"]])
    with pytest.raises(ValueError, match="niger"):
        countries.generate(variants=variants)


def test_a_variant_without_a_note_is_refused(tmp_path: Path):
    variants = tmp_path / "variants.csv"
    variants.write_text("alias,iso2,note\nNaija,NG,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no note"):
        countries.generate(variants=variants)


def test_the_check_mode_fails_on_a_stale_seed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    stale = tmp_path / "country_aliases.csv"
    stale.write_text(countries.generate().replace("Ivory Coast,CI,variant\n", ""), encoding="utf-8")
    monkeypatch.setattr(countries, "ALIASES", stale)
    assert countries.main(["--check"]) == 1
    assert countries.main([]) == 0  # rewrites it
    assert countries.main(["--check"]) == 0
