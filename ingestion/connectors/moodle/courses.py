"""The per-course part of an Academy pull: the head (categories, courses, customcerts and the
refresh set), then enrolled users, grades and completions of each chunk of courses."""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from ingestion.connectors.base import (
    PullPart,
    RawPage,
    to_json_text,
)
from ingestion.connectors.moodle.client import PLATFORM, MoodleClient, MoodleException, _int, _pick
from ingestion.connectors.moodle.records import (
    CATEGORY_FIELDS,
    COURSE_FIELDS,
    CUSTOMCERT_FIELDS,
    GRADEITEM_FIELDS,
    PLAN_FIELDS,
    USER_FIELDS,
    _mark,
    _oldest,
    _Part,
)

log = logging.getLogger(__name__)
RUNNING_GRACE = timedelta(days=30)
CUSTOMCERT_COURSE_CHUNK = 200


def _head(
    client: MoodleClient, wm: dict[str, int | None], until: int
) -> tuple[PullPart, dict[str, Any]]:
    """Categories, courses and customcerts (small lists), and the plan of the pull."""
    part = _Part()
    marks: dict[str, int] = {}
    body, page = client.fetch("core_course_get_categories")
    source = part.page("categories", page)
    for cat in body or []:
        part.add("categories", _pick(cat, CATEGORY_FIELDS), source)

    # courses: full list, land the ones modified in (wm, until]
    body, page = client.fetch("core_course_get_courses_by_field")
    source = part.page("courses", page)
    all_courses: list[dict[str, Any]] = list((body or {}).get("courses") or [])
    wm_courses = wm["courses"]
    for course in all_courses:
        modified = _int(course.get("timemodified"))
        if modified > until or (wm_courses is not None and modified <= wm_courses):
            continue
        record = _pick(course, COURSE_FIELDS)
        record["customfields"] = to_json_text(course.get("customfields"))
        part.add("courses", record, source)
        _mark(marks, until, "courses", modified)

    # customcerts: full list for every course
    course_ids = [_int(c.get("id")) for c in all_courses if not is_site_course(c)]
    seen_certs: set[Any] = set()
    for begin in range(0, len(course_ids), CUSTOMCERT_COURSE_CHUNK):
        chunk = course_ids[begin : begin + CUSTOMCERT_COURSE_CHUNK]
        body, page = client.fetch("mod_customcert_get_customcerts_by_courses", {"courseids": chunk})
        source = part.page("customcerts", page)
        for cert in (body or {}).get("customcerts") or []:
            if cert.get("id") in seen_certs:
                continue
            seen_certs.add(cert.get("id"))
            part.add("customcerts", _pick(cert, CUSTOMCERT_FIELDS), source)

    # the refresh set for per-course snapshots, fixed for the whole pull (and its retries)
    refresh = refresh_courses(all_courses, _oldest(wm, ("enrolled_users", "grades", "completions")))
    plan = [{k: course.get(k) for k in PLAN_FIELDS} for course in refresh]
    log.info(
        "%s: %d courses listed, %d landed, %d to refresh (enrolments, grades, completions)",
        PLATFORM,
        len(all_courses),
        len(part.records.get("courses", [])),
        len(plan),
    )
    state = {"plan": plan, "next": 0, "marks": marks}
    return PullPart("head", part.extracts(), state), state


def _refresh(
    client: MoodleClient, chunk: list[dict[str, Any]], wm_completions: int | None, until: int
) -> tuple[_Part, dict[str, int], int]:
    """Enrolled users, grades and completions of a chunk of courses, ``max_in_flight`` calls at
    a time; records come out in course order whatever order the answers arrive in."""
    part = _Part()
    marks: dict[str, int] = {}
    snapshots = client.http.map(lambda course: _snapshot(client, course), chunk)
    # completion calls to make: (course, users), in course order
    wanted: list[tuple[int, list[int]]] = []
    for course, snapshot in zip(chunk, snapshots, strict=True):
        eligible = _land_snapshot(part, marks, course, snapshot, wm_completions, until)
        if eligible:
            wanted.append((_int(course.get("id")), eligible))
    access_of = {
        (_int(course.get("id")), _int(user.get("id"))): _access(user)
        for course, (users, *_ignored) in zip(chunk, snapshots, strict=True)
        for user, _source in users
    }
    calls = _land_completions(client, part, marks, wanted, access_of, until)
    return part, marks, calls


def _land_snapshot(
    part: _Part,
    marks: dict[str, int],
    course: dict[str, Any],
    snapshot: tuple[list[tuple[dict[str, Any], str]], list[RawPage], Any, RawPage],
    wm_completions: int | None,
    until: int,
) -> list[int]:
    """One course's enrolled users and grades into the part; the users whose completion is
    asked (none when the course does not track completion)."""
    users, enrol_pages, grades, grades_page = snapshot
    courseid = _int(course.get("id"))
    for page in enrol_pages:
        part.page("enrolled_users", page)
    for user, source in users:
        record = {"courseid": courseid, **_pick(user, USER_FIELDS)}
        record["customfields"] = to_json_text(user.get("customfields"))
        record["roles"] = to_json_text(user.get("roles"))
        part.add("enrolled_users", record, source)
        for field in ("lastcourseaccess", "lastaccess", "firstaccess"):
            _mark(marks, until, "enrolled_users", _int(user.get(field)))
    _mark(marks, until, "enrolled_users", _int(course.get("timemodified")))

    source = part.page("grades", grades_page)
    graded_since: set[int] = set()
    for usergrade in (grades or {}).get("usergrades") or []:
        userid = usergrade.get("userid")
        for item in usergrade.get("gradeitems") or []:
            record = {
                "courseid": usergrade.get("courseid", courseid),
                "userid": userid,
                "userfullname": usergrade.get("userfullname"),
                "itemid": item.get("id"),
                **_pick(item, GRADEITEM_FIELDS),
            }
            part.add("grades", record, source)
            graded = _int(item.get("gradedategraded"))
            _mark(marks, until, "grades", graded)
            if wm_completions is None or graded > wm_completions:
                graded_since.add(_int(userid))
    _mark(marks, until, "grades", _int(course.get("timemodified")))

    if _int(course.get("enablecompletion")) != 1:
        return []
    eligible = []
    for user, _source in users:
        userid = _int(user.get("id"))
        if wm_completions is None or _access(user) > wm_completions or userid in graded_since:
            eligible.append(userid)
    return eligible


def _land_completions(
    client: MoodleClient,
    part: _Part,
    marks: dict[str, int],
    wanted: list[tuple[int, list[int]]],
    access_of: dict[tuple[int, int], int],
    until: int,
) -> int:
    """The completions of ``wanted`` (course, users) into the part; the number of calls made."""
    # one call first per course: a course without criteria answers nocriteriaset for anyone,
    # and its other users are then not asked
    probes = client.http.map(lambda w: _completion(client, w[0], w[1][0]), wanted)
    rest = [
        (courseid, userid)
        for (courseid, users), probe in zip(wanted, probes, strict=True)
        if probe is not None
        for userid in users[1:]
    ]
    answers = iter(client.http.map(lambda pair: _completion(client, *pair), rest))
    for (courseid, users), probe in zip(wanted, probes, strict=True):
        if probe is None:
            log.info("%s: course %s has no completion criteria", PLATFORM, courseid)
            continue
        results = [probe, *(next(answers) for _ in users[1:])]
        for userid, result in zip(users, results, strict=True):
            if result is None:  # criteria removed while pulling: as for the whole course
                break
            body, page = result
            source = part.page("completions", page)
            status = (body or {}).get("completionstatus") or {}
            record = {
                "courseid": courseid,
                "userid": userid,
                "completed": status.get("completed"),
                "aggregation": status.get("aggregation"),
                "completions": to_json_text(status.get("completions")),
            }
            part.add("completions", record, source)
            _mark(marks, until, "completions", access_of[(courseid, userid)])
            for criterion in status.get("completions") or []:
                _mark(marks, until, "completions", _int(criterion.get("timecompleted")))
    return len(wanted) + len(rest)


def _snapshot(
    client: MoodleClient, course: dict[str, Any]
) -> tuple[list[tuple[dict[str, Any], str]], list[RawPage], Any, RawPage]:
    """One course's enrolled users (with their pages) and grade report."""
    courseid = _int(course.get("id"))
    users, pages = _enrolled_users(client, courseid)
    grades, grades_page = client.fetch(
        "gradereport_user_get_grade_items", {"courseid": courseid, "userid": 0}
    )
    return users, pages, grades, grades_page


def _completion(client: MoodleClient, courseid: int, userid: int) -> tuple[Any, RawPage] | None:
    """One user's completion status; None when the course has no completion criteria."""
    try:
        return client.fetch(
            "core_completion_get_course_completion_status",
            {"courseid": courseid, "userid": userid},
        )
    except MoodleException as exc:
        if exc.errorcode == "nocriteriaset":
            return None
        raise


def is_site_course(course: dict[str, Any]) -> bool:
    """The front page course: format "site" (id 1 on every Moodle when the format is absent)."""
    fmt = course.get("format")
    if fmt is not None:
        return fmt == "site"
    return _int(course.get("id")) == 1


def refresh_courses(courses: list[dict[str, Any]], watermark: int | None) -> list[dict[str, Any]]:
    """Courses whose enrolments / grades / completions are pulled this run (module docstring)."""
    out = []
    grace = int(RUNNING_GRACE.total_seconds())
    for course in courses:
        if is_site_course(course):
            continue
        if watermark is None:
            out.append(course)
            continue
        enddate = _int(course.get("enddate"))
        if (
            _int(course.get("timemodified")) > watermark
            or enddate == 0
            or enddate >= watermark - grace
        ):
            out.append(course)
    return out


def _enrolled_users(
    client: MoodleClient, courseid: int
) -> tuple[list[tuple[dict[str, Any], str]], list[RawPage]]:
    """All enrolled users of a course (with the source of each), paged with limitfrom /
    limitnumber until a short page, and the pages."""
    size = max(1, client.conn.page_size)
    out: list[tuple[dict[str, Any], str]] = []
    pages: list[RawPage] = []
    seen: set[Any] = set()
    start = 0
    while True:
        args = {
            "courseid": courseid,
            "options": [
                {"name": "limitfrom", "value": start},
                {"name": "limitnumber", "value": size},
            ],
        }
        page_users, page = client.fetch("core_enrol_get_enrolled_users", args)
        pages.append(page)
        page_users = page_users or []
        for user in page_users:
            if user.get("id") in seen:
                continue
            seen.add(user.get("id"))
            out.append((user, page.source))
        if len(page_users) < size:
            return out, pages
        start += size


def _access(user: dict[str, Any]) -> int:
    """When the user last opened the course (``lastaccess`` when the course access is unknown)."""
    return _int(user.get("lastcourseaccess")) or _int(user.get("lastaccess"))
