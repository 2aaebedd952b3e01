"""A day on the ITU Academy (Moodle): a new course with its certificate, self-enrolments, late
grading, a completion and its certificate, a renamed course, a corrected surname and an
unenrolment, each as Moodle's web services show it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from .world import ACADEMY_ISSUES, Day, World, epoch


def academy_day(w: World, day: Day, state: dict, log: dict[str, int]) -> None:
    """One day of Academy changes, in a fixed order (each draws from the day's stream)."""
    a = w.academy
    # the courses before today's new one (the rename picks among them)
    courses = [c for c in a["courses"] if c.get("format") != "site" and c["id"] != 1]
    horizon = epoch(datetime.combine(day.date, datetime.min.time(), UTC) - timedelta(days=20))
    certs_by_course = {int(c["course"]): c for c in a["customcerts"]}
    _new_course(w, day, courses, horizon, certs_by_course, log)
    # the courses running today (the new one among them) and every enrolled learner
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
    _self_enrolments(w, day, running, users, certs_by_course, log)
    _late_grade(w, day, running, log)
    _completion(w, day, running, certs_by_course, log)
    _renamed_course(w, day, courses, log)
    _corrected_surname(w, day, state, running, users, log)
    _unenrolment(w, day, state, running, log)


def _new_course(
    w: World, day: Day, courses: list, horizon: int, certs_by_course: dict, log: dict[str, int]
) -> None:
    """A new course, copied from one that ended over a year ago, with its certificate."""
    a = w.academy
    rng = day.rng
    old = [
        c
        for c in courses
        if 0 < c["enddate"] < horizon - 365 * 86400 and "<span" not in c["fullname"]
    ]
    template = rng.choice(sorted(old, key=lambda c: c["id"]))
    now = epoch(day.moment())
    cid = max(c["id"] for c in a["courses"]) + 1
    start = day.date + timedelta(days=14)
    length = max(0, (template["enddate"] - template["startdate"]) // 86400)
    start_epoch = epoch(datetime.combine(start, datetime.min.time(), UTC))
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


def _self_enrolments(
    w: World, day: Day, running: list, users: dict, certs_by_course: dict, log: dict[str, int]
) -> None:
    """Learners self-enrol in running courses and open them at once."""
    a = w.academy
    rng = day.rng
    for _ in range(3):
        c = rng.choice(running)
        members = a["enrolments"][str(c["id"])]
        taken = {int(u["id"]) for u in members}
        uid = rng.choice(sorted(set(users) - taken))
        moment = epoch(day.moment())
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


def _late_grade(w: World, day: Day, running: list, log: dict[str, int]) -> None:
    """Late grading: a course total entered for an ungraded learner of a running course."""
    a = w.academy
    rng = day.rng
    ungraded = [
        (c, g)
        for c in running
        for g in a["grades"].get(str(c["id"]), [])
        if any(i["itemtype"] == "course" and i["graderaw"] is None for i in g["gradeitems"])
    ]
    if ungraded:
        c, g = rng.choice(ungraded)
        total = float(rng.randint(45, 98))
        moment = epoch(day.moment())
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


def _completion(
    w: World, day: Day, running: list, certs_by_course: dict, log: dict[str, int]
) -> None:
    """A completion (the learner was in the course that day), then a certificate for it."""
    a = w.academy
    rng = day.rng
    open_ = [
        (c, uid)
        for c in running
        for uid, status in a["completions"].get(str(c["id"]), {}).items()
        if not status["completed"]
    ]
    if open_:
        c, uid = rng.choice(open_)
        moment = epoch(day.moment())
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
                        "timecreated": epoch(day.moment()),
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


def _renamed_course(w: World, day: Day, courses: list, log: dict[str, int]) -> None:
    """A course renamed (any course: Moodle moves its timemodified)."""
    rng = day.rng
    plain = [c for c in courses if "<span" not in c["fullname"]]
    c = rng.choice(sorted(plain, key=lambda c: c["id"]))
    title = f"{c['fullname']} ({day.date.year} edition)"
    c.update(fullname=title, displayname=title, timemodified=epoch(day.moment()))
    row = w.activity("academy", str(c["id"]))
    if row is not None:
        row["title"] = title
    log["academy_renamed_courses"] += 1


def _corrected_surname(
    w: World, day: Day, state: dict, running: list, users: dict, log: dict[str, int]
) -> None:
    """A surname corrected on a learner's profile (a learner of a running course)."""
    a = w.academy
    rng = day.rng
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


def _unenrolment(w: World, day: Day, state: dict, running: list, log: dict[str, int]) -> None:
    """A learner unenrolled from a running course (not the last one, no certificate there)."""
    a = w.academy
    rng = day.rng
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
