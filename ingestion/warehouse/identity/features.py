"""The linking shape: one row per record with every feature the model may compare.

Every identity attribute is optional. A record table may carry any subset of the columns of
:class:`InputColumns`; an absent column is read as null, and a comparison whose attribute is
null on every record is left out of the model (see :func:`present_attributes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

import pyarrow as pa

from ingestion.warehouse.identity.names import (
    email_handles,
    is_public_email_domain,
    name_features,
    normalize_email,
    normalize_organization,
    organization_acronyms,
)


@dataclass(frozen=True)
class InputColumns:
    """Column names of the records table; absent optional columns are treated as null.

    The name compared is the first present of: ``latin_name`` (a transliteration the platform
    gives, e.g. the Latin column of a Cyrillic export), ``full_name``, ``first_name`` +
    ``last_name``.
    """

    record_key: str = "participant_record_key"
    latin_name: str = "name_latin"
    full_name: str = "full_name"
    first_name: str = "first_name"
    last_name: str = "last_name"
    email: str = "email"
    country: str = "country_iso2"
    organization: str = "organization"
    #: A login on a named system ("<site host>|<login>", lower case), e.g. a Moodle username or
    #: an xAPI actor account {homePage, name}: the same login on the same site is one person.
    account: str = "account_key"
    birth_date: str = "birth_date"
    #: street line (number, street, building): the rest of the address is city and postcode
    address: str = "address"
    gender: str = "gender"
    city: str = "city"
    postcode: str = "postcode"
    phone: str = "phone"

    def all(self) -> tuple[str, ...]:
        """Every column name, record key first."""
        return tuple(getattr(self, f.name) for f in fields(self))


FEATURE_SCHEMA = pa.schema(
    [
        ("unique_id", pa.string()),
        ("name_tokens", pa.list_(pa.string())),
        ("name_token_skeletons", pa.list_(pa.string())),
        ("name_sorted", pa.string()),
        ("name_ordered", pa.string()),
        ("name_skeleton", pa.string()),
        ("name_skeleton_pairs", pa.list_(pa.string())),
        ("name_prefix_pairs", pa.list_(pa.string())),
        ("name_suffix_pairs", pa.list_(pa.string())),
        ("email", pa.string()),
        ("email_local", pa.string()),
        ("email_domain", pa.string()),
        # the domain when it is an organisation's, not a public mailbox provider's
        ("email_org_domain", pa.string()),
        # what the local part holds besides the name (names.email_handles)
        ("email_handles", pa.list_(pa.string())),
        ("country", pa.string()),
        ("organization", pa.string()),
        ("organization_acronyms", pa.list_(pa.string())),
        ("account", pa.string()),
        ("birth_date", pa.string()),
        ("address", pa.string()),
        ("gender", pa.string()),
        ("city", pa.string()),
        ("postcode", pa.string()),
        ("phone", pa.string()),
    ]
)

#: Feature column that tells whether an attribute is present (non-null) on a record.
ATTRIBUTE_COLUMNS = {
    "name": "name_sorted",
    "email": "email",
    "country": "country",
    "organization": "organization",
    "account": "account",
    "birth_date": "birth_date",
    "address": "address",
    "gender": "gender",
    "city": "city",
    "postcode": "postcode",
    "phone": "phone",
}

_NON_DIGIT = re.compile(r"[^0-9]+")
_SPACES = re.compile(r"\s+")
# "unknown"-like genders say nothing: they are null for linking
_GENDER_UNKNOWN = frozenset({"", "unknown", "u", "x", "not specified", "prefer not to say"})


def _text(value: object) -> str | None:
    """Lower-case, single-spaced text, or None when empty."""
    if value is None:
        return None
    text = _SPACES.sub(" ", str(value)).strip().lower()
    return text or None


def _phone(value: object) -> str | None:
    # the last 9 digits: an international prefix or a leading trunk 0 does not tell people apart
    digits = _NON_DIGIT.sub("", str(value)) if value is not None else ""
    return digits[-9:] if len(digits) >= 6 else None


def _gender(value: object) -> str | None:
    text = _text(value)
    return None if text is None or text in _GENDER_UNKNOWN else text


def _birth_date(value: object) -> str | None:
    # ISO text, whatever type the column has (date, timestamp or string)
    text = _text(value)
    return text[:10] if text else None


def _record_name(latin: object, full: object, first: object, last: object) -> str | None:
    name = next((n for n in (latin, full) if n and str(n).strip()), None)
    if name is None:
        name = " ".join(str(p) for p in (first, last) if p) or None
    return name


def build_features(records: pa.Table, columns: InputColumns = InputColumns()) -> pa.Table:
    """The table Splink links: one row per record, keyed by ``unique_id``."""
    names = set(records.column_names)

    def col(name: str) -> list:
        return records.column(name).to_pylist() if name in names else [None] * records.num_rows

    c = columns
    latin, full, first, last = (
        col(x) for x in (c.latin_name, c.full_name, c.first_name, c.last_name)
    )
    emails, countries, orgs, accounts = (
        col(x) for x in (c.email, c.country, c.organization, c.account)
    )
    births, genders, cities = col(c.birth_date), col(c.gender), col(c.city)
    addresses = col(c.address)
    postcodes, phones = col(c.postcode), col(c.phone)
    rows: dict[str, list] = {field.name: [] for field in FEATURE_SCHEMA}
    for i, key in enumerate(col(c.record_key)):
        address, local, domain = normalize_email(emails[i])
        name = name_features(_record_name(latin[i], full[i], first[i], last[i]))
        values = {
            "unique_id": str(key),
            **name,
            "email": address,
            "email_local": local,
            "email_domain": domain,
            "email_org_domain": None if is_public_email_domain(domain) else domain,
            "email_handles": list(email_handles(address, tuple(name["name_tokens"] or ()))) or None,
            "country": (countries[i] or "").strip().upper() or None,
            "organization": normalize_organization(orgs[i]),
            "organization_acronyms": list(organization_acronyms(orgs[i])) or None,
            "account": (accounts[i] or "").strip().lower() or None,
            "birth_date": _birth_date(births[i]),
            "address": _text(addresses[i]),
            "gender": _gender(genders[i]),
            "city": _text(cities[i]),
            "postcode": (_text(postcodes[i]) or "").replace(" ", "") or None,
            "phone": _phone(phones[i]),
        }
        for field, value in values.items():
            rows[field].append(value)
    return pa.table(rows, schema=FEATURE_SCHEMA)


def present_attributes(features: pa.Table) -> frozenset[str]:
    """The identity attributes that at least two records carry (one alone links nothing)."""
    return frozenset(
        attribute
        for attribute, column in ATTRIBUTE_COLUMNS.items()
        if features.num_rows - features.column(column).null_count >= 2
    )
