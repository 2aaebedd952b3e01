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


def outcomes(
    rng: random.Random,
    courses: list[Activity],
    meta: dict[int, dict],
    users: dict[tuple[int, int], dict],
    course_users: dict[int, list[tuple[int, int]]],
    people: list[Person],
) -> Outcomes:
    """Every enrolment's outcome, course by course."""
    enrolments: dict[str, list] = {}
    grades: dict[str, list] = {}
    completions: dict[str, dict] = {}
    customcerts = []
    issues = []
    participations = []
    access: dict[tuple[int, int], list[int]] = {}
    item_id = 1
    cm_id = 1000
    cert_id = 0
    for a in courses:
        cid = int(a.source_key)
        m = meta[cid]
        lang3 = a.language if a.language in ITEM_NAMES else "en"
        items = []
        for j in range(m["n_items"]):
            names = ITEM_NAMES[lang3]
            nm = names[2] if j == m["n_items"] - 1 else names[min(j, 1)] if j < 2 else names[3]
            items.append(
                {"id": item_id, "itemname": nm, "grademax": float(rng.choice((10, 20, 100)))}
            )
            item_id += 1
        total_id = item_id
        item_id += 1
        cert = None
        if m["cert"]:
            cert_id += 1
            cm_id += 1
            tcc = epoch(a.extra["timecreated"], 12) + 86400
            cert = {
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
            customcerts.append(cert)
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
                access.setdefault((pid, n), []).extend((first_t, last_t))
            gradeitems = []
            graded = []
            last_graded = None
            for j, it in enumerate(items):
                raw = None
                when = None
                if attended and rng.random() < (0.95 - 0.08 * j):
                    pct = max(0.0, min(100.0, rng.gauss(ability, 10)))
                    raw = round(pct / 100 * it["grademax"], 2)
                    when = min(
                        end_cap, first_t + rng.randint(3600, max(7200, last_t - first_t + 3600))
                    )
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
            passed = total is not None and total >= 60
            completed = None
            done_t = None
            if m["completion"]:
                all_done = attended and (len(graded) == len(items)) and (passed or not items)
                completed = bool(all_done)
                if completed:
                    done_t = min(end_cap, (last_graded or last_t) + rng.randint(60, 7200))
                comps = [
                    {
                        "type": 4,
                        "title": "Activity completion",
                        "status": "Yes" if all_done else "No",
                        "complete": bool(all_done),
                        "timecompleted": done_t,
                    },
                ]
                if items:
                    comps.append(
                        {
                            "type": 6,
                            "title": "Course grade",
                            "status": "Yes" if passed else "No",
                            "complete": passed,
                            "timecompleted": done_t if passed else None,
                        }
                    )
                clist[str(u["id"])] = {
                    "completed": bool(completed),
                    "aggregation": 1,
                    "completions": comps,
                }
            certified = None
            if cert is not None:
                earned = bool(completed) if m["completion"] else passed
                certified = earned
                if earned:
                    t = min(CAP, (done_t or last_graded or last_t) + rng.randint(600, 2 * 86400))
                    issues.append((t, cert, u))
            ulist.append((u, last_t, (pid, n)))
            glist.append(
                {
                    "courseid": cid,
                    "userid": u["id"],
                    "userfullname": u["fullname"],
                    "gradeitems": gradeitems,
                }
            )
            participations.append(
                {
                    "platform": "academy",
                    "source_activity_key": str(cid),
                    "source_record_key": str(u["id"]),
                    "person_id": people[pid].person_id,
                    "registered": True,
                    "attended": attended,
                    "completed": completed,
                    "passed": passed,
                    "certified": certified,
                    "score_0_100": None if total is None else round(total, 2),
                    "satisfaction_1_5": None,
                }
            )
        enrolments[str(cid)] = ulist
        grades[str(cid)] = glist
        if m["completion"]:
            completions[str(cid)] = clist
    return Outcomes(enrolments, grades, completions, customcerts, issues, participations, access)


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
