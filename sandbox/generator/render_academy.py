"""ITU Academy (Moodle 4.x Web Services) rendering: categories, courses, enrolled users, grades,
completions, custom certificates and their issues, exactly as the WS functions return them.

The catalogue is drawn in :mod:`.academy_catalogue`, the accounts in :mod:`.academy_accounts`,
each enrolment's outcome in :mod:`.academy_outcomes`, in that order on one random stream."""

from __future__ import annotations

from pathlib import Path

from .academy_accounts import accounts, enrolled_users
from .academy_catalogue import catalogue
from .academy_outcomes import certificate_issues, outcomes
from .activity import Activity
from .population import Person
from .records import RecordMaker
from .util import rng_for, write_json


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    """Write the Academy's files under ``out / "academy"``; returns the truth's records and
    participations and the counts."""
    rng = rng_for(seed, "render:academy")
    held_rng = rng_for(seed, "render:academy:held-out")  # held-out wording (heldout.py)
    maker = RecordMaker(seed, "academy")
    courses = sorted(activities, key=lambda a: int(a.source_key))
    categories, course_objs, meta = catalogue(rng, held_rng, courses)
    users, course_users, records = accounts(rng, maker, courses, people)
    done = outcomes(rng, courses, meta, users, course_users, people)
    enrolments, grades, completions = done.enrolments, done.grades, done.completions
    customcerts, participations = done.customcerts, done.participations
    n_enrol_rows = enrolled_users(enrolments, done.access)
    issue_objs = certificate_issues(seed, done.issues)

    base = out / "academy"
    write_json(base / "categories.json", categories)
    write_json(base / "courses.json", course_objs)
    write_json(base / "enrolments.json", enrolments)
    write_json(base / "grades.json", grades)
    write_json(base / "completions.json", completions)
    write_json(base / "customcerts.json", customcerts)
    write_json(base / "certificate_issues.json", issue_objs)

    counts = {
        "activities": len(courses),
        "participant_records": len(records),
        "participations": len(participations),
        "categories": len(categories),
        "courses": len(course_objs),
        "enrolled_users": n_enrol_rows,
        "usergrades": sum(len(v) for v in grades.values()),
        "grades": sum(len(g["gradeitems"]) for v in grades.values() for g in v),
        "completions": sum(len(v) for v in completions.values()),
        "courses_with_completion": len(completions),
        "customcerts": len(customcerts),
        "certificates": len(issue_objs),
    }
    return {"records": records, "participations": participations, "counts": counts}
