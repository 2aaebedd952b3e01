"""The sandbox servers speak the platforms' protocols (platforms.md), tested over real HTTP."""

from __future__ import annotations

import time

import httpx
import pytest

from sandbox.servers import FaultConfig, start_server
from sandbox.servers.fixtures import CREDENTIALS, statement_id

TOKEN = CREDENTIALS["academy"]["token"]
TSB_AUTH = {"Authorization": f"Bearer {CREDENTIALS['tsb_events']['token']}"}
LRS_AUTH = (CREDENTIALS["gs_lrs"]["username"], CREDENTIALS["gs_lrs"]["password"])
XAPI = {"X-Experience-API-Version": "1.0.3"}


# --------------------------------------------------------------------------- Moodle


def ws(srv, function: str, method: str = "GET", token: str | None = TOKEN, **args):
    params = {"wsfunction": function, "moodlewsrestformat": "json", **args}
    if token is not None:
        params["wstoken"] = token
    if method == "POST":
        response = httpx.post(srv.endpoint, data=params)
    else:
        response = httpx.get(srv.endpoint, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def options(**values) -> dict[str, str]:
    out = {}
    for i, (name, value) in enumerate(values.items()):
        out[f"options[{i}][name]"] = name
        out[f"options[{i}][value]"] = str(value)
    return out


def test_moodle_endpoint_and_credentials(academy_srv):
    assert academy_srv.endpoint == academy_srv.url + "/webservice/rest/server.php"
    assert academy_srv.credentials == {"token": TOKEN}
    assert academy_srv.url.startswith("http://127.0.0.1:")


@pytest.mark.parametrize("token", [None, "", "wrong-token"])
def test_moodle_bad_token_is_an_exception_with_http_200(academy_srv, token):
    body = ws(academy_srv, "core_course_get_courses_by_field", token=token)
    assert body == {
        "exception": "moodle_exception",
        "errorcode": "invalidtoken",
        "message": "Invalid token - token not found",
    }


def test_moodle_unknown_and_disallowed_functions(academy_srv):
    body = ws(academy_srv, "core_does_not_exist")
    assert body["errorcode"] == "invalidrecord"
    assert body["exception"] == "dml_missing_record_exception"
    body = ws(academy_srv, "core_user_get_users")
    assert body["errorcode"] == "accessexception"
    assert body["exception"] == "webservice_access_exception"


def test_moodle_parameter_validation(academy_srv):
    missing = ws(academy_srv, "core_enrol_get_enrolled_users")
    assert missing["errorcode"] == "invalidparameter"
    assert "Missing required key in single structure: courseid" in missing["debuginfo"]
    mistyped = ws(academy_srv, "core_enrol_get_enrolled_users", courseid="two")
    assert mistyped["errorcode"] == "invalidparameter"
    unexpected = ws(academy_srv, "core_course_get_categories", foo="1")
    assert unexpected["errorcode"] == "invalidparameter"
    assert "Unexpected keys (foo)" in unexpected["debuginfo"]
    scalar_for_array = ws(academy_srv, "mod_customcert_get_customcerts_by_courses", courseids="2")
    assert scalar_for_array["errorcode"] == "invalidparameter"


def test_moodle_completion_status_and_nocriteriaset(academy_srv):
    none = ws(academy_srv, "core_completion_get_course_completion_status", courseid=3, userid=101)
    assert none["errorcode"] == "nocriteriaset"
    assert none["exception"] == "moodle_exception"
    done = ws(academy_srv, "core_completion_get_course_completion_status", courseid=2, userid=101)
    assert done["completionstatus"]["completed"] is True
    assert done["warnings"] == []
    blank = ws(academy_srv, "core_completion_get_course_completion_status", courseid=2, userid=105)
    assert blank["completionstatus"]["completed"] is False
    assert all(not c["complete"] for c in blank["completionstatus"]["completions"])
    stranger = ws(
        academy_srv, "core_completion_get_course_completion_status", courseid=2, userid=999
    )
    assert stranger["errorcode"] == "nottracked"
    no_course = ws(
        academy_srv, "core_completion_get_course_completion_status", courseid=99, userid=101
    )
    assert no_course["errorcode"] == "invalidrecord"


def test_moodle_courses_include_the_site_course(academy_srv):
    body = ws(academy_srv, "core_course_get_courses_by_field")
    assert set(body) == {"courses", "warnings"}
    ids = [c["id"] for c in body["courses"]]
    assert ids == [1, 2, 3, 4]
    assert body["courses"][0]["format"] == "site"
    assert 'lang="fr"' in body["courses"][1]["fullname"]
    one = ws(academy_srv, "core_course_get_courses_by_field", field="id", value="3")
    assert [c["id"] for c in one["courses"]] == [3]
    bad = ws(academy_srv, "core_course_get_courses_by_field", field="colour", value="red")
    assert bad["errorcode"] == "invalidparameter"


def test_moodle_categories_with_criteria(academy_srv):
    everything = ws(academy_srv, "core_course_get_categories")
    assert [c["path"] for c in everything] == ["/1", "/1/2", "/1/3", "/1/2/4"]
    subtree = ws(
        academy_srv,
        "core_course_get_categories",
        **{"criteria[0][key]": "id", "criteria[0][value]": "2"},
    )
    assert sorted(c["id"] for c in subtree) == [2, 4]


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_moodle_enrolled_users_paging_until_short_page(academy_srv, method):
    pages, offset = [], 0
    while True:
        page = ws(
            academy_srv,
            "core_enrol_get_enrolled_users",
            method=method,
            courseid=2,
            **options(limitfrom=offset, limitnumber=3),
        )
        assert isinstance(page, list)
        pages.append([u["id"] for u in page])
        offset += len(page)
        if len(page) < 3:
            break
    assert pages == [[101, 102, 103], [104, 105, 106], [107]]
    everyone = ws(
        academy_srv, "core_enrol_get_enrolled_users", courseid=2, **options(limitnumber=0)
    )
    assert len(everyone) == 7
    assert {"id", "email", "country", "customfields", "roles", "lastcourseaccess"} <= set(
        everyone[0]
    )
    assert ws(academy_srv, "core_enrol_get_enrolled_users", courseid=4) == []
    unknown = ws(academy_srv, "core_enrol_get_enrolled_users", courseid=99)
    assert unknown["errorcode"] == "errorcoursecontextnotvalid"


def test_moodle_php_arrays_in_query_and_post_body(academy_srv):
    get = ws(
        academy_srv,
        "mod_customcert_get_customcerts_by_courses",
        **{"courseids[0]": "2", "courseids[1]": "77"},
    )
    post = ws(
        academy_srv,
        "mod_customcert_get_customcerts_by_courses",
        method="POST",
        **{"courseids[0]": "2", "courseids[1]": "77"},
    )
    assert get == post
    assert [c["course"] for c in get["customcerts"]] == [2]
    assert [w["itemid"] for w in get["warnings"]] == [77]
    everything = ws(academy_srv, "mod_customcert_get_customcerts_by_courses")
    assert len(everything["customcerts"]) == 1 and everything["warnings"] == []
    # token and function in the query string, arguments in the POST body
    response = httpx.post(
        academy_srv.endpoint,
        params={
            "wstoken": TOKEN,
            "wsfunction": "core_enrol_get_enrolled_users",
            "moodlewsrestformat": "json",
        },
        data={"courseid": "3", "options[0][name]": "limitnumber", "options[0][value]": "1"},
    )
    assert [u["id"] for u in response.json()] == [101]


def test_moodle_grade_items(academy_srv):
    body = ws(academy_srv, "gradereport_user_get_grade_items", courseid=2)
    assert set(body) == {"usergrades", "warnings"}
    assert [g["userid"] for g in body["usergrades"]] == [101, 102, 103]
    assert any(i["itemtype"] == "course" for i in body["usergrades"][0]["gradeitems"])
    one = ws(academy_srv, "gradereport_user_get_grade_items", courseid=2, userid=102)
    assert [g["userid"] for g in one["usergrades"]] == [102]


def test_moodle_certificate_issues(academy_srv):
    issues = ws(academy_srv, "mod_customcert_list_issues", limit=500, offset=0)
    keys = [(r["issue"]["timecreated"], r["issue"]["id"]) for r in issues]
    assert keys == sorted(keys) and len(keys) == 5
    since = ws(
        academy_srv, "mod_customcert_list_issues", timecreatedfrom=issues[1]["issue"]["timecreated"]
    )
    assert [r["issue"]["id"] for r in since] == [201, 202, 203, 204]  # inclusive
    page = ws(academy_srv, "mod_customcert_list_issues", limit=2, offset=2)
    assert [r["issue"]["id"] for r in page] == [202, 203]
    clamped = ws(academy_srv, "mod_customcert_list_issues", limit=100000)
    assert len(clamped) == 5
    assert set(issues[0]) == {"issue", "user", "template"}


def test_moodle_xml_is_the_default_format(academy_srv):
    response = httpx.get(academy_srv.endpoint, params={"wstoken": "nope", "wsfunction": "x"})
    assert response.status_code == 200
    assert "<ERRORCODE>invalidtoken</ERRORCODE>" in response.text
    response = httpx.get(
        academy_srv.endpoint, params={"wstoken": TOKEN, "wsfunction": "core_course_get_categories"}
    )
    assert (
        response.text.startswith("<?xml")
        and '<KEY name="path"><VALUE>/1/2/4</VALUE>' in response.text
    )


def test_moodle_site_info(academy_srv):
    info = ws(academy_srv, "core_webservice_get_site_info")
    assert info["siteurl"] == academy_srv.url
    assert "mod_customcert_list_issues" in {f["name"] for f in info["functions"]}


# --------------------------------------------------------------------------- TSB events API


def tsb_pages(srv, path: str, **params) -> list[dict]:
    pages = []
    cursor = None
    while True:
        query = dict(params, **({"cursor": cursor} if cursor else {}))
        response = httpx.get(srv.url + path, params=query, headers=TSB_AUTH)
        assert response.status_code == 200, response.text
        body = response.json()
        assert set(body) == {"data", "next_cursor"}
        pages.append(body["data"])
        cursor = body["next_cursor"]
        if cursor is None:
            return pages


def test_tsb_cursor_paging_in_updated_at_order(tsb_srv):
    pages = tsb_pages(tsb_srv, "/api/v1/events", page_size=2)
    assert [len(p) for p in pages] == [2, 2, 1]
    ids = [e["event_id"] for page in pages for e in page]
    # 10:00Z twice (tie broken by event_id; one written -05:00), 10:30Z (+02:00), 2 March, 5 March
    assert ids == [
        "TSB-2024-WS-001",
        "TSB-2024-WS-004",
        "TSB-2024-TU-002",
        "TSB-2024-WB-003",
        "TSB-2024-FO-005",
    ]


def test_tsb_updated_since_is_inclusive_and_offset_aware(tsb_srv):
    # 12:00+02:00 is 10:00Z: both 10:00Z events are included
    pages = tsb_pages(
        tsb_srv, "/api/v1/events", updated_since="2024-03-01T12:00:00+02:00", page_size=10
    )
    assert [e["event_id"][-6:] for e in pages[0]] == [
        "WS-001",
        "WS-004",
        "TU-002",
        "WB-003",
        "FO-005",
    ]
    later = tsb_pages(tsb_srv, "/api/v1/events", updated_since="2024-03-01T10:00:00.001Z")
    assert [e["event_id"] for e in later[0]] == [
        "TSB-2024-TU-002",
        "TSB-2024-WB-003",
        "TSB-2024-FO-005",
    ]
    bad = httpx.get(
        tsb_srv.url + "/api/v1/events", params={"updated_since": "yesterday"}, headers=TSB_AUTH
    )
    assert bad.status_code == 400 and bad.json()["error"] == "invalid_parameter"


def test_tsb_registrations(tsb_srv):
    pages = tsb_pages(tsb_srv, "/api/v1/events/TSB-2024-WS-001/registrations", page_size=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    regs = [r for p in pages for r in p]
    assert len({r["registration_id"] for r in regs}) == 7
    assert {"person", "gender", "attended", "attendance_days", "registered_at"} <= set(regs[0])
    empty = tsb_pages(tsb_srv, "/api/v1/events/TSB-2024-WB-003/registrations")
    assert empty == [[]]
    missing = httpx.get(tsb_srv.url + "/api/v1/events/NOPE/registrations", headers=TSB_AUTH)
    assert missing.status_code == 404


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic abc"}]
)
def test_tsb_bad_token_is_401_json(tsb_srv, headers):
    response = httpx.get(tsb_srv.url + "/api/v1/events", headers=headers)
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_token"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_tsb_cursor_expires_after_ttl_and_bad_cursor_is_400(sample_tree):
    with start_server("tsb_events", sample_tree, faults=FaultConfig(cursor_ttl_seconds=0.2)) as srv:
        first = httpx.get(
            srv.url + "/api/v1/events", params={"page_size": 2}, headers=TSB_AUTH
        ).json()
        fresh = httpx.get(
            srv.url + "/api/v1/events", params={"cursor": first["next_cursor"]}, headers=TSB_AUTH
        )
        assert fresh.status_code == 200
        time.sleep(0.3)
        stale = httpx.get(
            srv.url + "/api/v1/events", params={"cursor": first["next_cursor"]}, headers=TSB_AUTH
        )
        assert stale.status_code == 410
        assert stale.json()["error"] == "cursor_expired"
        garbage = httpx.get(
            srv.url + "/api/v1/events", params={"cursor": "not-a-cursor"}, headers=TSB_AUTH
        )
        assert garbage.status_code == 400
    # a cursor from another server run is expired, not honoured
    with start_server("tsb_events", sample_tree) as other:
        foreign = httpx.get(
            other.url + "/api/v1/events", params={"cursor": first["next_cursor"]}, headers=TSB_AUTH
        )
        assert foreign.status_code == 410


def test_tsb_rate_limited_with_retry_after(sample_tree):
    faults = FaultConfig(rate_limit_rate=1.0, retry_after_seconds=1)
    with start_server("tsb_events", sample_tree, faults=faults) as srv:
        first = httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH)
        assert first.status_code == 429
        assert first.headers["Retry-After"] == "1"
        assert first.json()["error"] == "rate_limited"
        again = httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH)
        assert again.status_code == 200
        assert [s for _, _, s in srv.request_log] == [429, 200]


# --------------------------------------------------------------------------- xAPI LRS


def lrs_get(srv, url: str | None = None, **params) -> httpx.Response:
    return httpx.get(url or srv.endpoint + "statements", params=params, auth=LRS_AUTH, headers=XAPI)


def lrs_all(srv, **params) -> list[list[dict]]:
    pages = []
    response = lrs_get(srv, **params)
    while True:
        assert response.status_code == 200, response.text
        assert response.headers["X-Experience-API-Version"] == "1.0.3"
        assert response.headers["X-Experience-API-Consistent-Through"]
        body = response.json()
        pages.append(body["statements"])
        if not body.get("more"):
            return pages
        assert body["more"].startswith("/")  # relative to the server
        response = lrs_get(srv, srv.url + body["more"])


def ids(pages) -> list[int]:
    return [int(s["id"][-12:]) for page in pages for s in page]


def test_lrs_more_paging_newest_first_by_default(lrs_srv):
    pages = lrs_all(lrs_srv, limit=3)
    assert [len(p) for p in pages] == [3, 3, 1]
    assert ids(pages) == [8, 7, 6, 5, 4, 2, 1]  # 3 is voided


def test_lrs_ascending_and_since_exclusive(lrs_srv):
    assert ids(lrs_all(lrs_srv, ascending="true", limit=2)) == [1, 2, 4, 5, 6, 7, 8]
    # since = stored of statement 5 (exclusive); given with an offset
    since = ids(lrs_all(lrs_srv, since="2024-05-01T12:00:05+02:00", ascending="true"))
    assert since == [6, 7, 8]
    window = ids(
        lrs_all(
            lrs_srv, since="2024-05-01T10:00:01Z", until="2024-05-01T10:00:05Z", ascending="true"
        )
    )
    assert window == [2, 4, 5]  # until is inclusive


def test_lrs_voiding_hides_the_voided_statement(lrs_srv):
    everything = [s for page in lrs_all(lrs_srv) for s in page]
    voiding = [s for s in everything if s["verb"]["id"].endswith("/voided")]
    assert [s["object"]["id"] for s in voiding] == [statement_id(3)]
    assert statement_id(3) not in {s["id"] for s in everything}
    assert lrs_get(lrs_srv, statementId=statement_id(3)).status_code == 404
    voided = lrs_get(lrs_srv, voidedStatementId=statement_id(3))
    assert voided.status_code == 200 and voided.json()["id"] == statement_id(3)
    assert lrs_get(lrs_srv, statementId=statement_id(4)).json()["id"] == statement_id(4)
    assert lrs_get(lrs_srv, voidedStatementId=statement_id(4)).status_code == 404
    assert lrs_get(lrs_srv, statementId=statement_id(4), limit=1).status_code == 400


def test_lrs_filters(lrs_srv):
    completed = lrs_all(lrs_srv, verb="http://adlnet.gov/expapi/verbs/completed", ascending="true")
    assert ids(completed) == [6]  # 3 (completed) is voided
    agent = '{"objectType": "Agent", "mbox": "mailto:learner2@example.org"}'
    assert ids(lrs_all(lrs_srv, agent=agent)) == [2]


def test_lrs_requires_version_header_and_auth(lrs_srv):
    no_version = httpx.get(lrs_srv.endpoint + "statements", auth=LRS_AUTH)
    assert no_version.status_code == 400
    wrong_version = httpx.get(
        lrs_srv.endpoint + "statements", auth=LRS_AUTH, headers={"X-Experience-API-Version": "0.95"}
    )
    assert wrong_version.status_code == 400
    short = httpx.get(
        lrs_srv.endpoint + "statements", auth=LRS_AUTH, headers={"X-Experience-API-Version": "1.0"}
    )
    assert short.status_code == 200
    no_auth = httpx.get(lrs_srv.endpoint + "statements", headers=XAPI)
    assert no_auth.status_code == 401 and no_auth.headers["WWW-Authenticate"].startswith("Basic")
    bad_auth = httpx.get(lrs_srv.endpoint + "statements", headers=XAPI, auth=("lrs-test-user", "x"))
    assert bad_auth.status_code == 401
    about = httpx.get(lrs_srv.endpoint + "about")
    assert about.status_code == 200 and "1.0.3" in about.json()["version"]
    assert lrs_get(lrs_srv, colour="blue").status_code == 400
    assert lrs_get(lrs_srv, since="last week").status_code == 400


def test_lrs_endpoint_path_and_omitted_more(sample_tree):
    with start_server(
        "gs_lrs", sample_tree, endpoint_path="data/xAPI", omit_empty_more=True
    ) as srv:
        assert srv.endpoint == srv.url + "/data/xAPI/"
        first = lrs_get(srv, limit=5).json()
        assert first["more"].startswith("/data/xAPI/")
        last = lrs_get(srv, srv.url + first["more"]).json()
        assert len(last["statements"]) == 2 and "more" not in last
        assert (
            httpx.get(srv.url + "/xapi/statements", auth=LRS_AUTH, headers=XAPI).status_code == 404
        )


def test_lrs_more_link_expires_with_410(sample_tree):
    with start_server("gs_lrs", sample_tree, faults=FaultConfig(cursor_ttl_seconds=0.2)) as srv:
        more = lrs_get(srv, limit=2).json()["more"]
        time.sleep(0.3)
        expired = lrs_get(srv, srv.url + more)
        assert expired.status_code == 410
        assert expired.headers["X-Experience-API-Version"] == "1.0.3"
        assert (
            lrs_get(srv, srv.url + srv.endpoint[len(srv.url) :] + "statements/more/zzz").status_code
            == 400
        )
