"""One population of people: names (with scripts and spellings), country, gender,
organization, e-mails. People are created from per-region, per-platform demand so that every
person has at least one record and ~20% are active on more than one platform.

Names are not all unique: as in a real register, different people share a common name
(namesakes). A share of the people (NAMESAKE_DRAW, higher where a few family names cover most
people) draw their name from their culture's pool with Zipf-like weights (each pool lists its
names from the most to the least common), so the commonest given + family combinations recur;
the others get a name nobody else has yet. The pools are short (tens of names), so drawing
everyone freely would make two thirds of the people namesakes, far more than in a register of
this size.
Careers move: some people have worked for an earlier organisation (:mod:`.organizations`,
another work e-mail) or use a second personal address; which one a platform sees is decided
per platform record (:mod:`.records`)."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache

from . import geo
from .name_pools import pool_for
from .names import PATRONYMICS, Name, feminine_cyrillic_family, feminine_polish_family
from .names import translit as cyr_translit
from .organizations import Org, OrgDirectory
from .util import Weighted, fold, rng_for, slug

PLATFORMS = ("academy", "tsb_events", "br_seminars", "regional_offices", "gs_lrs")

# Number of platforms a person is active on: P(1), P(2), P(3).
MULTI_PLATFORM = (0.78, 0.18, 0.04)

#: Exponent of the name-frequency law within a pool (weight of the name of rank r: r ** -s).
#: Given and family name frequencies in population registers follow a power law with an
#: exponent near 1 (the commonest names take a few percent of the people each).
NAME_ZIPF = 1.0
#: Share of people whose name is drawn freely by the frequency law (they may be namesakes),
#: per culture; the rest get a distinct name. Kim / Lee / Park cover about half of Koreans,
#: Nguyen 40% of Vietnamese, Wang / Li / Zhang a fifth of Chinese; Mohammed and its spellings
#: are the commonest given name of the Arab States.
NAMESAKE_DRAW = {"korean": 0.5, "vietnamese": 0.5, "chinese": 0.35, "arabic": 0.25}
NAMESAKE_DRAW_DEFAULT = 0.12
#: Share of people who worked for an earlier organisation (another work e-mail address).
PREVIOUS_ORG_SHARE = 0.25
#: Share of people with a second personal e-mail address (an old one still in use).
SECOND_PERSONAL_SHARE = 0.15


@dataclass
class Person:
    idx: int
    person_id: str
    country: geo.Country
    gender: str  # F, M, X
    culture: str
    given: str
    family: str
    given_alts: tuple[str, ...]
    family_alts: tuple[str, ...]
    given_native: str | None
    family_native: str | None
    middle_native: str | None  # patronymic (CIS)
    middle: str | None
    script: str | None
    family_first: bool
    org: Org
    work_email: str
    personal_email: str
    title: str
    city: str
    platforms: tuple[str, ...]
    extra: dict = field(default_factory=dict)
    #: an earlier employer and the work e-mail there (career moves), when there was one
    previous_org: Org | None = None
    previous_work_email: str | None = None
    #: another personal address still in use
    other_personal_email: str | None = None

    @property
    def region(self) -> str:
        return self.country.region


PERSONAL_DOMAINS = {
    "Africa": {"gmail.com": 60, "yahoo.fr": 15, "yahoo.com": 15, "hotmail.com": 10},
    "Americas": {"gmail.com": 55, "hotmail.com": 25, "yahoo.com": 10, "outlook.com": 10},
    "Arab States": {"gmail.com": 60, "hotmail.com": 20, "yahoo.com": 15, "outlook.com": 5},
    "Asia-Pacific": {
        "gmail.com": 65,
        "yahoo.com": 15,
        "outlook.com": 10,
        "163.com": 5,
        "qq.com": 5,
    },
    "CIS": {"mail.ru": 45, "yandex.ru": 25, "gmail.com": 30},
    "Europe": {
        "gmail.com": 55,
        "outlook.com": 15,
        "gmx.net": 10,
        "hotmail.com": 10,
        "yahoo.com": 10,
    },
}

_DOMAINS = {r: Weighted(d) for r, d in PERSONAL_DOMAINS.items()}


def _title(rng: random.Random, gender: str) -> str:
    if gender == "F":
        return rng.choices(["Ms.", "Mrs.", "Dr.", "Prof."], weights=[60, 20, 15, 5])[0]
    if gender == "M":
        return rng.choices(["Mr.", "Dr.", "Prof.", "Eng."], weights=[75, 17, 4, 4])[0]
    return rng.choice(["Mx.", "Dr.", ""])


@lru_cache(maxsize=256)
def _zipf_weights(n: int) -> list[float]:
    """Cumulative weights of ranks 1..n under the name-frequency law."""
    total, out = 0.0, []
    for rank in range(1, n + 1):
        total += rank**-NAME_ZIPF
        out.append(total)
    return out


def _common_first(rng: random.Random, names: tuple[Name, ...]) -> Name:
    """A name from a pool listed from the most to the least common (Zipf-like weights)."""
    return rng.choices(names, cum_weights=_zipf_weights(len(names)))[0]


def _pick_parts(rng: random.Random, pool, gender: str, extra_given: bool, common: bool):
    """Choose the name parts (cheap); the full forms are built once the name is chosen.

    ``common``: by the frequency law (commonest names first), else uniformly from the pool.
    """
    pick = _common_first if common else (lambda r, names: r.choice(names))
    if gender == "F":
        given_pool = pool.female
    elif gender == "M":
        given_pool = pool.male
    else:
        given_pool = rng.choice((pool.female, pool.male))
    givens = [pick(rng, given_pool)]
    if extra_given or (pool.compound_given and rng.random() < pool.compound_given):
        g2 = pick(rng, given_pool)
        if g2.latin != givens[0].latin:
            givens.append(g2)
    families = [pick(rng, pool.family)]
    if pool.compound_family and rng.random() < pool.compound_family:
        f2 = pick(rng, pool.family)
        if f2.latin != families[0].latin:
            families.append(f2)
    return givens, families


def _name_key(givens: list[Name], families: list[Name]) -> str:
    return name_key(" ".join(n.latin for n in givens), " ".join(n.latin for n in families))


def name_key(given: str, family: str) -> str:
    """Identity of a name ignoring accents, case and order (namesakes share it)."""
    return " ".join(sorted(fold(f"{given} {family}").lower().split()))


def _build_names(rng: random.Random, culture: str, pool, gender: str, givens, families) -> dict:
    g = givens[0]
    given, given_alts, given_native = g.latin, g.variants, g.native
    if len(givens) > 1:
        given = " ".join(n.latin for n in givens)
        given_alts = ()
        if all(n.native for n in givens):
            given_native = " ".join(n.native for n in givens)
    f = families[0]
    family, family_alts, family_native = f.latin, f.variants, f.native
    if pool.script == "Cyrl" and gender == "F":
        family_native = feminine_cyrillic_family(f.native)
        family = cyr_translit(family_native, "bgn")
        alts = {cyr_translit(family_native, s) for s in ("icao", "yo", "x")} - {family}
        family_alts = tuple(sorted(alts))
    elif culture == "european" and gender == "F":
        family = feminine_polish_family(family)
    if len(families) > 1:
        family = f"{family} {families[1].latin}"
        family_alts = ()
    middle_native = middle = None
    if pool.script == "Cyrl":
        pair = rng.choice(PATRONYMICS)
        middle_native = pair[0] if gender != "F" else pair[1]
        middle = cyr_translit(middle_native, "bgn")
    return {
        "given": given,
        "family": family,
        "given_alts": tuple(given_alts),
        "family_alts": tuple(family_alts),
        "given_native": given_native,
        "family_native": family_native,
        "middle_native": middle_native,
        "middle": middle,
        "script": pool.script,
        "family_first": pool.family_first,
    }


def _email_local(rng: random.Random, given: str, family: str) -> str:
    parts = given.split()
    g = slug(parts[0]) or "user"
    if len(parts) > 1 and rng.random() < 0.5:
        g = ".".join(slug(p) for p in parts if slug(p)) or g
    f = slug(family.replace(" ", "")) or "x"
    style = rng.choices(["g.f", "gf", "g_f", "if", "f.g"], weights=[60, 8, 5, 17, 10])[0]
    return {
        "g.f": f"{g}.{f}",
        "gf": f"{g}{f}",
        "g_f": f"{g}_{f}",
        "if": f"{g[0]}{f}",
        "f.g": f"{f}.{g}",
    }[style]


def _memberships(
    rng: random.Random, demand: dict[str, dict[str, int]]
) -> list[tuple[str, tuple[str, ...]]]:
    """(region, platforms) of each person to create, shuffled: one seat of ``demand`` per
    platform, one to three platforms a person (MULTI_PLATFORM)."""
    memberships: list[tuple[str, tuple[str, ...]]] = []
    p1, p12 = MULTI_PLATFORM[0], MULTI_PLATFORM[0] + MULTI_PLATFORM[1]
    for region in geo.REGIONS.values():
        # One token per platform seat-holder; people take 1-3 tokens of distinct platforms.
        tokens = [p for p in PLATFORMS for _ in range(demand.get(region, {}).get(p, 0))]
        rng.shuffle(tokens)
        deferred: deque[str] = deque()
        i = 0
        while i < len(tokens) or deferred:
            r = rng.random()
            k = 1 if r < p1 else (2 if r < p12 else 3)
            chosen: list[str] = []
            for _ in range(k + 3):
                if len(chosen) == k or not (deferred or i < len(tokens)):
                    break
                if deferred and (not chosen or i >= len(tokens)):
                    t = deferred.popleft()
                else:
                    t = tokens[i]
                    i += 1
                if t in chosen:
                    deferred.append(t)
                else:
                    chosen.append(t)
            memberships.append((region, tuple(p for p in PLATFORMS if p in chosen)))
    rng.shuffle(memberships)
    return memberships


def build_population(seed: int, demand: dict[str, dict[str, int]]) -> list[Person]:
    """Create people so that each (region, platform) gets ``demand[region][platform]`` members.

    Most people are on one platform; MULTI_PLATFORM gives the share on two or three.
    """
    rng = rng_for(seed, "population")
    orgs = OrgDirectory(seed)
    memberships = _memberships(rng, demand)

    people: list[Person] = []
    seen_names: set[str] = set()
    next_suffix: dict[str, int] = {}

    def _unique(email: str) -> str:
        """The e-mail itself, or with a number appended to its local part when taken."""
        if email not in next_suffix:
            next_suffix[email] = 2
            return email
        local, _, domain = email.partition("@")
        while True:
            n = next_suffix[email]
            next_suffix[email] = n + 1
            candidate = f"{local}{n}@{domain}"
            if candidate not in next_suffix:
                next_suffix[candidate] = 2
                return candidate

    for idx, (region, plats) in enumerate(memberships):
        country = geo.pick_country(rng, region)
        r = rng.random()
        women = geo.WOMEN_SHARE[region]
        gender = "F" if r < women else ("X" if r > 0.997 else "M")
        # Some draw a common name freely (namesakes, as in any register); the others get a name
        # no one has yet: when a culture's pool is crowded, a second given name (a father's
        # name, "María José") makes it distinct.
        pool = pool_for(country.culture)
        common = rng.random() < NAMESAKE_DRAW.get(country.culture, NAMESAKE_DRAW_DEFAULT)
        for attempt in range(30):
            givens, families = _pick_parts(rng, pool, gender, attempt >= 4, common)
            key = _name_key(givens, families)
            if common or key not in seen_names:
                break
        seen_names.add(key)
        names = _build_names(rng, country.culture, pool, gender, givens, families)
        org = orgs.pick(rng, country)
        work = _unique(f"{_email_local(rng, names['given'], names['family'])}@{org.domain}")
        dom = _DOMAINS[region].pick(rng)
        plocal = _email_local(rng, names["given"], names["family"]) + str(rng.randint(1, 99))
        personal = _unique(f"{plocal}@{dom}")
        previous_org = previous_work = other_personal = None
        if rng.random() < PREVIOUS_ORG_SHARE:
            previous_org = orgs.pick(rng, country)
            if previous_org.domain != org.domain:
                local = _email_local(rng, names["given"], names["family"])
                previous_work = _unique(f"{local}@{previous_org.domain}")
            else:  # the same employer again: no move
                previous_org = None
        if rng.random() < SECOND_PERSONAL_SHARE:
            local = _email_local(rng, names["given"], names["family"])
            other_personal = _unique(f"{local}{rng.randint(1, 99)}@{_DOMAINS[region].pick(rng)}")
        people.append(
            Person(
                idx=idx,
                person_id=f"P{idx + 1:06d}",
                country=country,
                gender=gender,
                culture=country.culture,
                org=org,
                work_email=work,
                personal_email=personal,
                title=_title(rng, gender),
                city=rng.choice(country.cities),
                platforms=plats,
                previous_org=previous_org,
                previous_work_email=previous_work,
                other_personal_email=other_personal,
                **names,
            )
        )
    return people
