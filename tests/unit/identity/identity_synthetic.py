"""A small, seeded population of participant records for identity-resolution tests.

Independent of the sandbox generator on purpose: the resolver must work on any data with the
usual cross-platform messiness, not on one generator's habits. Each person gets 1-4 records
with generic variations (name order, case, accents, e-mail case, work vs personal address,
missing e-mail or country, a typo).
"""

from __future__ import annotations

import random
import unicodedata

import pyarrow as pa

FIRST = {
    "FR": ["Élodie", "François", "Hélène", "Jérôme", "Amélie", "Benoît", "Cécile", "Gaël"],
    "ES": ["José", "María", "Lucía", "Andrés", "Sofía", "Martín", "Inés", "Álvaro"],
    "KE": ["Wanjiku", "Otieno", "Achieng", "Kamau", "Njeri", "Mwangi", "Akinyi", "Kiprop"],
    "IN": ["Priya", "Rahul", "Ananya", "Vikram", "Sunita", "Arjun", "Kavita", "Rohan"],
    "BR": ["João", "Ana", "Luís", "Beatriz", "Gonçalo", "Mariana", "Thiago", "Camila"],
    "DE": ["Jürgen", "Käthe", "Lukas", "Anja", "Matthias", "Sabine", "Tobias", "Ute"],
    "VN": ["Nguyễn Văn", "Trần Thị", "Lê Minh", "Phạm Thu", "Hoàng Anh", "Đặng Quốc"],
}
LAST = {
    "FR": ["Lefèvre", "Moreau", "Girard", "Bonnet", "Dupré", "Fournier", "Lambert", "Rousseau"],
    "ES": ["Fernández", "Gómez", "Martínez", "Ruiz", "Díaz", "Hernández", "Muñoz", "Álvarez"],
    "KE": ["Mutua", "Kariuki", "Odhiambo", "Wambui", "Chebet", "Kiptoo", "Nyambura", "Onyango"],
    "IN": ["Sharma", "Iyer", "Reddy", "Nair", "Gupta", "Menon", "Chatterjee", "Pillai"],
    "BR": ["Gonçalves", "Araújo", "Ribeiro", "Carvalho", "Conceição", "Magalhães", "Simões"],
    "DE": ["Müller", "Schröder", "Weiß", "Bäcker", "Krüger", "Hoffmann", "Schäfer", "Köhler"],
    "VN": ["Hùng", "Lan", "Tuấn", "Hương", "Dũng", "Thảo", "Phúc", "Trang"],
}
ORGS = ["Ministry of ICT", "National Regulatory Authority", "Telecom Operator", "University"]
PUBLIC_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com"]
PLATFORMS = ["academy", "tsb_events", "br_seminars", "regional_offices", "gs_lrs"]


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _ascii_slug(text: str) -> str:
    return "".join(c for c in _strip_accents(text).lower() if c.isalnum())


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 5:
        return text
    i = rng.randrange(1, len(text) - 2)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]  # swap two neighbours


_SYLLABLE_TEXT = (
    "ka lo mi ra to ne su vi da po ri sha bel mar tin dor gan hel jos kor lin mun nor pel"
)
SYLLABLES = _SYLLABLE_TEXT.split()


def _surname(rng: random.Random, country: str) -> str:
    """A surname: mostly from the country's common list, often a rarer composed one.

    Real surname distributions have a few very common names and a long tail; a population
    drawn from eight names per country would make every name ambiguous.
    """
    if rng.random() < 0.35:
        return rng.choice(LAST[country])
    stem = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice([2, 2, 3])))
    return stem.capitalize() + rng.choice(["", "i", "ov", "ez", "son", "ane", "ura", "ot"])


def _org_as_written(rng: random.Random, org: str) -> str | None:
    """An organisation as a form gets it: often missing, sometimes as its acronym."""
    u = rng.random()
    if u < 0.3:
        return None
    if u < 0.4:
        return "".join(w[0] for w in org.split() if w.lower() not in ("of", "and")).upper()
    return org


def population(n_persons: int, seed: int = 1) -> tuple[list[dict], dict[str, str]]:
    """Records (dicts in the records-table shape) and the truth: record key → person id."""
    rng = random.Random(seed)
    records: list[dict] = []
    truth: dict[str, str] = {}
    for p in range(n_persons):
        country = rng.choice(list(FIRST))
        first = rng.choice(FIRST[country])
        last = _surname(rng, country)
        # A second given name keeps collisions realistic: many people share a first and last
        # name, few share all of their names. Some records leave it out.
        middle = rng.choice(FIRST[rng.choice(list(FIRST))]).split()[-1]
        org = f"{rng.choice(ORGS)} {_surname(rng, country)}"
        work = f"{_ascii_slug(first.split()[0])}.{_ascii_slug(last)}{p}@{country.lower()}-gov.org"
        personal = f"{_ascii_slug(last)}{p}@{rng.choice(PUBLIC_DOMAINS)}"
        for r in range(rng.choice([1, 1, 2, 2, 3, 4])):
            key = f"p{p:06d}r{r}"
            name_first = f"{first} {middle}" if rng.random() < 0.7 else first
            name_last = last
            if rng.random() < 0.3:
                name_first, name_last = _strip_accents(name_first), _strip_accents(name_last)
            if rng.random() < 0.05:
                name_last = _typo(rng, name_last)
            full = (
                f"{name_last.upper()} {name_first}"
                if rng.random() < 0.2
                else f"{name_first} {name_last}"
            )
            u = rng.random()
            email = work if u < 0.55 else (personal if u < 0.75 else None)
            if email and rng.random() < 0.2:
                email = email.upper()
            records.append(
                {
                    "participant_record_key": key,
                    "platform": rng.choice(PLATFORMS),
                    "source_record_key": key,
                    "full_name": full,
                    "email": email,
                    "country_iso2": country if rng.random() > 0.1 else None,
                    "organization": _org_as_written(rng, org),
                }
            )
            truth[key] = f"person{p}"
    return records, truth


def to_arrow(records: list[dict]) -> pa.Table:
    columns = [
        "participant_record_key",
        "platform",
        "source_record_key",
        "full_name",
        "email",
        "country_iso2",
        "organization",
        "account_key",
    ]
    return pa.table({c: [r.get(c) for r in records] for c in columns})
