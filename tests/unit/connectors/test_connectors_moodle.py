"""The Moodle WS connector against the sandbox Moodle server (real HTTP on a free port)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest
from connector_helpers import LINEAGE, columns_of, moodle_conn

from ingestion.connectors import API_CONNECTORS, moodle
from ingestion.connectors.base import AuthError, PlatformError

T0 = 1_704_067_200  # 2024-01-01T00:00:00Z, the sample tree's base time
UNTIL = datetime(2025, 1, 1, tzinfo=UTC)

EXPECTED_COLUMNS = {
    "categories": "id name description parent sortorder coursecount depth path",
    "courses": "id fullname displayname shortname categoryid categoryname summary format startdate "
    "enddate visible lang enablecompletion timecreated timemodified customfields",
    "enrolled_users": "courseid id username firstname lastname fullname email department "
    "institution idnumber city country firstaccess lastaccess lastcourseaccess customfields roles",
    "grades": "courseid userid userfullname itemid itemname itemtype graderaw grademin grademax "
    "gradedategraded percentageformatted",
    "completions": "courseid userid completed aggregation completions",
    "customcerts": "id course name coursemodule",
    "certificates": "issue_id issue_customcertid issue_code issue_emailed issue_timecreated "
    "user_id user_fullname user_username user_email template_id template_name",
}


def by_entity(extracts):
    return {e.entity: e for e in extracts}


def calls(server, function):
    """Bodies (as dicts) of the requests that called ``function``."""
    out = []
    for record in server.request_records:
        body = dict(parse_qsl(record.body, keep_blank_values=True))
        if body.get("wsfunction") == function:
            out.append((body, record.status))
    return out


def test_registry_points_at_the_moodle_pull():
    assert API_CONNECTORS["academy"] is moodle.pull


def test_php_style_arguments():
    pairs = moodle.php_params(
        {
            "courseid": 4,
            "options": [{"name": "limitfrom", "value": 0}, {"name": "limitnumber", "value": 50}],
            "courseids": [2, 3],
            "flag": True,
            "skipped": None,
        }
    )
    assert pairs == [
        ("courseid", "4"),
        ("options[0][name]", "limitfrom"),
        ("options[0][value]", "0"),
        ("options[1][name]", "limitnumber"),
        ("options[1][value]", "50"),
        ("courseids[0]", "2"),
        ("courseids[1]", "3"),
        ("flag", "1"),
    ]


def test_ws_url_from_site_root_or_full_endpoint():
    assert moodle.ws_url("https://academy.itu.int/") == (
        "https://academy.itu.int/webservice/rest/server.php"
    )
    full = "https://academy.itu.int/moodle/webservice/rest/server.php"
    assert moodle.ws_url(full) == full


def test_first_load_pulls_every_entity_with_the_landed_columns(start):
    srv = start("academy")
    extracts = by_entity(moodle.pull(moodle_conn(srv, page_size=3), {}, UNTIL))
    assert list(extracts) == list(moodle.ENTITIES)
    counts = {name: len(e.records) for name, e in extracts.items()}
    assert counts == {
        "categories": 4,
        "courses": 4,  # the site course is landed too (staging drops it)
        "enrolled_users": 9,  # 7 + 2 + 0
        "grades": 6,  # 3 users x 2 grade items
        "completions": 7,  # course 2 only: course 3 answers nocriteriaset
        "customcerts": 1,
        "certificates": 5,
    }
    for name, extract in extracts.items():
        assert columns_of(extract.records) == set(EXPECTED_COLUMNS[name].split()) | LINEAGE
        assert [r["_row_number"] for r in extract.records] == list(
            range(1, len(extract.records) + 1)
        )
        assert all(r["_parse_error"] is None for r in extract.records)
        assert extract.pages, name
        for page in extract.pages:
            assert srv.credentials["token"] not in page.source
            json.loads(page.content)  # archived bytes are the server's JSON
        assert all(r["_source"] in {p.source for p in extract.pages} for r in extract.records)

    site = next(c for c in extracts["courses"].records if c["id"] == 1)
    assert site["format"] == "site"
    course2 = next(c for c in extracts["courses"].records if c["id"] == 2)
    assert 'class="multilang"' in course2["fullname"]  # landed as sent; staging cleans
    assert json.loads(course2["customfields"])[0]["shortname"] == "bureau"
    user = extracts["enrolled_users"].records[0]
    assert json.loads(user["roles"])[0]["shortname"] == "student"
    assert user["courseid"] == 2
    totals = [g for g in extracts["grades"].records if g["itemtype"] == "course"]
    assert len(totals) == 3 and totals[0]["itemid"] == 10
    completion = next(c for c in extracts["completions"].records if c["userid"] == 101)
    assert completion["completed"] is True
    assert json.loads(completion["completions"])[0]["timecompleted"] == T0 + 6000

    # watermarks come from the data
    assert extracts["courses"].watermark_to == str(T0)
    assert extracts["certificates"].watermark_to == str(T0 + 10000)
    assert extracts["categories"].watermark_to is None

    # enrolled users were paged 3 at a time until a short page
    pages = [
        b["options[0][value]"]
        for b, _ in calls(srv, "core_enrol_get_enrolled_users")
        if b["courseid"] == "2"
    ]
    assert pages == ["0", "3", "6"]
    # the site course is never asked for enrolments
    assert all(b["courseid"] != "1" for b, _ in calls(srv, "core_enrol_get_enrolled_users"))
    # every call is a form POST with the JSON format
    assert {r.method for r in srv.request_records} == {"POST"}
    for body, _ in calls(srv, "core_course_get_categories"):
        assert body["moodlewsrestformat"] == "json"


def test_incremental_pull_respects_watermarks_and_until(start):
    srv = start("academy")
    conn = moodle_conn(srv)
    until = datetime.fromtimestamp(T0 + 8500, UTC)
    first = by_entity(moodle.pull(conn, {}, until))
    # issues created in (None, until]: 7000, 8000, 8000 (a tie on the boundary second)
    assert [r["issue_timecreated"] for r in first["certificates"].records] == [
        T0 + 7000,
        T0 + 8000,
        T0 + 8000,
    ]
    marks = {name: e.watermark_to for name, e in first.items()}
    assert marks["certificates"] == str(T0 + 8000)
    for name, value in marks.items():
        assert value is None or int(value) <= T0 + 8500, name

    srv.clear_log()
    second = by_entity(moodle.pull(conn, marks, UNTIL))
    assert [r["issue_timecreated"] for r in second["certificates"].records] == [
        T0 + 9000,
        T0 + 10000,
    ]
    assert second["courses"].records == []  # nothing modified since
    assert second["courses"].watermark_to == marks["courses"]  # kept when nothing is newer
    assert second["certificates"].watermark_from == marks["certificates"]
    # completions are asked only for users active (or graded) since the watermark: none here
    assert calls(srv, "core_completion_get_course_completion_status") == []
    assert second["completions"].records == []
    # list_issues asked from the watermark
    (body, _), *_ = calls(srv, "mod_customcert_list_issues")
    assert body["timecreatedfrom"] == str(T0 + 8000)


def test_refresh_set_rules():
    wm = T0 + 100 * 86400
    courses = [
        {"id": 1, "format": "site", "enddate": 0, "timemodified": wm + 1},
        {"id": 2, "format": "topics", "enddate": 0, "timemodified": 0},  # open-ended
        {"id": 3, "format": "topics", "enddate": wm - 10 * 86400, "timemodified": 0},  # grace
        {"id": 4, "format": "topics", "enddate": wm - 40 * 86400, "timemodified": 0},  # over
        {"id": 5, "format": "topics", "enddate": wm - 40 * 86400, "timemodified": wm + 5},
    ]
    assert [c["id"] for c in moodle.refresh_courses(courses, wm)] == [2, 3, 5]
    assert [c["id"] for c in moodle.refresh_courses(courses, None)] == [2, 3, 4, 5]


def test_bad_token_is_an_auth_error_at_once(start):
    srv = start("academy", "bad_token")
    began = time.monotonic()
    with pytest.raises(AuthError) as err:
        moodle.pull(moodle_conn(srv), {}, UNTIL)
    assert time.monotonic() - began < 2
    assert len(srv.request_log) == 1  # no retry storm
    message = str(err.value)
    assert "invalidtoken" in message and "academy" in message
    assert "core_course_get_categories" in message
    assert srv.credentials["token"] not in message


def test_exception_body_names_function_and_errorcode(start):
    srv = start("academy")
    client = moodle.MoodleClient(moodle_conn(srv))
    try:
        with pytest.raises(moodle.MoodleException) as err:
            client.call("core_user_get_users", {"criteria": [{"key": "id", "value": 1}]})
    finally:
        client.close()
    assert err.value.errorcode == "accessexception"
    assert "core_user_get_users" in str(err.value)
    assert "accessexception" in str(err.value)
    assert srv.credentials["token"] not in str(err.value)
    assert len(srv.request_log) == 1  # an exception body is not retried


def test_invalid_parameter_is_a_platform_error(start):
    srv = start("academy")
    client = moodle.MoodleClient(moodle_conn(srv))
    try:
        with pytest.raises(PlatformError, match="invalidparameter"):
            client.call("core_enrol_get_enrolled_users", {"courseid": "x"})
    finally:
        client.close()


def clean_records(extracts):
    return {e.entity: [dict(r, _source=None) for r in e.records] for e in extracts}


@pytest.mark.parametrize("scenario", ["flaky_5xx", "truncated_json", "rate_limited"])
def test_transient_faults_are_retried_to_the_same_result(start, scenario):
    reference = clean_records(moodle.pull(moodle_conn(start("academy"), page_size=3), {}, UNTIL))
    faults = None
    if scenario == "rate_limited":
        from sandbox.servers import FaultConfig

        faults = FaultConfig.scenario("rate_limited", retry_after_seconds=0)
    srv = start("academy", faults or scenario)
    result = clean_records(moodle.pull(moodle_conn(srv, page_size=3), {}, UNTIL))
    assert result == reference
    faulted = [r for r in srv.request_records if r.fault]
    assert faulted, "the scenario injected no fault"
    statuses = {r.status for r in faulted}
    if scenario == "flaky_5xx":
        assert statuses <= {502, 503}
    elif scenario == "rate_limited":
        assert statuses == {429}


def test_slow_answers_time_out_and_are_retried(start):
    from sandbox.servers import FaultConfig

    srv = start("academy", FaultConfig.scenario("slow", slow_seconds=1.0, slow_rate=0.2))
    extracts = by_entity(moodle.pull(moodle_conn(srv, timeout=0.3), {}, UNTIL))
    assert len(extracts["enrolled_users"].records) == 9
    assert any(r.fault == "slow" for r in srv.request_records)


def test_gives_up_after_bounded_retries(start):
    from sandbox.servers import FaultConfig

    srv = start("academy", FaultConfig(error_rate=1.0))
    # every first attempt fails and the retry succeeds: with max_retries=0 there is no retry
    with pytest.raises(PlatformError, match="gave up after 1 attempts"):
        moodle.pull(moodle_conn(srv, max_retries=0), {}, UNTIL)
    assert len(srv.request_log) == 1
