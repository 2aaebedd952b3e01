"""The organisations people work for: per country, a regulator, ministries, operators,
academia and others, with their acronyms and e-mail domains, created lazily and reproducibly."""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import geo
from .util import Weighted, fold, rng_for, slug


@dataclass
class Org:
    name: str
    acronym: str
    kind: str  # regulator, ministry, operator, academia, other
    domain: str


ORG_KIND_WEIGHTS = {"regulator": 32, "ministry": 18, "operator": 26, "academia": 14, "other": 10}
_ORG_KINDS = Weighted(ORG_KIND_WEIGHTS)

_REGULATORS = {
    "en": (
        "{C} Communications Authority",
        "National Communications Authority",
        "{C} Communications Regulatory Commission",
        "Telecommunications Regulatory Authority",
        "Information and Communications Technology Authority",
    ),
    "fr": (
        "Autorité de Régulation des Télécommunications",
        "Autorité de Régulation des Communications Électroniques et des Postes",
        "Agence de Régulation des Télécommunications",
        "Autorité de Régulation des TIC",
    ),
    "es": (
        "Comisión Nacional de Telecomunicaciones",
        "Superintendencia de Telecomunicaciones",
        "Instituto Nacional de Telecomunicaciones",
        "Agencia de Regulación y Control de las Telecomunicaciones",
    ),
    "pt": (
        "Agência Nacional de Telecomunicações",
        "Instituto das Comunicações",
        "Autoridade Reguladora das Comunicações",
    ),
    "ru": (
        "State Radio Frequency Service",
        "Communications Regulatory Agency",
        "State Inspectorate for Communications",
    ),
}
_MINISTRIES = {
    "en": (
        "Ministry of Information and Communications Technology",
        "Ministry of ICT and Innovation",
        "Ministry of Communications",
        "Ministry of Digital Economy",
    ),
    "fr": (
        "Ministère de l'Économie Numérique",
        "Ministère des Postes et Télécommunications",
        "Ministère de la Communication et du Numérique",
    ),
    "es": (
        "Ministerio de Tecnologías de la Información y las Comunicaciones",
        "Secretaría de Comunicaciones",
        "Ministerio de Transportes y Comunicaciones",
    ),
    "pt": (
        "Ministério das Comunicações",
        "Ministério das Telecomunicações e Tecnologias de Informação",
    ),
    "ru": (
        "Ministry of Digital Development, Communications and Mass Media",
        "Ministry of Digital Development",
    ),
}
_OPERATORS = {
    "Africa": ("Orange", "MTN", "Airtel", "Safaricom", "Vodacom", "Moov", "Ethio Telecom", "Glo"),
    "Americas": ("Claro", "Movistar", "Tigo", "Digicel", "Entel", "Personal", "Vivo", "TIM"),
    "Arab States": (
        "Etisalat",
        "Zain",
        "Ooredoo",
        "STC",
        "Orange",
        "Maroc Telecom",
        "Mobilis",
        "du",
    ),
    "Asia-Pacific": (
        "Telkomsel",
        "Airtel",
        "Jio",
        "China Mobile",
        "Globe",
        "Smart",
        "Dialog",
        "Robi",
        "NTT Docomo",
        "Digicel",
    ),
    "CIS": ("Beeline", "MTS", "MegaFon", "Kcell", "Ucell", "Tele2", "Azercell"),
    "Europe": (
        "Orange",
        "Vodafone",
        "Deutsche Telekom",
        "Telefónica",
        "Swisscom",
        "Telia",
        "Türk Telekom",
        "A1",
    ),
}
_ACADEMIA = {
    "en": (
        "University of {city}",
        "{city} Polytechnic University",
        "National University of Science and Technology",
    ),
    "fr": (
        "Université de {city}",
        "École Supérieure Multinationale des Télécommunications",
        "École Nationale des Postes et Télécommunications",
    ),
    "es": (
        "Universidad de {city}",
        "Universidad Nacional de Ingeniería",
        "Universidad Tecnológica Nacional",
    ),
    "pt": ("Universidade de {city}", "Universidade Federal de Telecomunicações"),
    "ru": (
        "{city} State University of Telecommunications",
        "Technical University of Communications and Informatics",
    ),
}
_OTHER = {
    "en": (
        "{C} Broadcasting Corporation",
        "ICT Association of {C}",
        "Internet Society {C} Chapter",
        "{C} Post and Telecommunications Company",
    ),
    "fr": (
        "Office National de Radiodiffusion",
        "Association des Professionnels des TIC",
        "Société Nationale des Postes",
    ),
    "es": (
        "Radio y Televisión Nacional",
        "Cámara de Tecnologías de la Información",
        "Correos Nacionales",
    ),
    "pt": ("Rádio e Televisão Nacional", "Associação das Empresas de TIC"),
    "ru": ("National Broadcasting Company", "Association of Telecom Operators"),
}
_STOP = {
    "of",
    "and",
    "the",
    "de",
    "des",
    "du",
    "la",
    "le",
    "les",
    "et",
    "y",
    "las",
    "los",
    "del",
    "das",
    "e",
    "da",
    "do",
    "for",
    "pour",
    "para",
}


def _acronym(name: str) -> str:
    words = [w for w in name.replace("-", " ").replace("'", " ").split() if w.lower() not in _STOP]
    letters = "".join(fold(w)[0] for w in words if w and fold(w)[0].isalpha())
    return letters.upper()[:6] or "ORG"


class OrgDirectory:
    """Organizations per country, created lazily and reproducibly."""

    def __init__(self, seed: int):
        self.seed = seed
        self._by_country: dict[str, dict[str, list[Org]]] = {}

    def _build(self, c: geo.Country) -> dict[str, list[Org]]:
        rng = rng_for(self.seed, f"orgs:{c.iso2}")
        lang = c.lang if c.lang in _REGULATORS else "en"
        cname = geo.country_name(c, "en")
        out: dict[str, list[Org]] = {}
        used_domains: set[str] = set()

        def add(kind: str, name: str, domain_stem: str, acronym: str | None = None) -> None:
            acr = acronym or _acronym(name)
            stem = domain_stem or acr.lower()
            domain = f"{stem}.{c.tld}" if kind != "ministry" else f"{stem}.gov.{c.tld}"
            n = 2
            while domain in used_domains:
                domain = f"{stem}{n}.{c.tld}"
                n += 1
            used_domains.add(domain)
            out.setdefault(kind, []).append(Org(name, acr, kind, domain))

        reg = rng.choice(_REGULATORS[lang]).replace("{C}", cname)
        add("regulator", f"{reg} ({_acronym(reg)})", "")
        for m in rng.sample(_MINISTRIES[lang], k=min(2, len(_MINISTRIES[lang]))):
            add("ministry", m, _acronym(m).lower())
        brands = rng.sample(_OPERATORS[c.region], k=3)
        for b in brands:
            local = geo.country_name(c, "fr" if lang == "fr" else "es" if lang == "es" else "en")
            add("operator", f"{b} {local}", slug(b), slug(b).upper())
        city = c.cities[0]
        for a in rng.sample(_ACADEMIA[lang], k=2):
            name = a.replace("{city}", city)
            add("academia", name, "univ-" + slug(city) if "{city}" in a else _acronym(name).lower())
        for o in rng.sample(_OTHER[lang], k=2):
            name = o.replace("{C}", cname)
            add("other", name, _acronym(name).lower())
        return out

    def pick(self, rng: random.Random, c: geo.Country) -> Org:
        orgs = self._by_country.get(c.iso2)
        if orgs is None:
            orgs = self._by_country[c.iso2] = self._build(c)
        return rng.choice(orgs[_ORG_KINDS.pick(rng)])
