"""Identity resolution and the overlap marts, built by the real dbt project over a hand-made
warehouse.

The tables the identity and overlap models read (intermediate.int_participant_records_unioned,
core.participant_records / participations / activities, reference.countries) are written by
hand with known contents; dbt then runs only our models (the Python model
int_participant_clusters, core.participant_crosswalk, core.participants and the overlap
marts) and their schema tests. The assertions check the contracts the Council marts and
``capdev evaluate`` rely on.
"""

from __future__ import annotations

import datetime as dt
import itertools
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from ingestion import config
from ingestion.pseudonym import DEV_KEY, KEY_ENV, participant_record_key
from ingestion.warehouse import identity

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "unit" / "identity"))
from identity_synthetic import population  # noqa: E402

MODELS = (
    "identity_decisions int_participant_records_for_linking int_identity_decisions "
    "int_participant_clusters identity_runs int_participant_pairs participant_links "
    "identity_review_pairs participant_crosswalk participant_keys participants "
    "course_terms int_course_terms_normalized activity_overlaps shared_participants "
    "bureau_topic_matrix "
    # the steps of activity_overlaps that are tables (the ephemeral ones come with it)
    "overlap_activities overlap_title_words overlap_activities_described "
    "overlap_candidate_pairs "
    # the labels beside the codes (reference.code_labels and the seeds it reads)
    # (reference.countries is written by this module, below)
    "org_units taxonomy_activity_types taxonomy_topics vocabularies code_labels"
)
D = dt.date
# the settings the build used, read where they are defined (dbt_project.yml)
THRESHOLD = float(config.dbt_var("identity_match_threshold"))
REVIEW_MIN = float(config.dbt_var("identity_review_min_probability"))
REVIEW_MAX = float(config.dbt_var("identity_review_max_probability"))
REG, AM = "ict_policy_regulation", "Americas"

# activity_key: (platform, bureau, org_unit, topic, region, start, end)
ACTIVITIES = {
    "a1": ("academy", "BDT", "BDT", "cybersecurity", "Africa", D(2024, 3, 1), D(2024, 3, 5)),
    "a2": (
        "regional_offices",
        "BDT",
        "RO-Africa",
        "cybersecurity",
        "Africa",
        D(2024, 4, 1),
        D(2024, 4, 2),
    ),  # fmt: skip
    "a3": ("tsb_events", "TSB", "TSB", "cybersecurity", "Africa", D(2024, 7, 1), D(2024, 7, 2)),
    "a4": ("br_seminars", "BR", "BR", "cybersecurity", "Europe", D(2024, 3, 2), D(2024, 3, 4)),
    "a5": ("academy", "BDT", "BDT", "cybersecurity", "Africa", D(2024, 3, 10), None),
    # no declared region: its audience (all participants from Africa) gives it one
    "a6": ("gs_lrs", "GS", "GS", "cybersecurity", None, D(2024, 3, 20), D(2024, 3, 22)),
    "a7": (
        "tsb_events",
        "TSB",
        "TSB",
        "spectrum_management",
        "Africa",
        D(2024, 3, 1),
        D(2024, 3, 2),
    ),  # fmt: skip
    # four units' courses on one topic for the Americas within weeks: which are one course?
    "b1": ("academy", "BDT", "BDT", REG, AM, D(2024, 5, 6), D(2024, 5, 10)),
    "b2": ("regional_offices", "BDT", "RO-Americas", REG, AM, D(2024, 5, 20), D(2024, 5, 21)),
    "b3": ("tsb_events", "TSB", "TSB", REG, AM, D(2024, 5, 13), D(2024, 5, 14)),
    "b4": ("gs_lrs", "GS", "GS", REG, AM, D(2024, 6, 3), D(2024, 6, 4)),
}  # fmt: skip
# one advanced course given by seven units in September 2024, in the six UN languages and as an
# abbreviated English title (c1-c7); its introductory edition (c8) and a course on another
# subject of the topic (c9) in the same weeks: near misses.
DT, AP = "digital_transformation", "Asia-Pacific"
C_UNITS = ("BDT", "RO-Asia-Pacific", "TSB", "BR", "GS", "RO-Arab-States", "RO-CIS", "RO-Europe")
ACTIVITIES |= {
    f"c{i}": (
        "regional_offices" if unit.startswith("RO-") else "academy",
        "BDT" if unit.startswith("RO-") else unit,
        unit,
        DT,
        AP,
        D(2024, 9, 2 + 3 * i),
        None,
    )
    for i, unit in enumerate(C_UNITS + ("RO-Americas",), start=1)
}
# levels stated by their number: BR's 'Level 1' and the Europe office's 'niveau 2' are two
# editions of one subject; TSB's advanced course is the second one ('Level 2' is past the entry
# level: intermediate or advanced, whatever the catalogue calls it), never the first.
SM, EU = "spectrum_management", "Europe"
ACTIVITIES |= {
    "d1": ("br_seminars", "BR", "BR", SM, EU, D(2024, 10, 7), D(2024, 10, 9)),
    "d2": ("regional_offices", "BDT", "RO-Europe", SM, EU, D(2024, 10, 14), D(2024, 10, 16)),
    "d3": ("tsb_events", "TSB", "TSB", SM, EU, D(2024, 10, 21), D(2024, 10, 23)),
}  # fmt: skip
# a level word inside a subject phrase ('advanced technologies', 'technologies avancées') names
# the subject, not the level: e1 (English) and e2 (French) are one introductory course, e3 its
# advanced edition (a near miss).
ACTIVITIES |= {
    "e1": ("academy", "BDT", "BDT", SM, AM, D(2024, 11, 4), D(2024, 11, 8)),
    "e2": ("regional_offices", "BDT", "RO-Americas", SM, AM, D(2024, 11, 18), D(2024, 11, 19)),
    "e3": ("tsb_events", "TSB", "TSB", SM, AM, D(2024, 11, 25), D(2024, 11, 26)),
}  # fmt: skip
# one course named by its monitoring in one unit and by its measurements in another (f1, f2: the
# comparison reads measurement as monitoring, var overlap_subjects_read_as), and a course on
# another subject of the topic in the same weeks (f3): a near miss.
ACTIVITIES |= {
    "f1": ("br_seminars", "BR", "BR", SM, "Africa", D(2024, 12, 2), D(2024, 12, 4)),
    "f2": ("regional_offices", "BDT", "RO-Africa", SM, "Africa", D(2024, 12, 9), D(2024, 12, 11)),
    "f3": ("tsb_events", "TSB", "TSB", SM, "Africa", D(2024, 12, 16), D(2024, 12, 17)),
}  # fmt: skip
# gaps (days): a1-a2 27, a2-a5 22, a1-a6 15, a2-a6 9, a5-a6 10; a1-a5 same unit; a3 is 87+ days
# from every other Africa activity; a4 is in Europe; a7 is another topic. a1..a7 share one
# wording, so the words they have in common make them one course. BDT headquarters gave it twice
# (a1, a5): the regional office's a2 and GS's a6 each repeat one delivery of headquarters, never
# both (var overlap_one_match_per_unit): a2 the nearer, a5; a6 the one it shares people with, a1.
# b1 and b2 are one course, in two languages; b3 is its introductory edition (another level),
# b4 another subject of the topic: near misses, not duplicates.
TITLES = {
    "b1": "ICT policy and regulation: risk assessment (advanced course)",
    "b2": (
        "Taller regional: Política y reglamentación de las TIC: evaluación de riesgos "
        "(nivel avanzado)"
    ),
    "b3": "ITU Workshop on ICT policy and regulation: risk assessment (an introduction)",
    "b4": "ICT policy and regulation: data analytics",
    # titles as training catalogues word them (UN terminology: M&E, PPP), not as the sandbox does
    "c1": "Monitoring and evaluation of public-private partnership projects (advanced course)",
    "c2": "Suivi et évaluation des projets de partenariat public-privé (niveau avancé)",
    "c3": "Seguimiento y evaluación de proyectos de asociación público-privada: nivel avanzado",
    "c4": "Мониторинг и оценка проектов государственно-частного партнёрства (продвинутый уровень)",
    "c5": "رصد وتقييم مشاريع الشراكة بين القطاعين العام والخاص (المستوى المتقدم)",
    "c6": "PPP项目的监测和评价（高级）",
    "c7": "M&E for PPP Projects - Master Class",
    "c8": "Вводный курс: мониторинг и оценка проектов ГЧП",
    "c9": "Legal frameworks for public-private partnerships (advanced)",
    "d1": "Spectrum monitoring - Level 1",
    "d2": "Contrôle du spectre (niveau 2)",
    "d3": "Spectrum monitoring: advanced course",
    "e1": "Advanced technologies for spectrum management: an introduction",
    "e2": "Introduction aux technologies avancées pour la gestion du spectre",
    "e3": "Spectrum management and emerging technologies (advanced course)",
    "f1": "Spectrum monitoring stations: operation and planning",
    "f2": "Mesures du spectre : exploitation et planification des stations",
    "f3": "Spectrum management: legal frameworks",
}
ENGLISH_TITLES = {"b1", "b3", "b4", "c1", "c7", "c9", "d1", "d3", "e1", "e3", "f1", "f3"} | {
    f"a{i}" for i in range(1, 8)
}
EXPECTED_OVERLAPS = {
    ("a2", "a5"),
    ("a1", "a6"),
    ("a2", "a6"),
    ("b1", "b2"),
    ("d2", "d3"),
    ("e1", "e2"),
    ("f1", "f2"),
} | set(itertools.combinations([f"c{i}" for i in range(1, 8)], 2))

COUNTRIES = [
    # iso2, itu_region, developing, ldc, lldc, sids
    ("FR", "Europe", False, False, False, False),
    ("ES", "Europe", False, False, False, False),
    ("DE", "Europe", False, False, False, False),
    ("KE", "Africa", True, False, False, False),
    ("SN", "Africa", True, True, False, False),
    ("IN", "Asia-Pacific", True, False, False, False),
    ("BR", "Americas", True, False, False, False),
    ("VN", "Asia-Pacific", True, False, False, False),
]
COUNTRY_NAMES = {
    "FR": "France",
    "ES": "Spain",
    "DE": "Germany",
    "KE": "Kenya",
    "SN": "Senegal",
    "IN": "India",
    "BR": "Brazil",
    "VN": "Viet Nam",
}

# One person with a record on two platforms (same name and address): served by BDT (a1) and BR
# (a4) on cybersecurity, so a shared participant.
SHARED_PERSON = [
    ("academy", "shared-1", "Wanjiru Kamotho-Otieno", "w.kamotho@ca.go.ke", "KE", "a1"),
    ("br_seminars", "shared-2", "KAMOTHO-OTIENO Wanjiru", "W.Kamotho@ca.go.ke", "KE", "a4"),
]


# A Moodle user and the same Academy login in the LRS (xAPI account {homePage, name}); and an
# xAPI account whose name is an e-mail address, which gives its record that e-mail.
ACCOUNTS = [
    # (platform, source_record_key, name, email, country, moodle username)
    ("academy", "901", "Lola Okafor", "lola.okafor@ncc.gov.ng", "KE", "l.okafor"),
    ("gs_lrs", "https://academy.itu.int|l.okafor", "L. Okafor", None, None, None),
    ("academy", "902", "Tendai Moyo", "tendai.moyo@potraz.gov.zw", "KE", "tmoyo"),
    (
        "gs_lrs",
        "https://learning.itu.int|Tendai.Moyo@potraz.gov.zw",
        "Tendai Moyo",
        None,
        None,
        None,
    ),
]


def _record_key(platform: str, source_key: str) -> str:
    """The published record key (what the dbt macro calls), with the development secret."""
    return participant_record_key(platform, source_key, DEV_KEY.encode())


def _write_inputs(path: Path) -> dict:
    background, _ = population(250, seed=21)
    platforms = ("academy", "tsb_events", "br_seminars", "regional_offices", "gs_lrs")
    records = []
    for i, r in enumerate(background):
        records.append(
            dict(
                platform=platforms[i % len(platforms)],
                source_record_key=r["participant_record_key"],
                full_name=r["full_name"],
                email=r["email"],
                country=r["country_iso2"],
                organization=r["organization"],
                activity=None,
            )
        )
    for platform, key, name, email, country, activity in SHARED_PERSON:
        records.append(
            dict(
                platform=platform,
                source_record_key=key,
                full_name=name,
                email=email,
                country=country,
                organization="Communications Authority of Kenya",
                activity=activity,
            )
        )
    for platform, key, name, email, country, _username in ACCOUNTS:
        records.append(
            dict(
                platform=platform,
                source_record_key=key,
                full_name=name,
                email=email,
                country=country,
                organization=None,
                activity="a7",
            )
        )
    region_of = {c[0]: c[1] for c in COUNTRIES}
    # Participations: background records spread over a1..a5; a6 gets twelve Kenyans only.
    kenyans = {
        r["source_record_key"] for r in records if r["country"] == "KE" and r["activity"] is None
    }
    audience = set(sorted(kenyans)[:12])
    participations = []
    for i, r in enumerate(records):
        activity = r["activity"] or (
            "a6" if r["source_record_key"] in audience else f"a{1 + i % 5}"
        )
        participations.append((activity, r["platform"], r["source_record_key"]))

    unioned = pa.Table.from_pylist(
        [
            dict(
                platform=r["platform"],
                source_record_key=r["source_record_key"],
                full_name=r["full_name"],
                first_name=None,
                last_name=None,
                name_latin=None,
                email=r["email"],
                country=r["country"],
                organization=r["organization"],
                gender=None,
                city=None,
            )
            for r in records
        ]
    )
    participant_records = pa.Table.from_pylist(
        [
            dict(
                participant_record_key=_record_key(r["platform"], r["source_record_key"]),
                platform=r["platform"],
                source_record_key=r["source_record_key"],
                country=r["country"],
                region=region_of.get(r["country"]),
                gender="F" if i % 3 else "unknown",
            )
            for i, r in enumerate(records)
        ]
    )
    part = pa.Table.from_pylist(
        [
            dict(
                participation_key=f"p{i}",
                activity_key=a,
                participant_record_key=_record_key(platform, key),
                platform=platform,
            )
            for i, (a, platform, key) in enumerate(participations)
        ]
    )
    activities = pa.Table.from_pylist(
        [
            dict(
                activity_key=key,
                platform=platform,
                source_activity_key=key,
                bureau=bureau,
                org_unit=unit,
                title=TITLES.get(key, f"Cybersecurity workshop {key}"),
                title_en=TITLES.get(key, f"Cybersecurity workshop {key}")
                if key in ENGLISH_TITLES
                else None,
                topic=topic,
                region=region,
                start_date=start,
                end_date=end,
            )
            for key, (platform, bureau, unit, topic, region, start, end) in ACTIVITIES.items()
        ]
    )
    countries = pa.Table.from_pylist(
        [
            dict(
                iso2=c[0],
                name_en=COUNTRY_NAMES[c[0]],
                itu_region=c[1],
                is_developing=c[2],
                is_ldc=c[3],
                is_lldc=c[4],
                is_sids=c[5],
            )
            for c in COUNTRIES
        ]
    )
    moodle_users = pa.Table.from_pylist(
        [
            dict(source_record_key=key, username=username)
            for platform, key, *_, username in ACCOUNTS
            if platform == "academy"
        ]
    )
    con = duckdb.connect(str(path))
    try:
        for schema, table, frame in (
            ("staging", "stg_academy__enrolled_users", moodle_users),
            ("intermediate", "int_participant_records_unioned", unioned),
            ("core", "participant_records", participant_records),
            ("core", "participations", part),
            ("core", "activities", activities),
            ("reference", "countries", countries),
        ):
            con.execute(f"create schema if not exists {schema}").fetchall()
            con.register("frame", frame)
            con.execute(f"create table {schema}.{table} as select * from frame").fetchall()
            con.unregister("frame")
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return {"records": records, "participations": participations}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from ingestion.warehouse.build import run_dbt

    data = tmp_path_factory.mktemp("identity-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("CAPDEV_DATA_DIR", str(data))
    mp.delenv(KEY_ENV, raising=False)
    warehouse = config.warehouse_dir() / "build.duckdb"
    warehouse.parent.mkdir(parents=True)
    facts = _write_inputs(warehouse)
    # `build` runs the models and their schema tests (unique, not_null, relationships...).
    # cautious: a test runs only when every model it reads is selected (the seeds selected
    # for the labels carry tests on models this module does not build)
    # (the unit tests run once, in tests/unit/test_dbt_unit_tests.py)
    run_dbt(
        "build", "--select", MODELS, "--exclude", "test_type:unit",
        "--indirect-selection", "cautious", warehouse_path=warehouse,
    )  # fmt: skip
    yield warehouse, facts
    mp.undo()


def _rows(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()


def test_crosswalk_has_every_record_once(built):
    db, facts = built
    rows = _rows(
        db,
        "select keys.platform, keys.source_record_key, crosswalk.resolution "
        "from private.participant_keys as keys "
        "join core.participant_crosswalk as crosswalk using (participant_record_key)",
    )
    assert len(rows) == len(facts["records"])
    keys = {(r["platform"], r["source_record_key"]) for r in rows}
    assert keys == {(r["platform"], r["source_record_key"]) for r in facts["records"]}
    assert all(r["resolution"] != "unresolved" for r in rows)


def test_participant_key_is_the_keyed_hash_of_the_smallest_record_key(built):
    db, _ = built
    rows = _rows(
        db, "select participant_record_key, participant_key from core.participant_crosswalk"
    )
    members: dict[str, list[str]] = {}
    for r in rows:
        members.setdefault(r["participant_key"], []).append(r["participant_record_key"])
    secret = DEV_KEY.encode()
    for key, records in members.items():
        assert key == identity.participant_key_for(min(records), secret)


def test_same_person_on_two_platforms_is_one_participant(built):
    db, _ = built
    rows = _rows(
        db,
        "select participant_key from private.participant_keys "
        "where source_record_key in ('shared-1', 'shared-2')",
    )
    assert len(rows) == 2 and rows[0]["participant_key"] == rows[1]["participant_key"]
    (person,) = _rows(
        db,
        f"select * from core.participants where participant_key = '{rows[0]['participant_key']}'",
    )
    assert person["n_records"] == 2 and person["country"] == "KE" and person["region"] == "Africa"
    assert person["platforms"] == ["academy", "br_seminars"]
    assert person["bureaux"] == ["BDT", "BR"] and person["n_bureaux"] == 2
    assert person["first_seen"] == D(2024, 3, 1) and person["last_seen"] == D(2024, 3, 5)


def test_logins_link_a_moodle_user_to_the_lrs(built):
    db, _ = built
    rows = {
        r["source_record_key"]: r["participant_key"]
        for r in _rows(
            db,
            "select source_record_key, participant_key from private.participant_keys "
            "where platform in ('academy', 'gs_lrs')",
        )
    }
    # same Academy login (the Moodle username) on both platforms
    assert rows["901"] == rows["https://academy.itu.int|l.okafor"]
    # an xAPI account named by the Moodle user's e-mail address
    assert rows["902"] == rows["https://learning.itu.int|Tendai.Moyo@potraz.gov.zw"]


def test_participants_cover_the_crosswalk(built):
    db, _ = built
    ((n_people, n_keys, n_records),) = [
        tuple(r.values())
        for r in _rows(
            db,
            "select (select count(*) from core.participants), "
            "(select count(distinct participant_key) from core.participant_crosswalk), "
            "(select sum(n_records) from core.participants)",
        )
    ]
    assert n_people == n_keys
    assert n_records == len(_rows(db, "select 1 from core.participant_crosswalk"))


def test_activity_overlaps_are_the_same_course_twice(built):
    db, _ = built
    rows = _rows(db, "select * from overlap.activity_overlaps")
    assert {(r["activity_key_a"], r["activity_key_b"]) for r in rows} == EXPECTED_OVERLAPS
    by_pair = {(r["activity_key_a"], r["activity_key_b"]): r for r in rows}
    assert by_pair[("a2", "a5")]["days_apart"] == 22
    assert by_pair[("a2", "a5")]["is_cross_bureau"] is False  # HQ and a regional office of BDT
    assert by_pair[("a1", "a6")]["region"] == "Africa"
    assert by_pair[("a1", "a6")]["region_source_b"] == "audience"
    assert by_pair[("a1", "a6")]["shared_participants"] > 0
    # a1-a2 and a5-a6 are the same course too, but a2 and a6 each have a better match among
    # headquarters' deliveries (the one-match rule); both are candidates
    candidates = _rows(db, "select * from intermediate.overlap_candidate_pairs")
    assert {("a1", "a2"), ("a5", "a6")} <= {
        (r["activity_key_a"], r["activity_key_b"]) for r in candidates
    }
    # the same course in English and in Spanish: the same subjects, the same stated level
    assert by_pair[("b1", "b2")]["content_similarity"] == 1
    assert by_pair[("b1", "b2")]["levels_a"] == by_pair[("b1", "b2")]["levels_b"] == ["advanced"]
    assert "same_subject" in by_pair[("b1", "b2")]["reasons"]
    # the course in six languages and abbreviated: the same subjects and level every time
    for a, b in itertools.combinations([f"c{i}" for i in range(1, 8)], 2):
        assert by_pair[(a, b)]["content_similarity"] == 1, (a, b)
        assert by_pair[(a, b)]["levels_a"] == by_pair[(a, b)]["levels_b"] == ["advanced"]
    # a numbered level: 'niveau 2' may be the advanced edition, 'Level 1' never is
    assert by_pair[("d2", "d3")]["levels_a"] == ["intermediate", "advanced"]
    assert (
        by_pair[("d2", "d3")]["subjects_a"] == by_pair[("d2", "d3")]["subjects_b"] == ["monitoring"]
    )
    # 'advanced technologies' is the subject: both are the introductory edition, so the
    # advanced one (e3) is another course
    assert (
        by_pair[("e1", "e2")]["levels_a"] == by_pair[("e1", "e2")]["levels_b"] == ["introductory"]
    )
    assert by_pair[("e1", "e2")]["subjects_a"] == ["emerging_technology"]
    # monitoring and measurement name one course: the subjects published as the titles name
    # them, compared as one
    assert by_pair[("f1", "f2")]["subjects_a"] == ["monitoring"]
    assert by_pair[("f1", "f2")]["subjects_b"] == ["measurement"]
    assert by_pair[("f1", "f2")]["content_similarity"] == 1
    for r in rows:
        assert 0 <= r["score"] <= 1
        assert r["content_similarity"] >= float(config.dbt_var("overlap_min_content"))
        assert r["reasons"][:2] == ["same_topic", "same_region"]


def test_shared_participants_and_matrix(built):
    db, _ = built
    shared = _rows(db, "select * from overlap.shared_participants")
    assert any(r["bureaux"] == ["BDT", "BR"] and r["topic"] == "cybersecurity" for r in shared)
    assert all(r["n_bureaux"] >= 2 for r in shared)
    matrix = {
        (r["unit_level"], r["unit_a"], r["unit_b"], r["topic"]): r
        for r in _rows(db, "select * from overlap.bureau_topic_matrix")
    }
    bdt_gs = matrix[("bureau", "BDT", "GS", "cybersecurity")]
    # BDT activities a1, a2 (HQ and regional office) overlap GS's a6; a5 (HQ's other
    # delivery) does not: a6 repeats one HQ delivery, the one it shares people with
    assert bdt_gs["activities_a"] == 3 and bdt_gs["activities_b"] == 1
    assert bdt_gs["overlapping_pairs"] == 2
    assert bdt_gs["overlapping_activities_a"] == 2 and bdt_gs["overlap_share_b"] == 1
    assert matrix[("bureau", "BDT", "BR", "cybersecurity")]["shared_participants"] >= 1
    hq_ro = matrix[("org_unit", "BDT", "RO-Africa", "cybersecurity")]
    assert hq_ro["overlapping_pairs"] == 1  # a2-a5 (a2 repeats one HQ delivery)


def test_each_resolution_run_is_recorded_in_ops(built):
    db, facts = built
    runs = _rows(db, "select * from ops.identity_runs")
    assert len(runs) == 1, runs
    run = runs[0]
    assert run["records"] == len(facts["records"]) and run["method"] == "model", run
    assert run["links"] > 0 and run["persons"] < run["records"] and run["seconds"] > 0
    assert "name" in run["attributes"].split(",") and run["reason"] is None


def test_participant_links_explain_every_linked_person(built):
    db, facts = built
    links = _rows(db, "select * from core.participant_links")
    crosswalk = _rows(
        db, "select participant_record_key, participant_key from core.participant_crosswalk"
    )
    person_of = {r["participant_record_key"]: r["participant_key"] for r in crosswalk}
    assert links
    for link in links:
        a, b = link["participant_record_key_a"], link["participant_record_key_b"]
        assert a < b and person_of[a] == person_of[b] == link["participant_key"]
    # every person of n records is explained by at least n - 1 links that connect them
    sizes: dict[str, int] = {}
    for key in person_of.values():
        sizes[key] = sizes.get(key, 0) + 1
    per_person: dict[str, int] = {}
    for link in links:
        per_person[link["participant_key"]] = per_person.get(link["participant_key"], 0) + 1
    for key, size in sizes.items():
        assert per_person.get(key, 0) >= size - 1, key
    model = [r for r in links if r["linked_by"] == "model"]
    assert model, {r["linked_by"] for r in links}
    for link in model:
        assert link["match_probability"] >= THRESHOLD and link["match_weight"] is not None
        levels = dict(level.split(": ", 1)[0].split("=") for level in link["comparison_levels"])
        assert {"name", "email", "country"} <= set(levels), link["comparison_levels"]
    # the shared person's two records: the name in another order and the e-mail in another
    # case normalise to one profile, so the pair is linked as identical (nothing to score)
    shared = {
        r["participant_record_key"]
        for r in _rows(
            db,
            "select participant_record_key from private.participant_keys "
            "where source_record_key in ('shared-1', 'shared-2')",
        )
    }
    (pair,) = [
        r for r in links if {r["participant_record_key_a"], r["participant_record_key_b"]} == shared
    ]
    assert pair["linked_by"] == "identical" and pair["comparison_levels"] == []
    assert pair["match_probability"] is None


def test_participant_links_hold_no_personal_value(built):
    db, facts = built
    values = {r["full_name"].lower() for r in facts["records"]}
    values |= {r["email"].lower() for r in facts["records"] if r["email"]}
    values |= {r["source_record_key"].lower() for r in facts["records"]}
    for link in _rows(db, "select * from core.participant_links"):
        texts = [v for v in link.values() if isinstance(v, str)]
        texts += [t for v in link.values() if isinstance(v, list) for t in v]
        for text in texts:
            assert not any(value in text.lower() for value in values if len(value) > 4), text


def test_review_band_pairs_are_uncertain_and_undecided(built):
    db, _ = built
    pairs = _rows(db, "select * from private.identity_review_pairs")
    assert pairs, "the synthetic population has pairs near the threshold"
    for pair in pairs:
        assert REVIEW_MIN <= pair["match_probability"] < REVIEW_MAX
        assert pair["distance_to_threshold"] == pytest.approx(
            abs(pair["match_probability"] - THRESHOLD)
        )
        assert pair["full_name_a"] and pair["full_name_b"] and pair["comparison_levels"]
    # pairs below the link threshold are kept for review, unlinked unless another path links
    assert any(p["match_probability"] < THRESHOLD for p in pairs)
