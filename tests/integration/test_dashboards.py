"""The dashboards (Apache Superset) over a real published warehouse, in a real headless Chromium.

A small sandbox goes through the real pipeline (ingest, ``dbt build``, publish, dbt docs); then
Superset starts exactly as ``make dashboards`` starts it (``dashboards/start.py``: its own locked
environment, settings, users and the committed dashboards), and Debian's Chromium, driven by
Playwright from that environment (``tests/dashboards_browser.py``), logs in as a Manager, opens
every dashboard, checks that every chart shows data, changes a filter and sees the figures
change, and runs a query in SQL Lab. Screenshots go to ``data/screenshots/dashboards/``.

Also: anonymous visitors get nothing, the Manager's SQL reaches the published warehouse only
(never the private build file or any other file), and a new publish is seen without a restart.

Skips only when Superset's environment is missing; ``make test`` installs it.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime

import duckdb
import pytest
import yaml

from ingestion import config

pytestmark = [pytest.mark.dashboards, pytest.mark.slow]

ROOT = config.PROJECT_ROOT
DASHBOARDS = ROOT / "dashboards"
PYTHON = DASHBOARDS / ".venv" / "bin" / "python"
SCREENSHOTS = ROOT / "data" / "screenshots" / "dashboards"
ADMIN_PASSWORD = "admin-password-for-the-dashboards-test"
MANAGER_PASSWORD = "manager-password-for-the-dashboards-test"

if not PYTHON.exists():
    pytest.skip(
        "Superset's environment is not installed: `make test` installs it "
        "(uv sync --frozen --project dashboards)",
        allow_module_level=True,
    )


def committed_dashboards() -> dict[str, dict]:
    """slug -> the dashboard's exported YAML, and its charts' names, as committed."""
    charts = {}
    for path in (DASHBOARDS / "assets" / "charts").glob("*.yaml"):
        chart = yaml.safe_load(path.read_text())
        charts[chart["uuid"]] = chart["slice_name"]
    boards = {}
    for path in (DASHBOARDS / "assets" / "dashboards").glob("*.yaml"):
        board = yaml.safe_load(path.read_text())
        names = [
            charts[item["meta"]["uuid"]]
            for item in board["position"].values()
            if isinstance(item, dict) and item.get("type") == "CHART"
        ]
        boards[board["slug"]] = {"title": board["dashboard_title"], "charts": names, **board}
    return boards


@pytest.fixture(scope="module")
def published(sandbox_tree, tmp_path_factory):
    """A warehouse built and published by the real pipeline from a small sandbox, with its docs."""
    from ingestion.publish.docs import generate_docs
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse
    from sandbox.bench import ingest_sandbox

    data = tmp_path_factory.mktemp("dashboards") / "data"
    mp = pytest.MonkeyPatch()
    mp.setenv("CAPDEV_DATA_DIR", str(data))
    ingest_sandbox(sandbox_tree, datetime(2026, 11, 28, 1, 0, tzinfo=UTC))
    build = build_warehouse()
    publish(build.build_file)
    generate_docs()
    yield data
    mp.undo()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def superset(published, tmp_path_factory):
    """Superset started as `make dashboards` starts it, on a free loopback port."""
    port = _free_port()
    log = tmp_path_factory.mktemp("superset-log") / "superset.log"
    env = {
        **os.environ,
        "CAPDEV_DATA_DIR": str(published),
        "SUPERSET_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SUPERSET_MANAGER_PASSWORD": MANAGER_PASSWORD,
    }
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(PYTHON), str(DASHBOARDS / "start.py"), "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            if process.poll() is not None:
                pytest.fail(
                    f"Superset stopped (exit {process.returncode}):\n{log.read_text()[-4000:]}"
                )
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() - started > 600:
                pytest.fail(f"Superset did not answer in 10 minutes:\n{log.read_text()[-4000:]}")
            time.sleep(2)
        print(f"\nSuperset set up and answering in {time.monotonic() - started:.0f}s")
        yield {"url": url, "data": published}
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


class Api:
    """A logged-in session on Superset's REST API (JWT), as a user would script it."""

    def __init__(self, url: str, username: str, password: str) -> None:
        import http.cookiejar

        self.url = url
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        login = self.call(
            "POST",
            "/api/v1/security/login",
            {"username": username, "password": password, "provider": "db", "refresh": False},
        )
        self.headers = {"Authorization": f"Bearer {login['access_token']}"}
        csrf = self.call("GET", "/api/v1/security/csrf_token/")["result"]
        self.headers |= {"X-CSRFToken": csrf, "Referer": url}

    headers: dict[str, str] = {}

    def call(self, method: str, path: str, body: dict | None = None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}{path}",
            data=data,
            method=method,
            headers={**self.headers, "Content-Type": "application/json"},
        )
        try:
            with self.opener.open(request, timeout=300) as response:
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as error:
            return {"status": error.code, "error": error.read().decode(errors="replace")}

    def sql(self, sql: str) -> dict:
        database = self.call("GET", "/api/v1/database/")["result"][0]["id"]
        return self.call(
            "POST",
            "/api/v1/sqllab/execute/",
            {"database_id": database, "sql": sql, "runAsync": False, "schema": "main"},
        )


def test_committed_dashboards_are_the_mission_s():
    boards = committed_dashboards()
    assert {b["title"] for b in boards.values()} == {
        "Stocktaking",
        "Duplication",
        "Platform differences",
        "Quality",
        "ITU Academy candidates",
        "Council headline figures",
    }
    for slug, board in boards.items():
        filters = {f["name"] for f in board["metadata"]["native_filter_configuration"]}
        assert {"Bureau", "Platform"} & filters, slug
        markdown = [
            item["meta"]["code"]
            for item in board["position"].values()
            if isinstance(item, dict) and item.get("type") == "MARKDOWN"
        ]
        assert any("(/dbt-docs/)" in code for code in markdown), f"{slug}: no link to the docs"
    for slug in ("stocktaking", "quality"):
        filters = {f["name"] for f in boards[slug]["metadata"]["native_filter_configuration"]}
        assert filters == {
            "Bureau",
            "Year",
            "Participant's region",
            "Activity's region",
            "Topic",
            "Activity type",
            "Language",
            "Platform",
        }


def test_a_manager_sees_every_dashboard_filters_it_and_queries_in_sql_lab(superset):
    boards = committed_dashboards()
    if SCREENSHOTS.exists():
        shutil.rmtree(SCREENSHOTS)
    SCREENSHOTS.mkdir(parents=True)
    started = time.monotonic()
    done = subprocess.run(
        [
            str(PYTHON),
            str(ROOT / "tests" / "dashboards_browser.py"),
            json.dumps(
                {
                    "url": superset["url"],
                    "username": "manager",
                    "password": MANAGER_PASSWORD,
                    "dashboards": {slug: b["charts"] for slug, b in boards.items()},
                    "screenshots": str(SCREENSHOTS),
                }
            ),
        ],
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    print(f"\nbrowser session: {time.monotonic() - started:.0f}s")
    assert done.returncode == 0, done.stderr[-4000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])

    assert seen["anonymous_url"].split("?")[0].endswith("/login/")
    for slug, board in boards.items():
        charts = seen["dashboards"][slug]
        assert set(charts) == set(board["charts"]), slug
        for name, chart in charts.items():
            assert chart["error"] is None, f"{slug} / {name}: {chart['error']}"
            assert chart["drawn"], f"{slug} / {name} shows no data: {chart['text'][:200]}"
        assert (SCREENSHOTS / f"{slug}.png").stat().st_size > 10_000
    # a filter chosen in the filter bar changes the figures
    change = seen["filter_change"]
    assert change["before"] and change["after"] and change["before"] != change["after"], change
    # SQL Lab answers with the warehouse's figure
    with duckdb.connect(str(config.published_warehouse()), read_only=True) as con:
        (activities,) = con.execute("select count(*) from core.activities").fetchone()
    assert seen["sql_lab"]["result"] == str(activities) or seen["sql_lab"]["result"] == (
        f"{activities:,}"
    ), seen["sql_lab"]
    # nothing was fetched from outside: every such request was stopped by the page's policy
    assert all(f["failure"] == "csp" for f in seen["external_requests"]), seen["external_requests"]


def test_anonymous_visitors_get_nothing(superset):
    url = superset["url"]
    for path in ("/api/v1/dashboard/", "/api/v1/chart/1/data/", "/api/v1/database/"):
        try:
            with urllib.request.urlopen(f"{url}{path}", timeout=60) as response:
                pytest.fail(f"{path} answered {response.status} without a login")
        except urllib.error.HTTPError as error:
            assert error.code in (401, 403), path
    with urllib.request.urlopen(f"{url}/dbt-docs/", timeout=60) as response:
        assert "/login/" in response.url


def test_the_manager_reaches_the_published_warehouse_only(superset):
    api = Api(superset["url"], "manager", MANAGER_PASSWORD)
    databases = api.call("GET", "/api/v1/database/")["result"]
    assert [d["database_name"] for d in databases] == ["ITU capacity development (published)"]
    ok = api.sql("select count(*) as n from core.activities")
    assert ok.get("status") == "success", ok
    build = superset["data"] / "warehouse" / "build.duckdb"
    assert build.exists()
    for sql in (
        f"attach '{build}' as private_build (read_only)",
        f"select * from read_parquet('{superset['data']}/raw/**/*.parquet')",
        "select * from read_csv('/etc/passwd')",
        "create table core.x as select 1",
        "set enable_external_access = true",
    ):
        refused = api.sql(sql)
        assert refused.get("status") != "success", (sql, refused)
    # the Manager is no admin: no users, no database settings
    assert api.call("GET", "/api/v1/security/users/").get("status") in (401, 403, 404)
    db_id = databases[0]["id"]
    assert api.call("PUT", f"/api/v1/database/{db_id}", {"allow_dml": True}).get("status") in (
        401,
        403,
        404,
    )
    # the data dictionary is served next to the dashboards
    page = api.opener.open(
        urllib.request.Request(f"{superset['url']}/dbt-docs/", headers=api.headers), timeout=60
    )
    assert page.status == 200


def test_a_new_publish_shows_without_a_restart(superset):
    """The nightly publish swaps the file by rename: the next query reads the new one."""
    from ingestion.publish.warehouse import publish

    api = Api(superset["url"], "manager", MANAGER_PASSWORD)
    sql = "select count(*) as n from core.activities"
    before = api.sql(sql)["data"][0]["n"]
    build = superset["data"] / "warehouse" / "build.duckdb"
    smaller = build.with_name("smaller.duckdb")
    shutil.copyfile(build, smaller)
    with duckdb.connect(str(smaller)) as con:
        con.execute(
            "delete from core.activities where activity_key in "
            "(select activity_key from core.activities limit 3)"
        )
    publish(smaller)
    after = api.sql(sql)["data"][0]["n"]
    assert after == before - 3
    publish(build)  # back to the full warehouse
    assert api.sql(sql)["data"][0]["n"] == before
