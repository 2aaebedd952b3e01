"""ITU Academy sandbox: Moodle 4.x Web Services REST (``/webservice/rest/server.php``).

Behaves as Moodle's REST server does: ``wstoken`` / ``wsfunction`` / ``moodlewsrestformat``
(``json``; the Moodle default ``xml`` is served too) from the query string and the form-encoded
POST body (POST wins), function arguments as PHP-style arrays, strict argument validation
(missing, mistyped or unexpected keys raise ``invalidparameter``), and every error as HTTP 200
with an ``{"exception", "errorcode", "message"}`` body (the protocol's parts:
:mod:`sandbox.servers.moodle_protocol`).
"""

from __future__ import annotations

import bisect
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from sandbox.servers.base import Request, Response, ServerContext, html_error, load_json
from sandbox.servers.moodle_protocol import (
    INVALID_TOKEN,
    NOT_IN_SERVICE,
    REQUIRED,
    Args,
    MoodleError,
    exception_xml,
    invalid_parameter,
    missing_record,
    parse_php_args,
    struct,
    to_int,
    to_xml,
)

WS_PATH = "/webservice/rest/server.php"

# --------------------------------------------------------------------------- the app


class MoodleApp:
    platform = "academy"

    def __init__(self, data_dir: Path, credentials: dict[str, Any], context: ServerContext):
        self.context = context
        self.token = str(credentials.get("token", ""))
        root = data_dir / "academy"
        self.categories: list[dict[str, Any]] = load_json(root / "categories.json", [])
        self.courses: list[dict[str, Any]] = load_json(root / "courses.json", [])
        self.courses_by_id = {int(c["id"]): c for c in self.courses}
        self.enrolments: dict[int, list[dict[str, Any]]] = {
            int(k): v for k, v in load_json(root / "enrolments.json", {}).items()
        }
        self.grades: dict[int, list[dict[str, Any]]] = {
            int(k): v for k, v in load_json(root / "grades.json", {}).items()
        }
        self.completions: dict[int, dict[int, dict[str, Any]]] = {
            int(c): {int(u): s for u, s in users.items()}
            for c, users in load_json(root / "completions.json", {}).items()
        }
        self.customcerts: list[dict[str, Any]] = load_json(root / "customcerts.json", [])
        issues = load_json(root / "certificate_issues.json", [])
        self.issues = sorted(
            issues, key=lambda r: (int(r["issue"]["timecreated"]), int(r["issue"]["id"]))
        )
        self.issue_times = [int(r["issue"]["timecreated"]) for r in self.issues]
        self.functions: dict[str, Callable[[Args], Any]] = {
            "core_webservice_get_site_info": self.get_site_info,
            "core_course_get_categories": self.get_categories,
            "core_course_get_courses_by_field": self.get_courses_by_field,
            "core_enrol_get_enrolled_users": self.get_enrolled_users,
            "gradereport_user_get_grade_items": self.get_grade_items,
            "core_completion_get_course_completion_status": self.get_completion_status,
            "mod_customcert_get_customcerts_by_courses": self.get_customcerts_by_courses,
            "mod_customcert_list_issues": self.list_issues,
        }

    def endpoint(self, base_url: str) -> str:
        return base_url + WS_PATH

    # -- HTTP -----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        if request.path != WS_PATH:
            return html_error(404)
        pairs = parse_qsl(request.query, keep_blank_values=True)
        ctype = (request.header("content-type") or "").lower()
        if request.method == "POST" and request.body and "multipart/" not in ctype:
            pairs += parse_qsl(request.body.decode("utf-8", "replace"), keep_blank_values=True)
        params: dict[str, str] = {}
        args_pairs: list[tuple[str, str]] = []
        for key, value in pairs:
            if key in ("wstoken", "wsfunction", "moodlewsrestformat"):
                params[key] = value
            else:
                args_pairs.append((key, value))
        fmt = params.get("moodlewsrestformat", "xml")
        try:
            result = self.call(params.get("wstoken", ""), params.get("wsfunction", ""), args_pairs)
        except MoodleError as err:
            return self.render_error(err.body, fmt)
        return self.render(result, fmt)

    def call(self, token: str, function: str, pairs: list[tuple[str, str]]) -> Any:
        if self.context.faults.reject_auth or not token or token.strip() != self.token:
            raise INVALID_TOKEN
        if function not in self.functions:
            if function in NOT_IN_SERVICE:
                raise MoodleError(
                    "webservice_access_exception",
                    "accessexception",
                    "Access control exception",
                    f"Access to the function {function}() is not allowed. There could be "
                    "multiple reasons for this: 1. The service linked to the user token does not "
                    "contain the function. 2. The service is user-restricted and the user is not "
                    "listed. 3. The service is IP-restricted and the user IP is not listed. 4. The "
                    "service is "
                    "time-restricted and the time has expired. 5. The token is time-restricted and "
                    "the time has expired. 6. The user does not have one or more capabilities "
                    "required to call the function.",
                )
            raise missing_record("external_functions")
        args = Args(parse_php_args(pairs))
        result = self.functions[function](args)
        return result

    @staticmethod
    def render(result: Any, fmt: str) -> Response:
        if fmt == "json":
            body = json.dumps(result, ensure_ascii=False, separators=(",", ":"))
            return Response(200, body.encode("utf-8"), "application/json; charset=utf-8")
        return Response(200, to_xml(result).encode("utf-8"), "application/xml; charset=utf-8")

    @staticmethod
    def render_error(body: dict[str, Any], fmt: str) -> Response:
        if fmt == "json":
            text = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
            return Response(200, text.encode("utf-8"), "application/json; charset=utf-8")
        return Response(200, exception_xml(body).encode("utf-8"), "application/xml; charset=utf-8")

    # -- helpers --------------------------------------------------------------------------
    def _course(self, courseid: int) -> dict[str, Any]:
        course = self.courses_by_id.get(courseid)
        if course is None:
            raise missing_record("course")
        return course

    # -- functions ------------------------------------------------------------------------
    def get_site_info(self, args: Args) -> dict[str, Any]:
        args.list("serviceshortnames", lambda v, w: v, default=[])
        args.done()
        base = self.context.base_url
        return {
            "sitename": "ITU Academy (sandbox)",
            "username": "ws_capdev",
            "firstname": "CapDev",
            "lastname": "Pipeline",
            "fullname": "CapDev Pipeline",
            "lang": "en",
            "userid": 2,
            "siteurl": base,
            "userpictureurl": f"{base}/theme/image.php/boost/core/1/u/f1",
            "functions": [{"name": name, "version": "2023100900"} for name in self.functions],
            "downloadfiles": 1,
            "uploadfiles": 0,
            "release": "4.3.4+ (Build: 20240426)",
            "version": "2023100904.05",
            "mobilecssurl": "",
            "advancedfeatures": [{"name": "enablecompletion", "value": 1}],
            "usercanmanageownfiles": False,
            "userquota": 0,
            "usermaxuploadfilesize": -1,
            "userhomepage": 1,
            "siteid": 1,
            "sitecalendartype": "gregorian",
            "usercalendartype": "gregorian",
            "theme": "boost",
        }

    def get_categories(self, args: Args) -> list[dict[str, Any]]:
        criteria = args.list("criteria", struct({"key": REQUIRED, "value": REQUIRED}), default=[])
        addsub = args.bool("addsubcategories", default=True)
        args.done()
        result = list(self.categories)
        for criterion in criteria:
            key, value = criterion["key"], criterion["value"]
            if key in ("id", "parent", "visible"):
                wanted = to_int(value, f"criteria => {key}")
                if key == "id":
                    matched = [c for c in result if int(c["id"]) == wanted]
                    if addsub:
                        matched += [
                            c
                            for c in result
                            if f"/{wanted}/" in f"{c.get('path', '')}/" and int(c["id"]) != wanted
                        ]
                    result = matched
                else:
                    result = [c for c in result if int(c.get(key, 1)) == wanted]
            elif key == "ids":
                wanted_ids = {to_int(v, "criteria => ids") for v in str(value).split(",") if v}
                result = [c for c in result if int(c["id"]) in wanted_ids]
            elif key in ("name", "idnumber", "theme"):
                result = [c for c in result if str(c.get(key, "")) == value]
            else:
                raise invalid_parameter(
                    f"The search key '{key}' is not supported, look at the web service "
                    "documentation"
                )
        return result

    def get_courses_by_field(self, args: Args) -> dict[str, Any]:
        fieldname = args.str("field", default="")
        value = args.str("value", default="")
        args.done()
        if not fieldname:
            courses = list(self.courses)
        elif fieldname == "id":
            courses = [c for c in self.courses if int(c["id"]) == to_int(value, "value")]
        elif fieldname == "ids":
            ids = {to_int(v, "value") for v in value.split(",") if v.strip()}
            courses = [c for c in self.courses if int(c["id"]) in ids]
        elif fieldname in ("shortname", "idnumber"):
            courses = [c for c in self.courses if str(c.get(fieldname, "")) == value]
        elif fieldname == "category":
            courses = [
                c for c in self.courses if int(c.get("categoryid", 0)) == to_int(value, "value")
            ]
        else:
            raise invalid_parameter("Invalid field name")
        return {"courses": courses, "warnings": []}

    def get_enrolled_users(self, args: Args) -> list[dict[str, Any]]:
        courseid = args.int("courseid")
        options = args.list("options", struct({"name": REQUIRED, "value": REQUIRED}), default=[])
        args.done()
        if courseid not in self.courses_by_id:
            raise MoodleError(
                "moodle_exception",
                "errorcoursecontextnotvalid",
                f"You cannot execute functions in the course context (course id:{courseid}). The "
                "context error message was: Can't find data record in database table context.",
            )
        limitfrom, limitnumber = 0, 0
        sortby, descending = "id", False
        userfields: set[str] | None = None
        for option in options:
            name, value = option["name"], option["value"]
            if name == "limitfrom":
                limitfrom = max(0, to_int(value, "limitfrom"))
            elif name == "limitnumber":
                limitnumber = max(0, to_int(value, "limitnumber"))
            elif name == "sortby":
                if value not in ("id", "firstname", "lastname", "siteorder"):
                    raise invalid_parameter("Invalid sort parameter")
                sortby = "id" if value == "siteorder" else value
            elif name == "sortdirection":
                if value.upper() not in ("ASC", "DESC"):
                    raise invalid_parameter("Invalid sort direction parameter")
                descending = value.upper() == "DESC"
            elif name == "userfields":
                userfields = {f.strip() for f in value.split(",") if f.strip()} | {"id"}
            # withcapability, groupid, onlyactive, onlysuspended: accepted, no effect here
        users = sorted(
            self.enrolments.get(courseid, []),
            key=lambda u: (u.get(sortby) or 0) if sortby == "id" else str(u.get(sortby) or ""),
            reverse=descending,
        )
        users = users[limitfrom : limitfrom + limitnumber] if limitnumber else users[limitfrom:]
        if userfields is not None:
            users = [{k: v for k, v in u.items() if k in userfields} for u in users]
        return users

    def get_grade_items(self, args: Args) -> dict[str, Any]:
        courseid = args.int("courseid")
        userid = args.int("userid", default=0)
        args.int("groupid", default=0)
        args.done()
        self._course(courseid)
        usergrades = self.grades.get(courseid, [])
        if userid:
            usergrades = [g for g in usergrades if int(g.get("userid", 0)) == userid]
        return {"usergrades": usergrades, "warnings": []}

    def get_completion_status(self, args: Args) -> dict[str, Any]:
        courseid = args.int("courseid")
        userid = args.int("userid")
        args.done()
        self._course(courseid)
        course_statuses = self.completions.get(courseid)
        if course_statuses is None:
            raise MoodleError(
                "moodle_exception", "nocriteriaset", "No completion criteria set for this course"
            )
        status = course_statuses.get(userid)
        if status is None:
            enrolled = any(
                int(u.get("id", -1)) == userid for u in self.enrolments.get(courseid, [])
            )
            if not enrolled:
                raise MoodleError(
                    "moodle_exception",
                    "nottracked",
                    "You are currently not being tracked by completion in this course",
                )
            status = self._blank_status(course_statuses)
        return {"completionstatus": status, "warnings": []}

    @staticmethod
    def _blank_status(course_statuses: dict[int, dict[str, Any]]) -> dict[str, Any]:
        """An enrolled user with no recorded progress: the course's criteria, none complete."""
        template = next(iter(course_statuses.values()), {"aggregation": 1, "completions": []})
        completions = [
            {**c, "status": "Not yet complete", "complete": False, "timecompleted": None}
            for c in template.get("completions", [])
        ]
        return {
            "completed": False,
            "aggregation": template.get("aggregation", 1),
            "completions": completions,
        }

    def get_customcerts_by_courses(self, args: Args) -> dict[str, Any]:
        courseids = args.list("courseids", to_int, default=[])
        args.done()
        if not courseids:
            return {"customcerts": list(self.customcerts), "warnings": []}
        warnings = []
        wanted = set()
        for cid in dict.fromkeys(courseids):
            if cid in self.courses_by_id:
                wanted.add(cid)
            else:
                warnings.append(
                    {
                        "item": "course",
                        "itemid": cid,
                        "warningcode": "1",
                        "message": "No access rights in course context",
                    }
                )
        certs = [c for c in self.customcerts if int(c.get("course", 0)) in wanted]
        return {"customcerts": certs, "warnings": warnings}

    def list_issues(self, args: Args) -> list[dict[str, Any]]:
        timecreatedfrom = args.int("timecreatedfrom", default=None)
        userid = args.int("userid", default=None)
        customcertid = args.int("customcertid", default=None)
        args.bool("includepdf", default=False)
        limit = args.int("limit", default=100)
        offset = args.int("offset", default=0)
        args.done()
        limit = max(1, min(500, limit))  # as the plugin does: clamped, not refused
        offset = max(0, offset)
        start = bisect.bisect_left(self.issue_times, timecreatedfrom) if timecreatedfrom else 0
        rows = self.issues[start:]
        if userid:
            rows = [r for r in rows if int(r["user"]["id"]) == userid]
        if customcertid:
            rows = [r for r in rows if int(r["issue"]["customcertid"]) == customcertid]
        return rows[offset : offset + limit]


def make_app(data_dir: Path, credentials: dict[str, Any]) -> Callable[[ServerContext], MoodleApp]:
    return lambda context: MoodleApp(data_dir, credentials, context)
