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

``watermark_to`` comes from the data pulled, capped at ``U``: max ``timemodified`` of the
landed courses, max ``timecreated`` of the landed issues; for the snapshot entities the latest
activity timestamp seen (user access, grading, completion); the previous watermark when nothing
newer was seen.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    EntityExtract,
    PlatformError,
    RawPage,
    aware,
    page_name,
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
    """Calls Moodle WS functions and collects the raw pages per entity."""

    def __init__(self, conn: ApiConnection, http: HttpClient | None = None):
        if not conn.token:
            raise AuthError("no web service token configured", platform=PLATFORM)
        self.conn = conn
        self.url = ws_url(conn.base_url)
        self.http = http or HttpClient(PLATFORM, conn, secrets=[conn.token])
        self.pages: dict[str, list[RawPage]] = {e: [] for e in ENTITIES}
        self.calls = 0

    def close(self) -> None:
        self.http.close()

    def call(self, entity: str, function: str, args: dict[str, Any] | None = None) -> Any:
        """Call one function; archive its body under ``entity``; raise on an exception body."""
        pairs = php_params(args or {})
        source = function + ("?" + urlencode(pairs, safe="[]") if pairs else "")
        data = [
            ("wstoken", self.conn.token or ""),
            ("wsfunction", function),
            ("moodlewsrestformat", "json"),
            *pairs,
        ]
        self.calls += 1
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
        pages = self.pages[entity]
        pages.append(RawPage(page_name(len(pages) + 1), response.content, source))
        return body


def pull(
    conn: ApiConnection, watermarks: dict[str, str | None], until: datetime
) -> list[EntityExtract]:
    """Pull every academy entity incrementally (see the module docstring for the rules)."""
    until_epoch = int(aware(until).timestamp())
    wm = {e: watermark_epoch(watermarks.get(e)) for e in ENTITIES}
    client = MoodleClient(conn)
    try:
        return _pull(client, wm, watermarks, until_epoch)
    finally:
        client.close()


def _pull(
    client: MoodleClient,
    wm: dict[str, int | None],
    watermarks: dict[str, str | None],
    until: int,
) -> list[EntityExtract]:
    records: dict[str, list[dict[str, Any]]] = {e: [] for e in ENTITIES}
    marks: dict[str, list[int]] = {e: [] for e in ENTITIES}

    def add(entity: str, record: dict[str, Any], source: str) -> None:
        record["_source"] = source
        records[entity].append(record)

    def last_source(entity: str) -> str:
        return client.pages[entity][-1].source

    # -- categories: full list -----------------------------------------------------------------
    for cat in client.call("categories", "core_course_get_categories") or []:
        add("categories", _pick(cat, CATEGORY_FIELDS), last_source("categories"))

    # -- courses: full list, land the ones modified in (wm, until] ------------------------------
    body = client.call("courses", "core_course_get_courses_by_field")
    all_courses: list[dict[str, Any]] = list((body or {}).get("courses") or [])
    wm_courses = wm["courses"]
    for course in all_courses:
        modified = _int(course.get("timemodified"))
        if modified > until or (wm_courses is not None and modified <= wm_courses):
            continue
        record = _pick(course, COURSE_FIELDS)
        record["customfields"] = to_json_text(course.get("customfields"))
        add("courses", record, last_source("courses"))
        marks["courses"].append(modified)

    # -- the refresh set for per-course snapshots -------------------------------------------------
    refresh = refresh_courses(all_courses, _oldest(wm, ("enrolled_users", "grades", "completions")))
    log.info(
        "%s: %d courses listed, %d landed, %d to refresh (enrolments, grades, completions)",
        PLATFORM,
        len(all_courses),
        len(records["courses"]),
        len(refresh),
    )
    wm_completions = wm["completions"]
    completion_calls = 0
    progress_step = max(1, len(refresh) // 10)  # a first load can take a while: say how far
    for done, course in enumerate(refresh):
        if done and done % progress_step == 0:
            log.info(
                "%s: %d/%d courses refreshed, %d completion calls so far",
                PLATFORM,
                done,
                len(refresh),
                completion_calls,
            )
        courseid = _int(course.get("id"))
        users = _enrolled_users(client, courseid)
        for user, source in users:
            record = {"courseid": courseid, **_pick(user, USER_FIELDS)}
            record["customfields"] = to_json_text(user.get("customfields"))
            record["roles"] = to_json_text(user.get("roles"))
            add("enrolled_users", record, source)
            marks["enrolled_users"] += [
                _int(user.get("lastcourseaccess")),
                _int(user.get("lastaccess")),
                _int(user.get("firstaccess")),
            ]
        marks["enrolled_users"].append(_int(course.get("timemodified")))

        body = client.call(
            "grades", "gradereport_user_get_grade_items", {"courseid": courseid, "userid": 0}
        )
        graded_since: set[int] = set()
        for usergrade in (body or {}).get("usergrades") or []:
            userid = usergrade.get("userid")
            for item in usergrade.get("gradeitems") or []:
                record = {
                    "courseid": usergrade.get("courseid", courseid),
                    "userid": userid,
                    "userfullname": usergrade.get("userfullname"),
                    "itemid": item.get("id"),
                    **_pick(item, GRADEITEM_FIELDS),
                }
                add("grades", record, last_source("grades"))
                graded = _int(item.get("gradedategraded"))
                marks["grades"].append(graded)
                if wm_completions is None or graded > wm_completions:
                    graded_since.add(_int(userid))
        marks["grades"].append(_int(course.get("timemodified")))

        if _int(course.get("enablecompletion")) != 1:
            continue
        for user, _source in users:
            userid = _int(user.get("id"))
            access = _int(user.get("lastcourseaccess")) or _int(user.get("lastaccess"))
            if not (wm_completions is None or access > wm_completions or userid in graded_since):
                continue
            args = {"courseid": courseid, "userid": userid}
            completion_calls += 1
            try:
                body = client.call(
                    "completions", "core_completion_get_course_completion_status", args
                )
            except MoodleException as exc:
                if exc.errorcode == "nocriteriaset":
                    log.info("%s: course %s has no completion criteria", PLATFORM, courseid)
                    break  # a course-level condition: no completion data for this course
                raise
            status = (body or {}).get("completionstatus") or {}
            record = {
                "courseid": courseid,
                "userid": userid,
                "completed": status.get("completed"),
                "aggregation": status.get("aggregation"),
                "completions": to_json_text(status.get("completions")),
            }
            add("completions", record, last_source("completions"))
            marks["completions"].append(access)
            marks["completions"] += [
                _int(c.get("timecompleted")) for c in status.get("completions") or []
            ]
    log.info(
        "%s: %d enrolments, %d grade rows, %d completion calls",
        PLATFORM,
        len(records["enrolled_users"]),
        len(records["grades"]),
        completion_calls,
    )

    # -- customcerts: full list for every course ------------------------------------------------
    course_ids = [_int(c.get("id")) for c in all_courses if not is_site_course(c)]
    seen_certs: set[Any] = set()
    for start in range(0, len(course_ids), CUSTOMCERT_COURSE_CHUNK):
        chunk = course_ids[start : start + CUSTOMCERT_COURSE_CHUNK]
        body = client.call(
            "customcerts", "mod_customcert_get_customcerts_by_courses", {"courseids": chunk}
        )
        for cert in (body or {}).get("customcerts") or []:
            if cert.get("id") in seen_certs:
                continue
            seen_certs.add(cert.get("id"))
            add("customcerts", _pick(cert, CUSTOMCERT_FIELDS), last_source("customcerts"))

    # -- certificates: issues created in (wm, until] --------------------------------------------
    wm_certs = wm["certificates"]
    limit = max(1, min(MAX_ISSUES_LIMIT, client.conn.page_size))
    offset = 0
    seen_issues: set[Any] = set()
    while True:
        args = {"timecreatedfrom": wm_certs or None, "limit": limit, "offset": offset}
        page = client.call("certificates", "mod_customcert_list_issues", args) or []
        for row in page:
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
            add("certificates", record, last_source("certificates"))
            marks["certificates"].append(created)
        if len(page) < limit:
            break
        offset += limit

    extracts = []
    for entity in ENTITIES:
        rows = records[entity]
        for number, record in enumerate(rows, start=1):
            record["_row_number"] = number
            record["_parse_error"] = None
        snapshot = entity in ("categories", "customcerts")
        extracts.append(
            EntityExtract(
                entity=entity,
                records=rows,
                pages=client.pages[entity],
                watermark_from=None if snapshot else watermarks.get(entity),
                watermark_to=None
                if snapshot
                else _next_watermark(marks[entity], wm[entity], watermarks.get(entity), until),
            )
        )
        log.info(
            "%s: %s: %d records from %d pages",
            PLATFORM,
            entity,
            len(rows),
            len(client.pages[entity]),
        )
    return extracts


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


def _enrolled_users(client: MoodleClient, courseid: int) -> list[tuple[dict[str, Any], str]]:
    """All enrolled users of a course, paged with limitfrom/limitnumber until a short page."""
    size = max(1, client.conn.page_size)
    out: list[tuple[dict[str, Any], str]] = []
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
        page = client.call("enrolled_users", "core_enrol_get_enrolled_users", args) or []
        source = client.pages["enrolled_users"][-1].source
        for user in page:
            if user.get("id") in seen:
                continue
            seen.add(user.get("id"))
            out.append((user, source))
        if len(page) < size:
            return out
        start += size


def _oldest(wm: dict[str, int | None], entities: Iterable[str]) -> int | None:
    values = [wm[e] for e in entities]
    if any(v is None for v in values):
        return None
    return min(v for v in values if v is not None)


def _next_watermark(
    seen: list[int], previous: int | None, previous_text: str | None, until: int
) -> str | None:
    candidates = [t for t in seen if 0 < t <= until]
    if not candidates:
        return previous_text
    best = max(candidates)
    if previous is not None and best <= previous:
        return previous_text
    return str(best)
