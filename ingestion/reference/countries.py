"""The country spellings seed (``dbt_project/seeds/country_aliases.csv``), generated.

Every spelling of a country the warehouse maps (``int_country_aliases_normalized``) and
validation accepts (the suite parameter ``known_countries``) comes from four places, in this
order of authority:

1. ``countries.csv``: the ISO codes and the ITU/UN display names in the six UN languages
   (kinds ``iso2``, ``iso3``, ``name_<lang>``). Hand-kept: it is the reference itself.
2. CLDR, through babel (locked): the country's name in the six UN languages where CLDR writes it
   otherwise (``cldr_<lang>``), and in the country's own official languages (``cldr_local``).
3. ``country_variants.csv`` next to this module: the curated real-world variants CLDR does not
   hold (former names, ITU's and the World Bank's forms, abbreviations), each with its note
   (``variant``).

Validation and the warehouse both match a value on its ``normalize_key`` (``ingestion.normalize``:
case, accents and punctuation folded), so a spelling whose key another spelling of the same
country already has gets no row. Curated or ITU/UN spellings of two countries sharing one key are
an error; a CLDR spelling whose key another country claims is left out. Run ``make reference`` (or
``python -m ingestion.reference.countries``) after editing ``countries.csv`` or the variants;
``--check`` fails when the committed seed is not what this writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ingestion import config
from ingestion.normalize import normalize_many

SEEDS = config.PROJECT_ROOT / "dbt_project" / "seeds"
COUNTRIES = SEEDS / "countries.csv"
ALIASES = SEEDS / "country_aliases.csv"
VARIANTS = Path(__file__).with_name("country_variants.csv")

LANGUAGES = ("en", "fr", "es", "ru", "ar", "zh")
# The order of authority, also the order of the rows of one country in the seed.
KINDS = (
    ("iso2", "iso3")
    + tuple(f"name_{lang}" for lang in LANGUAGES)
    + tuple(f"cldr_{lang}" for lang in LANGUAGES)
    + ("cldr_local", "variant")
)
# Spellings that must map (an ambiguity among them is an error); the rest is best effort.
AUTHORITATIVE = {"iso2", "iso3", "variant"} | {f"name_{lang}" for lang in LANGUAGES}


@dataclass(frozen=True)
class Alias:
    """One spelling of a country and where it comes from."""

    alias: str
    iso2: str
    kind: str


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def official_names(countries: list[dict[str, str]]) -> Iterator[Alias]:
    """The codes and the ITU/UN names of ``countries.csv``."""
    for row in countries:
        yield Alias(row["iso2"], row["iso2"], "iso2")
        yield Alias(row["iso3"], row["iso2"], "iso3")
        for lang in LANGUAGES:
            yield Alias(row[f"name_{lang}"], row["iso2"], f"name_{lang}")


def cldr_names(codes: Iterable[str]) -> Iterator[Alias]:
    """CLDR's name of each country in the six UN languages, then in its official languages
    (babel's territory-language data, de facto official ones included)."""
    from babel import Locale, UnknownLocaleError
    from babel.languages import get_official_languages

    codes = sorted(codes)
    for lang in LANGUAGES:
        territories = Locale.parse(lang).territories
        yield from (Alias(territories[c], c, f"cldr_{lang}") for c in codes if c in territories)
    for code in codes:
        for lang in sorted(get_official_languages(code, de_facto=True)):
            try:
                name = Locale.parse(lang).territories.get(code)
            except (UnknownLocaleError, ValueError):
                continue  # a language CLDR has no locale data for
            if name:
                yield Alias(name, code, "cldr_local")


def curated_variants(rows: list[dict[str, str]], codes: set[str]) -> Iterator[Alias]:
    """The curated variants; each needs a known country and a note saying what it is."""
    for number, row in enumerate(rows, start=2):
        if row["iso2"] not in codes or not row["alias"].strip() or not row["note"].strip():
            raise ValueError(f"{VARIANTS.name} line {number}: unknown country or no note: {row}")
        yield Alias(row["alias"].strip(), row["iso2"], "variant")


def resolve(candidates: list[Alias]) -> list[Alias]:
    """One row per ``normalize_key`` of a country, each key owned by one country."""
    keys = normalize_many(a.alias for a in candidates)
    owners: dict[str, set[str]] = {}
    claimed: dict[str, set[str]] = {}
    for a, key in zip(candidates, keys, strict=True):
        claimed.setdefault(key or "", set()).add(a.iso2)
        if a.kind in AUTHORITATIVE:
            owners.setdefault(key or "", set()).add(a.iso2)
    clashes = {k: sorted(v) for k, v in owners.items() if len(v) > 1}
    if clashes:
        raise ValueError(f"spellings of several countries share a normalize_key: {clashes}")
    kept: list[Alias] = []
    seen: set[tuple[str, str]] = set()
    for a, key in zip(candidates, keys, strict=True):
        owner = owners.get(key or "")
        if not key or (owner and owner != {a.iso2}) or (not owner and len(claimed[key]) > 1):
            continue  # another country's spelling, or a CLDR one two countries share
        if (a.iso2, key) not in seen:
            seen.add((a.iso2, key))
            kept.append(a)
    return kept


def build(countries: list[dict[str, str]], variants: list[dict[str, str]]) -> list[Alias]:
    """Every row of the seed, in a fixed order (country, kind, spelling)."""
    codes = {row["iso2"] for row in countries}
    kept = resolve(
        [*official_names(countries), *cldr_names(codes), *curated_variants(variants, codes)]
    )
    order = {kind: i for i, kind in enumerate(KINDS)}
    return sorted(kept, key=lambda a: (a.iso2, order[a.kind], a.alias))


def render(aliases: list[Alias]) -> str:
    """The seed as CSV text (``\\n`` line ends, quoted only where needed)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["alias", "iso2", "alias_kind"])
    writer.writerows((a.alias, a.iso2, a.kind) for a in aliases)
    return out.getvalue()


def generate(countries: Path = COUNTRIES, variants: Path = VARIANTS) -> str:
    """The seed's text from ``countries.csv`` and the curated variants."""
    return render(build(read_csv(countries), read_csv(variants)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingestion.reference.countries",
        description="Write dbt_project/seeds/country_aliases.csv from countries.csv, CLDR "
        "(babel) and ingestion/reference/country_variants.csv.",
    )
    parser.add_argument("--check", action="store_true", help="fail if the seed is out of date")
    args = parser.parse_args(argv)
    text = generate()
    current = ALIASES.read_text(encoding="utf-8") if ALIASES.is_file() else ""
    if args.check:
        if current != text:
            print(f"{ALIASES} is out of date: run `make reference`", file=sys.stderr)
            return 1
        return 0
    ALIASES.write_text(text, encoding="utf-8")
    print(f"{ALIASES}: {text.count(chr(10)) - 1} spellings")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
