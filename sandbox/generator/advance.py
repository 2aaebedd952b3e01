"""``advance(out_dir, days)``: a generated sandbox lives on, one day at a time.

Each day brings, on every platform, the kinds of change a real night meets, expressed the way
that platform really expresses them (docs: sandbox/README.md, "Advancing the sandbox"):

- **academy** (Moodle): a new course (with a certificate), learners self-enrolling in running
  courses (they open the course at once), late grading, completions, certificates issued later,
  a renamed course (``timemodified`` moves), a corrected surname on the user's profile, and a
  learner unenrolled from a running course (absent from the course's enrolment and grade lists
  from then on).
- **tsb_events**: a new event, new registrations, attendance recorded, an event's title
  corrected, a participant's name corrected and a registration cancelled (deleted from the
  event's list). Our contract: an event's ``updated_at`` moves whenever its registration list
  changes.
- **gs_lrs** (xAPI): new ``registered`` and ``attended`` statements, and a registration recorded
  in error that the administrator voids two days later (a voiding statement).
- **br_seminars**: a corrected workbook re-sent as ``<seminar>_v<n+1>.xlsx`` (a participant
  line removed, a surname corrected).
- **regional_offices**: a corrected export re-sent under the same file name (a participant line
  removed, a satisfaction score corrected).

Every change is stamped on the day it happens (08:00–18:00 UTC), so the night after day ``D``
(logical date ``D + 1`` 01:00 UTC) pulls it. The ground truth (``participations``,
``person_records`` and ``activities`` parquet files) advances with the data;
``expected_counts.json`` and ``headline_figures.json`` describe the generated day 0 only.
Deterministic: the same generated tree advanced by the same number of days gives the same
files, however the days are split between calls (each day draws from its own stream). The
state (days advanced, voids due) is kept in ``advance.json`` in the sandbox folder.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from openpyxl import load_workbook

from .core import SCHEMAS, _parquet
from .offices import OFFICES
from .render_lrs import ADMIN, AUTHORITY, VERBS, _uuid
from .render_regional import encode
from .util import AS_OF, iso_z, rng_for, save_workbook, write_json

STATE_FILE = "advance.json"
VOID_AFTER_DAYS = 2  # an erroneous registration is voided this many days after it was stored
ACADEMY_FILES = ("courses", "enrolments", "grades", "completions", "customcerts")
ACADEMY_ISSUES = "certificate_issues"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass
class World:
    """The sandbox tree in memory: platform files and the ground truth rows."""

    out: Path
    academy: dict[str, Any]
    events: list[dict[str, Any]]
    registrations: dict[str, list[dict[str, Any]]]
    statements: list[dict[str, Any]]
    participations: list[dict[str, Any]]
    records: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    persons: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, out: Path) -> World:
        def read(path: str) -> Any:
            return json.loads((out / path).read_text(encoding="utf-8"))

        gt = out / "ground_truth"
        academy = {name: read(f"academy/{name}.json") for name in ACADEMY_FILES}
        academy[ACADEMY_ISSUES] = read(f"academy/{ACADEMY_ISSUES}.json")
        persons = pl.read_parquet(gt / "persons.parquet").to_dicts()
        return cls(
            out=out,
            academy=academy,
            events=read("tsb_events/events.json"),
            registrations=read("tsb_events/registrations.json"),
            statements=read("gs_lrs/statements.json"),
            participations=pl.read_parquet(gt / "participations.parquet").to_dicts(),
            records=pl.read_parquet(gt / "person_records.parquet").to_dicts(),
            activities=pl.read_parquet(gt / "activities.parquet").to_dicts(),
            persons={p["person_id"]: p for p in persons},
        )

    def sort_truth(self) -> None:
        """The truth rows in file order, so a day draws the same whether or not it follows
        another day in the same call."""
        self.participations.sort(
            key=lambda r: (r["platform"], r["source_activity_key"], r["source_record_key"])
        )
        self.records.sort(key=lambda r: (r["platform"], r["source_record_key"]))
        self.activities.sort(key=lambda r: (r["platform"], r["source_activity_key"]))

    def save(self) -> None:
        for name, value in self.academy.items():
            write_json(self.out / "academy" / f"{name}.json", value)
        write_json(self.out / "tsb_events" / "events.json", self.events)
        write_json(self.out / "tsb_events" / "registrations.json", self.registrations)
        write_json(self.out / "gs_lrs" / "statements.json", self.statements)
        gt = self.out / "ground_truth"
        self.sort_truth()
        _parquet(gt / "participations.parquet", self.participations, SCHEMAS["participations"])
        _parquet(gt / "person_records.parquet", self.records, SCHEMAS["person_records"])
        _parquet(gt / "activities.parquet", self.activities, SCHEMAS["activities"])

    # -- ground truth ------------------------------------------------------------------------
    def person_of(self, platform: str, record_key: str) -> str | None:
        for r in self.records:
            if r["platform"] == platform and r["source_record_key"] == record_key:
                return r["person_id"]
        return None

    def participation(self, platform: str, activity: str, record: str) -> dict | None:
        for p in self.participations:
            if (p["platform"], p["source_activity_key"], p["source_record_key"]) == (
                platform,
                activity,
                record,
            ):
                return p
        return None

    def add_participation(self, platform: str, activity: str, record: str, **flags: Any) -> None:
        person = self.person_of(platform, record)
        row = {
            "platform": platform,
            "source_activity_key": activity,
            "source_record_key": record,
            "person_id": person,
            "registered": True,
            "attended": None,
            "completed": None,
            "passed": None,
            "certified": None,
            "score_0_100": None,
            "satisfaction_1_5": None,
        }
        row.update(flags)
        self.participations.append(row)

    def add_record(self, platform: str, record: str, person_id: str) -> None:
        if self.person_of(platform, record) is None:
            self.records.append(
                {"platform": platform, "source_record_key": record, "person_id": person_id}
            )

    def drop_participation(self, platform: str, activity: str, record: str) -> None:
        """Remove a participation; the record goes too once it has no participation left."""
        self.participations = [
            p
            for p in self.participations
            if (p["platform"], p["source_activity_key"], p["source_record_key"])
            != (platform, activity, record)
        ]
        if not any(
            p["platform"] == platform and p["source_record_key"] == record
            for p in self.participations
        ):
            self.records = [
                r
                for r in self.records
                if (r["platform"], r["source_record_key"]) != (platform, record)
            ]

    def activity(self, platform: str, key: str) -> dict | None:
        for a in self.activities:
            if a["platform"] == platform and a["source_activity_key"] == key:
                return a
        return None

    def clone_activity(self, platform: str, template: str, key: str, start: date, end: date):
        row = dict(self.activity(platform, template) or {})
        row.update(
            source_activity_key=key,
            activity_key=f"{platform}:{key}",
            start_date=start,
            end_date=end,
            duplicate_group=None,
            course_aspect=None,
            course_level=None,
            near_miss_of=None,
        )
        self.activities.append(row)


class Day:
    """One day of changes: its random stream and its clock."""

    def __init__(self, seed: int, number: int):
        self.number = number
        self.date = AS_OF + timedelta(days=number)
        self.rng = rng_for(seed, f"advance:{number}")
        self._last = datetime(self.date.year, self.date.month, self.date.day, 8, 0, tzinfo=UTC)

    def moment(self) -> datetime:
        """A later moment of the day at each call (changes keep their order)."""
        self._last += timedelta(minutes=self.rng.randint(1, 20), seconds=self.rng.randint(0, 59))
        return self._last


# --------------------------------------------------------------------------- academy
def _academy_day(w: World, day: Day, state: dict, log: dict[str, int]) -> None:
    a = w.academy
    rng = day.rng
    courses = [c for c in a["courses"] if c.get("format") != "site" and c["id"] != 1]
    horizon = _epoch(datetime.combine(day.date, datetime.min.time(), UTC) - timedelta(days=20))
    certs_by_course = {int(c["course"]): c for c in a["customcerts"]}

    # a new course, copied from one that ended over a year ago, with its certificate
    old = [
        c
        for c in courses
        if 0 < c["enddate"] < horizon - 365 * 86400 and "<span" not in c["fullname"]
    ]
    template = rng.choice(sorted(old, key=lambda c: c["id"]))
    now = _epoch(day.moment())
    cid = max(c["id"] for c in a["courses"]) + 1
    start = day.date + timedelta(days=14)
    length = max(0, (template["enddate"] - template["startdate"]) // 86400)
    start_epoch = _epoch(datetime.combine(start, datetime.min.time(), UTC))
    course = {
        **template,
        "id": cid,
        "shortname": f"{template['shortname']}-{cid}",
        "startdate": start_epoch,
        "enddate": start_epoch + length * 86400,
        "timecreated": now,
        "timemodified": now,
    }
    a["courses"].append(course)
    a["enrolments"][str(cid)] = []
    a["grades"][str(cid)] = []
    if str(template["id"]) in a["completions"]:
        a["completions"][str(cid)] = {}
    t_cert = certs_by_course.get(template["id"])
    if t_cert is not None:
        cert = {
            **t_cert,
            "id": max(c["id"] for c in a["customcerts"]) + 1,
            "course": cid,
            "coursemodule": max(c["coursemodule"] for c in a["customcerts"]) + 1,
            "timecreated": now,
            "timemodified": now,
        }
        a["customcerts"].append(cert)
        certs_by_course[cid] = cert
    w.clone_activity(
        "academy", str(template["id"]), str(cid), start, start + timedelta(days=length)
    )
    log["academy_new_courses"] += 1

    running = [
        c
        for c in a["courses"]
        if c.get("format") != "site"
        and c["id"] != 1
        and (c["enddate"] == 0 or c["enddate"] >= horizon)
    ]
    users: dict[int, dict] = {}
    for members in a["enrolments"].values():
        for u in members:
            users.setdefault(int(u["id"]), u)

    # learners self-enrol in running courses and open them at once
    for _ in range(3):
        c = rng.choice(running)
        members = a["enrolments"][str(c["id"])]
        taken = {int(u["id"]) for u in members}
        uid = rng.choice(sorted(set(users) - taken))
        moment = _epoch(day.moment())
        user = {**users[uid], "lastaccess": moment, "lastcourseaccess": moment}
        user["firstaccess"] = user.get("firstaccess") or moment
        members.append(user)
        item = _course_item(a, c["id"])
        a["grades"][str(c["id"])].append(
            {
                "courseid": c["id"],
                "userid": uid,
                "userfullname": user["fullname"],
                "gradeitems": [item],
            }
        )
        criteria = str(c["id"]) in a["completions"]
        if criteria:
            a["completions"][str(c["id"])][str(uid)] = _not_completed()
        w.add_participation(
            "academy",
            str(c["id"]),
            str(uid),
            attended=True,
            completed=False if criteria else None,
            passed=False,
            certified=False if c["id"] in certs_by_course else None,
        )
        log["academy_enrolments"] += 1

    # late grading: a course total entered for an ungraded learner of a running course
    ungraded = [
        (c, g)
        for c in running
        for g in a["grades"].get(str(c["id"]), [])
        if any(i["itemtype"] == "course" and i["graderaw"] is None for i in g["gradeitems"])
    ]
    if ungraded:
        c, g = rng.choice(ungraded)
        total = float(rng.randint(45, 98))
        moment = _epoch(day.moment())
        for item in g["gradeitems"]:
            if item["itemtype"] == "course":
                item.update(
                    graderaw=total,
                    gradedategraded=moment,
                    percentageformatted=f"{total:.2f} %",
                )
        p = w.participation("academy", str(c["id"]), str(g["userid"]))
        if p is not None:
            p.update(passed=total >= 60, score_0_100=total)
        log["academy_late_grades"] += 1

    # a completion (the learner was in the course that day), then a certificate for it
    open_ = [
        (c, uid)
        for c in running
        for uid, status in a["completions"].get(str(c["id"]), {}).items()
        if not status["completed"]
    ]
    if open_:
        c, uid = rng.choice(open_)
        moment = _epoch(day.moment())
        a["completions"][str(c["id"])][uid] = {
            "completed": True,
            "aggregation": 1,
            "completions": [
                {
                    "type": 4,
                    "title": "Activity completion",
                    "status": "Yes",
                    "complete": True,
                    "timecompleted": moment,
                }
            ],
        }
        _touch_user(a, int(uid), moment, course=c["id"])
        p = w.participation("academy", str(c["id"]), uid)
        if p is not None:
            p.update(completed=True, attended=True)
        log["academy_completions"] += 1
        cert = certs_by_course.get(c["id"])
        issued = {(i["issue"]["customcertid"], i["user"]["id"]) for i in a[ACADEMY_ISSUES]}
        if cert is not None and (cert["id"], int(uid)) not in issued:
            user = next(u for u in a["enrolments"][str(c["id"])] if str(u["id"]) == uid)
            a[ACADEMY_ISSUES].append(
                {
                    "issue": {
                        "id": max(i["issue"]["id"] for i in a[ACADEMY_ISSUES]) + 1,
                        "customcertid": cert["id"],
                        "code": f"adv{day.number:03d}{rng.randint(1000, 9999)}",
                        "emailed": 1,
                        "timecreated": _epoch(day.moment()),
                    },
                    "user": {
                        "id": int(uid),
                        "fullname": user["fullname"],
                        "username": user["username"],
                        "email": user["email"],
                    },
                    "template": {"id": 100 + cert["id"], "name": f"{cert['name']} template"},
                }
            )
            if p is not None:
                p.update(certified=True)
            log["academy_certificates"] += 1

    # a course renamed (any course: Moodle moves its timemodified)
    plain = [c for c in courses if "<span" not in c["fullname"]]
    c = rng.choice(sorted(plain, key=lambda c: c["id"]))
    title = f"{c['fullname']} ({day.date.year} edition)"
    c.update(fullname=title, displayname=title, timemodified=_epoch(day.moment()))
    row = w.activity("academy", str(c["id"]))
    if row is not None:
        row["title"] = title
    log["academy_renamed_courses"] += 1

    # a surname corrected on a learner's profile (a learner of a running course)
    members = sorted({int(u["id"]) for c in running for u in a["enrolments"][str(c["id"])]})
    uid = rng.choice(members)
    person = w.persons.get(w.person_of("academy", str(uid)) or "")
    current = users[uid]["lastname"]
    fixed = (
        person["family_name"] if person and person["family_name"] != current else current.upper()
    )
    _rename_user(a, uid, fixed)
    # Moodle shows a profile edit only in the lists pulled again (the courses of the refresh
    # set): that learner keeps the courses that show it (no unenrolment below)
    state.setdefault("academy_corrected_users", []).append(uid)
    log["academy_corrected_names"] += 1

    # a learner unenrolled from a running course (not the last one, no certificate there)
    issued_pairs = {
        (
            int(
                next(
                    (
                        c["course"]
                        for c in a["customcerts"]
                        if c["id"] == i["issue"]["customcertid"]
                    ),
                    0,
                )
            ),
            i["user"]["id"],
        )
        for i in a[ACADEMY_ISSUES]
    }
    candidates = [
        (c, u)
        for c in running
        for u in a["enrolments"][str(c["id"])]
        if len(a["enrolments"][str(c["id"])]) > 1
        and (c["id"], int(u["id"])) not in issued_pairs
        and int(u["id"]) not in state["academy_corrected_users"]
    ]
    if candidates:
        c, u = rng.choice(candidates)
        key = str(c["id"])
        a["enrolments"][key] = [x for x in a["enrolments"][key] if x["id"] != u["id"]]
        a["grades"][key] = [g for g in a["grades"][key] if g["userid"] != u["id"]]
        a["completions"].get(key, {}).pop(str(u["id"]), None)
        w.drop_participation("academy", key, str(u["id"]))
        log["academy_unenrolments"] += 1


def _course_item(a: dict, courseid: int) -> dict:
    """The course-total grade item of a course, ungraded (copied from a learner's, or new)."""
    for g in a["grades"].get(str(courseid), []):
        for item in g["gradeitems"]:
            if item["itemtype"] == "course":
                return {
                    **item,
                    "graderaw": None,
                    "gradedategraded": None,
                    "percentageformatted": "-",
                }
    return {
        "id": 900000 + courseid,
        "itemname": None,
        "itemtype": "course",
        "graderaw": None,
        "grademin": 0.0,
        "grademax": 100.0,
        "gradedategraded": None,
        "percentageformatted": "-",
    }


def _not_completed() -> dict:
    return {
        "completed": False,
        "aggregation": 1,
        "completions": [
            {
                "type": 4,
                "title": "Activity completion",
                "status": "No",
                "complete": False,
                "timecompleted": None,
            }
        ],
    }


def _touch_user(a: dict, uid: int, moment: int, course: int) -> None:
    """A user's visit: site-wide last access everywhere, course access in that course."""
    for key, members in a["enrolments"].items():
        for u in members:
            if int(u["id"]) == uid:
                u["lastaccess"] = moment
                if int(key) == course:
                    u["lastcourseaccess"] = moment


def _rename_user(a: dict, uid: int, lastname: str) -> None:
    """A profile edit shows wherever Moodle prints the user: every course, grades, issues."""
    for members in a["enrolments"].values():
        for u in members:
            if int(u["id"]) == uid:
                u["lastname"] = lastname
                u["fullname"] = f"{u['firstname']} {lastname}"
                full = u["fullname"]
    for usergrades in a["grades"].values():
        for g in usergrades:
            if int(g["userid"]) == uid:
                g["userfullname"] = full
    for issue in a[ACADEMY_ISSUES]:
        if int(issue["user"]["id"]) == uid:
            issue["user"]["fullname"] = full


# --------------------------------------------------------------------------- tsb_events
def _tsb_day(w: World, day: Day, log: dict[str, int]) -> None:
    rng = day.rng
    events = {e["event_id"]: e for e in w.events}

    def start_of(e: dict) -> date:
        return date.fromisoformat(e["starts_at"][:10])

    def end_of(e: dict) -> date:
        return date.fromisoformat(e["ends_at"][:10])

    def touch(event_id: str, moment: datetime) -> None:
        events[event_id]["updated_at"] = iso_z(moment)  # our contract: the list changed

    # a new event, copied from one held over a year ago
    old = sorted(e for e, ev in events.items() if end_of(ev) < day.date - timedelta(days=365))
    template = events[rng.choice(old)]
    prefix = f"TSB-{day.date.year}-{template['event_id'].split('-')[2]}"
    taken = [int(e.rsplit("-", 1)[1]) for e in events if e.startswith(prefix + "-")]
    event_id = f"{prefix}-{max(taken, default=900) + 1:03d}"
    start = day.date + timedelta(days=21)
    shift = start - start_of(template)
    event = {
        **template,
        "event_id": event_id,
        "starts_at": (start).isoformat() + template["starts_at"][10:],
        "ends_at": (end_of(template) + shift).isoformat() + template["ends_at"][10:],
        "updated_at": iso_z(day.moment()),
    }
    w.events.append(event)
    events[event_id] = event
    w.registrations[event_id] = []
    w.clone_activity("tsb_events", template["event_id"], event_id, start, end_of(template) + shift)
    log["tsb_new_events"] += 1

    # new registrations for coming events (people who registered for another event before)
    coming = sorted(e for e, ev in events.items() if start_of(ev) > day.date)
    everyone = sorted(
        ((reg["registration_id"], reg) for regs in w.registrations.values() for reg in regs),
        key=lambda pair: pair[0],
    )
    for _ in range(2):
        eid = rng.choice(coming)
        regs = w.registrations[eid]
        emails = {r["person"]["email"] for r in regs}
        source_id, source = rng.choice(
            [(i, r) for i, r in everyone if r["person"]["email"] not in emails]
        )
        person_id = w.person_of("tsb_events", source_id)
        number = max((int(r["registration_id"].rsplit("-R", 1)[1]) for r in regs), default=0) + 1
        rid = f"{eid}-R{number:04d}"
        moment = day.moment()
        regs.append(
            {
                **source,
                "registration_id": rid,
                "registered_at": iso_z(moment),
                "attended": None,
                "attendance_days": None,
                "updated_at": iso_z(moment),
            }
        )
        touch(eid, moment)
        if person_id is not None:
            w.add_record("tsb_events", rid, person_id)
        w.add_participation("tsb_events", eid, rid)
        log["tsb_registrations"] += 1

    # attendance recorded late for a past event
    past = [
        (eid, r)
        for eid, regs in sorted(w.registrations.items())
        if end_of(events[eid]) < day.date
        for r in regs
        if r["attended"] is not True
    ]
    eid, reg = rng.choice(past)
    moment = day.moment()
    reg.update(
        attended=True,
        attendance_days=(end_of(events[eid]) - start_of(events[eid])).days + 1,
        updated_at=iso_z(moment),
    )
    touch(eid, moment)
    p = w.participation("tsb_events", eid, reg["registration_id"])
    if p is not None:
        p["attended"] = True
    log["tsb_attendance"] += 1

    # an event's title corrected
    eid = rng.choice(sorted(events))
    events[eid]["title"] = f"{events[eid]['title']} (revised programme)"
    touch(eid, day.moment())
    row = w.activity("tsb_events", eid)
    if row is not None:
        row["title"] = events[eid]["title"]
    log["tsb_renamed_events"] += 1

    # a participant's family name corrected
    rid, reg = rng.choice(everyone)
    eid = rid.rsplit("-R", 1)[0]
    person = w.persons.get(w.person_of("tsb_events", rid) or "")
    current = reg["person"]["last_name"] or ""
    fixed = (
        person["family_name"] if person and person["family_name"] != current else current.upper()
    )
    moment = day.moment()
    reg["person"] = {**reg["person"], "last_name": fixed}
    reg["updated_at"] = iso_z(moment)
    touch(eid, moment)
    log["tsb_corrected_names"] += 1

    # a registration cancelled: deleted from the event's list
    eid = rng.choice(sorted(e for e, regs in w.registrations.items() if len(regs) > 1))
    reg = rng.choice(w.registrations[eid])
    w.registrations[eid] = [r for r in w.registrations[eid] if r is not reg]
    touch(eid, day.moment())
    w.drop_participation("tsb_events", eid, reg["registration_id"])
    log["tsb_cancelled_registrations"] += 1


# --------------------------------------------------------------------------- gs_lrs
def _actor_key(actor: dict) -> str:
    if actor.get("mbox"):
        return actor["mbox"]
    account = actor.get("account") or {}
    return f"{account.get('homePage')}|{account.get('name')}"


def _lrs_day(w: World, day: Day, state: dict, log: dict[str, int]) -> None:
    rng = day.rng
    last = max(s["stored"] for s in w.statements)

    def stamp() -> str:
        nonlocal last
        moment = iso_z(day.moment(), millis=True)
        if moment <= last:
            moment = iso_z(
                datetime.fromisoformat(last.replace("Z", "+00:00")) + timedelta(milliseconds=1),
                millis=True,
            )
        last = moment
        return moment

    voided = {s["object"]["id"] for s in w.statements if s["verb"]["id"] == VERBS["voided"]}
    by_activity: dict[str, list[dict]] = {}
    for s in w.statements:
        if s["verb"]["id"] != VERBS["voided"] and s["id"] not in voided:
            by_activity.setdefault(s["object"]["id"], []).append(s)

    def start(iri: str) -> str:
        ext = by_activity[iri][0]["object"].get("definition", {}).get("extensions", {})
        return next((v for k, v in ext.items() if "start" in k), "")

    recent = sorted(by_activity, key=lambda iri: (start(iri), iri))[-5:]
    actors = sorted(
        {_actor_key(s["actor"]): s["actor"] for s in w.statements if s["actor"] != ADMIN}.items()
    )

    def statement(template: dict, verb: str, actor: dict, result: dict | None = None) -> dict:
        moment = stamp()
        out = {
            "id": _uuid(rng),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": template["object"],
        }
        if result is not None:
            out["result"] = result
        out["context"] = {**template["context"], "registration": _uuid(rng)}
        out.update(timestamp=moment, stored=moment, authority=AUTHORITY, version="1.0.3")
        w.statements.append(out)
        return out

    def register(in_error: bool) -> None:
        iri = rng.choice(recent)
        present = {_actor_key(s["actor"]) for s in by_activity[iri]}
        key, actor = rng.choice([(k, a) for k, a in actors if k not in present])
        stmt = statement(by_activity[iri][0], "registered", actor)
        by_activity[iri].append(stmt)
        certifies = any(
            p["certified"] is not None
            for p in w.participations
            if p["platform"] == "gs_lrs" and p["source_activity_key"] == iri
        )
        w.add_participation(
            "gs_lrs",
            iri,
            key,
            attended=False,
            completed=False,
            certified=False if certifies else None,
        )
        if in_error:
            state["pending_voids"].append(
                {
                    "statement": stmt["id"],
                    "due": day.number + VOID_AFTER_DAYS,
                    "activity": iri,
                    "actor": key,
                }
            )
        log["lrs_registrations"] += 1

    register(in_error=False)
    register(in_error=True)

    # attendance recorded for someone registered who had not attended
    absent = [
        p
        for p in w.participations
        if p["platform"] == "gs_lrs"
        and p["attended"] is False
        and p["source_activity_key"] in by_activity
    ]
    pending = {v["statement"] for v in state["pending_voids"]}
    absent = [
        p
        for p in absent
        if not any(
            s["id"] in pending
            for s in by_activity[p["source_activity_key"]]
            if _actor_key(s["actor"]) == p["source_record_key"]
        )
    ]
    if absent:
        p = rng.choice(absent)
        mine = [
            s
            for s in by_activity[p["source_activity_key"]]
            if _actor_key(s["actor"]) == p["source_record_key"]
        ]
        statement(mine[0], "attended", mine[0]["actor"], {"duration": "PT1H30M"})
        p["attended"] = True
        log["lrs_attendance"] += 1

    # the administrator voids the registrations recorded in error two days ago
    for void in [v for v in state["pending_voids"] if v["due"] <= day.number]:
        moment = stamp()
        w.statements.append(
            {
                "id": _uuid(rng),
                "actor": ADMIN,
                "verb": {"id": VERBS["voided"], "display": {"en-US": "voided"}},
                "object": {"objectType": "StatementRef", "id": void["statement"]},
                "timestamp": moment,
                "stored": moment,
                "authority": AUTHORITY,
                "version": "1.0.3",
            }
        )
        w.drop_participation("gs_lrs", void["activity"], void["actor"])
        state["pending_voids"].remove(void)
        log["lrs_voided"] += 1


# --------------------------------------------------------------------------- file drops
VERSION = re.compile(r"^(?P<key>.+?)(?:_v(?P<n>\d+))?$")


def _br_day(w: World, day: Day, log: dict[str, int]) -> None:
    """A corrected workbook re-sent: ``<seminar>_v<n+1>.xlsx``, one line gone, a name fixed."""
    rng = day.rng
    folder = w.out / "drops" / "br_seminars"
    latest: dict[str, tuple[int, Path]] = {}
    for path in sorted(folder.glob("*.*")):
        if path.name.endswith(".meta.csv"):
            continue
        m = VERSION.match(path.stem)
        key, n = m["key"], int(m["n"] or 1)
        if key not in latest or n > latest[key][0]:
            latest[key] = (n, path)
    books = sorted((key, n, p) for key, (n, p) in latest.items() if p.suffix == ".xlsx" and n < 9)
    key, n, path = rng.choice(books)
    wb = load_workbook(path)
    ws = wb["Participants"]
    rows = [
        r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, int | float) and ws.cell(r, 2).value
    ]
    if len(rows) < 3:
        return
    values = [[ws.cell(r, col).value for col in range(1, 10)] for r in rows]
    gone = rng.randrange(len(values))
    removed = values.pop(gone)
    fix = rng.randrange(len(values))
    record = f"{key}:{int(values[fix][0])}"
    person = w.persons.get(w.person_of("br_seminars", record) or "")
    if person:
        name = person["family_name"]
        values[fix][1] = name.upper() if str(values[fix][1]).isupper() else name
    for r in rows:
        for col in range(1, 10):
            ws.cell(r, col).value = None
    for r, line in zip(rows, values, strict=False):
        for col, value in enumerate(line, start=1):
            ws.cell(r, col).value = value
    save_workbook(wb, folder / f"{key}_v{n + 1}.xlsx", creator="ITU Radiocommunication Bureau")
    w.drop_participation("br_seminars", key, f"{key}:{int(removed[0])}")
    log["br_resent_workbooks"] += 1


def _regional_day(w: World, day: Day, log: dict[str, int]) -> None:
    """A corrected export re-sent under its own name: a line removed, a score corrected."""
    rng = day.rng
    root = w.out / "drops" / "regional_offices"
    files = sorted(root.glob("*/*.csv"))
    path = rng.choice(files)
    office = OFFICES[path.parent.name]
    decoding = "utf-16" if office.encoding == "utf-16" else office.encoding
    text = path.read_bytes().decode(decoding)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=office.delimiter))
    header, data = lines[0], [line for line in lines[1:] if line]
    if len(data) < 3:
        return
    activity = f"{office.office}:{path.stem}"
    gone = rng.randrange(len(data))
    data.pop(gone)
    # truth: the line numbers after the removed one move up by one
    w.drop_participation("regional_offices", activity, f"{activity}:{gone + 1}")
    renumber = {f"{activity}:{n}": f"{activity}:{n - 1}" for n in range(gone + 2, len(data) + 2)}
    for p in w.participations:
        if p["platform"] == "regional_offices" and p["source_record_key"] in renumber:
            p["source_record_key"] = renumber[p["source_record_key"]]
    for r in w.records:
        if r["platform"] == "regional_offices" and r["source_record_key"] in renumber:
            r["source_record_key"] = renumber[r["source_record_key"]]
    column = list(office.columns).index("satisfaction")
    fix = rng.randrange(len(data))
    score = rng.randint(1, 5)
    data[fix][column] = str(score)
    p = w.participation("regional_offices", activity, f"{activity}:{fix + 1}")
    if p is not None:
        p["satisfaction_1_5"] = score
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=office.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(data)
    path.write_bytes(encode(buf.getvalue(), office.encoding))
    log["regional_resent_exports"] += 1


# --------------------------------------------------------------------------- entry point
def read_state(out_dir: Path) -> dict:
    """The advance state of a sandbox folder (day 0 when it was never advanced)."""
    path = Path(out_dir) / STATE_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {
        "days": 0,
        "as_of": AS_OF.isoformat(),
        "pending_voids": [],
        "academy_corrected_users": [],
        "changes": {},
    }


def advance(out_dir: Path, days: int = 1) -> dict:
    """Move the sandbox in ``out_dir`` forward by ``days`` days; return the new state.

    The state says how many days the sandbox has advanced, its new "present" (``as_of``: the
    night to run is ``as_of + 1 day``) and how many changes of each kind were made in all.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    out = Path(out_dir)
    counts = json.loads((out / "ground_truth" / "expected_counts.json").read_text())
    seed = int(counts["seed"])
    state = read_state(out)
    world = World.load(out)
    log: dict[str, int] = _Counter(state.get("changes", {}))
    for _ in range(days):
        day = Day(seed, state["days"] + 1)
        world.sort_truth()
        _academy_day(world, day, state, log)
        _tsb_day(world, day, log)
        _lrs_day(world, day, state, log)
        _br_day(world, day, log)
        _regional_day(world, day, log)
        state["days"] = day.number
        state["as_of"] = day.date.isoformat()
    state["changes"] = dict(sorted(log.items()))
    world.save()
    (out / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return state


class _Counter(dict):
    """A dict whose missing counts are 0."""

    def __missing__(self, key: str) -> int:
        return 0
