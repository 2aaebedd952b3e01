"""Validation with the real Great Expectations and the committed suites (no mocks).

One GX context is shared by the whole module (``CAPDEV_DATA_DIR`` stays on one temporary folder;
the GX import costs seconds once). Frames are tiny clean batches per suite, each test spoiling
one thing.
"""

from __future__ import annotations

import html
import json
import logging
import re
import time
from datetime import UTC, datetime, timedelta

import polars as pl
import pytest

from ingestion import config
from ingestion.raw.validation import BatchRejected, ValidationOutcome, validate_batch
from ingestion.raw.validation import suites as suite_files

LOADED_AT = datetime.now(UTC) - timedelta(hours=1)
PAST = int(datetime(2024, 3, 1, tzinfo=UTC).timestamp())
FUTURE_EPOCH = int((datetime.now(UTC) + timedelta(days=30)).timestamp())
FUTURE_ISO = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
COUNTRY_ALIASES = """alias,iso2
Kenya,KE
Switzerland,CH
Suisse,CH
Senegal,SN
Sénégal,SN
France,FR
"""

STATEMENT_RESULT = {"score": {"scaled": 0.8, "raw": 8, "min": 0, "max": 10}, "success": True}


def _statement(n: int, verb: str = "completed", result: dict | None = STATEMENT_RESULT) -> dict:
    sid = f"6f1c3a52-94c1-4d3e-9a0b-{n:012d}"
    actor = {"objectType": "Agent", "name": "Ana Diaz", "mbox": f"mailto:ana{n}@example.org"}
    verb_obj = {"id": f"http://adlnet.gov/expapi/verbs/{verb}", "display": {"en-US": verb}}
    obj = {"objectType": "Activity", "id": "https://academy.itu.int/xapi/activities/ai-101"}
    statement = {"id": sid, "actor": actor, "verb": verb_obj, "object": obj}
    if result is not None:
        statement["result"] = result
    return {
        "id": sid,
        "stored": f"2024-05-01T10:00:0{n}.000Z",
        "timestamp": f"2024-05-01T09:59:0{n}+02:00",
        "verb_id": verb_obj["id"],
        "actor": json.dumps(actor),
        "verb": json.dumps(verb_obj),
        "object": json.dumps(obj),
        "result": json.dumps(result) if result is not None else None,
        "context": json.dumps({"platform": "GS LMS", "language": "en"}),
        "statement": json.dumps(statement),
    }


def _user(uid: int, **extra) -> dict:
    return {
        "courseid": 2,
        "id": uid,
        "username": f"user{uid}",
        "firstname": "Amina",
        "lastname": "Odhiambo",
        "fullname": "Amina Odhiambo",
        "email": f"amina{uid}@example.org",
        "department": "",
        "institution": "CA Kenya",
        "idnumber": "",
        "city": "Nairobi",
        "country": "KE",
        "firstaccess": PAST,
        "lastaccess": PAST + 500,
        "lastcourseaccess": PAST + 400,
        "customfields": json.dumps([{"type": "text", "value": "Female", "shortname": "gender"}]),
        "roles": json.dumps([{"roleid": 5, "name": "", "shortname": "student"}]),
        **extra,
    }


CLEAN: dict[tuple[str, str], list[dict]] = {
    ("academy", "categories"): [
        {
            "id": 1,
            "name": "Telecom",
            "description": "<p>ICT</p>",
            "parent": 0,
            "sortorder": 1,
            "coursecount": 2,
            "depth": 1,
            "path": "/1",
        },
        {
            "id": 4,
            "name": "Spectrum",
            "description": "",
            "parent": 1,
            "sortorder": 2,
            "coursecount": 1,
            "depth": 2,
            "path": "/1/4",
        },
        {
            "id": 5,
            "name": "Policy",
            "description": None,
            "parent": 1,
            "sortorder": 3,
            "coursecount": 0,
            "depth": 2,
            "path": "/1/5",
        },
    ],
    ("academy", "courses"): [
        {
            "id": 1,
            "fullname": "ITU Academy",
            "displayname": "ITU Academy",
            "shortname": "ITUA",
            "categoryid": 0,
            "categoryname": "",
            "summary": "",
            "format": "site",
            "startdate": 0,
            "enddate": 0,
            "visible": 1,
            "lang": "",
            "enablecompletion": 0,
            "timecreated": PAST,
            "timemodified": PAST,
            "customfields": "[]",
        },
        {
            "id": 2,
            "fullname": '<span lang="en" class="multilang">Spectrum management</span>',
            "displayname": "Spectrum management",
            "shortname": "SM-24",
            "categoryid": 4,
            "categoryname": "Spectrum",
            "summary": "<p>x</p>",
            "format": "topics",
            "startdate": PAST,
            "enddate": PAST + 86_400 * 30,
            "visible": 1,
            "lang": "en",
            "enablecompletion": 1,
            "timecreated": PAST - 1000,
            "timemodified": PAST,
            "customfields": json.dumps([{"shortname": "bureau", "value": "BDT"}]),
        },
        {
            "id": 3,
            "fullname": "Policy",
            "displayname": "Policy",
            "shortname": "POL",
            "categoryid": 5,
            "categoryname": "Policy",
            "summary": None,
            "format": "weeks",
            "startdate": PAST + 86_400 * 400,
            "enddate": 0,
            "visible": 0,
            "lang": "fr",
            "enablecompletion": 0,
            "timecreated": PAST,
            "timemodified": PAST,
            "customfields": "[]",
        },
    ],
    ("academy", "enrolled_users"): [
        _user(10),
        _user(11, email="", country="", firstaccess=0, lastaccess=0, lastcourseaccess=0),
        _user(
            12,
            roles=json.dumps(
                [
                    {"roleid": 3, "name": "", "shortname": "editingteacher"},
                    {"roleid": 5, "name": "", "shortname": "student"},
                ]
            ),
        ),
        _user(13, roles="[]", country="FR"),
    ],
    ("academy", "grades"): [
        {
            "courseid": 2,
            "userid": 10,
            "userfullname": "A O",
            "itemid": 100,
            "itemname": None,
            "itemtype": "course",
            "graderaw": 85.5,
            "grademin": 0.0,
            "grademax": 100.0,
            "gradedategraded": PAST,
            "percentageformatted": "85.50 %",
        },
        {
            "courseid": 2,
            "userid": 10,
            "userfullname": "A O",
            "itemid": 101,
            "itemname": "Quiz",
            "itemtype": "mod",
            "graderaw": None,
            "grademin": 0.0,
            "grademax": 10.0,
            "gradedategraded": None,
            "percentageformatted": "-",
        },
        {
            "courseid": 2,
            "userid": 12,
            "userfullname": "B C",
            "itemid": 100,
            "itemname": None,
            "itemtype": "course",
            "graderaw": 100.0,
            "grademin": 0.0,
            "grademax": 100.0,
            "gradedategraded": PAST,
            "percentageformatted": "100.00 %",
        },
    ],
    ("academy", "completions"): [
        {
            "courseid": 2,
            "userid": 10,
            "completed": True,
            "aggregation": 1,
            "completions": json.dumps([{"type": 4, "complete": True, "timecompleted": PAST}]),
        },
        {"courseid": 2, "userid": 12, "completed": False, "aggregation": 1, "completions": "[]"},
    ],
    ("academy", "customcerts"): [
        {"id": 1, "course": 2, "name": "Certificate of completion", "coursemodule": 55},
        {"id": 2, "course": 3, "name": "Attestation", "coursemodule": 56},
    ],
    ("academy", "certificates"): [
        {
            "issue_id": 1,
            "issue_customcertid": 1,
            "issue_code": "X7K2P9",
            "issue_emailed": 1,
            "issue_timecreated": PAST,
            "user_id": 10,
            "user_fullname": "Amina Odhiambo",
            "user_username": "user10",
            "user_email": "amina10@example.org",
            "template_id": 1,
            "template_name": "Completion",
        },
        {
            "issue_id": 2,
            "issue_customcertid": 1,
            "issue_code": "Q2W3E4",
            "issue_emailed": 0,
            "issue_timecreated": PAST + 60,
            "user_id": 12,
            "user_fullname": "B C",
            "user_username": "user12",
            "user_email": None,
            "template_id": 1,
            "template_name": "Completion",
        },
    ],
    ("tsb_events", "events"): [
        {
            "event_id": "TSB-2024-WS-017",
            "title": "AI for Good workshop",
            "event_type": "Workshop",
            "study_group": "SG17",
            "starts_at": "2024-03-14T09:00:00+01:00",
            "ends_at": "2024-03-15T08:30:00Z",
            "venue_city": "Geneva",
            "venue_country": "Switzerland",
            "format": "hybrid",
            "languages": '["en", "fr"]',
            "updated_at": "2024-03-20T10:00:00Z",
        },
        {
            "event_id": "TSB-2024-WB-003",
            "title": "Webinar",
            "event_type": "Webinar",
            "study_group": None,
            "starts_at": "2024-04-02T14:00:00+00:00",
            "ends_at": None,
            "venue_city": None,
            "venue_country": None,
            "format": "virtual",
            "languages": '["en"]',
            "updated_at": "2024-04-03T10:00:00.123456+00:00",
        },
    ],
    ("tsb_events", "registrations"): [
        {
            "event_id": "TSB-2024-WS-017",
            "registration_id": "R-0001",
            "person_title": "Ms",
            "person_first_name": "Amina",
            "person_last_name": "Odhiambo",
            "person_email": "amina@ca.go.ke",
            "person_organization": "CA Kenya",
            "person_organization_type": "Member State",
            "person_country": "Kenya",
            "gender": "F",
            "registered_at": "2024-02-01T08:00:00+03:00",
            "attended": True,
            "attendance_days": 2,
            "updated_at": "2024-03-16T10:00:00Z",
        },
        {
            "event_id": "TSB-2024-WS-017",
            "registration_id": "R-0002",
            "person_title": None,
            "person_first_name": "Jean",
            "person_last_name": "Dupont",
            "person_email": None,
            "person_organization": "Orange",
            "person_organization_type": "Sector Member",
            "person_country": "France",
            "gender": None,
            "registered_at": "2024-02-03T08:00:00Z",
            "attended": None,
            "attendance_days": None,
            "updated_at": "2024-03-16T10:00:00Z",
        },
    ],
    ("gs_lrs", "statements"): [
        _statement(1),
        _statement(2, "registered", result=None),
        _statement(3, "passed", {"score": {"scaled": -0.5}, "success": True}),
        _statement(4, "voided", result=None),
    ],
    ("br_seminars", "seminars"): [
        {
            "seminar_key": "WRS-2024",
            "source_file": "WRS-2024.xlsx",
            "seminar": "World Radiocommunication Seminar 2024",
            "type": "WRS",
            "dates": "14-18 March 2024",
            "venue": "Geneva",
            "region": "Global",
        },
        {
            "seminar_key": "RRS-AFR-2023",
            "source_file": "RRS-AFR-2023.csv",
            "seminar": "Séminaire régional des radiocommunications",
            "type": "RRS-Africa",
            "dates": "du 14 au 18 mars 2023",
            "venue": "Dakar",
            "region": "Afrique",
        },
    ],
    ("br_seminars", "participants"): [
        {
            "seminar_key": "WRS-2024",
            "source_file": "WRS-2024.xlsx",
            "no": "1",
            "last_name": "DUPONT",
            "first_name": "Jean",
            "country": "Suisse",
            "organization": "OFCOM",
            "email": "jean.dupont@bakom.admin.ch",
            "gender": "H",
            "exam": "15,5",
            "certificate": "Oui",
        },
        {
            "seminar_key": "WRS-2024",
            "source_file": "WRS-2024.xlsx",
            "no": "2",
            "last_name": "Diallo",
            "first_name": "Awa",
            "country": "Senegal",
            "organization": "ARTP",
            "email": None,
            "gender": "f",
            "exam": "ABS",
            "certificate": "no",
        },
        {
            "seminar_key": "WRS-2024",
            "source_file": "WRS-2024.xlsx",
            "no": "3",
            "last_name": "Smith",
            "first_name": "John",
            "country": "Kenya",
            "organization": "CA",
            "email": "js@ca.go.ke",
            "gender": " M ",
            "exam": "20",
            "certificate": "Yes",
        },
    ],
    ("regional_offices", "participants"): [
        {
            "office": "africa",
            "source_file": "ateliers_2024.csv",
            "activity_title": "Atelier sur la gestion du spectre",
            "activity_type": "Atelier",
            "start_date": "2024-03-14",
            "end_date": "2024-03-16",
            "city": "Dakar",
            "venue_country": "Sénégal",
            "full_name": "Awa Diallo",
            "first_name": None,
            "last_name": None,
            "name_latin": None,
            "email": "awa@artp.sn",
            "country": "Senegal",
            "organization": "ARTP",
            "gender": "Femme",
            "satisfaction": "4",
            "start_date_raw": "14/03/2024",
            "end_date_raw": "16/03/2024",
        },
        {
            "office": "africa",
            "source_file": "ateliers_2024.csv",
            "activity_title": "Atelier sur la gestion du spectre",
            "activity_type": "atelier",
            "start_date": "2024-03-14",
            "end_date": "2024-03-14",
            "city": "Dakar",
            "venue_country": "Sénégal",
            "full_name": "Moussa Ba",
            "first_name": None,
            "last_name": None,
            "name_latin": None,
            "email": None,
            "country": "SN",
            "organization": None,
            "gender": "H",
            "satisfaction": None,
            "start_date_raw": "14/03/2024",
            "end_date_raw": "14/03/2024",
        },
    ],
}

INT_TYPED = {
    ("academy", "enrolled_users"): "id",
    ("academy", "grades"): "itemid",
    ("academy", "certificates"): "issue_id",
    ("tsb_events", "registrations"): "attendance_days",  # nullable
}


def frame(platform: str, entity: str, rows: list[dict] | None = None, **lineage) -> pl.DataFrame:
    """A landed batch: the records plus the lineage columns of docs/raw-zone.md."""
    rows = CLEAN[(platform, entity)] if rows is None else rows
    batch_id = f"{platform}__{entity}__20240301"
    records = []
    for number, row in enumerate(rows, start=1):
        records.append(
            {
                **row,
                "_platform": platform,
                "_entity": entity,
                "_batch_id": batch_id,
                "_source": f"{platform}:{entity}?page=1",
                "_row_number": number,
                "_loaded_at": LOADED_AT,
                "_parse_error": None,
                **{k: v[number - 1] if isinstance(v, list) else v for k, v in lineage.items()},
            }
        )
    return pl.DataFrame(records, infer_schema_length=None).with_columns(
        pl.col("_parse_error").cast(pl.String), pl.col("_row_number").cast(pl.Int64)
    )


def spoil(platform: str, entity: str, changes: dict[int, dict]) -> pl.DataFrame:
    """The clean batch with some rows (1-based) changed."""
    rows = [dict(r) for r in CLEAN[(platform, entity)]]
    for number, change in changes.items():
        rows[number - 1].update(change)
    return frame(platform, entity, rows)


def run(df: pl.DataFrame, platform: str, entity: str, **kwargs) -> ValidationOutcome:
    kwargs.setdefault("batch_id", f"{platform}__{entity}__20240301")
    kwargs.setdefault("source", f"{platform}:{entity}?page=1")
    outcome = validate_batch(df, platform=platform, entity=entity, **kwargs)
    assert outcome.rows_in == outcome.rows_accepted + outcome.rows_quarantined == df.height
    assert outcome.accepted.columns == df.columns
    assert outcome.quarantined.columns == [*df.columns, "_reasons"]
    return outcome


def reasons_by_row(outcome: ValidationOutcome) -> dict[int, list[str]]:
    return dict(outcome.quarantined.select("_row_number", "_reasons").iter_rows())


@pytest.fixture(scope="module", autouse=True)
def gx_data_dir(tmp_path_factory):
    """One data folder (hence one GX context) and one country aliases file for the module."""
    mp = pytest.MonkeyPatch()
    root = tmp_path_factory.mktemp("validation")
    aliases = root / "country_aliases.csv"
    aliases.write_text(COUNTRY_ALIASES, encoding="utf-8")
    mp.setenv("CAPDEV_DATA_DIR", str(root / "data"))
    mp.setenv("CAPDEV_COUNTRY_ALIASES", str(aliases))
    mp.delenv("CAPDEV_VALUE_SETS", raising=False)
    yield root
    mp.undo()


ALL = sorted(CLEAN)
# One entity per platform, for the checks that do not depend on the suite's content.
ONE_PER_PLATFORM = [
    ("academy", "enrolled_users"),
    ("tsb_events", "registrations"),
    ("gs_lrs", "statements"),
    ("br_seminars", "participants"),
    ("regional_offices", "participants"),
]


def test_every_suite_has_a_clean_example():
    assert {(s.platform, s.entity) for s in suite_files.load_all_suites()} == set(CLEAN)


@pytest.mark.parametrize(("platform", "entity"), ALL)
def test_clean_batch_is_accepted(platform, entity):
    outcome = run(frame(platform, entity), platform, entity)
    assert outcome.failed_expectations == {}
    assert outcome.status == "accepted"
    assert outcome.rows_quarantined == 0
    assert outcome.accepted.equals(frame(platform, entity))


# --------------------------------------------------------------------------- structural faults


def _assert_rejection(exc: BatchRejected, platform: str, entity: str, label: str) -> None:
    message = str(exc)
    assert platform in message and entity in message
    assert f"{platform}__{entity}__20240301" in message  # the batch
    assert f"{platform}:{entity}?page=1" in message  # the source request / file
    assert label in message, message
    assert any(failed == label for failed, _ in exc.failures), exc.failures


# (unit tests check that every suite has expect_column_to_exist for each of its columns)
@pytest.mark.parametrize(("platform", "entity"), ONE_PER_PLATFORM)
def test_missing_column_rejects_the_batch(platform, entity):
    column = suite_files.load_suite(platform, entity).columns[1]
    with pytest.raises(BatchRejected) as caught:
        run(frame(platform, entity).drop(column), platform, entity)
    _assert_rejection(caught.value, platform, entity, f"expect_column_to_exist({column})")


@pytest.mark.parametrize(("platform", "entity"), ONE_PER_PLATFORM)
def test_renamed_column_rejects_the_batch(platform, entity):
    column = suite_files.load_suite(platform, entity).columns[-1]
    renamed = frame(platform, entity).rename({column: column + "_renamed"})
    with pytest.raises(BatchRejected) as caught:
        run(renamed, platform, entity)
    _assert_rejection(caught.value, platform, entity, f"expect_column_to_exist({column})")
    # the row expectations on the missing column are not listed as extra noise
    assert len(caught.value.failures) == 1, caught.value.failures


@pytest.mark.parametrize(("platform", "entity"), ONE_PER_PLATFORM)
def test_empty_batch_where_rows_were_expected_is_rejected(platform, entity):
    empty = frame(platform, entity).clear()
    with pytest.raises(BatchRejected) as caught:
        run(empty, platform, entity)
    label = "expect_table_row_count_to_be_between [non-empty batch]"
    _assert_rejection(caught.value, platform, entity, label)


@pytest.mark.parametrize(("platform", "entity"), ALL)
def test_empty_batch_where_none_were_expected_is_empty(platform, entity):
    outcome = run(frame(platform, entity).clear(), platform, entity, expect_rows=False)
    assert outcome.status == "empty" and outcome.rows_in == 0


@pytest.mark.parametrize(("platform", "entity"), sorted(INT_TYPED))
def test_wrong_type_across_a_column_rejects_the_batch(platform, entity):
    column = INT_TYPED[(platform, entity)]
    df = frame(platform, entity)
    df = df.with_columns(pl.col(column).cast(pl.String))
    with pytest.raises(BatchRejected) as caught:
        run(df, platform, entity)
    label = f"expect_column_values_to_be_in_type_list({column})"
    _assert_rejection(caught.value, platform, entity, label)


def test_an_expectation_that_cannot_run_rejects_the_batch():
    # e.g. dates landed as Date values where the contract says ISO text
    df = frame("regional_offices", "participants").with_columns(pl.col("end_date").str.to_date())
    with pytest.raises(BatchRejected) as caught:
        run(df, "regional_offices", "participants")
    label = "expect_column_values_to_match_strftime_format(end_date)"
    _assert_rejection(caught.value, "regional_offices", "participants", label)
    assert "raised" in str(caught.value)


def test_row_number_must_identify_rows():
    df = frame("academy", "categories").with_columns(pl.lit(1, dtype=pl.Int64).alias("_row_number"))
    with pytest.raises(BatchRejected) as caught:
        run(df, "academy", "categories")
    label = "expect_column_values_to_be_unique(_row_number)"
    _assert_rejection(caught.value, "academy", "categories", label)


def test_snapshot_entity_shrinking_below_a_tenth_of_the_previous_batch_is_rejected():
    df = frame("academy", "categories")  # 3 rows
    assert run(df, "academy", "categories", previous_rows=30).status == "accepted"
    with pytest.raises(BatchRejected) as caught:
        run(df, "academy", "categories", previous_rows=31)
    label = "expect_table_row_count_to_be_between [row count vs previous batch]"
    _assert_rejection(caught.value, "academy", "categories", label)
    # incremental entities may legitimately bring few rows
    users = frame("academy", "enrolled_users")
    assert run(users, "academy", "enrolled_users", previous_rows=10_000).status == "accepted"


# --------------------------------------------------------------------------- row faults

NN = "expect_column_values_to_not_be_null"
UQ = "expect_column_values_to_be_unique"
CU = "expect_compound_columns_to_be_unique"
RX = "expect_column_values_to_match_regex"
IN = "expect_column_values_to_be_in_set"
BT = "expect_column_values_to_be_between"
PAIR = "expect_column_pair_values_a_to_be_greater_than_b"
FUT = "[not in the future]"

ROW_FAULTS = [
    # (platform, entity, {row: changes}, {row: [expected reasons]})
    ("academy", "courses", {2: {"id": None}}, {2: [f"{NN}(id)"]}),
    ("academy", "courses", {3: {"id": 2}}, {2: [f"{UQ}(id)"], 3: [f"{UQ}(id)"]}),
    ("academy", "courses", {2: {"enddate": PAST - 10}}, {2: [f"{PAIR}(enddate,startdate)"]}),
    ("academy", "courses", {3: {"timemodified": FUTURE_EPOCH}}, {3: [f"{BT}(timemodified) {FUT}"]}),
    ("academy", "courses", {1: {"timecreated": -5}}, {1: [f"{BT}(timecreated)"]}),
    (
        "academy",
        "enrolled_users",
        {2: {"id": 10}},
        {1: [f"{CU}(courseid,id)"], 2: [f"{CU}(courseid,id)"]},
    ),
    ("academy", "enrolled_users", {1: {"email": "amina at example.org"}}, {1: [f"{RX}(email)"]}),
    ("academy", "enrolled_users", {3: {"country": "Atlantis"}}, {3: [f"{IN}(country)"]}),
    (
        "academy",
        "enrolled_users",
        {4: {"roles": json.dumps([{"roleid": 99, "shortname": "wizard"}])}},
        {4: [f"{RX}(roles.shortname)"]},
    ),
    (
        "academy",
        "enrolled_users",
        {1: {"lastaccess": FUTURE_EPOCH}},
        {1: [f"{BT}(lastaccess) {FUT}"]},
    ),
    (
        "academy",
        "enrolled_users",
        {2: {"roles": "[{not json"}},
        {2: ["expect_column_values_to_be_json_parseable(roles)"]},
    ),
    ("academy", "grades", {1: {"graderaw": 120.0}}, {1: [f"{PAIR}(grademax,graderaw)"]}),
    ("academy", "grades", {3: {"graderaw": -1.0}}, {3: [f"{PAIR}(graderaw,grademin)"]}),
    (
        "academy",
        "grades",
        {3: {"itemid": 101, "userid": 10}},
        {2: [f"{CU}(courseid,userid,itemid)"], 3: [f"{CU}(courseid,userid,itemid)"]},
    ),
    ("academy", "grades", {2: {"itemtype": "bonus"}}, {2: [f"{IN}(itemtype)"]}),
    ("academy", "completions", {2: {"userid": None}}, {2: [f"{NN}(userid)"]}),
    (
        "academy",
        "certificates",
        {2: {"issue_code": "X7K2P9"}},
        {1: [f"{UQ}(issue_code)"], 2: [f"{UQ}(issue_code)"]},
    ),
    ("academy", "certificates", {1: {"user_email": "nobody@"}}, {1: [f"{RX}(user_email)"]}),
    ("academy", "customcerts", {1: {"name": None}}, {1: [f"{NN}(name)"]}),
    ("academy", "categories", {2: {"path": "1/4"}}, {2: [f"{RX}(path)"]}),
    (
        "tsb_events",
        "events",
        {1: {"ends_at": "2024-03-14T08:30:00+01:00"}},
        {1: [f"{PAIR}(ends_at,starts_at)"]},
    ),
    ("tsb_events", "events", {2: {"starts_at": "2024-13-02T14:00:00Z"}}, {2: [f"{RX}(starts_at)"]}),
    ("tsb_events", "events", {2: {"event_type": "Party"}}, {2: [f"{IN}(event_type)"]}),
    ("tsb_events", "events", {1: {"format": "In person"}}, {1: [f"{IN}(format)"]}),
    ("tsb_events", "events", {1: {"event_id": None}}, {1: [f"{NN}(event_id)"]}),
    ("tsb_events", "registrations", {1: {"gender": "Q"}}, {1: [f"{IN}(gender)"]}),
    (
        "tsb_events",
        "registrations",
        {2: {"registered_at": FUTURE_ISO}},
        {2: [f"{BT}(registered_at) {FUT}"]},
    ),
    (
        "tsb_events",
        "registrations",
        {2: {"person_country": "Narnia"}},
        {2: [f"{IN}(person_country)"]},
    ),
    (
        "tsb_events",
        "registrations",
        {2: {"registration_id": "R-0001"}},
        {1: [f"{CU}(event_id,registration_id)"], 2: [f"{CU}(event_id,registration_id)"]},
    ),
    (
        "gs_lrs",
        "statements",
        {1: _statement(1, result={"score": {"scaled": 1.5, "raw": 8, "min": 0, "max": 10}})},
        {1: [f"{BT}(result.score.scaled)"]},
    ),
    (
        "gs_lrs",
        "statements",
        {1: _statement(1, result={"score": {"scaled": 0.5, "raw": 12, "min": 0, "max": 10}})},
        {1: [f"{PAIR}(result.score.max,result.score.raw)"]},
    ),
    (
        "gs_lrs",
        "statements",
        {2: _statement(2, verb="liked", result=None)},
        {2: [f"{IN}(verb_id)"]},
    ),
    ("gs_lrs", "statements", {3: {"stored": FUTURE_ISO}}, {3: [f"{BT}(stored) {FUT}"]}),
    (
        "gs_lrs",
        "statements",
        {4: {"id": _statement(1)["id"]}},
        {1: [f"{UQ}(id)"], 4: [f"{UQ}(id)"]},
    ),
    (
        "gs_lrs",
        "statements",
        {2: {"actor": json.dumps({"objectType": "Agent", "mbox": "ana@example.org"})}},
        {2: [f"{RX}(actor.mbox)"]},
    ),
    ("br_seminars", "participants", {2: {"gender": "Z"}}, {2: [f"{IN}(gender)"]}),
    (
        "br_seminars",
        "participants",
        {1: {"exam": "21"}, 2: {"exam": "absent"}},
        {1: [f"{RX}(exam)"], 2: [f"{RX}(exam)"]},
    ),
    ("br_seminars", "participants", {3: {"certificate": "Peut-être"}}, {3: [f"{IN}(certificate)"]}),
    ("br_seminars", "participants", {3: {"country": "Atlantide"}}, {3: [f"{IN}(country)"]}),
    ("br_seminars", "participants", {1: {"seminar_key": None}}, {1: [f"{NN}(seminar_key)"]}),
    ("br_seminars", "seminars", {2: {"dates": "mid-March"}}, {2: [f"{RX}(dates) [names a year]"]}),
    ("br_seminars", "seminars", {1: {"type": "Workshop"}}, {1: [f"{RX}(type)"]}),
    ("regional_offices", "participants", {1: {"satisfaction": "6"}}, {1: [f"{RX}(satisfaction)"]}),
    ("regional_offices", "participants", {2: {"gender": "unknown"}}, {2: [f"{IN}(gender)"]}),
    (
        "regional_offices",
        "participants",
        {1: {"end_date": "2024-03-01"}},
        {1: [f"{PAIR}(end_date,start_date)"]},
    ),
    (
        "regional_offices",
        "participants",
        {2: {"start_date": None, "end_date": None}},
        {2: [f"{NN}(start_date)"]},
    ),
    (
        "regional_offices",
        "participants",
        {1: {"end_date": "2024-02-30"}},
        {1: ["expect_column_values_to_match_strftime_format(end_date)"]},
    ),
    (
        "regional_offices",
        "participants",
        {1: {"activity_type": "Picnic"}},
        {1: [f"{IN}(activity_type)"]},
    ),
    (
        "regional_offices",
        "participants",
        {2: {"venue_country": "Wakanda"}},
        {2: [f"{IN}(venue_country)"]},
    ),
]


# Columns holding a key: each fault case is applied to its own copy of the clean batch, and the
# copies' keys are made distinct, so all the faults of a suite are checked in one GX run.
KEYS = {
    ("academy", "categories"): ["id"],
    ("academy", "courses"): ["id"],
    ("academy", "enrolled_users"): ["id"],
    ("academy", "grades"): ["itemid"],
    ("academy", "completions"): ["userid"],
    ("academy", "customcerts"): ["id"],
    ("academy", "certificates"): ["issue_id", "issue_code"],
    ("tsb_events", "events"): ["event_id"],
    ("tsb_events", "registrations"): ["registration_id"],
    ("gs_lrs", "statements"): ["id"],
    ("br_seminars", "seminars"): ["source_file"],
    ("br_seminars", "participants"): ["source_file"],
    ("regional_offices", "participants"): [],
}


def _rekey(value, copy: int):
    if value is None or copy == 0:
        return value
    if isinstance(value, int):
        return value + 100_000 * copy
    if value.startswith("6f1c3a52-94c1-4d3e-9a0b-"):  # a statement UUID
        return value.replace("-9a0b-", f"-{copy:04d}-")
    return f"{value}~{copy}"


def faulty_batch(platform: str, entity: str) -> tuple[pl.DataFrame, dict[int, list[str]]]:
    """The clean batch, then one spoiled copy of it per fault case of the suite."""
    clean = CLEAN[(platform, entity)]
    cases = [(c, e) for p, en, c, e in ROW_FAULTS if (p, en) == (platform, entity)]
    rows: list[dict] = [dict(r) for r in clean]
    expected: dict[int, list[str]] = {}
    for copy, (changes, reasons) in enumerate(cases, start=1):
        spoiled = [dict(r) for r in clean]
        for number, change in changes.items():
            spoiled[number - 1].update(change)
        for row in spoiled:
            for key in KEYS[(platform, entity)]:
                row[key] = _rekey(row[key], copy)
        rows += spoiled
        expected.update({copy * len(clean) + n: r for n, r in reasons.items()})
    return frame(platform, entity, rows), expected


@pytest.mark.parametrize(("platform", "entity"), ALL)
def test_row_faults_quarantine_exactly_the_failing_rows(platform, entity):
    df, expected = faulty_batch(platform, entity)
    assert expected, f"no row fault case for {platform}/{entity}"
    outcome = run(df, platform, entity)
    assert reasons_by_row(outcome) == expected
    assert outcome.status == "partially_quarantined"
    assert sorted(outcome.accepted["_row_number"]) == sorted(
        set(range(1, df.height + 1)) - set(expected)
    )
    assert outcome.accepted.equals(df.filter(~pl.col("_row_number").is_in(list(expected))))
    labels = {label for reasons in expected.values() for label in reasons}
    assert outcome.failed_expectations == {
        label: sum(label in r for r in expected.values()) for label in labels
    }


def test_unreadable_file_rows_are_quarantined_with_their_parse_error():
    errors = [None, "wrong number of fields (5, expected 19)", None]
    rows = [dict(r) for r in CLEAN[("br_seminars", "participants")]]
    rows[1].update(email=None, gender=None, exam=None, certificate=None)
    df = frame("br_seminars", "participants", rows, _parse_error=errors)
    outcome = run(df, "br_seminars", "participants")
    assert reasons_by_row(outcome) == {
        2: ["unreadable row: wrong number of fields (5, expected 19)"]
    }
    assert outcome.failed_expectations == {"expect_column_values_to_be_null(_parse_error)": 1}


def test_a_row_gets_every_reason_it_failed():
    df = spoil(
        "tsb_events",
        "registrations",
        {1: {"gender": "Q", "person_email": "x@", "registered_at": "yesterday"}},
    )
    outcome = run(df, "tsb_events", "registrations")
    assert reasons_by_row(outcome) == {
        1: [
            f"{RX}(person_email)",
            f"{IN}(gender)",
            f"{RX}(registered_at)",
        ]
    }


def test_country_check_fails_closed_without_an_aliases_file(monkeypatch, tmp_path):
    monkeypatch.setenv("CAPDEV_COUNTRY_ALIASES", str(tmp_path / "absent.csv"))
    df = spoil("academy", "enrolled_users", {3: {"country": "Atlantis"}})
    # never "accepted, unchecked": without its reference data the check refuses to run
    with pytest.raises(LookupError, match="known_countries"):
        run(df, "academy", "enrolled_users")
    # ... and an explicit argument wins over the environment
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,iso2\nAtlantis,AT\n", encoding="utf-8")
    outcome = run(df, "academy", "enrolled_users", country_aliases=aliases)
    # "KE" and "FR" are not in this aliases file; "" (row 2) means absent
    assert reasons_by_row(outcome) == {1: [f"{IN}(country)"], 4: [f"{IN}(country)"]}


def test_value_sets_are_data(tmp_path):
    df = spoil("regional_offices", "participants", {2: {"gender": "Nonbinaire"}})
    assert reasons_by_row(run(df, "regional_offices", "participants")) == {2: [f"{IN}(gender)"]}
    extended = tmp_path / "value_sets.yml"
    text = suite_files.value_sets_path().read_text(encoding="utf-8")
    extended.write_text(text.replace("  - Autre\n", "  - Autre\n  - nonbinaire\n"), "utf-8")
    assert run(df, "regional_offices", "participants", value_sets=extended).status == "accepted"


def test_nightly_batch_of_50k_rows_validates_in_seconds(capsys):
    n = 50_000
    df = (
        frame("academy", "enrolled_users")
        .head(1)
        .select(pl.all().repeat_by(n).explode())
        .with_columns(
            pl.int_range(1, n + 1, dtype=pl.Int64).alias("id"),
            (pl.int_range(0, n) // 40).cast(pl.Int64).alias("courseid"),
            pl.int_range(1, n + 1, dtype=pl.Int64).alias("_row_number"),
            pl.when(pl.int_range(1, n + 1) % 1000 == 0)
            .then(pl.lit("not-an-email"))
            .otherwise(pl.col("email"))
            .alias("email"),
        )
    )
    run(df.head(3), "academy", "enrolled_users")  # GX imported and set up (once per process)
    started = time.perf_counter()
    outcome = run(df, "academy", "enrolled_users")
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n50k enrolled_users rows validated in {seconds:.2f}s")
    assert outcome.rows_quarantined == 50
    assert seconds < 20


def test_great_expectations_logs_stay_quiet():
    run(frame("academy", "customcerts"), "academy", "customcerts")
    assert logging.getLogger("great_expectations").getEffectiveLevel() >= logging.WARNING


def test_results_and_data_docs_go_under_the_data_folder(tmp_path, monkeypatch):
    from ingestion.raw.validation import build_data_docs

    monkeypatch.setenv("CAPDEV_DATA_DIR", str(tmp_path / "data"))
    run(frame("academy", "customcerts"), "academy", "customcerts")
    with pytest.raises(BatchRejected):
        run(frame("academy", "customcerts").drop("name"), "academy", "customcerts")
    index = build_data_docs()
    assert index == config.gx_results_dir() / "data_docs" / "index.html"
    assert index.is_file()
    assert str(index).startswith(str(tmp_path / "data"))
    assert "academy__customcerts" in index.read_text(encoding="utf-8")
    stored = sorted(
        (config.gx_results_dir() / "validations" / "academy__customcerts").rglob("*.json")
    )
    metas = [json.loads(p.read_text(encoding="utf-8"))["meta"]["capdev"] for p in stored]
    assert {m["status"] for m in metas} == {"accepted", "rejected"}
    assert {m["batch_id"] for m in metas} == {"academy__customcerts__20240301"}
    pages = list((index.parent / "validations").rglob("*.html"))
    assert len(pages) == 2
    # incremental: a rebuild renders the new result only, the index lists all
    aliases = tmp_path / "many_aliases.csv"
    spellings = "".join(f"Country {n},C{n}\n" for n in range(100))
    aliases.write_text(COUNTRY_ALIASES + spellings, encoding="utf-8")
    run(frame("academy", "enrolled_users"), "academy", "enrolled_users", country_aliases=aliases)
    assert build_data_docs() == index
    assert len(list((index.parent / "validations").rglob("*.html"))) == 3
    assert "academy__enrolled_users" in index.read_text(encoding="utf-8")
    # a long suite parameter (~2,000 country spellings in production) is stored shortened
    [stored] = (config.gx_results_dir() / "validations" / "academy__enrolled_users").rglob("*.json")
    text = stored.read_text(encoding="utf-8")
    from ingestion.raw.validation.runner import STORED_UNEXPECTED
    from ingestion.raw.validation.suites import load_known_countries

    more = len(load_known_countries(aliases)) - STORED_UNEXPECTED
    assert more > 100 and f"and {more} more (suite parameter known_countries)" in text


# Written into a copy of a page: reports what loaded, once the page's own scripts have run.
PROBE = """<script>
window.addEventListener("load", () => {
  const hidden = document.createElement("div");
  hidden.className = "d-none";
  document.body.appendChild(hidden);
  document.body.setAttribute("data-probe", JSON.stringify({
    jquery: typeof window.jQuery,
    bootstrapTable: typeof (window.jQuery && window.jQuery.fn.bootstrapTable),
    vegaEmbed: typeof window.vegaEmbed,
    bootstrapCss: getComputedStyle(hidden).display,
    tables: document.querySelectorAll(".bootstrap-table").length,
  }));
});
</script>"""


def test_data_docs_render_offline_in_a_real_browser(tmp_path, monkeypatch):
    from chromium import run_chromium

    from ingestion.raw.validation import build_data_docs
    from ingestion.raw.validation.data_docs import external_assets

    monkeypatch.setenv("CAPDEV_DATA_DIR", str(tmp_path / "data"))
    run(frame("academy", "customcerts"), "academy", "customcerts")
    index = build_data_docs()
    pages = sorted(index.parent.rglob("*.html"))
    assert len(pages) >= 3  # index, the suite, the validation result
    assert {str(p): external_assets(p.read_text(encoding="utf-8")) for p in pages} == {
        str(p): [] for p in pages
    }
    probe = index.with_name("probe.html")  # beside it: the same relative paths
    probe.write_text(
        index.read_text(encoding="utf-8").replace("</body>", PROBE + "</body>"), encoding="utf-8"
    )
    dom = run_chromium(
        ["--virtual-time-budget=5000", "--dump-dom", probe.as_uri()], tmp_path / "p", offline=True
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    found = re.search(r"data-probe=\"([^\"]*)\"", dom.stdout)
    assert found, dom.stdout[-2000:]
    loaded = json.loads(html.unescape(found.group(1)))
    tables = loaded.pop("tables")
    assert loaded == {
        "jquery": "function",
        "bootstrapTable": "function",
        "vegaEmbed": "function",
        "bootstrapCss": "none",
    }
    assert tables >= 1  # bootstrap-table drew the index of validation results
