"""TSB events registration API rendering: events and their registrations."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from . import geo
from .activity import Activity
from .population import Person
from .records import RecordMaker
from .util import AS_OF, iso_z, rng_for, write_json

ORG_TYPES = {
    "regulator": "Member State",
    "ministry": "Member State",
    "operator": "Sector Member",
    "academia": "Academia",
}


def _offset(country: str | None, d: date) -> str:
    if country is None or country == "CH":
        return "+02:00" if 4 <= d.month <= 10 else "+01:00"
    return geo.COUNTRIES[country].utc


def _local(d: date, hh: int, mm: int, offset: str) -> str:
    return f"{d.isoformat()}T{hh:02d}:{mm:02d}:00{offset}"


def _utc(d: date, hh: int, mm: int, ss: int, offset: str) -> datetime:
    sign = 1 if offset[0] == "+" else -1
    h, m = int(offset[1:3]), int(offset[4:6])
    return datetime(d.year, d.month, d.day, hh, mm, ss) - sign * timedelta(hours=h, minutes=m)


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    rng = rng_for(seed, "render:tsb")
    maker = RecordMaker(seed, "tsb_events")
    events = []
    regs_out: dict[str, list] = {}
    records, participations = [], []
    cap = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 22, 0, 0)
    for a in sorted(activities, key=lambda a: a.source_key):
        off = _offset(a.country, a.start)
        et = a.extra["event_type"]
        if et == "Webinar":
            starts, ends = _local(a.start, 13, 0, off), _local(a.end, 14, 30, off)
        else:
            starts, ends = _local(a.start, 9, 0, off), _local(a.end, 17, 30, off)
        venue = {"city": None, "country": None}
        if a.country is not None:
            venue = {
                "city": a.city,
                "country": geo.country_label(geo.COUNTRIES[a.country], "en", rng),
            }
        end_utc = _utc(a.end, 17, 30, 0, off)
        updated = min(
            cap, end_utc + timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 600))
        )
        if rng.random() < 0.05:  # late edits
            updated = min(cap, updated + timedelta(days=rng.randint(30, 700)))
        events.append(
            {
                "event_id": a.source_key,
                "title": a.title,
                "event_type": et,
                "study_group": a.extra["study_group"],
                "starts_at": starts,
                "ends_at": ends,
                "venue": venue,
                "format": a.extra["format"],
                "languages": a.extra["languages"],
                "updated_at": iso_z(updated),
            }
        )
        days = (a.end - a.start).days + 1
        regs = []
        for pid in a.participants:
            person = people[pid]
            rv = maker.make(person)
            reg_at = _utc(a.start, 9, 0, 0, off) - timedelta(
                days=rng.randint(1, 60), minutes=rng.randint(0, 1400)
            )
            r = rng.random()
            attended = True if r < 0.8 else (False if r < 0.92 else None)
            if attended is True:
                att_days = days if rng.random() < 0.75 else rng.randint(1, days)
            elif attended is False:
                att_days = 0 if rng.random() < 0.7 else None
            else:
                att_days = None
            org_name = rv.org.acronym if rng.random() < 0.12 else rv.org.name
            org_type = ORG_TYPES.get(rv.org.kind) or rng.choice(("Associate", "Other"))
            regs.append(
                (
                    reg_at,
                    person,
                    {
                        "person": {
                            "title": person.title if rng.random() < 0.9 else "",
                            "first_name": rv.given,
                            "last_name": rv.family,
                            "email": rv.email,
                            "organization": org_name,
                            "organization_type": org_type,
                            "country": geo.country_label(rv.country, "en", rng)
                            if rv.country
                            else None,
                        },
                        "gender": rv.gender,
                        "registered_at": iso_z(reg_at),
                        "attended": attended,
                        "attendance_days": att_days,
                        "updated_at": iso_z(
                            min(
                                cap,
                                max(reg_at, end_utc)
                                + timedelta(days=rng.randint(0, 10), minutes=rng.randint(1, 900)),
                            )
                        ),
                    },
                )
            )
        regs.sort(key=lambda t: (t[0], t[1].idx))
        objs = []
        for n, (_t, person, body) in enumerate(regs, start=1):
            rid = f"{a.source_key}-R{n:04d}"
            objs.append({"registration_id": rid, **body})
            records.append(
                {"platform": "tsb_events", "source_record_key": rid, "person_id": person.person_id}
            )
            participations.append(
                {
                    "platform": "tsb_events",
                    "source_activity_key": a.source_key,
                    "source_record_key": rid,
                    "person_id": person.person_id,
                    "registered": True,
                    "attended": body["attended"],
                    "completed": None,
                    "passed": None,
                    "certified": None,
                    "score_0_100": None,
                    "satisfaction_1_5": None,
                }
            )
        regs_out[a.source_key] = objs
    write_json(out / "tsb_events" / "events.json", events)
    write_json(out / "tsb_events" / "registrations.json", regs_out)
    counts = {
        "activities": len(events),
        "participant_records": len(records),
        "participations": len(participations),
        "events": len(events),
        "registrations": sum(len(v) for v in regs_out.values()),
    }
    return {"records": records, "participations": participations, "counts": counts}
