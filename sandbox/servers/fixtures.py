"""A tiny hand-made sandbox tree in the generator's format, for tests that need servers without
running the generator (``write_sample_tree(tmp_path)``). Counts are fixed and small:

* academy: 4 categories; 4 courses (site course 1; course 2 with 7 enrolled users, grades,
  completion criteria and a certificate template; course 3 with 2 users and no completion
  criteria; course 4 empty); 5 certificate issues (two share a ``timecreated``).
* tsb_events: 5 events (``updated_at`` in several UTC offsets, two at the same instant);
  7 registrations for TSB-2024-WS-001, 1 for TSB-2024-TU-002.
* gs_lrs: 8 statements, one of which (``...0003``) is voided by the last one (``...0008``).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

CREDENTIALS = {
    "academy": {"token": "academy-test-token"},
    "tsb_events": {"token": "tsb-test-token"},
    "gs_lrs": {"username": "lrs-test-user", "password": "lrs-test-pass"},
}

T0 = 1_704_067_200  # 2024-01-01T00:00:00Z


def _ml(en: str, fr: str) -> str:
    span = '<span lang="{}" class="multilang">{}</span>'
    return span.format("en", en) + span.format("fr", fr)


def _course(
    cid: int, fullname: str, shortname: str, category: tuple[int, str], **extra: Any
) -> dict[str, Any]:
    course = {
        "id": cid,
        "fullname": fullname,
        "displayname": fullname,
        "shortname": shortname,
        "categoryid": category[0],
        "categoryname": category[1],
        "summary": "<p>Course <strong>summary</strong></p>",
        "format": "topics",
        "startdate": T0,
        "enddate": T0 + 30 * 86400,
        "visible": 1,
        "lang": "",
        "enablecompletion": 1,
        "timecreated": T0 - 86400,
        "timemodified": T0,
        "customfields": [
            {
                "name": "Bureau",
                "shortname": "bureau",
                "type": "select",
                "valueraw": "1",
                "value": "BDT",
            },
            {
                "name": "Delivery mode",
                "shortname": "delivery_mode",
                "type": "text",
                "valueraw": "online",
                "value": "online",
            },
            {
                "name": "Training centre",
                "shortname": "training_centre",
                "type": "text",
                "valueraw": "",
                "value": "",
            },
        ],
    }
    course.update(extra)
    return course


def _user(uid: int, first: str, last: str, country: str = "KE") -> dict[str, Any]:
    return {
        "id": uid,
        "username": f"{first}.{last}".lower(),
        "firstname": first,
        "lastname": last,
        "fullname": f"{first} {last}",
        "email": f"{first}.{last}@example.org".lower(),
        "department": "",
        "institution": "Ministry of ICT",
        "idnumber": "",
        "city": "Nairobi",
        "country": country,
        "firstaccess": T0 + uid,
        "lastaccess": T0 + 1000 + uid,
        "lastcourseaccess": T0 + 900 + uid,
        "customfields": [
            {"type": "text", "value": "Female", "name": "Gender", "shortname": "gender"}
        ],
        "roles": [{"roleid": 5, "name": "", "shortname": "student"}],
    }


def _category(
    cid: int,
    name: str,
    parent: int,
    sortorder: int,
    coursecount: int,
    path: str,
    description: str = "",
) -> dict[str, Any]:
    """A category object as core_course_get_categories returns it."""
    return {
        "id": cid,
        "name": name,
        "description": description,
        "parent": parent,
        "sortorder": sortorder,
        "coursecount": coursecount,
        "depth": path.count("/"),
        "path": path,
    }


def _academy_categories() -> list[dict[str, Any]]:
    """The category tree: the site, ITU-D and ITU-T, and Spectrum under ITU-D."""
    return [
        _category(1, "ITU Academy", 0, 10000, 0, "/1"),
        _category(2, "ITU-D", 1, 20000, 1, "/1/2"),
        _category(3, "ITU-T", 1, 30000, 1, "/1/3"),
        _category(4, "Spectrum", 2, 20001, 1, "/1/2/4", "<p>Spectrum</p>"),
    ]


def _academy_grades(users: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Course 2's grades of its first three users: a quiz and the course total."""
    return {
        "2": [
            {
                "courseid": 2,
                "userid": u["id"],
                "userfullname": u["fullname"],
                "gradeitems": [
                    {
                        "id": 11,
                        "itemname": "Quiz",
                        "itemtype": "mod",
                        "graderaw": 70.0 + i,
                        "grademin": 0,
                        "grademax": 100,
                        "gradedategraded": T0 + 5000,
                        "percentageformatted": f"{70 + i}.00 %",
                    },
                    {
                        "id": 10,
                        "itemname": None,
                        "itemtype": "course",
                        "graderaw": 70.0 + i,
                        "grademin": 0,
                        "grademax": 100,
                        "gradedategraded": T0 + 5000,
                        "percentageformatted": f"{70 + i}.00 %",
                    },
                ],
            }  # fmt: skip
            for i, u in enumerate(users[:3])
        ]
    }


def _completion(done: bool) -> dict[str, Any]:
    """A completion status with one activity criterion, met (at T0 + 6000) or not."""
    criterion = {
        "type": 4,
        "title": "Activity completion",
        "status": "Yes" if done else "No",
        "complete": done,
        "timecompleted": T0 + 6000 if done else None,
    }
    return {"completed": done, "aggregation": 1, "completions": [criterion]}


def _academy_completions() -> dict[str, dict[str, dict[str, Any]]]:
    """Course 2's completion statuses: user 101 complete, 102 not."""
    return {"2": {"101": _completion(True), "102": _completion(False)}}


def _academy_certificates(
    users: list[dict[str, Any]],
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Course 2's certificate template and its five issues, in the wrong order in the file."""
    customcerts = [
        {
            "id": 1,
            "course": 2,
            "name": "Certificate of completion",
            "coursemodule": 21,
            "intro": "",
            "introformat": 1,
            "requiredtime": 0,
            "verifyany": 0,
            "deliveryoption": "I",
            "emailstudents": 0,
            "emailteachers": 0,
            "emailothers": "",
            "protection": "",
            "timecreated": T0,
            "timemodified": T0,
        }  # fmt: skip
    ]
    issue_times = [T0 + 7000, T0 + 8000, T0 + 8000, T0 + 9000, T0 + 10000]
    issues = [
        {
            "issue": {
                "id": 200 + i,
                "customcertid": 1,
                "code": f"CODE{i:04d}",
                "emailed": 0,
                "timecreated": t,
            },
            "user": {
                "id": users[i]["id"],
                "fullname": users[i]["fullname"],
                "username": users[i]["username"],
                "email": users[i]["email"],
            },
            "template": {"id": 1, "name": "Certificate of completion"},
        }
        for i, t in enumerate(issue_times)
    ]
    issues.reverse()  # the server must order them, not the file
    return customcerts, issues


def academy_tree() -> dict[str, Any]:
    """The Academy's files, by name."""
    categories = _academy_categories()
    site = _course(
        1, "ITU Academy", "ITUAcademy", (0, ""), format="site", enablecompletion=0, customfields=[]
    )
    courses = [
        site,
        _course(2, _ml("Spectrum management", "Gestion du spectre"), "SM-2024", (4, "Spectrum")),
        _course(3, "Cybersecurity basics", "CYB-2024", (2, "ITU-D")),
        _course(4, "Introduction to ITU-T standardization", "STD-2024", (3, "ITU-T")),
    ]
    names = [("Amina", "Diallo"), ("Sergey", "Ivanov"), ("Maria", "Lopez"), ("Mohamed", "Ali"),
             ("Li", "Wei"), ("Ana", "Silva"), ("John", "Smith")]  # fmt: skip
    users = [_user(101 + i, f, last) for i, (f, last) in enumerate(names)]
    users[3]["country"] = ""
    enrolments = {"2": users, "3": users[:2], "4": []}
    grades = _academy_grades(users)
    completions = _academy_completions()
    customcerts, issues = _academy_certificates(users)
    return {
        "categories.json": categories,
        "courses.json": courses,
        "enrolments.json": enrolments,
        "grades.json": grades,
        "completions.json": completions,
        "customcerts.json": customcerts,
        "certificate_issues.json": issues,
    }


def tsb_tree() -> dict[str, Any]:
    def event(eid: str, etype: str, updated_at: str, sg: str | None = "SG17") -> dict[str, Any]:
        return {
            "event_id": eid,
            "title": f"{etype} {eid}",
            "event_type": etype,
            "study_group": sg,
            "starts_at": "2024-04-10T09:00:00+02:00",
            "ends_at": "2024-04-12T17:00:00+02:00",
            "venue": {"city": "Geneva", "country": "Switzerland"},
            "format": "hybrid",
            "languages": ["en", "fr"],
            "updated_at": updated_at,
        }

    events = [
        event("TSB-2024-WS-004", "Workshop", "2024-03-01T05:00:00-05:00"),  # = 10:00Z, ties WS-001
        event("TSB-2024-FO-005", "Forum", "2024-03-05T08:00:00+01:00", None),
        event("TSB-2024-WS-001", "Workshop", "2024-03-01T10:00:00Z"),
        event("TSB-2024-TU-002", "Tutorial", "2024-03-01T12:30:00+02:00"),  # = 10:30Z
        event("TSB-2024-WB-003", "Webinar", "2024-03-02T09:00:00+00:00"),
    ]

    def registration(n: int, updated_at: str) -> dict[str, Any]:
        return {
            "registration_id": f"R-{n:05d}",
            "person": {
                "title": "Ms.",
                "first_name": f"First{n}",
                "last_name": f"Last{n}",
                "email": f"person{n}@example.org",
                "organization": "ACME Telecom",
                "organization_type": "Sector Member",
                "country": "Switzerland",
            },
            "gender": "F" if n % 2 else None,
            "registered_at": "2024-02-01T10:00:00+01:00",
            "attended": True if n % 3 else None,
            "attendance_days": 2 if n % 3 else None,
            "updated_at": updated_at,
        }

    registrations = {
        "TSB-2024-WS-001": [
            registration(n, f"2024-03-0{1 + n % 3}T10:00:00+00:00") for n in range(1, 8)
        ],
        "TSB-2024-TU-002": [registration(100, "2024-03-01T10:00:00+00:00")],
    }
    return {"events.json": events, "registrations.json": registrations}


def statement_id(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def lrs_tree() -> dict[str, Any]:
    verbs = ["registered", "attended", "completed", "passed", "failed", "completed", "registered"]

    def statement(n: int, verb: str, stored: str) -> dict[str, Any]:
        return {
            "id": statement_id(n),
            "actor": {
                "objectType": "Agent",
                "name": f"Learner {n}",
                "mbox": f"mailto:learner{n}@example.org",
            },
            "verb": {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}},
            "object": {
                "objectType": "Activity",
                "id": f"https://academy.itu.int/xapi/activities/gs-course-{n % 2}",
                "definition": {
                    "name": {"en": "Leadership", "fr": "Leadership"},
                    "type": "http://adlnet.gov/expapi/activities/course",
                },
            },
            "result": {
                "score": {"scaled": 0.8, "raw": 80, "min": 0, "max": 100},
                "success": True,
                "completion": True,
                "duration": "PT1H30M",
            },
            "context": {
                "registration": f"10000000-0000-4000-8000-{n % 2:012d}",
                "platform": "GS LMS",
                "language": "en",
            },
            "timestamp": stored,
            "stored": stored,
        }

    statements = [
        statement(n, verb, f"2024-05-01T10:00:0{n}.000Z") for n, verb in enumerate(verbs, start=1)
    ]
    statements.append(
        {
            "id": statement_id(8),
            "actor": {
                "objectType": "Agent",
                "name": "LRS admin",
                "mbox": "mailto:admin@example.org",
            },
            "verb": {"id": "http://adlnet.gov/expapi/verbs/voided", "display": {"en-US": "voided"}},
            "object": {"objectType": "StatementRef", "id": statement_id(3)},
            "timestamp": "2024-05-01T10:00:08.000Z",
            "stored": "2024-05-01T12:00:08.000+02:00",  # = 10:00:08Z, an offset on purpose
        }
    )
    statements.reverse()
    return {"statements.json": statements}


def write_sample_tree(root: Path) -> Path:
    """Write the tiny tree under ``root`` (created if needed) and return ``root``."""
    root = Path(root)
    for folder, files in (
        ("academy", academy_tree()),
        ("tsb_events", tsb_tree()),
        ("gs_lrs", lrs_tree()),
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
        for name, content in files.items():
            (root / folder / name).write_text(
                json.dumps(content, ensure_ascii=False, indent=1), encoding="utf-8"
            )
    (root / "credentials.json").write_text(json.dumps(CREDENTIALS, indent=1), encoding="utf-8")
    return root
