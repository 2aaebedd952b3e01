"""GS learning record store rendering: xAPI 1.0.3 statements, voiding statements included."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from pathlib import Path

from . import courses, geo
from .activity import Activity
from .population import Person
from .records import RecordMaker
from .taxonomy import GS_ACTIVITY_TYPE_IRIS
from .util import AS_OF, iso_z, rng_for, write_json

VERB = "http://adlnet.gov/expapi/verbs/"
VERBS = {
    "registered": VERB + "registered",
    "attended": VERB + "attended",
    "completed": VERB + "completed",
    "passed": VERB + "passed",
    "failed": VERB + "failed",
    "earned": "http://id.tincanapi.com/verb/earned",
    "voided": VERB + "voided",
}
ACTIVITY_BASE = "https://learning.itu.int/activities/"
EXT = "https://learning.itu.int/xapi/extensions/"
PROGRAMMES = {
    "digital_transformation": "digital-transformation-leadership",
    "artificial_intelligence": "ai-for-good-learning",
    "ict_policy_regulation": "policy-and-regulation-fellows",
    "cybersecurity": "cybersecurity-leadership",
    "digital_inclusion_accessibility": "women-in-digital-leadership",
    "ict_statistics": "data-and-statistics-programme",
}
ADMIN = {
    "objectType": "Agent",
    "name": "LRS Administrator",
    "account": {"homePage": "https://learning.itu.int", "name": "lrs-admin"},
}
AUTHORITY = {
    "objectType": "Agent",
    "name": "ITU Learning Portal",
    "account": {"homePage": "https://learning.itu.int", "name": "lrs-client"},
}
ASSESSED = {"self_paced_online_course", "instructor_led_online_course", "blended_course"}
CAP = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 0, 0)


def _uuid(rng) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _duration(minutes: int) -> str:
    h, m = divmod(minutes, 60)
    return f"PT{h}H{m}M" if h and m else (f"PT{h}H" if h else f"PT{m}M")


def _at(rng, d, lo_h=7, hi_h=19) -> datetime:
    return datetime(
        d.year,
        d.month,
        d.day,
        rng.randint(lo_h, hi_h),
        rng.randint(0, 59),
        rng.randint(0, 59),
        rng.randint(0, 999) * 1000,
    )


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    rng = rng_for(seed, "render:lrs")
    held_rng = rng_for(seed, "render:lrs:held-out")  # held-out wording (heldout.py)
    id_rng = rng_for(seed, "lrs:uuids")
    maker = RecordMaker(seed, "gs_lrs")
    actor_of: dict[tuple[int, int], dict] = {}
    actor_key: dict[tuple[int, int], str] = {}
    uses_account: dict[int, bool] = {}
    account_names: set[str] = set()

    def actor(person: Person, n: int) -> tuple[dict, str]:
        k = (person.idx, n)
        if k not in actor_of:
            as_account = uses_account.setdefault(person.idx, rng.random() < 0.2)
            if n == 1:
                as_account = not as_account
            # an account actor shows no e-mail: its name stays clean (no hard variation)
            rv = maker.make(person, n, email_mode="personal" if as_account else None)
            name = f"{rv.given} {rv.family}"
            if as_account:
                unames = person.extra.get("academy_usernames")
                if unames:
                    home, acct = "https://academy.itu.int", unames[0]
                else:
                    home = "https://learning.itu.int"
                    acct = f"itu{rng.randint(100000, 999999)}"
                    while acct in account_names:
                        acct = f"itu{rng.randint(100000, 999999)}"
                    account_names.add(acct)
                actor_of[k] = {
                    "objectType": "Agent",
                    "name": name,
                    "account": {"homePage": home, "name": acct},
                }
                actor_key[k] = f"{home}|{acct}"
            else:
                mbox = f"mailto:{rv.email or person.work_email}"
                actor_of[k] = {"objectType": "Agent", "name": name, "mbox": mbox}
                actor_key[k] = mbox
        return actor_of[k], actor_key[k]

    # which people have two actor identities (mbox and account) for different activities
    gs_count: dict[int, int] = {}
    for a in activities:
        for pid in a.participants:
            gs_count[pid] = gs_count.get(pid, 0) + 1
    two_ids = {pid for pid in sorted(gs_count) if gs_count[pid] >= 2 and rng.random() < 0.05}

    statements: list[dict] = []
    participations = []
    records: dict[str, str] = {}
    n_voided = 0
    for a in sorted(activities, key=lambda a: a.source_key):
        iri = a.source_key
        names = {a.language: a.title}
        if "en" not in names:  # title_in picks the vocabulary part of the activity
            names = {"en": courses.title_in(rng, a, "en", held_out_rng=held_rng), **names}
        for extra_lang in ("fr", "es"):
            if extra_lang not in names and rng.random() < 0.3:
                names[extra_lang] = courses.title_in(rng, a, extra_lang, held_out_rng=held_rng)
        definition = {
            "name": names,
            "type": GS_ACTIVITY_TYPE_IRIS[a.activity_type],
            "extensions": {
                EXT + "start-date": a.start.isoformat(),
                EXT + "end-date": a.end.isoformat(),
            },
        }
        obj = {"objectType": "Activity", "id": iri, "definition": definition}
        grouping = [{"objectType": "Activity", "id": "https://learning.itu.int/programmes"}]
        if a.region is not None:
            grouping.append(
                {
                    "objectType": "Activity",
                    "id": f"https://learning.itu.int/regions/{geo.REGION_SLUGS[a.region]}",
                }
            )
        parent = [
            {
                "objectType": "Activity",
                "id": "https://learning.itu.int/programmes/"
                + PROGRAMMES.get(a.topic, "gs-learning"),
            }
        ]
        platform = {"webinar": "Zoom", "workshop": "ITU Learning Portal"}.get(
            a.activity_type, "ITU Learning Portal"
        )
        assessed = a.activity_type in ASSESSED
        certifying = assessed and rng.random() < 0.7
        max_score = rng.choice((20, 50, 100))
        for pid in a.participants:
            person = people[pid]
            n = 1 if (pid in two_ids and rng.random() < 0.5) else 0
            act, key = actor(person, n)
            records.setdefault(key, person.person_id)
            reg = _uuid(id_rng)
            ctx = {
                "registration": reg,
                "platform": platform,
                "language": a.language,
                "contextActivities": {"parent": parent, "grouping": grouping},
            }
            ability = rng.gauss(0.72, 0.15)

            def stmt(
                verb: str, when: datetime, result: dict | None = None, act=act, ctx=ctx, obj=obj
            ) -> dict:
                s = {
                    "id": _uuid(id_rng),
                    "actor": act,
                    "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
                    "object": obj,
                }
                if result is not None:
                    s["result"] = result
                s["context"] = ctx
                s["timestamp"] = when
                return s

            mine = [stmt("registered", _at(rng, a.start - timedelta(days=rng.randint(1, 25))))]
            attended = rng.random() < 0.85
            completed = False
            passed = None
            certified = False if certifying else None
            score = None
            if attended:
                span = max(0, (a.end - a.start).days)
                mins = (
                    rng.randint(45, 120) if a.activity_type == "webinar" else rng.randint(120, 900)
                )
                mine.append(
                    stmt(
                        "attended",
                        _at(rng, a.start + timedelta(days=rng.randint(0, span))),
                        {"duration": _duration(mins)},
                    )
                )
                completed = rng.random() < (0.75 if assessed else 0.7)
                if completed:
                    done = _at(rng, a.end)
                    mine.append(
                        stmt(
                            "completed",
                            done,
                            {"completion": True, "duration": _duration(mins + rng.randint(0, 600))},
                        )
                    )
                    if assessed:
                        pct = max(0.0, min(1.0, rng.gauss(ability, 0.1)))
                        raw = round(pct * max_score, 1 if max_score == 20 else 0)
                        scaled = round(raw / max_score, 4)
                        passed = scaled >= 0.6
                        score = round(scaled * 100, 2)
                        res = {
                            "score": {"scaled": scaled, "raw": raw, "min": 0, "max": max_score},
                            "success": passed,
                            "completion": True,
                        }
                        mine.append(
                            stmt(
                                "passed" if passed else "failed",
                                done + timedelta(minutes=rng.randint(1, 30)),
                                res,
                            )
                        )
                        if certifying and passed:
                            certified = True
                            mine.append(
                                stmt(
                                    "earned",
                                    done + timedelta(hours=rng.randint(1, 30)),
                                    {"completion": True, "success": True},
                                )
                            )
            # stored: most within seconds to hours, a few arrive days late
            for s in mine:
                lag = (
                    timedelta(seconds=rng.randint(1, 3600))
                    if rng.random() < 0.95
                    else timedelta(days=rng.randint(1, 12))
                )
                s["stored"] = min(CAP, s["timestamp"] + lag)
                s["timestamp"] = min(s["timestamp"], s["stored"])
            statements.extend(mine)
            # an erroneous duplicate, later voided by the administrator
            if len(mine) >= 3 and rng.random() < 0.03:
                src = mine[-1]
                dup = {k: v for k, v in src.items()}
                dup["id"] = _uuid(id_rng)
                if "result" in dup and "score" in dup["result"]:
                    sc = dict(dup["result"]["score"])
                    sc["raw"] = max(0, sc["raw"] - rng.randint(1, 5))
                    sc["scaled"] = round(sc["raw"] / sc["max"], 4)
                    dup["result"] = {**dup["result"], "score": sc}
                dup["timestamp"] = src["timestamp"] + timedelta(minutes=rng.randint(1, 120))
                dup["stored"] = min(CAP, dup["timestamp"] + timedelta(seconds=rng.randint(1, 600)))
                dup["timestamp"] = min(dup["timestamp"], dup["stored"])
                when = min(CAP, dup["stored"] + timedelta(hours=rng.randint(1, 240)))
                void = {
                    "id": _uuid(id_rng),
                    "actor": ADMIN,
                    "verb": {"id": VERBS["voided"], "display": {"en-US": "voided"}},
                    "object": {"objectType": "StatementRef", "id": dup["id"]},
                    "timestamp": when,
                    "stored": when,
                }
                statements.extend((dup, void))
                n_voided += 1
            participations.append(
                {
                    "platform": "gs_lrs",
                    "source_activity_key": iri,
                    "source_record_key": key,
                    "person_id": person.person_id,
                    "registered": True,
                    "attended": attended,
                    "completed": completed,
                    "passed": passed,
                    "certified": certified,
                    "score_0_100": score,
                    "satisfaction_1_5": None,
                }
            )
    # stored strictly increasing (the LRS's own clock), statements in stored order
    statements.sort(key=lambda s: (s["stored"], s["id"]))
    last = None
    for s in statements:
        if last is not None and s["stored"] <= last:
            s["stored"] = last + timedelta(milliseconds=1)
        last = s["stored"]
    for s in statements:
        s["timestamp"] = iso_z(s["timestamp"], millis=True)
        s["stored"] = iso_z(s["stored"], millis=True)
        s["authority"] = AUTHORITY
        s["version"] = "1.0.3"
    write_json(out / "gs_lrs" / "statements.json", statements)
    rec_rows = [
        {"platform": "gs_lrs", "source_record_key": k, "person_id": v}
        for k, v in sorted(records.items())
    ]
    counts = {
        "activities": len(activities),
        "participant_records": len(rec_rows),
        "participations": len(participations),
        "statements": len(statements),
        "voiding_statements": n_voided,
        "voided": n_voided,
        "statements_counted": len(statements) - 2 * n_voided,
    }
    return {"records": rec_rows, "participations": participations, "counts": counts}
