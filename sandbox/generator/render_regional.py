"""Regional-office CSV exports: one file per workshop, in each office's own format."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from . import geo
from .activity import Activity
from .offices import OFFICES
from .population import Person
from .records import RecordMaker
from .util import cp1252_safe, rng_for, weighted_choice

SATISFACTION = {5: 35, 4: 40, 3: 15, 2: 6, 1: 4}


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":  # Excel "Unicode text": UTF-16 little endian with a BOM
        return b"\xff\xfe" + text.encode("utf-16-le")
    if encoding == "cp1252":
        return cp1252_safe(text).encode("cp1252")
    return text.encode(encoding)


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    rng = rng_for(seed, "render:regional")
    maker = RecordMaker(seed, "regional_offices")
    records, participations = [], []
    files = rows_total = 0
    per_office: dict[str, dict[str, int]] = {}
    for a in sorted(activities, key=lambda a: a.source_key):
        office = OFFICES[a.extra["office"]]
        lang = a.language
        style = {
            "country": weighted_choice(rng, office.country_style),
            "gender": rng.choice(office.gender_styles),
            "upper_family_first": rng.random() < 0.4,
            "latin_family_first": rng.random() < 0.5,
        }
        venue_label = city_label = ""
        if a.country:
            vc = geo.COUNTRIES[a.country]
            vlang = {"fr": "fr", "es": "es", "ru": "ru"}.get(lang, "en")
            if office.office == "cis":
                vlang = "ru" if lang == "ru" else "en"
            venue_label = geo.country_name(vc, vlang)
            city_label = geo.city_label(a.city, vlang)
        start = a.start.strftime(office.date_format)
        end = a.end.strftime(office.date_format)
        header = list(office.columns.values())
        lines = []
        for n, pid in enumerate(a.participants, start=1):
            person = people[pid]
            rv = maker.make(person)
            row = {
                "activity_title": a.title,
                "activity_type": a.extra["type_term"],
                "start_date": start,
                "end_date": end,
                "city": city_label,
                "venue_country": venue_label,
                "email": rv.email or "",
                "organization": rv.org.acronym if rng.random() < 0.1 else rv.org.name,
            }
            if rv.country is None:
                row["country"] = ""
            elif style["country"] == "ru":
                row["country"] = geo.country_name(rv.country, "ru")
            else:
                row["country"] = geo.country_label(rv.country, style["country"], rng)
            female, male, other = style["gender"]
            row["gender"] = {"F": female, "M": male, "X": other, None: ""}[rv.gender]
            sat = "" if rng.random() < 0.15 else weighted_choice(rng, SATISFACTION)
            row["satisfaction"] = str(sat)
            latin = f"{rv.given} {rv.family}"
            if "first_name" in office.columns:
                row["first_name"], row["last_name"] = rv.given, rv.family
            elif office.office == "africa":
                if style["upper_family_first"]:
                    row["full_name"] = f"{rv.family.upper()} {rv.given}"
                else:
                    row["full_name"] = rng.choice((f"{rv.given} {rv.family.upper()}", latin))
            elif office.office == "arab_states":
                if person.script == "Arab" and rng.random() < 0.92:
                    row["full_name"] = f"{person.given_native} {person.family_native}"
                    row["name_latin"] = latin
                else:
                    row["full_name"] = latin
                    row["name_latin"] = latin if rng.random() < 0.5 else ""
            elif office.office == "cis":
                if person.script == "Cyrl" and rng.random() < 0.95:
                    row["full_name"] = (
                        f"{person.family_native} {person.given_native} {person.middle_native}"
                    )
                    if style["latin_family_first"]:
                        row["name_latin"] = f"{rv.family} {rv.given}"
                    else:
                        row["name_latin"] = latin
                else:
                    row["full_name"] = f"{rv.family} {rv.given}"
                    row["name_latin"] = "" if rng.random() < 0.5 else latin
            lines.append([row.get(field, "") for field in office.columns])
            key = f"{a.source_key}:{n}"
            records.append(
                {
                    "platform": "regional_offices",
                    "source_record_key": key,
                    "person_id": person.person_id,
                }
            )
            participations.append(
                {
                    "platform": "regional_offices",
                    "source_activity_key": a.source_key,
                    "source_record_key": key,
                    "person_id": person.person_id,
                    "registered": True,
                    "attended": True,
                    "completed": None,
                    "passed": None,
                    "certified": None,
                    "score_0_100": None,
                    "satisfaction_1_5": None if sat == "" else int(sat),
                }
            )
        buf = io.StringIO()
        w = csv.writer(buf, delimiter=office.delimiter, lineterminator="\r\n")
        w.writerow(header)
        w.writerows(lines)
        path = out / "drops" / "regional_offices" / office.office / f"{a.extra['file_stem']}.csv"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(encode(buf.getvalue(), office.encoding))
        files += 1
        rows_total += len(lines)
        po = per_office.setdefault(office.office, {"files": 0, "participants": 0})
        po["files"] += 1
        po["participants"] += len(lines)
    counts = {
        "activities": len(activities),
        "participant_records": len(records),
        "participations": len(participations),
        "files": files,
        "participants": rows_total,
        "per_office": dict(sorted(per_office.items())),
    }
    return {"records": records, "participations": participations, "counts": counts}
