# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""Names with their native scripts and transliteration variants, and what a pool of them is.

A pool entry is a :class:`Name`: its canonical Latin spelling, other Latin spellings met in the
wild (Mohamed / Mohammed / Muhammad, Sato / Satō / Satoh), and for Arabic and Cyrillic names the
native-script form; the pools themselves, one per naming culture, are in :mod:`.name_pools`.
Cyrillic names are transliterated here by two schemes (BGN/PCGN-like and the passport/ICAO-like
one), which gives Sergey / Sergei, Aleksey / Aleksei / Alexey, Fedorov / Fyodorov.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Name:
    latin: str
    variants: tuple[str, ...] = ()
    native: str | None = None

    @property
    def key(self) -> str:
        """Identity of the name for uniqueness checks (variants share it)."""
        return self.latin.lower()


def latin_pool(text: str) -> tuple[Name, ...]:
    """Names from a comma-separated list, each ``Canonical/Variant/...``."""
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        parts = item.split("/")
        out.append(Name(parts[0], tuple(parts[1:])))
    return tuple(out)


def arabic_pool(text: str) -> tuple[Name, ...]:
    """Names from a comma-separated list, each ``native=Canonical/Variant/...``."""
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        native, latin = item.split("=")
        parts = latin.split("/")
        out.append(Name(parts[0], tuple(parts[1:]), native.strip()))
    return tuple(out)


# ---------------------------------------------------------------- Cyrillic transliteration
_BGN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_ICAO = dict(_BGN, **{"й": "i", "ю": "iu", "я": "ia", "ъ": "ie"})
_VOWELS = set("аеёиоуыэюяьъ")


def translit(text: str, scheme: str = "bgn") -> str:
    """Transliterate Cyrillic to Latin. Schemes: bgn (Sergey), icao (Sergei), yo (Fyodorov),
    x (Alexey: 'кс' -> 'x')."""
    table = _ICAO if scheme == "icao" else _BGN
    out = []
    low = text.lower()
    for i, ch in enumerate(low):
        prev = low[i - 1] if i else " "
        if ch == "е" and scheme in ("bgn", "yo") and (prev in _VOWELS or prev in " -"):
            rep = "ye"
        elif ch == "ё":
            rep = "yo" if scheme == "yo" else "e"
        elif ch == "к" and scheme == "x" and i + 1 < len(low) and low[i + 1] == "с":
            rep = "x"
        elif ch == "с" and scheme == "x" and prev == "к":
            rep = ""
        elif ch == "ий"[0] and low[i : i + 2] == "ий" and i + 2 == len(low) and scheme == "icao":
            rep = "i"
        elif ch == "й" and prev == "и" and scheme == "icao" and i + 1 == len(low):
            rep = ""
        else:
            rep = table.get(ch, ch)
        if text[i].isupper() and rep:
            rep = rep[0].upper() + rep[1:]
        out.append(rep)
    result = "".join(out)
    # Capitalize after hyphens and spaces like the source.
    return result


def cyrillic_pool(text: str) -> tuple[Name, ...]:
    """Names from a comma-separated list of Cyrillic names, spelled by each transliteration."""
    out = []
    for item in text.replace("\n", " ").split(","):
        item = item.strip()
        if not item:
            continue
        canonical = translit(item, "bgn")
        variants = []
        for scheme in ("icao", "yo", "x"):
            v = translit(item, scheme)
            if v != canonical and v not in variants:
                variants.append(v)
        out.append(Name(canonical, tuple(variants), item))
    return tuple(out)


def feminine_cyrillic_family(native: str) -> str:
    for suffix, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая")):
        if native.endswith(suffix):
            return native[: -len(suffix)] + fem
    if native.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return native + "а"
    return native


def feminine_polish_family(latin: str) -> str:
    for suffix, fem in (("ski", "ska"), ("cki", "cka"), ("dzki", "dzka")):
        if latin.endswith(suffix):
            return latin[: -len(suffix)] + fem
    return latin


# Patronymics (male, female) for the CIS pool's ФИО.
PATRONYMICS: tuple[tuple[str, str], ...] = (
    ("Александрович", "Александровна"), ("Сергеевич", "Сергеевна"), ("Андреевич", "Андреевна"),
    ("Алексеевич", "Алексеевна"), ("Дмитриевич", "Дмитриевна"), ("Михайлович", "Михайловна"),
    ("Иванович", "Ивановна"), ("Николаевич", "Николаевна"), ("Владимирович", "Владимировна"),
    ("Викторович", "Викторовна"), ("Юрьевич", "Юрьевна"), ("Петрович", "Петровна"),
    ("Олегович", "Олеговна"), ("Игоревич", "Игоревна"), ("Васильевич", "Васильевна"),
    ("Евгеньевич", "Евгеньевна"), ("Анатольевич", "Анатольевна"), ("Геннадьевич", "Геннадьевна"),
    ("Борисович", "Борисовна"), ("Павлович", "Павловна"), ("Рустамович", "Рустамовна"),
    ("Тимурович", "Тимуровна"),
)  # fmt: skip


@dataclass(frozen=True)
class Pool:
    female: tuple[Name, ...]
    male: tuple[Name, ...]
    family: tuple[Name, ...]
    script: str | None = None  # "Arab" or "Cyrl" when names have a native script
    compound_family: float = 0.0  # chance of two family names (García López)
    compound_given: float = 0.0  # chance of two given names (María José)
    family_first: bool = False  # names customarily written family name first
