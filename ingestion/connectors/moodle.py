"""ITU Academy: a Moodle 4.x Web Services REST client.

Every call is ``POST {site}/webservice/rest/server.php`` form-encoded with ``wstoken``,
``wsfunction``, ``moodlewsrestformat=json`` and the function arguments as PHP-style arrays
(``options[0][name]=limitfrom``). Moodle reports errors as HTTP 200 with an ``exception`` body,
so every JSON body is checked: ``invalidtoken`` raises :class:`AuthError`, ``nocriteriaset`` means
"no completion data" for that course, anything else raises :class:`MoodleException` (a
:class:`PlatformError` naming the function, its arguments and the errorcode).

Incremental rules (watermarks are epoch seconds as text; ``U`` = ``until`` as epoch):

* ``categories``, ``customcerts``: small reference lists, pulled in full every run.
* ``courses``: the whole list is fetched (the function has no filter); courses with
  ``timemodified`` in ``(watermark, U]`` are landed (first load: ``timemodified <= U``, so all
  but courses touched after the interval, which the next run lands). Nothing is dropped: the
  site course (id 1) is landed too; staging excludes it.
* ``enrolled_users`` and ``grades`` (snapshots per course) are pulled for the *refresh set*:
  every course except the site course whose ``timemodified`` is after ``W``, or that is still
  running (``enddate`` 0 or ``enddate >= W - 30 days``); ``W`` is the oldest of the
  ``enrolled_users`` / ``grades`` / ``completions`` watermarks (None on a first load: every
  course). The 30-day grace catches late grading and enrolment clean-up after a course ends.
* ``completions``: one call per (course, user), so the cost is bounded: only courses of the
  refresh set with ``enablecompletion = 1``, and only users whose ``lastcourseaccess`` (or
  ``lastaccess`` when the course access is unknown) is after the completions watermark, or who
  were graded in that course after it (teacher-marked completion without a visit). First load:
  every enrolled user of those courses.
* ``certificates``: ``mod_customcert_list_issues(timecreatedfrom=watermark)`` paged by offset;
  issues with ``timecreated`` in ``(watermark, U]`` are landed (deduplicated by issue id, since
  the plugin pages newest-first and a new issue shifts the offsets).

The pull comes in parts that land as they go (:func:`pull_parts`, ``docs/raw-zone.md``): a
retried task resumes after the last landed part. The calls of a chunk of courses go
``max_in_flight`` at a time; records keep the course order, whatever order the answers arrive in.
Completion calls are not skipped for users who never opened a course and were never graded:
criteria met without the learner (manual completion by others, a date, an enrolment duration,
other courses) make the answer unknown from the data already fetched.

``watermark_to`` comes from the data pulled, capped at ``U``: max ``timemodified`` of the
landed courses, max ``timecreated`` of the landed issues; for the snapshot entities the latest
activity timestamp seen (user access, grading, completion); the previous watermark when nothing
newer was seen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    PullPart,
    RawPage,
    aware,
    collect_parts,
    to_json_text,
    watermark_epoch,
)
from ingestion.connectors.http import HttpClient

log = logging.getLogger(__name__)

PLATFORM = "academy"
WS_PATH = "/webservice/rest/server.php"
ENTITIES = (
    "categories",
    "courses",
    "enrolled_users",
    "grades",
    "completions",
    "customcerts",
    "certificates",
)
RUNNING_GRACE = timedelta(days=30)
MAX_ISSUES_LIMIT = 500  # mod_customcert_list_issues clamps its limit to 500
CUSTOMCERT_COURSE_CHUNK = 200
AUTH_ERRORCODES = frozenset({"invalidtoken"})
SNAPSHOTS = frozenset({"categories", "customcerts"})  # pulled in full, no watermark
# What the plan of a pull keeps of each course to refresh (enough to refresh it on a retry).
PLAN_FIELDS = ("id", "format", "enablecompletion", "timemodified")

CATEGORY_FIELDS = (
    "id",
    "name",
    "description",
    "parent",
    "sortorder",
    "coursecount",
    "depth",
    "path",
)
COURSE_FIELDS = (
    "id",
    "fullname",
    "displayname",
    "shortname",
    "categoryid",
    "categoryname",
    "summary",
    "format",
    "startdate",
    "enddate",
    "visible",
    "lang",
    "enablecompletion",
    "timecreated",
    "timemodified",
)
USER_FIELDS = (
    "id",
    "username",
    "firstname",
    "lastname",
    "fullname",
    "email",
    "department",
    "institution",
    "idnumber",
    "city",
    "country",
    "firstaccess",
    "lastaccess",
    "lastcourseaccess",
)
GRADEITEM_FIELDS = (
    "itemname",
    "itemtype",
    "graderaw",
    "grademin",
    "grademax",
    "gradedategraded",
    "percentageformatted",
)
CUSTOMCERT_FIELDS = ("id", "course", "name", "coursemodule")


class MoodleException(PlatformError):
    """A Moodle ``exception`` body (HTTP 200)."""

    def __init__(self, reason: str, *, errorcode: str, request: str):
        super().__init__(reason, platform=PLATFORM, request=request)
        self.errorcode = errorcode


def php_params(args: dict[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Function arguments as Moodle's PHP-style form pairs.

    ``{"options": [{"name": "limitfrom", "value": 0}]}`` →
    ``[("options[0][name]", "limitfrom"), ("options[0][value]", "0")]``; None is left out,
    booleans become 1/0.
    """
    pairs: list[tuple[str, str]] = []
    for key, value in args.items():
        name = f"{prefix}[{key}]" if prefix else str(key)
        if value is None:
            continue
        if isinstance(value, dict):
            pairs.extend(php_params(value, name))
        elif isinstance(value, list | tuple):
            pairs.extend(php_params(dict(enumerate(value)), name))
        elif isinstance(value, bool):
            pairs.append((name, "1" if value else "0"))
        else:
            pairs.append((name, str(value)))
    return pairs


def _int(value: Any) -> int:
    """Moodle epochs / ids / flags as int (0 when absent or unreadable)."""
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        try:
            return int(float(value))
        except (TypeError, ValueError):
            return 0


def _pick(obj: dict[str, Any], fields: Iterable[str]) -> dict[str, Any]:
    return {f: obj.get(f) for f in fields}


def ws_url(base_url: str) -> str:
    """The REST endpoint from the site root (a full server.php URL is accepted as is)."""
    base = base_url.rstrip("/")
    if base.endswith("/server.php"):
        return base
    return base + WS_PATH


class MoodleClient:
    """Calls Moodle WS functions (from several threads at once: :meth:`fetch` keeps no state)."""

    def __init__(self, conn: ApiConnection, http: HttpClient | None = None):
        if not conn.token:
            raise AuthError("no web service token configured", platform=PLATFORM)
        self.conn = conn
        self.url = ws_url(conn.base_url)
        self.http = http or HttpClient(PLATFORM, conn, secrets=[conn.token])

    def close(self) -> None:
        self.http.close()

    def call(self, function: str, args: dict[str, Any] | None = None) -> Any:
        """The body of one call (see :meth:`fetch`)."""
        return self.fetch(function, args)[0]

    def fetch(self, function: str, args: dict[str, Any] | None = None) -> tuple[Any, RawPage]:
        """Call one function: its body and the page to archive; raise on an exception body.

        The page is unnamed: landing names pages in the pull's order.
        """
        pairs = php_params(args or {})
        source = function + ("?" + urlencode(pairs, safe="[]") if pairs else "")
        data = [
            ("wstoken", self.conn.token or ""),
            ("wsfunction", function),
            ("moodlewsrestformat", "json"),
            *pairs,
        ]
        response = self.http.post_form_json(self.url, data, source=source)
        body = response.data
        if isinstance(body, dict) and "exception" in body:
            errorcode = str(body.get("errorcode") or "")
            message = self.http.redact(str(body.get("message") or ""))
            debug = body.get("debuginfo")
            reason = f"Moodle exception {body.get('exception')} ({errorcode}): {message}"
            if debug:
                reason += f" [{self.http.redact(str(debug))}]"
            if errorcode in AUTH_ERRORCODES:
                raise AuthError(
                    reason + "; check the web service token of the Airflow connection",
                    platform=PLATFORM,
                    request=source,
                )
            raise MoodleException(reason, errorcode=errorcode, request=source)
        if isinstance(body, dict):
            for warning in body.get("warnings") or []:
                log.warning("%s: %s: warning %s", PLATFORM, source, warning)
        return body, RawPage("", response.content, source)


class _Part:
    """Records and pages of one part, by entity, in the order they are added."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.pages: dict[str, list[RawPage]] = {}

    def page(self, entity: str, page: RawPage) -> str:
        self.pages.setdefault(entity, []).append(page)
        return page.source

    def add(self, entity: str, record: dict[str, Any], source: str) -> None:
        record["_source"] = source
        record["_parse_error"] = None
        self.records.setdefault(entity, []).append(record)

    def extracts(self) -> list[EntityExtract]:
        names = [e for e in ENTITIES if e in self.records or e in self.pages]
        return [EntityExtract(e, self.records.get(e, []), self.pages.get(e, [])) for e in names]


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull every academy entity incrementally, whole, in memory (see :func:`pull_parts`)."""
    return collect_parts(pull_parts(conn, watermarks, until), ENTITIES)


def pull_parts(
    conn: ApiConnection,
    watermarks: dict[str, str | None],
    until: datetime,
    state: dict[str, Any] | None = None,
) -> Iterator[PullPart]:
    """Pull every academy entity incrementally (module docstring), one part at a time.

    Parts: ``head`` (categories, courses, customcerts, and the plan: the refresh set, kept in
    the state so a resumed pull refreshes exactly the same courses), then one part per
    ``conn.courses_per_part`` courses of the plan (enrolled users, grades, completions), then
    ``certificates`` (which carries the pull's watermarks). ``state``: the state of the last
    part landed by an earlier try of the same pull; the pull goes on after it.
    """
    until_epoch = int(aware(until).timestamp())
    wm = {e: watermark_epoch(watermarks.get(e)) for e in ENTITIES}
    client = MoodleClient(conn)
    try:
        if state is None:
            head, state = _head(client, wm, until_epoch)
            yield head
        plan: list[dict[str, Any]] = state["plan"]
        size = max(1, conn.courses_per_part)
        while state["next"] < len(plan):
            begin = state["next"]
            chunk = plan[begin : begin + size]
            part, marks, calls = _refresh(client, chunk, wm["completions"], until_epoch)
            state = {**state, "next": begin + len(chunk), "marks": _merge(state["marks"], marks)}
            log.info(
                "%s: courses %d-%d of %d refreshed (%d completion calls)",
                PLATFORM,
                begin + 1,
                begin + len(chunk),
                len(plan),
                calls,
            )
            yield PullPart(f"courses-{begin // size:05d}", part.extracts(), state)
        if not state.get("done"):
            part, marks = _certificates(client, wm["certificates"], until_epoch)
            state = {**state, "done": True, "marks": _merge(state["marks"], marks)}
            final = {
                entity: {
                    "watermark_from": watermarks.get(entity),
                    "watermark_to": _next_watermark(
                        state["marks"].get(entity, 0), wm[entity], watermarks.get(entity)
                    ),
                }
                for entity in ENTITIES
                if entity not in SNAPSHOTS
            }
            yield PullPart("certificates", part.extracts(), state, final)
    finally:
        client.close()


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
    for course, (users, enrol_pages, grades, grades_page) in zip(chunk, snapshots, strict=True):
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
            continue
        eligible = []
        for user, _source in users:
            userid = _int(user.get("id"))
            if wm_completions is None or _access(user) > wm_completions or userid in graded_since:
                eligible.append(userid)
        if eligible:
            wanted.append((courseid, eligible))

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
    access_of = {
        (_int(course.get("id")), _int(user.get("id"))): _access(user)
        for course, (users, *_ignored) in zip(chunk, snapshots, strict=True)
        for user, _source in users
    }
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
    return part, marks, len(wanted) + len(rest)


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


def _certificates(
    client: MoodleClient, wm_certs: int | None, until: int
) -> tuple[_Part, dict[str, int]]:
    """Issues created in (wm, until], paged by offset (one page after another: the plugin pages
    newest-first, so a new issue shifts the offsets; issues are deduplicated by id)."""
    part = _Part()
    marks: dict[str, int] = {}
    limit = max(1, min(MAX_ISSUES_LIMIT, client.conn.page_size))
    offset = 0
    seen_issues: set[Any] = set()
    while True:
        args = {"timecreatedfrom": wm_certs or None, "limit": limit, "offset": offset}
        page_rows, page = client.fetch("mod_customcert_list_issues", args)
        source = part.page("certificates", page)
        page_rows = page_rows or []
        for row in page_rows:
            issue = row.get("issue") or {}
            user = row.get("user") or {}
            template = row.get("template") or {}
            created = _int(issue.get("timecreated"))
            if created > until or (wm_certs is not None and created <= wm_certs):
                continue
            if issue.get("id") in seen_issues:
                continue
            seen_issues.add(issue.get("id"))
            record = {
                "issue_id": issue.get("id"),
                "issue_customcertid": issue.get("customcertid"),
                "issue_code": issue.get("code"),
                "issue_emailed": issue.get("emailed"),
                "issue_timecreated": issue.get("timecreated"),
                "user_id": user.get("id"),
                "user_fullname": user.get("fullname"),
                "user_username": user.get("username"),
                "user_email": user.get("email"),
                "template_id": template.get("id"),
                "template_name": template.get("name"),
            }
            part.add("certificates", record, source)
            _mark(marks, until, "certificates", created)
        if len(page_rows) < limit:
            break
        offset += limit
    return part, marks


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


def _mark(marks: dict[str, int], until: int, entity: str, moment: int) -> None:
    """Keep the newest activity time of an entity within (0, until] (its next watermark)."""
    if 0 < moment <= until and moment > marks.get(entity, 0):
        marks[entity] = moment


def _merge(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    return {e: max(old.get(e, 0), new.get(e, 0)) for e in {*old, *new}}


def _oldest(wm: dict[str, int | None], entities: Iterable[str]) -> int | None:
    values = [wm[e] for e in entities]
    if any(v is None for v in values):
        return None
    return min(v for v in values if v is not None)


def _next_watermark(best: int, previous: int | None, previous_text: str | None) -> str | None:
    """The newest activity time seen (0: none), or the previous watermark if not newer."""
    if not best or (previous is not None and best <= previous):
        return previous_text
    return str(best)
