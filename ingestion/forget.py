"""``capdev forget``: erase a person on request, from the raw zone to every later publish.

1. The private tier of the build file finds the person: every record resolved to the same
   person as the e-mail address or platform key given, with their e-mails and names.
2. Their rows leave the landed, accepted and quarantined Parquet files; their e-mails and names
   are blanked in the archived raw bytes (:func:`ingestion.raw.erasure.erase_rows`).
3. The request is recorded as keyed hashes only, so a re-delivered record of the person is
   dropped at landing (:func:`ingestion.raw.erasure.drop_erased`).
4. The next warehouse build is a full refresh (incremental models forget too), and the value
   scan then keeps anything left of them out of the published files.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

import duckdb

from ingestion import config
from ingestion.raw.erasure import ErasureReport, erase_rows, record_request
from ingestion.warehouse.build import build_file, request_full_refresh

_PERSON_RECORDS = """
    with wanted as (
        select distinct keys.participant_key
        from private.participant_keys as keys
        join intermediate.int_participant_records_unioned as records
            using (platform, source_record_key)
        where {condition}
    )
    select records.platform, records.source_record_key, records.email, records.full_name,
        records.first_name, records.last_name, records.name_latin
    from private.participant_keys as keys
    join wanted using (participant_key)
    join intermediate.int_participant_records_unioned as records
        using (platform, source_record_key)
"""


@dataclass
class Person:
    """What identifies a person across the platforms (never printed)."""

    emails: set[str]
    keys: set[tuple[str, str]]
    names: set[str]


def find_person(email: str | None, platform_key: tuple[str, str] | None) -> Person:
    """The person's records as the private tier resolved them (just the given identifiers when
    there is no build yet, or the person is not in it)."""
    person = Person(set(), set(), set())
    if email:
        person.emails.add(email.strip().lower())
    if platform_key:
        person.keys.add(platform_key)
    build = build_file()
    if not build.exists():
        return person
    if email:
        condition, params = "lower(records.email) = ?", [email.strip().lower()]
    else:
        condition, params = "keys.platform = ? and keys.source_record_key = ?", list(platform_key)
    with duckdb.connect(str(build), read_only=True) as con:
        rows = con.execute(_PERSON_RECORDS.format(condition=condition), params).fetchall()
    for platform, key, mail, full, first, last, latin in rows:
        person.keys.add((platform, key))
        if mail:
            person.emails.add(mail.lower())
        for name in (full, latin, f"{first or ''} {last or ''}", f"{last or ''} {first or ''}"):
            name = " ".join((name or "").split())
            if len(name) >= 5 and " " in name:  # a single word would blank too much
                person.names.add(name)
    return person


def forget(
    email: str | None = None, platform_key: tuple[str, str] | None = None, reason: str = ""
) -> tuple[Person, ErasureReport]:
    """Erase one person (see the module docstring); returns what was found and changed."""
    if not email and not platform_key:
        raise ValueError("name the person by --email or --platform-key")
    person = find_person(email, platform_key)
    report = erase_rows(person.emails, person.keys, person.names)
    record_request(person.emails, person.keys, reason)
    request_full_refresh()
    return person, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="capdev forget", description=__doc__.split("\n")[0])
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--email", help="an e-mail address of the person")
    who.add_argument("--platform-key", help="PLATFORM:KEY, e.g. academy:1234 (a Moodle user id)")
    parser.add_argument("--reason", default="", help="a reference for the request (no names)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    key = None
    if args.platform_key:
        platform, _, value = args.platform_key.partition(":")
        if platform not in config.platforms() or not value:
            parser.error(
                f"--platform-key must be PLATFORM:KEY with one of {list(config.platforms())}"
            )
        key = (platform, value)
    person, report = forget(args.email, key, args.reason)
    print(
        f"erased: {len(person.keys)} platform record(s), {report.rows_removed} raw row(s) in "
        f"{report.files_rewritten} file(s), {report.archived_files_redacted} archived file(s) "
        "redacted; the request is recorded (hashes only) and the next build is a full refresh"
    )
    return 0
