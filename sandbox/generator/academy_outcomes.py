"""What happens to each Academy enrolment: attendance, graded items, completion, a certificate
(grades, completions, custom certificates and their issues as Moodle's web services return
them), and the participation the ground truth records."""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import timedelta

from .academy_catalogue import CAP
from .activity import Activity
from .population import Person
from .util import AS_OF, epoch, rng_for

ITEM_NAMES = {
    "en": ("Module 1 quiz", "Module 2 quiz", "Final assessment", "Assignment: national case study"),
    "fr": ("Quiz du module 1", "Quiz du module 2", "Évaluation finale", "Devoir : étude de cas"),
    "es": (
        "Cuestionario del módulo 1",
        "Cuestionario del módulo 2",
        "Evaluación final",
        "Tarea: estudio de caso",
    ),  # noqa: E501
}
CERT_NAMES = {
    "en": "Certificate of completion",
    "fr": "Certificat de réussite",
    "es": "Certificado de finalización",
}


@dataclass
class Outcomes:
    """Per course id (as a string): enrolled (user, last course access, account) entries,
    user grades and completion statuses; the certificates, their (time, certificate, user)
    issues, the truth's participations and each account's access times."""

    enrolments: dict[str, list] = field(default_factory=dict)
    grades: dict[str, list] = field(default_factory=dict)
    completions: dict[str, dict] = field(default_factory=dict)
    customcerts: list[dict] = field(default_factory=list)
    issues: list[tuple] = field(default_factory=list)
    participations: list[dict] = field(default_factory=list)
    access: dict[tuple[int, int], list[int]] = field(default_factory=dict)


def _items(rng: random.Random, language: str, n_items: int, first_id: int) -> list[dict]:
    """A course's graded items (ids from ``first_id``): quizzes, a final assessment, a task."""
    lang3 = language if language in ITEM_NAMES else "en"
    items = []
    for j in range(n_items):
        names = ITEM_NAMES[lang3]
        nm = names[2] if j == n_items - 1 else names[min(j, 1)] if j < 2 else names[3]
        items.append(
            {"id": first_id + j, "itemname": nm, "grademax": float(rng.choice((10, 20, 100)))}
        )
    return items


def _certificate(rng: random.Random, a: Activity, cid: int, cert_id: int, cm_id: int) -> dict:
    """A course's certificate template (mod_customcert_get_customcerts_by_courses)."""
    tcc = epoch(a.extra["timecreated"], 12) + 86400
    return {
        "id": cert_id,
        "course": cid,
        "name": CERT_NAMES.get(a.language, CERT_NAMES["en"]),
        "coursemodule": cm_id,
        "intro": ""
        if rng.random() < 0.5
        else "<p>Download your certificate once you have completed the course.</p>",
        "requiredtime": 0,
        "timecreated": tcc,
        "timemodified": tcc,
    }


def _grades(
    rng: random.Random,
    items: list[dict],
    total_id: int,
    ability: float,
    span: tuple[int, int] | None,
    end_cap: int,
) -> tuple[list[dict], list[float], int | None, float | None]:
    """One user's grade items and course total, graded between first and last access
    (``span``; None: never came): (grade items, percentages graded, last graded, total)."""
    first_t, last_t = span or (0, 0)
    gradeitems = []
    graded = []
    last_graded = None
    for j, it in enumerate(items):
        raw = None
        when = None
        if span is not None and rng.random() < (0.95 - 0.08 * j):
            pct = max(0.0, min(100.0, rng.gauss(ability, 10)))
            raw = round(pct / 100 * it["grademax"], 2)
            when = min(end_cap, first_t + rng.randint(3600, max(7200, last_t - first_t + 3600)))
            graded.append(pct)
            last_graded = max(last_graded or 0, when)
        gradeitems.append(
            {
                "id": it["id"],
                "itemname": it["itemname"],
                "itemtype": "mod",
                "graderaw": raw,
                "grademin": 0.0,
                "grademax": it["grademax"],
                "gradedategraded": when,
                "percentageformatted": "-"
                if raw is None
                else f"{raw / it['grademax'] * 100:.2f} %",
            }
        )
    total = round(sum(graded) / len(graded), 5) if graded else None
    gradeitems.append(
        {
            "id": total_id,
            "itemname": None,
            "itemtype": "course",
            "graderaw": total,
            "grademin": 0.0,
            "grademax": 100.0,
            "gradedategraded": last_graded,
            "percentageformatted": "-" if total is None else f"{total:.2f} %",
        }
    )
    return gradeitems, graded, last_graded, total


def _completion(
    rng: random.Random, all_done: bool, has_items: bool, passed: bool, done_from: int, end_cap: int
) -> tuple[dict, int | None]:
    """A completion status (activity completion, and the course grade when there are graded
    items) and when the course was completed."""
    done_t = min(end_cap, done_from + rng.randint(60, 7200)) if all_done else None
    comps = [
        {
            "type": 4,
            "title": "Activity completion",
            "status": "Yes" if all_done else "No",
            "complete": all_done,
            "timecompleted": done_t,
        },
    ]
    if has_items:
        comps.append(
            {
                "type": 6,
                "title": "Course grade",
                "status": "Yes" if passed else "No",
                "complete": passed,
                "timecompleted": done_t if passed else None,
            }
        )
    return {"completed": all_done, "aggregation": 1, "completions": comps}, done_t


def _participation(cid: int, u: dict, person: Person, attended: bool, **outcome) -> dict:
    """The ground truth's participation row of one enrolment."""
    return {
        "platform": "academy",
        "source_activity_key": str(cid),
        "source_record_key": str(u["id"]),
        "person_id": person.person_id,
        "registered": True,
        "attended": attended,
        **outcome,
        "satisfaction_1_5": None,
    }


def outcomes(
    rng: random.Random,
    courses: list[Activity],
    meta: dict[int, dict],
    users: dict[tuple[int, int], dict],
    course_users: dict[int, list[tuple[int, int]]],
    people: list[Person],
) -> Outcomes:
    """Every enrolment's outcome, course by course."""
    out = Outcomes()
    item_id, cm_id, cert_id = 1, 1000, 0
    for a in courses:
        cid = int(a.source_key)
        m = meta[cid]
        items = _items(rng, a.language, m["n_items"], item_id)
        total_id = item_id + len(items)
        item_id = total_id + 1
        cert = None
        if m["cert"]:
            cert_id, cm_id = cert_id + 1, cm_id + 1
            cert = _certificate(rng, a, cid, cert_id, cm_id)
            out.customcerts.append(cert)
        end_cap = min(CAP, epoch(min(AS_OF, a.end + timedelta(days=21)), 23, 59))
        start_t = epoch(a.start, 8)
        ulist, glist, clist = [], [], {}
        for pid, n in sorted(course_users.get(cid, []), key=lambda t: users[t]["id"]):
            u = users[(pid, n)]
            ability = rng.gauss(74, 14)
            attended = rng.random() < (0.7 if a.activity_type == "webinar" else 0.87)
            first_t = last_t = 0
            if attended:
                first_t = min(end_cap, start_t + rng.randint(0, 7 * 86400))
                last_t = min(end_cap, first_t + rng.randint(0, max(1, end_cap - first_t)))
                out.access.setdefault((pid, n), []).extend((first_t, last_t))
            span = (first_t, last_t) if attended else None
            gradeitems, graded, last_graded, total = _grades(
                rng, items, total_id, ability, span, end_cap
            )
            passed = total is not None and total >= 60
            completed = done_t = None
            if m["completion"]:
                all_done = attended and (len(graded) == len(items)) and (passed or not items)
                done_from = last_graded or last_t
                status, done_t = _completion(
                    rng, bool(all_done), bool(items), passed, done_from, end_cap
                )
                completed = status["completed"]
                clist[str(u["id"])] = status
            certified = None
            if cert is not None:
                certified = bool(completed) if m["completion"] else passed
                if certified:
                    t = min(CAP, (done_t or last_graded or last_t) + rng.randint(600, 2 * 86400))
                    out.issues.append((t, cert, u))
            ulist.append((u, last_t, (pid, n)))
            glist.append(
                {
                    "courseid": cid,
                    "userid": u["id"],
                    "userfullname": u["fullname"],
                    "gradeitems": gradeitems,
                }
            )
            score = None if total is None else round(total, 2)
            outcome = {"completed": completed, "passed": passed, "certified": certified}
            out.participations.append(
                _participation(cid, u, people[pid], attended, **outcome, score_0_100=score)
            )
        out.enrolments[str(cid)] = ulist
        out.grades[str(cid)] = glist
        if m["completion"]:
            out.completions[str(cid)] = clist
    return out


def certificate_issues(seed: int, issues: list[tuple]) -> list[dict]:
    """The issue objects (mod_customcert_list_issues) of (time, certificate, user) issues."""
    issues.sort(key=lambda t: (t[0], t[2]["id"], t[1]["id"]))
    issue_objs = []
    code_rng = rng_for(seed, "academy:codes")
    alphabet = string.ascii_letters + string.digits
    for i, (t, cert, u) in enumerate(issues):
        issue_objs.append(
            {
                "issue": {
                    "id": i + 1,
                    "customcertid": cert["id"],
                    "code": "".join(code_rng.choice(alphabet) for _ in range(10)),
                    "emailed": 1 if code_rng.random() < 0.8 else 0,
                    "timecreated": t,
                },
                "user": {
                    "id": u["id"],
                    "fullname": u["fullname"],
                    "username": u["username"],
                    "email": u["email"],
                },
                "template": {"id": cert["id"] + 100, "name": f"{cert['name']} template"},
            }
        )
    return issue_objs
