"""How one person appears in one platform record: the cross-platform messiness.

Each record starts from the person's true data and applies, at realistic rates, *soft*
variations (accents dropped, name order swapped, e-mail case, upper-case family name) and at
most ONE *hard* variation (another spelling of a transliterated name, a typo, a dropped second
surname, a name in native script, or a missing country), whatever e-mail the record carries:
a record with a personal address or none at all is as noisy as one with the work address.

People move: a person with an earlier employer appears under it (its name and that work
address) on some platform accounts and under the current one on others, and a person with two
personal addresses uses either. The choice sticks to a platform account.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import geo
from .organizations import Org
from .population import Person
from .util import fold, rng_for


@dataclass
class RecordView:
    person: Person
    given: str
    family: str
    email: str | None
    country: geo.Country | None
    gender: str | None  # F, M, X or None (missing)
    native_script: bool  # the name is written in Arabic/Cyrillic script (academy only)
    hard: str | None  # which hard variation was applied (for diagnostics)
    email_mode: str  # work, personal, none
    org: Org  # the employer this record shows (the current one, or an earlier one)


PARAMS = {
    # personal / none: e-mail choice (sticky per person and platform account)
    "academy": dict(
        personal=0.22,
        none=0.0,
        strip=0.08,
        swap=0.02,
        translit=0.25,
        typo=0.01,
        compound=0.10,
        native=0.04,
        country_missing=0.04,
        gender_missing=0.22,
        case=0.04,
    ),
    "tsb_events": dict(
        personal=0.10,
        none=0.03,
        strip=0.12,
        swap=0.03,
        translit=0.30,
        typo=0.015,
        compound=0.10,
        native=0.0,
        country_missing=0.015,
        gender_missing=0.10,
        case=0.05,
    ),
    "br_seminars": dict(
        personal=0.08,
        none=0.08,
        strip=0.25,
        swap=0.04,
        translit=0.35,
        typo=0.02,
        compound=0.15,
        native=0.0,
        country_missing=0.015,
        gender_missing=0.03,
        case=0.03,
    ),
    "regional_offices": dict(
        personal=0.15,
        none=0.10,
        strip=0.10,
        swap=0.03,
        translit=0.30,
        typo=0.02,
        compound=0.10,
        native=0.0,
        country_missing=0.02,
        gender_missing=0.06,
        case=0.05,
    ),
    "gs_lrs": dict(
        personal=0.12,
        none=0.0,
        strip=0.15,
        swap=0.02,
        translit=0.25,
        typo=0.01,
        compound=0.10,
        native=0.0,
        country_missing=0.0,
        gender_missing=0.0,
        case=0.05,
    ),
}

_KEYBOARD = {
    "a": "sq",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "wr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "k",
    "m": "n",
    "n": "bm",
    "o": "ip",
    "p": "o",
    "q": "w",
    "r": "et",
    "s": "ad",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "qe",
    "x": "zc",
    "y": "tu",
    "z": "x",
}


def typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randint(1, len(word) - 2)
    op = rng.choice(("delete", "swap", "replace", "double"))
    if op == "delete":
        return word[:i] + word[i + 1 :]
    if op == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if op == "double":
        return word[:i] + word[i] + word[i:]
    ch = word[i].lower()
    if ch in _KEYBOARD:
        rep = rng.choice(_KEYBOARD[ch])
        return word[:i] + (rep.upper() if word[i].isupper() else rep) + word[i + 1 :]
    return word[:i] + word[i + 1 :]


def email_case(rng: random.Random, email: str) -> str:
    local, _, domain = email.partition("@")
    style = rng.choice(("title", "upper_domain", "all_upper"))
    if style == "title":
        local = ".".join(p[:1].upper() + p[1:] for p in local.split("."))
    elif style == "upper_domain":
        local = local[:1].upper() + local[1:]
        domain = domain.upper()
    else:
        local, domain = local.upper(), domain.upper()
    return f"{local}@{domain}"


class RecordMaker:
    """Creates record views for one platform; e-mail choices stick to (person, account)."""

    def __init__(self, seed: int, platform: str):
        self.platform = platform
        self.rng = rng_for(seed, f"records:{platform}")
        self.p = PARAMS[platform]
        self._email_mode: dict[tuple[int, int], str] = {}
        self._spelling: dict[tuple[int, int], tuple[str, str] | None] = {}
        self._career: dict[tuple[int, int], tuple[bool, bool]] = {}

    #: Chance that a platform account of a person who moved shows the earlier employer, and
    #: that one of a person with two personal addresses shows the other one.
    PREVIOUS_ORG = 0.4
    OTHER_PERSONAL = 0.5

    def _stage(self, person: Person, account: int) -> tuple[bool, bool]:
        """(earlier employer, other personal address) for one platform account, sticky."""
        key = (person.idx, account)
        if key not in self._career:
            previous = person.previous_org is not None and self.rng.random() < self.PREVIOUS_ORG
            other = (
                person.other_personal_email is not None and self.rng.random() < self.OTHER_PERSONAL
            )
            self._career[key] = (previous, other)
        return self._career[key]

    def email_mode(self, person: Person, account: int = 0, forced: str | None = None) -> str:
        key = (person.idx, account)
        if forced:
            self._email_mode[key] = forced
        if key not in self._email_mode:
            r = self.rng.random()
            if r < self.p["none"]:
                mode = "none"
            elif r < self.p["none"] + self.p["personal"]:
                mode = "personal"
            else:
                mode = "work"
            self._email_mode[key] = mode
        return self._email_mode[key]

    def make(self, person: Person, account: int = 0, email_mode: str | None = None) -> RecordView:
        rng, p = self.rng, self.p
        mode = self.email_mode(person, account, email_mode)
        given, family = person.given, person.family
        hard = None
        native = False
        country: geo.Country | None = person.country
        previous, other_personal = self._stage(person, account)
        # hard variations whatever the e-mail: nothing else need vouch for the person
        key = (person.idx, account)
        if key not in self._spelling:  # a platform account keeps its spelling
            spelling = None
            if (person.given_alts or person.family_alts) and rng.random() < p["translit"]:
                g = (
                    rng.choice(person.given_alts)
                    if person.given_alts and rng.random() < 0.7
                    else given
                )
                f = (
                    rng.choice(person.family_alts)
                    if person.family_alts and (g == given or rng.random() < 0.3)
                    else family
                )
                spelling = (g, f)
            self._spelling[key] = spelling
        spelling = self._spelling[key]
        if spelling is not None:
            given, family = spelling
            hard = "transliteration"
        elif rng.random() < p["typo"]:
            if rng.random() < 0.65:
                family = typo(rng, family)
            else:
                given = typo(rng, given)
            hard = "typo"
        elif (
            " " in family
            and person.culture in ("hispanic", "lusophone")
            and rng.random() < p["compound"]
        ):
            family = family.split()[0]
            hard = "second_surname_dropped"
        elif person.script and rng.random() < p["native"]:
            native = True
            hard = "native_script"
        elif rng.random() < p["country_missing"]:
            country = None
            hard = "country_missing"
        if native:
            given = person.given_native or given
            family = person.family_native or family
        elif rng.random() < p["strip"]:
            given, family = fold(given), fold(family)
        if rng.random() < (p["swap"] * (3 if person.family_first else 1)):
            given, family = family, given
        email = None
        if mode == "work":
            email = person.previous_work_email if previous else person.work_email
        elif mode == "personal":
            email = person.other_personal_email if other_personal else person.personal_email
        if email and rng.random() < p["case"]:
            email = email_case(rng, email)
        gender = None if rng.random() < p["gender_missing"] else person.gender
        org = person.previous_org if previous and person.previous_org else person.org
        return RecordView(person, given, family, email, country, gender, native, hard, mode, org)
