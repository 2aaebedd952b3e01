"""Countries, ITU-D regions and the ways platforms write a country.

The generator keeps its own table (:mod:`.country_table`; it must not import the pipeline's
seeds): ISO codes, English, French and Spanish names, old or official variants, ITU-D region, UN
development flags (developing, LDC, LLDC, SIDS), the naming culture of its people, a
participation weight, a UTC offset (standard time, no DST) and a few cities.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .country_table import COUNTRY_TABLE
from .util import Weighted

REGIONS = {
    "AFR": "Africa",
    "AMS": "Americas",
    "ARB": "Arab States",
    "ASP": "Asia-Pacific",
    "CIS": "CIS",
    "EUR": "Europe",
}
REGION_CODES = {name: code for code, name in REGIONS.items()}
REGION_NAMES_FR = {
    "Africa": "Afrique",
    "Americas": "Amériques",
    "Arab States": "États arabes",
    "Asia-Pacific": "Asie-Pacifique",
    "CIS": "CEI",
    "Europe": "Europe",
}
REGION_NAMES_ES = {
    "Africa": "África",
    "Americas": "las Américas",
    "Arab States": "los Estados Árabes",
    "Asia-Pacific": "Asia-Pacífico",
    "CIS": "la CEI",
    "Europe": "Europa",
}
REGION_NAMES_RU = {
    "Africa": "Африки",
    "Americas": "Америки",
    "Arab States": "арабских государств",
    "Asia-Pacific": "Азиатско-Тихоокеанского региона",
    "CIS": "СНГ",
    "Europe": "Европы",
}
REGION_NAMES_AR = {
    "Africa": "أفريقيا",
    "Americas": "الأمريكتين",
    "Arab States": "المنطقة العربية",
    "Asia-Pacific": "آسيا والمحيط الهادئ",
    "CIS": "كومنولث الدول المستقلة",
    "Europe": "أوروبا",
}
REGION_SLUGS = {
    "Africa": "africa",
    "Americas": "americas",
    "Arab States": "arab-states",
    "Asia-Pacific": "asia-pacific",
    "CIS": "cis",
    "Europe": "europe",
}

# Share of each region among participants (at scale 1 ~70% come from developing countries).
REGION_MIX = {
    "Africa": 22,
    "Americas": 15,
    "Arab States": 11,
    "Asia-Pacific": 21,
    "CIS": 7,
    "Europe": 24,
}
# Women's share among participants, per region.
WOMEN_SHARE = {
    "Africa": 0.33,
    "Americas": 0.45,
    "Arab States": 0.31,
    "Asia-Pacific": 0.38,
    "CIS": 0.44,
    "Europe": 0.42,
}


# Russian names of the CIS region's countries and neighbours (used by the CIS office's exports).
RUSSIAN_NAMES = {
    "RU": "Россия",
    "BY": "Беларусь",
    "KZ": "Казахстан",
    "KG": "Кыргызстан",
    "UZ": "Узбекистан",
    "TJ": "Таджикистан",
    "TM": "Туркменистан",
    "AM": "Армения",
    "AZ": "Азербайджан",
    "MD": "Молдова",
    "UA": "Украина",
    "GE": "Грузия",
}
RUSSIAN_CITIES = {
    "Moscow": "Москва",
    "Saint Petersburg": "Санкт-Петербург",
    "Novosibirsk": "Новосибирск",
    "Minsk": "Минск",
    "Astana": "Астана",
    "Almaty": "Алматы",
    "Bishkek": "Бишкек",
    "Tashkent": "Ташкент",
    "Samarkand": "Самарканд",
    "Dushanbe": "Душанбе",
    "Ashgabat": "Ашхабад",
    "Yerevan": "Ереван",
    "Baku": "Баку",
}
FRENCH_CITIES = {"Geneva": "Genève", "Algiers": "Alger", "Addis Ababa": "Addis-Abeba"}


@dataclass(frozen=True)
class Country:
    iso2: str
    iso3: str
    en: str
    fr: str
    es: str
    region: str
    developing: bool
    ldc: bool
    lldc: bool
    sids: bool
    culture: str
    lang: str
    weight: float
    utc: str
    cities: tuple[str, ...]
    variants: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def tld(self) -> str:
        return "uk" if self.iso2 == "GB" else self.iso2.lower()


def _parse() -> dict[str, Country]:
    out: dict[str, Country] = {}
    for line in COUNTRY_TABLE.strip().splitlines():
        parts = line.split(";")
        iso2, iso3, en, fr, es, reg, flags, culture, lang, weight, utc, cities, alts = parts
        variants: dict[str, list[str]] = {}
        for alt in filter(None, alts.split("|")):
            k, v = alt.split("=", 1)
            variants.setdefault(k, []).append(v)
        out[iso2] = Country(
            iso2=iso2,
            iso3=iso3,
            en=en,
            fr=fr,
            es=es,
            region=REGIONS[reg],
            developing="D" in flags,
            ldc="L" in flags,
            lldc="K" in flags,
            sids="S" in flags,
            culture=culture,
            lang=lang,
            weight=float(weight),
            utc=utc,
            cities=tuple(cities.split("|")),
            variants={k: tuple(v) for k, v in variants.items()},
        )
    return out


COUNTRIES: dict[str, Country] = _parse()
COUNTRIES_BY_REGION: dict[str, list[Country]] = {r: [] for r in REGIONS.values()}
for _c in COUNTRIES.values():
    COUNTRIES_BY_REGION[_c.region].append(_c)


_PICKERS = {
    r: Weighted(items=pool, values=[c.weight for c in pool])
    for r, pool in COUNTRIES_BY_REGION.items()
}


def pick_country(rng: random.Random, region: str) -> Country:
    return _PICKERS[region].pick(rng)


def country_name(c: Country, lang: str) -> str:
    if lang == "fr":
        return c.fr
    if lang == "es":
        return c.es
    if lang == "ru":
        return RUSSIAN_NAMES.get(c.iso2, c.en)
    return c.en


def country_label(c: Country, style: str, rng: random.Random, variant_rate: float = 0.08) -> str:
    """How a platform writes a country. ``style`` is one of iso2, iso3, en, fr, es, ru.

    With probability ``variant_rate`` a name style uses an old or official variant
    (Swaziland, Turkey, Ivory Coast, Russia, ...) when the country has one in that language.
    """
    if style == "iso2":
        return c.iso2
    if style == "iso3":
        return c.iso3
    if style in ("en", "fr", "es"):
        alts = c.variants.get(style, ())
        if alts and rng.random() < variant_rate:
            return rng.choice(alts)
        return country_name(c, style)
    if style == "ru":
        return country_name(c, "ru")
    raise ValueError(style)


def city_label(city: str, lang: str) -> str:
    if lang == "ru":
        return RUSSIAN_CITIES.get(city, city)
    if lang == "fr":
        return FRENCH_CITIES.get(city, city)
    return city
