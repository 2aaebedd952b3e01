"""A small, hand-written raw zone for the dbt tests.

``write_raw_fixture(data_dir)`` writes accepted-zone Parquet files for every platform entity
(docs/raw-zone.md: ``raw/accepted/<platform>/<entity>/load_date=YYYY-MM-DD/<batch_id>.parquet``
with the lineage columns), load-manifest JSON files and one quarantine file. The records
exercise the messiness the warehouse must resolve: the Moodle site course, multilang course
names, a course re-sent with a new name, a voided xAPI statement, a re-sent BR workbook,
countries as alpha-2 / alpha-3 / French / old names, genders as H/F, Homme/Femme, Мужской...

``EXPECTED`` holds the counts the marts must show for the full fixture.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PLATFORM_ENTITIES = {
    "academy": (
        "categories",
        "courses",
        "enrolled_users",
        "grades",
        "completions",
        "customcerts",
        "certificates",
    ),
    "tsb_events": ("events", "registrations"),
    "br_seminars": ("seminars", "participants"),
    "regional_offices": ("participants",),
    "gs_lrs": ("statements",),
}

DAY1 = "2024-06-01"
DAY2 = "2024-06-02"
LOADED1 = datetime(2024, 6, 2, 1, 0, tzinfo=UTC)
LOADED2 = datetime(2024, 6, 3, 1, 0, tzinfo=UTC)


def _epoch(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


def _multilang(**parts: str) -> str:
    return "".join(
        f'<span lang="{lang}" class="multilang">{text}</span>' for lang, text in parts.items()
    )


def _customfields(**values: str) -> str:
    return json.dumps(
        [
            {
                "name": k.title(),
                "shortname": k,
                "type": "select",
                "valueraw": "1" if v else "",
                "value": v,
            }
            for k, v in values.items()
        ]
    )


# --------------------------------------------------------------------------------------------
# academy (Moodle)
# --------------------------------------------------------------------------------------------
ACADEMY_CATEGORIES = [
    dict(
        id=1,
        name="Miscellaneous",
        description="",
        parent=0,
        sortorder=10000,
        coursecount=1,
        depth=1,
        path="/1",
    ),
    dict(
        id=2,
        name="Spectrum management",
        description="<p>Spectrum</p>",
        parent=0,
        sortorder=20000,
        coursecount=1,
        depth=1,
        path="/2",
    ),
    dict(
        id=3,
        name="Cybersecurity",
        description="",
        parent=0,
        sortorder=30000,
        coursecount=1,
        depth=1,
        path="/3",
    ),
]


def _course(
    cid, fullname, fmt="topics", cat=2, lang="", start="2024-03-04", end="2024-04-30", **cf
):
    return dict(
        id=cid,
        fullname=fullname,
        displayname=fullname,
        shortname=f"C{cid}",
        categoryid=cat,
        categoryname="",
        summary="<p>About <b>this</b> course &amp; more</p>",
        format=fmt,
        startdate=_epoch(start) if start else 0,
        enddate=_epoch(end) if end else 0,
        visible=1,
        lang=lang,
        enablecompletion=1,
        timecreated=_epoch("2023-12-01"),
        timemodified=_epoch("2024-01-10"),
        customfields=_customfields(**cf) if cf else "[]",
    )


ACADEMY_COURSES_DAY1 = [
    _course(1, "ITU Academy", fmt="site", cat=0, start=None, end=None),
    _course(
        10,
        _multilang(
            en="Spectrum management fundamentals", fr="Gestion du spectre : notions de base"
        ),
        bureau="BR",
        delivery_mode="Self-paced",
        training_centre="",
    ),
    _course(11, "Cybersecurity fundamentals", cat=3, bureau="", delivery_mode="Instructor-led"),
    _course(
        12,
        "Introduction à l'Internet des objets",
        cat=1,
        lang="fr",
        delivery_mode="Blended",
        bureau="BDT",
        training_centre="ITU Academy Training Centre X",
    ),
]
# the API re-sends a changed course: the latest landed version wins
ACADEMY_COURSES_DAY2 = [
    _course(
        11, "Cybersecurity fundamentals for CIRTs", cat=3, bureau="", delivery_mode="Instructor-led"
    ),
]


def _user(
    courseid, uid, first, last, email, country, gender, roles=("student",), institution="", access=1
):
    return dict(
        courseid=courseid,
        id=uid,
        username=f"user{uid}",
        firstname=first,
        lastname=last,
        fullname=f"{first} {last}",
        email=email,
        department="",
        institution=institution,
        idnumber="",
        city="",
        country=country,
        firstaccess=_epoch("2024-03-05"),
        lastaccess=_epoch("2024-03-20"),
        lastcourseaccess=_epoch("2024-03-20") if access else 0,
        customfields=json.dumps(
            [{"type": "text", "value": gender, "name": "Gender", "shortname": "gender"}]
        ),
        roles=json.dumps(
            [{"roleid": 5 if r == "student" else 3, "name": "", "shortname": r} for r in roles]
        ),
    )


ACADEMY_USERS = [
    _user(10, 101, "Amina", "Diallo", "Amina.Diallo@ARTP.sn", "SN", "Female", institution="ARTP"),
    _user(10, 102, "Jean", "Dupont", "jean.dupont@example.org", "", "M", institution="ANFR"),
    _user(10, 103, "Teacher", "One", "teacher@itu.int", "CH", "", roles=("editingteacher",)),
    _user(11, 101, "Amina", "Diallo", "amina.diallo@artp.sn", "SN", "Female", institution="ARTP"),
    _user(11, 104, "Pierre", "Martin", "p.martin@example.fr", "FR", "Homme", access=0),
]


def _grade(courseid, uid, itemid, itemtype, raw, gmin=0.0, gmax=100.0):
    return dict(
        courseid=courseid,
        userid=uid,
        userfullname="x",
        itemid=itemid,
        itemname=None if itemtype == "course" else "Quiz",
        itemtype=itemtype,
        graderaw=raw,
        grademin=gmin,
        grademax=gmax,
        gradedategraded=_epoch("2024-04-01"),
        percentageformatted=f"{raw:.2f} %" if raw is not None else "-",
    )


ACADEMY_GRADES = [
    _grade(10, 101, 1000, "course", 85.0),
    _grade(10, 101, 1001, "mod", 9.0, 0.0, 10.0),
    _grade(10, 102, 1000, "course", 40.0),
    _grade(11, 101, 1100, "course", 18.0, 0.0, 20.0),
]
ACADEMY_COMPLETIONS = [
    dict(
        courseid=10,
        userid=101,
        completed=True,
        aggregation=1,
        completions=json.dumps(
            [
                {
                    "type": 6,
                    "title": "Grade",
                    "status": "Yes",
                    "complete": True,
                    "timecompleted": _epoch("2024-04-01"),
                }
            ]
        ),
    ),
    dict(courseid=10, userid=102, completed=False, aggregation=1, completions="[]"),
]
ACADEMY_CUSTOMCERTS = [dict(id=5, course=10, name="Certificate of completion", coursemodule=77)]
ACADEMY_CERTIFICATES = [
    dict(
        issue_id=1,
        issue_customcertid=5,
        issue_code="ABC123",
        issue_emailed=1,
        issue_timecreated=_epoch("2024-04-02"),
        user_id=101,
        user_fullname="Amina Diallo",
        user_username="user101",
        user_email="amina.diallo@artp.sn",
        template_id=3,
        template_name="Default",
    ),
]

# --------------------------------------------------------------------------------------------
# tsb_events
# --------------------------------------------------------------------------------------------
TSB_EVENTS = [
    dict(
        event_id="TSB-2024-WS-001",
        title="Workshop on AI for Good standards",
        event_type="Workshop",
        study_group=None,
        starts_at="2024-05-06T09:00:00+02:00",
        ends_at="2024-05-07T17:30:00+02:00",
        venue_city="Geneva",
        venue_country="Switzerland",
        format="in_person",
        languages='["en", "fr"]',
        updated_at="2024-05-01T10:00:00Z",
    ),
    dict(
        event_id="TSB-2024-HK-002",
        title="Codefest for smart cities",
        event_type="Codefest",
        study_group="SG20",
        starts_at="2024-09-10T08:00:00+00:00",
        ends_at="2024-09-11T18:00:00+00:00",
        venue_city="Abidjan",
        venue_country="Ivory Coast",
        format="hybrid",
        languages='["en"]',
        updated_at="2024-08-01T10:00:00Z",
    ),
]


def _reg(rid, event_id, first, last, email, country, gender, attended, org="Ministry of ICT"):
    return dict(
        event_id=event_id,
        registration_id=rid,
        person_title="Dr",
        person_first_name=first,
        person_last_name=last,
        person_email=email,
        person_organization=org,
        person_organization_type="Member State",
        person_country=country,
        gender=gender,
        registered_at="2024-04-01T10:00:00Z",
        attended=attended,
        attendance_days=2 if attended else None,
        updated_at="2024-05-08T10:00:00Z",
    )


TSB_REGISTRATIONS = [
    _reg(
        "R-1001",
        "TSB-2024-WS-001",
        "Ayşe",
        "Yılmaz",
        "ayse@btk.gov.tr",
        "Türkiye",
        "F",
        True,
        org="Information and Communication Technologies Authority (BTK)",
    ),
    _reg("R-1002", "TSB-2024-WS-001", "Mehmet", "Kaya", "MEHMET@BTK.GOV.TR", "TUR", "M", False),
    _reg("R-1003", "TSB-2024-HK-002", "Sipho", "Dlamini", None, "Swaziland", None, None),
]

# --------------------------------------------------------------------------------------------
# br_seminars (one workbook per seminar; WRS-2024 re-sent with corrected rows)
# --------------------------------------------------------------------------------------------
BR_SEMINARS_DAY1 = [
    dict(
        seminar_key="WRS-2024",
        source_file="WRS-2024.xlsx",
        seminar="World Radiocommunication Seminar 2024",
        type="WRS",
        dates="14-18 March 2024",
        venue="Geneva, Switzerland",
        region="World",
    ),
    dict(
        seminar_key="RRS-2023-AFR",
        source_file="RRS-2023-AFR.csv",
        seminar="Séminaire régional des radiocommunications pour l'Afrique",
        type="RRS-Africa",
        dates="du 4 au 8 septembre 2023",
        venue="Dakar, Sénégal",
        region="Afrique",
    ),
]
BR_SEMINARS_DAY2 = [
    dict(
        seminar_key="WRS-2024",
        source_file="WRS-2024 (corrected).xlsx",
        seminar="World Radiocommunication Seminar 2024",
        type="WRS",
        dates="14/03/2024 - 18/03/2024",
        venue="Geneva, Switzerland",
        region="World",
    ),
]


def _brp(key, file, no, last, first, country, gender, exam, cert, email=None, org="Administration"):
    return dict(
        seminar_key=key,
        source_file=file,
        no=no,
        last_name=last,
        first_name=first,
        country=country,
        organization=org,
        email=email,
        gender=gender,
        exam=exam,
        certificate=cert,
    )


BR_PARTICIPANTS_DAY1 = [
    _brp(
        "WRS-2024",
        "WRS-2024.xlsx",
        "1",
        "Diallo",
        "Amina",
        "Senegal",
        "F",
        "16",
        "Yes",
        "amina.diallo@artp.sn",
    ),
    _brp("WRS-2024", "WRS-2024.xlsx", "2", "Ivanov", "Sergei", "Russie", "M", "12", "Yes"),
    _brp("WRS-2024", "WRS-2024.xlsx", "3", "Wrong", "Row", "Nowhere", "M", "2", "No"),
    _brp(
        "RRS-2023-AFR",
        "RRS-2023-AFR.csv",
        "1",
        "Kouassi",
        "Awa",
        "Côte d'Ivoire",
        "F",
        "15,5",
        "Oui",
    ),
    _brp("RRS-2023-AFR", "RRS-2023-AFR.csv", "2", "Ndiaye", "Moussa", "Sénégal", "H", "ABS", "Non"),
]
BR_PARTICIPANTS_DAY2 = [
    _brp(
        "WRS-2024",
        "WRS-2024 (corrected).xlsx",
        "1",
        "Diallo",
        "Amina",
        "Senegal",
        "F",
        "16",
        "Yes",
        "amina.diallo@artp.sn",
    ),
    _brp(
        "WRS-2024",
        "WRS-2024 (corrected).xlsx",
        "2",
        "Ivanov",
        "Sergei",
        "Fédération de Russie",
        "M",
        "12",
        "Yes",
    ),
]

# --------------------------------------------------------------------------------------------
# regional_offices (columns as renamed by the mapping files; optional columns vary by office)
# --------------------------------------------------------------------------------------------
RO_AFRICA = [
    dict(
        office="africa",
        source_file="atelier_5g_abidjan_2024.csv",
        activity_title="Atelier sur le déploiement de la 5G",
        activity_type="Atelier",
        start_date="2024-05-10",
        end_date="2024-05-12",
        start_date_raw="10/05/2024",
        end_date_raw="12/05/2024",
        city="Abidjan",
        venue_country="Côte d'Ivoire",
        full_name="KOUASSI Awa",
        email="awa.kouassi@artci.ci",
        country="Cote d'Ivoire",
        organization="ARTCI",
        gender="Femme",
        satisfaction="4",
    ),
    dict(
        office="africa",
        source_file="atelier_5g_abidjan_2024.csv",
        activity_title="Atelier sur le déploiement de la 5G",
        activity_type="Atelier",
        start_date="2024-05-10",
        end_date="2024-05-12",
        start_date_raw="10/05/2024",
        end_date_raw="12/05/2024",
        city="Abidjan",
        venue_country="Côte d'Ivoire",
        full_name="Moussa Ndiaye",
        email=None,
        country="CIV",
        organization="Ministère de l'Économie numérique",
        gender="Homme",
        satisfaction="5",
    ),
]
RO_CIS = [
    dict(
        office="cis",
        source_file="seminar_cyber_2024.csv",
        activity_title="Семинар по кибербезопасности",
        activity_type="семинар",
        start_date="2024-06-03",
        end_date="2024-06-04",
        start_date_raw="03.06.2024",
        end_date_raw="04.06.2024",
        city="Алматы",
        venue_country="Казахстан",
        full_name="Сергей Иванов",
        name_latin="Sergey Ivanov",
        email="S.Ivanov@minsvyaz.ru",
        country="Россия",
        organization="Минцифры",
        gender="Мужской",
        satisfaction="3",
    ),
]

# --------------------------------------------------------------------------------------------
# gs_lrs (xAPI statements; st-5 is voided by st-6)
# --------------------------------------------------------------------------------------------
GS_ACTIVITY = "https://learning.itu.int/xapi/activities/ai-ethics-leaders"
VERBS = "http://adlnet.gov/expapi/verbs/"


#: Grouping activities of the GS statements: a programme, and the region the deployment's
#: pattern (dbt var gs_lrs_region_grouping_pattern) recognises.
GS_GROUPING = [
    {"id": "https://lms.example.org/xapi/programmes/leaders"},
    {"id": "https://lms.example.org/xapi/regions/asia-pacific"},
]


def _stmt(sid, actor, verb, ts, obj=None, result=None):
    obj = obj or {
        "objectType": "Activity",
        "id": GS_ACTIVITY,
        "definition": {
            "name": {
                "en-US": "Ethics of artificial intelligence for leaders",
                "fr": "Éthique de l'IA pour les dirigeants",
            },
            "type": "http://adlnet.gov/expapi/activities/course",
        },
    }
    verb_id = verb if verb.startswith("http") else VERBS + verb
    statement = {
        "id": sid,
        "actor": actor,
        "verb": {"id": verb_id, "display": {"en-US": verb_id.rsplit("/", 1)[-1]}},
        "object": obj,
        "timestamp": ts,
        "stored": ts,
    }
    if result:
        statement["result"] = result
    statement["context"] = {
        "platform": "GS LMS",
        "language": "en",
        "contextActivities": {"grouping": GS_GROUPING},
    }
    return dict(
        id=sid,
        stored=ts,
        timestamp=ts,
        verb_id=verb_id,
        actor=json.dumps(actor),
        verb=json.dumps(statement["verb"]),
        object=json.dumps(obj),
        result=json.dumps(result) if result else None,
        context=json.dumps(statement["context"]),
        statement=json.dumps(statement),
    )


ALICE = {"objectType": "Agent", "name": "Alice Moreau", "mbox": "mailto:Alice.Moreau@itu.int"}
BOB = {
    "objectType": "Agent",
    "name": "Bob Smith",
    "account": {"homePage": "https://learning.itu.int", "name": "u42"},
}
GS_STATEMENTS_DAY1 = [
    _stmt("00000000-0000-4000-8000-000000000001", ALICE, "registered", "2024-02-01T09:00:00Z"),
    _stmt(
        "00000000-0000-4000-8000-000000000002",
        ALICE,
        "completed",
        "2024-02-20T09:00:00Z",
        result={"completion": True, "score": {"scaled": 0.8}},
    ),
    _stmt(
        "00000000-0000-4000-8000-000000000003",
        ALICE,
        "passed",
        "2024-02-20T09:05:00Z",
        result={"success": True, "score": {"raw": 17, "min": 0, "max": 20}},
    ),
    _stmt("00000000-0000-4000-8000-000000000004", BOB, "registered", "2024-02-02T09:00:00Z"),
    _stmt(
        "00000000-0000-4000-8000-000000000005",
        BOB,
        "completed",
        "2024-02-25T09:00:00Z",
        result={"completion": True, "success": True, "score": {"scaled": 0.95}},
    ),
]
GS_STATEMENTS_DAY2 = [
    _stmt(
        "00000000-0000-4000-8000-000000000006",
        {"objectType": "Agent", "mbox": "mailto:lrs-admin@itu.int"},
        VERBS + "voided",
        "2024-03-01T09:00:00Z",
        obj={"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000005"},
    ),
]

EXPECTED = {
    "activities": 10,  # academy 3 (site course excluded) + tsb 2 + br 2 + regional 2 + gs 1
    # academy 4 (teacher excluded) + tsb 3 + br 4 (superseded row gone) + regional 3 + gs 2
    "participations": 16,
    "participant_records": 15,  # academy users 101, 102, 104 + tsb 3 + br 4 + regional 3 + gs 2
    "activities_by_platform": {
        "academy": 3,
        "tsb_events": 2,
        "br_seminars": 2,
        "regional_offices": 2,
        "gs_lrs": 1,
    },
    "load_manifest": 3,
    "quarantine": 2,  # one quarantined row with two reasons
}


# --------------------------------------------------------------------------------------------
# writers
# --------------------------------------------------------------------------------------------
def _write_batch(
    data_dir: Path,
    platform: str,
    entity: str,
    load_date: str,
    rows: list[dict],
    loaded_at: datetime,
    source: str,
    suffix: str = "",
) -> str:
    batch_id = f"{platform}__{entity}__{load_date.replace('-', '')}{suffix}"
    out = (
        data_dir
        / "raw"
        / "accepted"
        / platform
        / entity
        / f"load_date={load_date}"
        / f"{batch_id}.parquet"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    records = [
        {
            **row,
            "_platform": platform,
            "_entity": entity,
            "_batch_id": batch_id,
            "_source": source,
            "_row_number": i,
            "_loaded_at": loaded_at,
            "_parse_error": None,
        }
        for i, row in enumerate(rows, start=1)
    ]
    table = pa.Table.from_pylist(records)
    table = table.set_column(
        table.schema.get_field_index("_loaded_at"),
        "_loaded_at",
        pa.array([r["_loaded_at"] for r in records], type=pa.timestamp("us", tz="UTC")),
    )
    pq.write_table(table, out)
    return batch_id


def _write_manifest(
    data_dir: Path,
    platform: str,
    entity: str,
    batch_id: str,
    load_date: str,
    rows_in: int,
    rows_quarantined: int,
    status: str,
) -> None:
    out = data_dir / "manifest" / platform / entity / f"{batch_id}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(
        json.dumps(
            {
                "platform": platform,
                "entity": entity,
                "batch_id": batch_id,
                "load_date": load_date,
                "source": f"{platform}:{entity}",
                "checksum": "0" * 64,
                "watermark_from": None
                if platform in ("br_seminars", "regional_offices")
                else "2024-05-31T00:00:00Z",
                "watermark_to": None
                if platform in ("br_seminars", "regional_offices")
                else "2024-06-01T00:00:00Z",
                "rows_in": rows_in,
                "rows_accepted": rows_in - rows_quarantined,
                "rows_quarantined": rows_quarantined,
                "status": status,
                "message": None,
                "started_at": "2024-06-02T01:00:00Z",
                "finished_at": "2024-06-02T01:00:05Z",
            }
        ),
        encoding="utf-8",
    )


def write_raw_fixture(data_dir: str | Path, platforms: Iterable[str] | None = None) -> dict:
    """Write the fixture raw zone under ``data_dir`` (only the given platforms, default all).

    Returns ``EXPECTED`` (the mart counts for the full fixture).
    """
    data_dir = Path(data_dir)
    wanted = set(platforms) if platforms is not None else set(PLATFORM_ENTITIES)
    unknown = wanted - set(PLATFORM_ENTITIES)
    if unknown:
        raise ValueError(f"unknown platforms: {sorted(unknown)}")
    (data_dir / "warehouse").mkdir(parents=True, exist_ok=True)

    def batch(platform, entity, day, rows, loaded, source, suffix=""):
        return _write_batch(data_dir, platform, entity, day, rows, loaded, source, suffix)

    if "academy" in wanted:
        ws = "webservice/rest/server.php?wsfunction="
        batch(
            "academy",
            "categories",
            DAY1,
            ACADEMY_CATEGORIES,
            LOADED1,
            ws + "core_course_get_categories",
        )
        b = batch(
            "academy",
            "courses",
            DAY1,
            ACADEMY_COURSES_DAY1,
            LOADED1,
            ws + "core_course_get_courses_by_field",
        )
        _write_manifest(
            data_dir, "academy", "courses", b, DAY1, len(ACADEMY_COURSES_DAY1), 0, "accepted"
        )
        batch(
            "academy",
            "courses",
            DAY2,
            ACADEMY_COURSES_DAY2,
            LOADED2,
            ws + "core_course_get_courses_by_field",
        )
        b = batch(
            "academy",
            "enrolled_users",
            DAY1,
            ACADEMY_USERS,
            LOADED1,
            ws + "core_enrol_get_enrolled_users",
        )
        _write_manifest(
            data_dir,
            "academy",
            "enrolled_users",
            b,
            DAY1,
            len(ACADEMY_USERS) + 1,
            1,
            "partially_quarantined",
        )
        quarantine = data_dir / "quarantine" / "academy" / "enrolled_users" / f"{b}.parquet"
        quarantine.parent.mkdir(parents=True, exist_ok=True)
        bad = {
            **_user(11, 105, "Bad", "Row", "not-an-email", "ZZ", "?"),
            "_platform": "academy",
            "_entity": "enrolled_users",
            "_batch_id": b,
            "_source": ws + "core_enrol_get_enrolled_users",
            "_row_number": 6,
            "_loaded_at": LOADED1,
            "_parse_error": None,
            "_reasons": [
                "expect_column_values_to_match_regex(email)",
                "expect_column_values_to_be_in_set(country)",
            ],
        }
        pq.write_table(pa.Table.from_pylist([bad]), quarantine)
        batch(
            "academy",
            "grades",
            DAY1,
            ACADEMY_GRADES,
            LOADED1,
            ws + "gradereport_user_get_grade_items",
        )
        batch(
            "academy",
            "completions",
            DAY1,
            ACADEMY_COMPLETIONS,
            LOADED1,
            ws + "core_completion_get_course_completion_status",
        )
        batch(
            "academy",
            "customcerts",
            DAY1,
            ACADEMY_CUSTOMCERTS,
            LOADED1,
            ws + "mod_customcert_get_customcerts_by_courses",
        )
        batch(
            "academy",
            "certificates",
            DAY1,
            ACADEMY_CERTIFICATES,
            LOADED1,
            ws + "mod_customcert_list_issues",
        )

    if "tsb_events" in wanted:
        b = batch(
            "tsb_events",
            "events",
            DAY1,
            TSB_EVENTS,
            LOADED1,
            "/api/v1/events?updated_since=2024-05-31",
        )
        _write_manifest(data_dir, "tsb_events", "events", b, DAY1, len(TSB_EVENTS), 0, "accepted")
        batch(
            "tsb_events",
            "registrations",
            DAY1,
            TSB_REGISTRATIONS,
            LOADED1,
            "/api/v1/events/*/registrations",
        )

    if "br_seminars" in wanted:
        for day, loaded, seminars, participants in (
            (DAY1, LOADED1, BR_SEMINARS_DAY1, BR_PARTICIPANTS_DAY1),
            (DAY2, LOADED2, BR_SEMINARS_DAY2, BR_PARTICIPANTS_DAY2),
        ):
            for seminar in seminars:
                stem = Path(seminar["source_file"]).stem.replace(" ", "_")
                rows = [p for p in participants if p["source_file"] == seminar["source_file"]]
                batch(
                    "br_seminars",
                    "seminars",
                    day,
                    [seminar],
                    loaded,
                    seminar["source_file"],
                    f"__{stem}",
                )
                batch(
                    "br_seminars",
                    "participants",
                    day,
                    rows,
                    loaded,
                    seminar["source_file"],
                    f"__{stem}",
                )

    if "regional_offices" in wanted:
        for rows in (RO_AFRICA, RO_CIS):
            stem = Path(rows[0]["source_file"]).stem
            batch(
                "regional_offices",
                "participants",
                DAY1,
                rows,
                LOADED1,
                rows[0]["source_file"],
                f"__{stem}",
            )

    if "gs_lrs" in wanted:
        batch(
            "gs_lrs",
            "statements",
            DAY1,
            GS_STATEMENTS_DAY1,
            LOADED1,
            "statements?since=2024-01-01T00:00:00Z",
        )
        batch(
            "gs_lrs",
            "statements",
            DAY2,
            GS_STATEMENTS_DAY2,
            LOADED2,
            "statements?since=2024-06-01T00:00:00Z",
        )

    return EXPECTED
