"""Fault injection: every scenario can be switched on, shows up, and a retrying client always gets
the complete, correct data; plus the ``serve`` command line."""

from __future__ import annotations

import json
import threading
import time
from collections import defaultdict
from typing import Any

import httpx
import pytest

from sandbox.servers import FaultConfig, start_server
from sandbox.servers.cli import parse_fault_specs, serve_main
from sandbox.servers.fixtures import CREDENTIALS

TOKEN = CREDENTIALS["academy"]["token"]
TSB_AUTH = {"Authorization": f"Bearer {CREDENTIALS['tsb_events']['token']}"}
LRS_AUTH = (CREDENTIALS["gs_lrs"]["username"], CREDENTIALS["gs_lrs"]["password"])
XAPI = {"X-Experience-API-Version": "1.0.3"}
CLIENT_TIMEOUT = 0.3


class Expired(Exception):
    pass


def call(client: httpx.Client, method: str, url: str, **kwargs: Any) -> Any:
    """A minimal retrying client: retries timeouts, 429, 5xx and broken JSON; raises on 410."""
    for _ in range(4):
        try:
            response = client.request(method, url, **kwargs)
        except httpx.TimeoutException:
            continue
        if response.status_code in (429, 502, 503):
            continue  # Retry-After is not enforced by the sandbox: no need to wait in tests
        if response.status_code == 410:
            raise Expired(url)
        assert response.status_code == 200, response.text
        try:
            return response.json()
        except ValueError:
            continue
    raise AssertionError(f"{method} {url} still failing after retries")


def pull_academy(srv, client: httpx.Client) -> Any:
    def ws(function: str, **args: Any) -> Any:
        data = {"wstoken": TOKEN, "wsfunction": function, "moodlewsrestformat": "json", **args}
        body = call(client, "POST", srv.endpoint, data=data)
        assert not (isinstance(body, dict) and "exception" in body), body
        return body

    courses = [c["id"] for c in ws("core_course_get_courses_by_field")["courses"]]
    users: dict[int, list[int]] = {}
    for course in courses:
        offset, users[course] = 0, []
        while True:
            page = ws(
                "core_enrol_get_enrolled_users",
                courseid=course,
                **{"options[0][name]": "limitfrom", "options[0][value]": offset},
                **{"options[1][name]": "limitnumber", "options[1][value]": 2},
            )
            users[course] += [u["id"] for u in page]
            offset += len(page)
            if len(page) < 2:
                break
    issues = [r["issue"]["id"] for r in ws("mod_customcert_list_issues", limit=500)]
    return courses, users, issues


def pull_tsb(srv, client: httpx.Client) -> Any:
    def listing(path: str) -> list[str]:
        for _restart in range(5):
            rows: list[Any] = []
            params: dict[str, Any] = {"page_size": 2, "updated_since": "2024-01-01T00:00:00Z"}
            try:
                while True:
                    body = call(client, "GET", srv.url + path, params=params, headers=TSB_AUTH)
                    rows += body["data"]
                    if not body["next_cursor"]:
                        return [r.get("registration_id") or r["event_id"] for r in rows]
                    params = {"page_size": 2, "cursor": body["next_cursor"]}
            except Expired:
                continue
        raise AssertionError("listing kept expiring")

    events = listing("/api/v1/events")
    return events, {e: listing(f"/api/v1/events/{e}/registrations") for e in events}


def pull_lrs(srv, client: httpx.Client) -> Any:
    for _restart in range(5):
        found: list[str] = []
        url, params = srv.endpoint + "statements", {"limit": 2, "ascending": "true"}
        try:
            while True:
                body = call(client, "GET", url, params=params, auth=LRS_AUTH, headers=XAPI)
                found += [s["id"] for s in body["statements"]]
                if not body.get("more"):
                    return found
                url, params = srv.url + body["more"], None
        except Expired:
            continue
    raise AssertionError("query kept expiring")


PULLS = {"academy": pull_academy, "tsb_events": pull_tsb, "gs_lrs": pull_lrs}


@pytest.fixture(scope="module")
def expected(sample_tree) -> dict[str, Any]:
    out = {}
    with httpx.Client(timeout=5) as client:
        for platform, pull in PULLS.items():
            with start_server(platform, sample_tree) as srv:
                out[platform] = pull(srv, client)
                assert all(status == 200 for _, _, status in srv.request_log)
    return out


def assert_no_fault_twice_in_a_row(srv) -> None:
    by_request: dict[tuple[str, str, str], list[str | None]] = defaultdict(list)
    for record in srv.request_records:
        by_request[(record.method, record.target, record.body)].append(record.fault)
    for attempts in by_request.values():
        assert all(fault is None for fault in attempts[1:]), attempts


SCENARIOS = [
    (platform, scenario)
    for platform in PULLS
    for scenario in ("flaky_5xx", "rate_limited", "truncated_json", "slow", "expired_cursor")
    if not (platform == "academy" and scenario == "expired_cursor")  # Moodle pages have no cursor
]


@pytest.mark.parametrize(("platform", "scenario"), SCENARIOS)
def test_scenario_shows_and_a_retrying_client_gets_everything(
    sample_tree, expected, platform, scenario
):
    faults = FaultConfig.scenario(scenario, seed=11, slow_seconds=1.0)
    with (
        start_server(platform, sample_tree, faults=faults) as srv,
        httpx.Client(timeout=CLIENT_TIMEOUT) as client,
    ):
        assert PULLS[platform](srv, client) == expected[platform]
        statuses = [status for _, _, status in srv.request_log]
        fired = [r.fault for r in srv.request_records if r.fault]
        if scenario == "flaky_5xx":
            assert {502, 503} & set(statuses) and set(fired) == {"error"}
        elif scenario == "rate_limited":
            assert 429 in statuses and set(fired) == {"rate_limit"}
        elif scenario == "truncated_json":
            assert set(statuses) == {200} and set(fired) == {"truncate"}
        elif scenario == "slow":
            assert set(fired) == {"slow"}
        else:
            assert 410 in statuses and not fired
        assert_no_fault_twice_in_a_row(srv)


def test_truncated_body_is_a_clean_http_exchange_with_broken_json(sample_tree):
    with start_server("tsb_events", sample_tree, faults=FaultConfig(truncate_rate=1.0)) as srv:
        response = httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH)
        assert response.status_code == 200
        assert len(response.content) == int(response.headers["Content-Length"])
        with pytest.raises(ValueError):
            response.json()
        assert httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH).json()["data"]


def test_error_rate_one_fails_each_request_exactly_once(sample_tree):
    with start_server("gs_lrs", sample_tree, faults=FaultConfig(error_rate=1.0)) as srv:
        for limit in (1, 2, 3):
            statuses = []
            for _ in range(3):
                statuses.append(
                    httpx.get(
                        srv.endpoint + "statements",
                        params={"limit": limit},
                        auth=LRS_AUTH,
                        headers=XAPI,
                    ).status_code
                )
            assert statuses[0] in (502, 503) and statuses[1:] == [200, 200]
        assert "nginx" in httpx.get(srv.endpoint + "about?x=1").text


def test_faults_are_deterministic_for_a_seed(sample_tree):
    faults = FaultConfig(error_rate=0.4, rate_limit_rate=0.2, truncate_rate=0.2, seed=5)
    runs = []
    for _ in range(2):
        with (
            start_server("academy", sample_tree, faults=faults) as srv,
            httpx.Client(timeout=5) as client,
        ):
            pull_academy(srv, client)
            runs.append([(r.target, r.body, r.fault) for r in srv.request_records])
    assert runs[0] == runs[1]
    assert any(fault for _, _, fault in runs[0])


def test_none_scenario_injects_nothing(sample_tree, expected):
    with (
        start_server("tsb_events", sample_tree, faults=FaultConfig.scenario("none")) as srv,
        httpx.Client() as client,
    ):
        assert pull_tsb(srv, client) == expected["tsb_events"]
        assert {status for _, _, status in srv.request_log} == {200}


def test_bad_token_scenario_refuses_even_good_credentials(sample_tree):
    bad = FaultConfig.scenario("bad_token")
    with start_server("academy", sample_tree, faults=bad) as srv:
        for _ in range(2):  # never retried away
            body = httpx.get(
                srv.endpoint,
                params={
                    "wstoken": TOKEN,
                    "wsfunction": "core_course_get_categories",
                    "moodlewsrestformat": "json",
                },
            ).json()
            assert body["errorcode"] == "invalidtoken"
        srv.set_faults(None)  # switched off at run time
        body = httpx.get(
            srv.endpoint,
            params={
                "wstoken": TOKEN,
                "wsfunction": "core_course_get_categories",
                "moodlewsrestformat": "json",
            },
        ).json()
        assert isinstance(body, list)
    with start_server("tsb_events", sample_tree, faults=bad) as srv:
        assert httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH).status_code == 401
        assert httpx.get(srv.url + "/api/v1/events", headers=TSB_AUTH).status_code == 401
    with start_server("gs_lrs", sample_tree, faults=bad) as srv:
        assert (
            httpx.get(srv.endpoint + "statements", auth=LRS_AUTH, headers=XAPI).status_code == 401
        )


def test_fault_config_validation():
    with pytest.raises(ValueError):
        FaultConfig(error_rate=1.5)
    with pytest.raises(ValueError):
        FaultConfig.scenario("meteor_strike")
    with pytest.raises(ValueError):
        FaultConfig(consistency_lag_seconds=-1)
    assert FaultConfig.scenario("flaky_5xx", error_rate=1.0).error_rate == 1.0
    assert FaultConfig.scenario("bad_token").reject_auth is True


def test_timestamp_window_filters_and_orders_on_timestamp(tmp_path):
    def statement(n: int, timestamp: str, stored: str) -> dict[str, Any]:
        return {
            "id": f"20000000-0000-4000-8000-{n:012d}",
            "actor": {"mbox": f"mailto:l{n}@x.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": f"https://x.org/a/{n}"},
            "timestamp": timestamp,
            "stored": stored,
        }

    a = statement(1, "2024-06-01T10:00:00Z", "2024-06-01T10:01:00Z")
    b = statement(2, "2024-05-28T09:00:00Z", "2024-06-01T12:00:00Z")  # synced days later
    c = statement(3, "2024-06-01T11:00:00Z", "2024-06-01T11:01:00Z")
    (tmp_path / "gs_lrs").mkdir()
    (tmp_path / "gs_lrs" / "statements.json").write_text(json.dumps([a, c, b]), "utf-8")

    def ids(srv, **params: str) -> list[str]:
        query = {"ascending": "true", **params}
        auth = (srv.credentials["username"], srv.credentials["password"])
        response = httpx.get(srv.endpoint + "statements", params=query, auth=auth, headers=XAPI)
        assert response.status_code == 200
        return [s["id"][-1] for s in response.json()["statements"]]

    faults = FaultConfig.scenario("timestamp_window")
    with start_server("gs_lrs", tmp_path, faults=faults) as srv:
        assert ids(srv, since="2024-06-01T10:30:00Z") == ["3"]  # b is lost to a since client
        assert ids(srv, until="2024-06-01T11:30:00Z") == ["2", "1", "3"]  # timestamp order
        srv.set_faults(None)  # as xAPI says: on stored
        assert ids(srv, since="2024-06-01T10:30:00Z") == ["3", "2"]
        assert ids(srv, until="2024-06-01T11:30:00Z") == ["1", "3"]


# --------------------------------------------------------------------------- CLI


def test_parse_fault_specs():
    configs = parse_fault_specs(
        [
            "flaky_5xx=0.3",
            "tsb_events:expired_cursor",
            "slow_seconds=2",
            "gs_lrs:reject_auth",
            "cursor_ttl_seconds=none",
        ],
        seed=9,
    )
    assert configs["academy"].error_rate == 0.3 and configs["academy"].slow_seconds == 2.0
    assert configs["academy"].seed == 9 and configs["academy"].cursor_ttl_seconds is None
    assert configs["tsb_events"].expired_cursor_rate == 1.0
    assert configs["academy"].expired_cursor_rate == 0.0
    assert configs["gs_lrs"].reject_auth is True and configs["tsb_events"].reject_auth is False
    lrs_only = parse_fault_specs(["gs_lrs:timestamp_window"])
    assert lrs_only["gs_lrs"].timestamp_window is True
    assert lrs_only["academy"].timestamp_window is False
    with pytest.raises(ValueError):
        parse_fault_specs(["lightning"])


def test_serve_main_runs_all_servers_until_stopped(sample_tree, tmp_path, capsys):
    port_file = tmp_path / "run" / "ports.json"
    stop = threading.Event()
    argv = ["--data", str(sample_tree), "--port-file", str(port_file)]
    argv += ["--fault", "tsb_events:rate_limited=1", "--lrs-endpoint", "/data/xAPI/"]
    result: list[int] = []
    thread = threading.Thread(
        target=lambda: result.append(serve_main(argv, stop_event=stop)), daemon=True
    )
    thread.start()
    deadline = time.monotonic() + 10
    while not port_file.exists():
        assert time.monotonic() < deadline and thread.is_alive(), "servers did not start"
        time.sleep(0.02)
    ports = json.loads(port_file.read_text())
    try:
        assert set(ports) == {"academy", "tsb_events", "gs_lrs"}
        assert ports["gs_lrs"]["endpoint"].endswith("/data/xAPI/")
        assert ports["academy"]["credentials"] == CREDENTIALS["academy"]
        body = httpx.get(
            ports["academy"]["endpoint"],
            params={
                "wstoken": TOKEN,
                "wsfunction": "core_course_get_categories",
                "moodlewsrestformat": "json",
            },
        ).json()
        assert len(body) == 4
        assert (
            httpx.get(ports["tsb_events"]["url"] + "/api/v1/events", headers=TSB_AUTH).status_code
            == 429
        )
        assert (
            httpx.get(ports["tsb_events"]["url"] + "/api/v1/events", headers=TSB_AUTH).status_code
            == 200
        )
        lrs = httpx.get(ports["gs_lrs"]["endpoint"] + "statements", auth=LRS_AUTH, headers=XAPI)
        assert lrs.status_code == 200
    finally:
        stop.set()
        thread.join(timeout=10)
    assert result == [0]
    assert not port_file.exists()
    out = capsys.readouterr().out
    assert ports["academy"]["endpoint"] in out and "academy-test-token" in out


def test_serve_main_without_data_fails_cleanly(tmp_path):
    assert serve_main(["--data", str(tmp_path / "missing")], stop_event=threading.Event()) == 2
