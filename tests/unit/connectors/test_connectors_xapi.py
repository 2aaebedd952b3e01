"""The xAPI connector against the sandbox LRS (real HTTP on a free port), and header checks on a
mock transport."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from connector_helpers import LINEAGE, columns_of, lrs_conn, words

from ingestion.connectors import API_CONNECTORS, xapi
from ingestion.connectors.base import (
    ApiConnection,
    AuthError,
    PlatformError,
    collect_parts,
    iso_utc,
)
from ingestion.connectors.http import HttpClient

UNTIL = datetime(2025, 1, 1, tzinfo=UTC)
SANDBOX_NIGHT = datetime(2026, 11, 28, 1, 0, tzinfo=UTC)  # after every generated statement
COUNT_DIGITS = 64  # a state's counts grow by a few digits over a pull
COLUMNS = words("id stored timestamp verb_id actor verb object result context statement")


def sid(n: int) -> str:
    return f"00000000-0000-4000-8000-{n:012d}"


def test_registry_points_at_the_xapi_pull():
    assert API_CONNECTORS["gs_lrs"] is xapi.pull


def test_endpoint_and_more_resolution():
    assert xapi.endpoint_url("https://lrs.example/data/xAPI") == "https://lrs.example/data/xAPI/"
    assert xapi.endpoint_url("https://lrs.example/xapi/") == "https://lrs.example/xapi/"
    endpoint = "https://lrs.example:8443/data/xAPI/"
    assert (
        xapi.resolve_more(endpoint, "/data/xAPI/statements/more/abc?x=1")
        == "https://lrs.example:8443/data/xAPI/statements/more/abc?x=1"
    )
    assert xapi.resolve_more(endpoint, "https://other/more/1") == "https://other/more/1"


@pytest.mark.parametrize(
    ("endpoint_path", "omit_empty_more", "trailing_slash"),
    [("/xapi/", False, True), ("/data/xAPI/", True, False), ("/xAPI/", False, False)],
)
def test_more_paging_on_any_endpoint_path(start, endpoint_path, omit_empty_more, trailing_slash):
    srv = start("gs_lrs", endpoint_path=endpoint_path, omit_empty_more=omit_empty_more)
    conn = lrs_conn(srv, page_size=3)
    if not trailing_slash:
        conn = ApiConnection(**{**conn.__dict__, "base_url": srv.endpoint.rstrip("/")})
    [extract] = xapi.pull(conn, {"statements": None}, UNTIL)
    assert extract.entity == "statements"
    # statement 3 is voided (the LRS leaves it out); the voiding statement 8 is landed
    assert [r["id"] for r in extract.records] == [sid(n) for n in (1, 2, 4, 5, 6, 7, 8)]
    assert len(extract.pages) == 3
    assert columns_of(extract.records) == COLUMNS | LINEAGE
    assert extract.watermark_to == "2024-05-01T10:00:08Z"  # 12:00:08+02:00 in UTC
    paths = [urlsplit(target).path for _, target, _ in srv.request_log]
    assert paths[0] == f"{endpoint_path}statements"
    assert all(p.startswith(f"{endpoint_path}statements/more/") for p in paths[1:])
    first = parse_qs(urlsplit(srv.request_log[0][1]).query)
    assert first["ascending"] == ["true"] and first["limit"] == ["3"]
    assert "since" not in first
    assert {s for _, _, s in srv.request_log} == {200}  # the strict LRS accepted every request


def test_statement_is_kept_as_it_came(start, sample_tree):
    srv = start("gs_lrs")
    [extract] = xapi.pull(lrs_conn(srv), {}, UNTIL)
    originals = {
        s["id"]: s
        for s in json.loads((sample_tree / "gs_lrs" / "statements.json").read_text("utf-8"))
    }
    for record in extract.records:
        original = originals[record["id"]]
        assert json.loads(record["statement"]) == original
        assert list(json.loads(record["statement"])) == list(original)  # key order kept
        assert record["verb_id"] == original["verb"]["id"]
        assert json.loads(record["actor"]) == original["actor"]
        assert record["stored"] == original["stored"]
    voiding = next(r for r in extract.records if r["id"] == sid(8))
    assert voiding["result"] is None and voiding["context"] is None
    assert json.loads(voiding["object"]) == {"objectType": "StatementRef", "id": sid(3)}


def test_since_watermark_and_until(start):
    srv = start("gs_lrs")
    conn = lrs_conn(srv, page_size=2)
    [extract] = xapi.pull(conn, {"statements": "2024-05-01T10:00:05.000Z"}, UNTIL)
    # since is sent a week (the default look-back) early; the client keeps stored > watermark
    assert [r["id"] for r in extract.records] == [sid(6), sid(7), sid(8)]
    query = parse_qs(urlsplit(srv.request_log[0][1]).query)
    assert query["since"] == ["2024-04-24T10:00:05Z"]
    assert query["until"] == ["2025-01-01T00:00:00Z"]
    assert extract.warnings == []  # a conforming LRS: nothing to reconcile

    srv.clear_log()
    no_lookback = lrs_conn(srv, page_size=2, since_lookback_days=0)
    [extract] = xapi.pull(no_lookback, {"statements": "2024-05-01T10:00:05.000Z"}, UNTIL)
    assert [r["id"] for r in extract.records] == [sid(6), sid(7), sid(8)]
    query = parse_qs(urlsplit(srv.request_log[0][1]).query)
    assert query["since"] == ["2024-05-01T10:00:05.000Z"]  # the watermark exactly as stored

    until = datetime(2024, 5, 1, 10, 0, 4, tzinfo=UTC)
    [extract] = xapi.pull(conn, {}, until)
    assert [r["id"] for r in extract.records] == [sid(1), sid(2), sid(4)]
    assert extract.watermark_to == "2024-05-01T10:00:04Z"

    [extract] = xapi.pull(conn, {"statements": "2024-05-01T10:00:08Z"}, UNTIL)
    assert extract.records == []
    assert extract.watermark_to == "2024-05-01T10:00:08Z"


def test_expired_more_restarts_from_the_watermark(start):
    srv = start("gs_lrs", "expired_cursor")
    [extract] = xapi.pull(lrs_conn(srv, page_size=2), {}, UNTIL)
    ids = [r["id"] for r in extract.records]
    assert sorted(ids) == [sid(n) for n in (1, 2, 4, 5, 6, 7, 8)]
    assert any(status == 410 for _, _, status in srv.request_log)


def test_bad_credentials_are_an_auth_error(start):
    srv = start("gs_lrs", "bad_token")
    with pytest.raises(AuthError) as err:
        xapi.pull(lrs_conn(srv), {}, UNTIL)
    assert len(srv.request_log) == 1
    assert "401" in str(err.value)
    assert srv.credentials["password"] not in str(err.value)


@pytest.mark.parametrize("scenario", ["flaky_5xx", "truncated_json", "slow"])
def test_transient_faults_give_the_same_result(start, scenario):
    from sandbox.servers import FaultConfig

    faults = FaultConfig.scenario(scenario)
    if scenario == "slow":
        faults = faults.replace(slow_seconds=1.0)
    srv = start("gs_lrs", faults)
    [extract] = xapi.pull(lrs_conn(srv, page_size=2, timeout=0.4), {}, UNTIL)
    assert len(extract.records) == 7
    assert any(r.fault for r in srv.request_records)


def test_version_header_and_basic_auth_on_every_request():
    seen: list[httpx.Request] = []
    pages = {
        "/lrs/data/xAPI/statements": {"statements": [], "more": "/lrs/data/xAPI/more/p2"},
        "/lrs/data/xAPI/more/p2": {"statements": []},
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=pages[request.url.path])

    transport = httpx.MockTransport(handler)
    original = HttpClient.__init__

    def patched(self, *args, **kwargs):
        kwargs["transport"] = transport
        original(self, *args, **kwargs)

    conn = ApiConnection("https://lrs.example/lrs/data/xAPI", username="u", password="secret-pw")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(HttpClient, "__init__", patched)
        [extract] = xapi.pull(conn, {}, UNTIL)
    assert extract.records == [] and len(extract.pages) == 2
    assert [r.url.path for r in seen] == ["/lrs/data/xAPI/statements", "/lrs/data/xAPI/more/p2"]
    for request in seen:
        assert request.headers["X-Experience-API-Version"] == "1.0.3"
        assert request.headers["Authorization"].startswith("Basic ")
    assert all("secret-pw" not in page.source for page in extract.pages)


class _ExpiringLrs:
    """An LRS (httpx handler) whose ``more`` links stop working ``chain`` pages into a query,
    as links that expire by time do on a long pull: ``since`` exclusive, ``stored`` order."""

    def __init__(self, count: int, chain: int):
        self.stored = [f"2024-05-01T10:00:{n:02d}Z" for n in range(1, count + 1)]
        self.chain = chain
        self.refused = 0

    def statement(self, n: int) -> dict:
        return {
            "id": sid(n),
            "actor": {"mbox": f"mailto:l{n}@x.org"},
            "verb": {"id": "http://adlnet.gov/expapi/verbs/completed"},
            "object": {"id": "https://lrs.example/a/1"},
            "timestamp": self.stored[n - 1],
            "stored": self.stored[n - 1],
        }

    def __call__(self, request: httpx.Request) -> httpx.Response:
        query = dict(request.url.params)
        if request.url.path.endswith("/statements"):
            since, depth = query.get("since", ""), 0
        else:  # /more/<since>/<depth>
            *_, since, depth_text = request.url.path.split("/")
            depth = int(depth_text)
            if depth >= self.chain:
                self.refused += 1
                return httpx.Response(410, json={"error": "more link expired"})
            since = since.replace("_", ":")
        after = [n for n, s in enumerate(self.stored, 1) if s > since]
        page = after[depth * 2 : depth * 2 + 2]
        more = f"/xapi/more/{since.replace(':', '_')}/{depth + 1}" if after[depth * 2 + 2 :] else ""
        return httpx.Response(
            200, json={"statements": [self.statement(n) for n in page], "more": more}
        )


def _pull_from(lrs: _ExpiringLrs, **settings) -> list:
    conn = ApiConnection(
        "https://lrs.example/xapi", username="u", password="p", page_size=2, **settings
    )
    original = HttpClient.__init__

    def patched(self, *args, **kwargs):
        kwargs["transport"] = httpx.MockTransport(lrs)
        original(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(HttpClient, "__init__", patched)
        [extract] = xapi.pull(conn, {}, UNTIL)
    return extract.records


def test_a_long_pull_may_restart_often_as_long_as_each_restart_gets_further():
    """More restarts than MAX_RESTARTS in one pull, each bringing new statements: every
    statement lands once."""
    lrs = _ExpiringLrs(count=30, chain=3)
    records = _pull_from(lrs, pages_per_part=1, since_lookback_days=0)
    assert lrs.refused > xapi.MAX_RESTARTS
    assert [r["id"] for r in records] == [sid(n) for n in range(1, 31)]


def test_restarts_that_bring_nothing_new_give_up():
    """An LRS whose links expire before the pull passes its floor again: MAX_RESTARTS restarts
    in a row with no new statement, then a clear error (the task's retry comes back later)."""
    lrs = _ExpiringLrs(count=30, chain=1)
    with pytest.raises(PlatformError, match="without a new statement"):
        _pull_from(lrs, pages_per_part=10, since_lookback_days=0)
    assert lrs.refused == xapi.MAX_RESTARTS + 1


# --------------------------------------------------------------------------- since look-back
# Two nights against an LRS that grows between them. Night 1 (first load, until 2 June 00:00)
# sees "regular" statements (stored minutes after their timestamp) and a few synced late but
# before the night; between the nights the LRS stores more regular ones, back-dated ones (an
# offline app syncing days later) and, during night 2, one after its until.
NIGHT1 = datetime(2024, 6, 2, tzinfo=UTC)
NIGHT2 = datetime(2024, 6, 3, tzinfo=UTC)


def lrs_statement(n: int, timestamp: str, stored: str) -> dict:
    return {
        "id": f"10000000-0000-4000-8000-{n:012d}",
        "actor": {"objectType": "Agent", "name": f"Learner {n}", "mbox": f"mailto:l{n}@x.org"},
        "verb": {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "did"}},
        "object": {"objectType": "Activity", "id": f"https://learning.itu.int/a/{n % 4}"},
        "timestamp": timestamp,
        "stored": stored,
    }


def night_statements() -> tuple[list[dict], list[dict], set[str]]:
    """(stored before night 1, stored after it, ids of the back-dated ones stored after it)."""
    before = [  # regular, 1 June 08:30 .. 13:00, stored 2 minutes later
        lrs_statement(
            n,
            f"2024-06-01T{8 + n // 2:02d}:{30 * (n % 2):02d}:00Z",
            f"2024-06-01T{8 + n // 2:02d}:{30 * (n % 2) + 2:02d}:00Z",
        )
        for n in range(1, 11)
    ]
    before += [  # synced late, but before night 1 (stored 13:10 .. 13:30)
        lrs_statement(20 + k, f"2024-05-29T1{k}:00:00Z", f"2024-06-01T13:{10 * k:02d}:00Z")
        for k in (1, 2, 3)
    ]
    after = [  # regular, 2 June 08:00 .. 11:30
        lrs_statement(
            30 + k,
            f"2024-06-02T{8 + k // 2:02d}:{30 * (k % 2):02d}:00Z",
            f"2024-06-02T{8 + k // 2:02d}:{30 * (k % 2) + 1:02d}:00Z",
        )
        for k in range(8)
    ]
    backdated = [  # stored 2 June, happened 1..5 days before night 1's watermark
        lrs_statement(40 + k, f"2024-05-{31 - k:02d}T09:15:00Z", f"2024-06-02T12:{10 * k:02d}:00Z")
        for k in range(5)
    ]
    # stored during night 2, after its until: the next night's, not this one's
    late = [lrs_statement(50, "2024-06-01T00:00:00Z", "2024-06-03T00:20:00Z")]
    return before, after + backdated + late, {s["id"] for s in backdated}


def write_lrs_tree(root, statements: list[dict]):
    folder = root / "gs_lrs"
    folder.mkdir(parents=True)
    ordered = sorted(statements, key=lambda s: s["stored"])
    (folder / "statements.json").write_text(json.dumps(ordered), encoding="utf-8")
    return root


def two_nights(start, tmp_path, faults: str, **conn_options) -> tuple[list[str], set[str], list]:
    """Landed ids over both nights (in landing order), the ids the LRS holds stored up to night
    2's until, and the two extracts."""
    before, after, _ = night_statements()
    night1 = start("gs_lrs", faults, data_dir=write_lrs_tree(tmp_path / "n1", before))
    [first] = xapi.pull(lrs_conn(night1, page_size=3, **conn_options), {}, NIGHT1)
    night2 = start("gs_lrs", faults, data_dir=write_lrs_tree(tmp_path / "n2", before + after))
    watermarks = {"statements": first.watermark_to}
    [second] = xapi.pull(lrs_conn(night2, page_size=3, **conn_options), watermarks, NIGHT2)
    assert second.watermark_from == first.watermark_to
    live = {s["id"] for s in before + after if s["stored"] <= "2024-06-03T00:00:00Z"}
    landed = [r["id"] for r in first.records] + [r["id"] for r in second.records]
    return landed, live, [first, second]


@pytest.mark.parametrize("faults", ["none", "timestamp_window"])
def test_two_nights_land_every_statement_exactly_once(start, tmp_path, faults):
    landed, live, (first, second) = two_nights(start, tmp_path, faults)
    assert len(landed) == len(set(landed))  # nothing twice
    assert set(landed) == live  # nothing lost
    assert first.watermark_to == "2024-06-01T13:30:00Z"
    assert second.watermark_to == "2024-06-02T12:40:00Z"
    if faults == "none":
        assert first.warnings == second.warnings == []
    else:
        # the LRS showed it filters on timestamp (a statement stored after until came back)
        assert second.warnings and "does not filter/order on stored" in second.warnings[0]


def test_without_the_look_back_back_dated_statements_are_lost(start, tmp_path):
    _, _, backdated = night_statements()
    landed, live, _ = two_nights(start, tmp_path, "timestamp_window", since_lookback_days=0)
    assert len(landed) == len(set(landed))
    assert live - set(landed) == backdated  # exactly the back-dated ones, both nights "green"


def test_back_dated_beyond_the_look_back_is_the_known_limit(start, tmp_path):
    # the look-back is a bound, not a guarantee: with 2 days, the ones back-dated further go
    _, _, backdated = night_statements()
    landed, live, _ = two_nights(start, tmp_path, "timestamp_window", since_lookback_days=2)
    lost = live - set(landed)
    assert lost and lost < backdated


@pytest.mark.parametrize("pages_per_part", [1, 10])
def test_statements_after_consistent_through_are_left_to_the_next_run(
    start, tmp_path, pages_per_part
):
    # an LRS still indexing: consistent through 90 minutes before its newest stored, so the
    # statements stored after that may still be joined by others with an older stored (the
    # pull in one part, or one part per page: the same statements are left)
    from sandbox.servers import FaultConfig

    stored = [datetime(2024, 6, 1, 8 + k, tzinfo=UTC) for k in range(5)]  # 08:00 .. 12:00
    statements = [
        lrs_statement(60 + k, iso_utc(at - timedelta(minutes=1)), iso_utc(at))
        for k, at in enumerate(stored)
    ]
    lagging = FaultConfig(consistency_lag_seconds=90 * 60)  # through 10:30
    srv = start("gs_lrs", lagging, data_dir=write_lrs_tree(tmp_path, statements))
    conn = lrs_conn(srv, page_size=2, pages_per_part=pages_per_part)
    [extract] = xapi.pull(conn, {}, NIGHT1)
    assert [r["id"] for r in extract.records] == [s["id"] for s in statements[:3]]
    assert extract.watermark_to == "2024-06-01T10:00:00Z"  # the next run takes the other two
    assert any("consistent-through 2024-06-01T10:30:00Z" in w for w in extract.warnings)

    # a new try after every landed part: the tally travels in the state, so the same warnings
    state, parts = None, []
    while not parts or parts[-1].final is None:
        attempt = xapi.pull_parts(conn, {}, NIGHT1, state)
        parts.append(next(attempt))
        attempt.close()
        state = parts[-1].state
    [resumed] = collect_parts(parts, xapi.ENTITIES)
    assert resumed.records == extract.records
    assert (resumed.watermark_to, resumed.warnings) == (extract.watermark_to, extract.warnings)

    srv.set_faults(None)  # indexing caught up: the next run lands the rest
    watermarks = {"statements": extract.watermark_to}
    [extract] = xapi.pull(conn, watermarks, NIGHT1)
    assert [r["id"] for r in extract.records] == [s["id"] for s in statements[3:]]
    assert extract.warnings == []


def test_parts_hold_a_few_pages_each_and_join_to_the_whole_pull(start):
    srv = start("gs_lrs")
    [whole] = xapi.pull(lrs_conn(srv, page_size=2, pages_per_part=100), {}, UNTIL)
    parts = list(xapi.pull_parts(lrs_conn(srv, page_size=2, pages_per_part=2), {}, UNTIL))
    assert len(whole.pages) == 4 and len(parts) == 2
    for part in parts:
        [extract] = part.extracts
        assert len(extract.pages) == 2
        assert (part.final is not None) == (part is parts[-1])
    assert parts[0].state["more"] and parts[-1].state["more"] is None
    [joined] = collect_parts(parts, xapi.ENTITIES)
    assert joined.records == whole.records
    assert [(p.name, p.content) for p in joined.pages] == [(p.name, p.content) for p in whole.pages]
    assert (joined.watermark_from, joined.watermark_to) == (
        whole.watermark_from,
        whole.watermark_to,
    )


def test_a_resumed_pull_goes_on_from_the_saved_more_link(start):
    srv = start("gs_lrs")
    conn = lrs_conn(srv, page_size=2, pages_per_part=1)
    [whole] = xapi.pull(conn, {}, UNTIL)
    first = next(xapi.pull_parts(conn, {}, UNTIL))
    srv.clear_log()
    rest = list(xapi.pull_parts(conn, {}, UNTIL, first.state))
    # the rest of the chain only, from the saved link
    assert len(srv.request_log) == len(whole.pages) - 1
    assert urlsplit(srv.request_log[0][1]).path.endswith(first.state["more"].split("?")[0])
    [joined] = collect_parts([first, *rest], xapi.ENTITIES)
    assert joined.records == whole.records
    assert joined.watermark_to == whole.watermark_to


def test_a_refused_saved_link_loses_nothing_on_an_lrs_ordering_by_timestamp(start, tmp_path):
    # the first part holds one back-dated statement (stored 2 June, happened 27 May): going on
    # from its stored would skip, on such an LRS, every statement that happened before 2 June
    before, after, backdated = night_statements()
    tree = write_lrs_tree(tmp_path, before + after)
    options = {"page_size": 1, "pages_per_part": 1, "since_lookback_days": 0}
    srv = start("gs_lrs", "timestamp_window", data_dir=tree)
    [whole] = xapi.pull(lrs_conn(srv, **options), {}, UNTIL)
    first = next(xapi.pull_parts(lrs_conn(srv, **options), {}, UNTIL))
    assert first.extracts[0].records[0]["id"] in backdated
    again = start("gs_lrs", "timestamp_window", data_dir=tree)  # a new run: the link is refused
    rest = list(xapi.pull_parts(lrs_conn(again, **options), {}, UNTIL, first.state))
    assert again.request_log[0][2] == 410
    [joined] = collect_parts([first, *rest], xapi.ENTITIES)
    ids = [r["id"] for r in joined.records]
    assert len(ids) == len(set(ids)) == len(whole.records)
    assert set(ids) == {r["id"] for r in whole.records}
    assert joined.watermark_to == whole.watermark_to


def test_the_state_stays_bounded_however_long_the_pull(start, sandbox_tree):
    # one page of five statements per part, over the session's sandbox: by part 20 ten times the
    # statements of part 2 are kept, yet the state (rewritten after every part) is no bigger,
    # but for the digits of its counts: it holds only the ids a restart could bring again
    srv = start("gs_lrs", data_dir=sandbox_tree)
    conn = lrs_conn(srv, page_size=5, pages_per_part=1, since_lookback_days=0)
    parts = xapi.pull_parts(conn, {}, SANDBOX_NIGHT)
    states = [next(parts).state for _ in range(20)]
    parts.close()
    second, twentieth = states[1], states[19]
    assert twentieth["tally"]["kept"] >= 5 * second["tally"]["kept"] > 0
    assert len(json.dumps(twentieth)) <= len(json.dumps(second)) + COUNT_DIGITS
    # with the default look-back, the ids held are those of the statements within it
    lookback = timedelta(days=ApiConnection("x").since_lookback_days)
    for state in xapi.pull_parts(lrs_conn(srv, page_size=5, pages_per_part=1), {}, SANDBOX_NIGHT):
        tally = state.state["tally"]
        floor = datetime.fromisoformat(tally["floor"]) if tally["floor"] else None
        if floor is not None:  # where a restart would ask from: the last stored, less it
            assert tally["by_stored"] and not tally["by_timestamp"]  # the sandbox LRS, by xAPI
            assert floor >= datetime.fromisoformat(tally["previous"]) - lookback - timedelta(
                seconds=1
            )
        for at in tally["seen"].values():
            assert floor is None or datetime.fromisoformat(at) >= floor


def test_a_statement_sent_twice_in_one_pull_lands_once_and_is_counted(start, tmp_path):
    statements = [
        lrs_statement(n, f"2024-06-01T08:{n:02d}:00Z", f"2024-06-01T09:{n:02d}:00Z")
        for n in range(1, 9)
    ]
    tree = write_lrs_tree(tmp_path, [*statements, statements[4]])  # the LRS holds one twice
    srv = start("gs_lrs", data_dir=tree)
    parts = list(xapi.pull_parts(lrs_conn(srv, page_size=1, pages_per_part=1), {}, UNTIL))
    [extract] = collect_parts(parts, xapi.ENTITIES)
    assert [r["id"] for r in extract.records] == [s["id"] for s in statements]
    assert parts[-1].state["tally"]["duplicates"] == 1


def test_an_lrs_in_neither_order_starts_over_on_an_expired_link(start, tmp_path):
    # no stored on the first statement and timestamps back and forth: the LRS orders on neither
    # field, so no point short of the start is safe to ask again from; the pull starts over
    statements = [{**lrs_statement(1, "2024-06-01T07:00:00Z", "x"), "stored": None}]
    statements += [
        lrs_statement(n, f"2024-05-{10 + (n * 7) % 20:02d}T08:00:00Z", f"2024-06-01T09:{n:02d}:00Z")
        for n in range(2, 10)
    ]
    tree = write_lrs_tree(tmp_path, statements[1:])
    ordered = [statements[0], *json.loads((tree / "gs_lrs" / "statements.json").read_text())]
    (tree / "gs_lrs" / "statements.json").write_text(json.dumps(ordered), encoding="utf-8")
    [whole] = xapi.pull(lrs_conn(start("gs_lrs", data_dir=tree), page_size=2), {}, UNTIL)
    srv = start("gs_lrs", "expired_cursor", data_dir=tree)
    [again] = xapi.pull(lrs_conn(srv, page_size=2), {}, UNTIL)
    assert [status for _, _, status in srv.request_log].count(410) == 1
    # the rows of an uninterrupted pull (two servers: the sources name other ports)
    assert [{**r, "_source": None} for r in again.records] == [
        {**r, "_source": None} for r in whole.records
    ]
    assert len(again.pages) == len(whole.pages)
    assert (again.watermark_to, again.warnings) == (whole.watermark_to, whole.warnings)
