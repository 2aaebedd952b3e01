"""The dbt project built on a small fixture raw zone (tests/integration/fixtures_raw.py).

`dbt build` runs in-process (dbtRunner) on a copy of the project in a temporary directory,
with CAPDEV_DATA_DIR / CAPDEV_WAREHOUSE_PATH pointing there, once with every platform and
once with only the ITU Academy ingested (the other platforms' sources fall back to empty
relations). The warehouse is then read with a read-only DuckDB connection.

The copy holds this part of the project (sources, staging, intermediate activities /
participations / participants / reference models, core and ops marts, seeds, snapshot,
macros, tests). The identity-resolution, overlap and Council models are left out: Splink
cannot train on a dozen records. Set CAPDEV_DBT_TEST_FULL_PROJECT=1 to build the whole
project instead (for a fixture large enough for them).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fixtures_raw import GS_ACTIVITY, _stmt, _write_batch, write_raw_fixture  # noqa: E402

PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

# The files of this part of the project (paths relative to dbt_project/).
OWN_PATHS = (
    "dbt_project.yml",
    "profiles.yml",
    "macros",
    "seeds",
    "snapshots",
    "tests/generic",
    "tests/fixtures",  # the unit tests' rows: dbt parses them even when no unit test runs
    "tests/assert_taxonomy_term_codes_exist.sql",
    "tests/assert_taxonomy_exact_terms_unambiguous.sql",
    "tests/assert_no_personal_data_in_core.sql",
    "tests/assert_no_email_values_in_participant_records.sql",
    "models/staging",
    "models/intermediate/reference",
    "models/intermediate/activities",
    "models/intermediate/participations",
    "models/intermediate/participants",
    "models/marts/core/_core__models.yml",
    "models/marts/core/_core__exposures.yml",
    "models/marts/core/activities.sql",
    "models/marts/core/participations.sql",
    "models/marts/core/participant_records.sql",
    "models/marts/core/platform_profile.sql",
    "models/marts/core/unmapped_terms.sql",
    "models/marts/ops/_ops__models.yml",
    "models/marts/ops/load_manifest.sql",
    "models/marts/ops/quarantine.sql",
    "models/marts/reference",
    "models/private/quarantine_rows.sql",
)
# What the builds here leave out. The dbt unit tests run once, on an empty warehouse, in
# tests/unit/test_dbt_unit_tests.py. The generic tests of the seeds and of their normalized
# lookups depend on the seed files only, not on the raw zone: test_dbt_seeds.py checks the same
# properties directly on the CSV files, in a fraction of the time. CAPDEV_DBT_TEST_ALL_TESTS=1
# runs every dbt test here too.
BUILD_EXCLUSION = (
    ("--exclude", "test_type:unit")
    if os.environ.get("CAPDEV_DBT_TEST_ALL_TESTS")
    else (
        "--exclude",
        "test_type:unit",
        "test_type:generic,path:seeds",
        "test_type:generic,path:models/intermediate/reference",
    )
)
IGNORE = shutil.ignore_patterns("target", "logs", "dbt_packages", "__pycache__", ".user.yml")


def copy_project(dest: Path) -> Path:
    if os.environ.get("CAPDEV_DBT_TEST_FULL_PROJECT"):
        shutil.copytree(PROJECT, dest, ignore=IGNORE)
    else:
        for rel in OWN_PATHS:
            src, out = PROJECT / rel, dest / rel
            out.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, out, ignore=IGNORE)
            else:
                shutil.copy2(src, out)
    # dbt runs in this process here: it must release the file when a command ends, or the
    # read-only connections below could not open it (the profile keeps it open for the
    # pipeline, whose dbt runs in a child process).
    profiles = dest / "profiles.yml"
    profiles.write_text(profiles.read_text().replace("keep_open: true", "keep_open: false"))
    return dest


def run_dbt(project: Path, *args: str) -> None:
    """Run a dbt command in-process; fail the test with the failing nodes' messages."""
    from dbt.cli.main import dbtRunner

    result = dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(project),
            "--profiles-dir",
            str(project),
            "--target-path",
            str(project / "target"),
            "--log-path",
            str(project / "logs"),
            "--quiet",
        ]
    )
    if not result.success:
        failures = []
        for node in getattr(result.result, "results", None) or []:
            if str(node.status) not in ("success", "pass", "skipped", "no-op"):
                failures.append(f"{node.node.unique_id}: {node.status}: {node.message}")
        pytest.fail(
            f"dbt {' '.join(args)} failed: {result.exception or ''}\n" + "\n".join(failures)
        )


def build_env(monkeypatch: pytest.MonkeyPatch, data_dir: Path) -> Path:
    warehouse = data_dir / "warehouse" / "build.duckdb"
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(data_dir))
    monkeypatch.setenv("CAPDEV_WAREHOUSE_PATH", str(warehouse))
    monkeypatch.setenv("CAPDEV_PSEUDONYM_KEY", "test-pseudonym-key")
    monkeypatch.setenv("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    return warehouse


def query(warehouse: Path, sql: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql).fetchall()


def scalar(warehouse: Path, sql: str):
    return query(warehouse, sql)[0][0]


@pytest.fixture(scope="module")
def full_build(tmp_path_factory: pytest.TempPathFactory):
    """Every platform ingested: build once, share the warehouse between the tests below."""
    tmp = tmp_path_factory.mktemp("dbt_full")
    data_dir = tmp / "data"
    expected = write_raw_fixture(data_dir)
    project = copy_project(tmp / "dbt_project")
    with pytest.MonkeyPatch.context() as mp:
        warehouse = build_env(mp, data_dir)
        run_dbt(project, "build", *BUILD_EXCLUSION)
    return {"warehouse": warehouse, "expected": expected, "project": project, "data_dir": data_dir}


def test_core_marts_have_expected_rows(full_build):
    wh, expected = full_build["warehouse"], full_build["expected"]
    for table in ("activities", "participations", "participant_records"):
        assert scalar(wh, f"select count(*) from core.{table}") == expected[table], table
    by_platform = dict(
        query(wh, "select platform, count(*) from core.activities group by platform")
    )
    assert by_platform == expected["activities_by_platform"]
    assert scalar(wh, "select count(*) from core.platform_profile") > 0
    assert scalar(wh, "select count(*) from core.activities_snapshot") == expected["activities"]
    # every participation points at an activity and a participant record
    assert (
        scalar(
            wh,
            """
        select count(*) from core.participations p
        left join core.activities a using (activity_key)
        left join core.participant_records r using (participant_record_key)
        where a.activity_key is null or r.participant_record_key is null
    """,
        )
        == 0
    )


def test_site_course_excluded_and_multilang_split(full_build):
    wh = full_build["warehouse"]
    keys = {
        k
        for (k,) in query(wh, "select activity_key from core.activities where platform = 'academy'")
    }
    assert keys == {"academy:10", "academy:11", "academy:12"}
    title, title_en, title_fr = query(
        wh,
        """
        select title, title_en, title_fr from intermediate.int_activities_classified
        where activity_key = 'academy:10'
    """,
    )[0]
    assert title == "Spectrum management fundamentals"
    assert title_en == "Spectrum management fundamentals"
    assert title_fr == "Gestion du spectre : notions de base"
    # the course re-sent with a new name: the latest landed version wins
    assert scalar(wh, "select title from core.activities where activity_key = 'academy:11'") == (
        "Cybersecurity fundamentals for CIRTs"
    )
    # a course of another bureau hosted on the Academy
    assert query(
        wh, "select bureau, on_itu_academy from core.activities where activity_key = 'academy:10'"
    ) == [("BR", True)]


def test_voided_xapi_statement_excluded(full_build):
    wh = full_build["warehouse"]
    ids = {i for (i,) in query(wh, "select statement_id from staging.stg_gs_lrs__statements")}
    assert "00000000-0000-4000-8000-000000000005" not in ids  # voided
    assert "00000000-0000-4000-8000-000000000006" not in ids  # the voiding statement
    assert len(ids) == 4
    assert scalar(wh, "select count(*) from staging.base_gs_lrs__statements") == 6
    # Bob's only completion was voided: registered, not completed, no score
    bob = query(
        wh,
        """
        select registered, completed, passed, score_0_100
        from intermediate.int_participations_unioned
        where platform = 'gs_lrs' and source_record_key = 'https://learning.itu.int|u42'
    """,
    )
    assert bob == [(True, False, None, None)]
    alice = query(
        wh,
        """
        select completed, passed, score_0_100 from intermediate.int_participations_unioned
        where platform = 'gs_lrs' and source_record_key = 'mailto:Alice.Moreau@itu.int'
    """,
    )
    assert alice == [(True, True, 85.0)]
    # one activity, placed in its region by the grouping IRI the deployment's pattern names
    assert query(
        wh, f"select region from core.activities where activity_key = 'gs_lrs:{GS_ACTIVITY}'"
    ) == [("Asia-Pacific",)]


def test_resent_br_workbook_supersedes(full_build):
    wh = full_build["warehouse"]
    rows = query(
        wh,
        """
        select source_record_key, source_file, country_raw
        from staging.stg_br_seminars__participants
        where seminar_key = 'WRS-2024' order by source_record_key
    """,
    )
    assert rows == [
        ("WRS-2024:1", "WRS-2024 (corrected).xlsx", "Senegal"),
        ("WRS-2024:2", "WRS-2024 (corrected).xlsx", "Fédération de Russie"),
    ]
    seminars = query(
        wh,
        """
        select seminar_key, start_date::varchar, end_date::varchar
        from staging.stg_br_seminars__seminars
        order by seminar_key
    """,
    )
    assert seminars == [
        ("RRS-2023-AFR", "2023-09-04", "2023-09-08"),
        ("WRS-2024", "2024-03-14", "2024-03-18"),
    ]
    # 'World' seminar is global, the regional one serves Africa
    regions = dict(
        query(
            wh,
            "select source_activity_key, region from core.activities"
            " where platform = 'br_seminars'",
        )
    )
    assert regions == {"WRS-2024": None, "RRS-2023-AFR": "Africa"}


def test_countries_genders_and_scores_harmonized(full_build):
    wh = full_build["warehouse"]
    countries = dict(
        query(
            wh,
            """
        select platform || '/' || country_raw, country
        from intermediate.int_participant_records_unioned
        where country_raw is not null
    """,
        )
    )
    assert countries["tsb_events/Türkiye"] == "TR"
    assert countries["tsb_events/TUR"] == "TR"  # alpha-3
    assert countries["tsb_events/Swaziland"] == "SZ"  # old name
    assert countries["br_seminars/Côte d'Ivoire"] == "CI"
    assert countries["br_seminars/Sénégal"] == "SN"  # French name
    assert countries["br_seminars/Fédération de Russie"] == "RU"
    assert countries["regional_offices/Cote d'Ivoire"] == "CI"  # accents dropped
    assert countries["regional_offices/CIV"] == "CI"
    assert countries["regional_offices/Россия"] == "RU"
    assert countries["academy/SN"] == "SN"
    assert (
        scalar(
            wh,
            "select country from core.activities where activity_key = 'tsb_events:TSB-2024-HK-002'",
        )
        == "CI"
    )
    genders = dict(
        query(
            wh,
            """
        select gender_raw, gender from intermediate.int_participant_records_unioned
        where gender_raw is not null
    """,
        )
    )
    assert genders == {
        "Female": "F",
        "M": "M",
        "Homme": "M",
        "F": "F",
        "H": "M",
        "Femme": "F",
        "Мужской": "M",
    }
    # the rules (one scale, pass marks, outcome flags) are pinned by the dbt unit tests of
    # int_scores_normalized and int_participations_unioned; here: the raw values reach them
    # through staging ('15,5' read as a number, a grade item's own range, 'ABS' = absent)
    scores = dict(
        query(
            wh,
            """
        select platform || '/' || source_record_key || '@' || source_activity_key, score_0_100
        from intermediate.int_participations_unioned where score_0_100 is not null
    """,
        )
    )
    assert scores["academy/101@10"] == 85.0  # the course total, not the quiz's 9 of 10
    assert scores["academy/101@11"] == 90.0  # 18 on a 0-20 grade item
    assert scores["br_seminars/RRS-2023-AFR:1@RRS-2023-AFR"] == 77.5  # '15,5' / 20
    assert query(
        wh,
        "select passed from intermediate.int_participations_unioned"
        " where source_record_key = 'RRS-2023-AFR:2'",
    ) == [(False,)]
    # the regional offices' satisfaction texts ('4', '5', '3') reach the mart on 1-5
    satisfaction = query(
        wh,
        "select satisfaction_1_5 from core.participations where satisfaction_1_5 is not null"
        " order by 1",
    )
    assert satisfaction == [(3.0,), (4.0,), (5.0,)]


@pytest.mark.parametrize("entity", ["participations", "participant_records"])
def test_platform_models_share_the_union_columns_in_order(full_build, entity):
    """dbt's enforced contract checks each int_<platform>__<entity> model's column names and
    types, not their order: the order (what a reader of one platform's model sees, and what
    a positional union would rely on) is checked here, against the union and for every
    platform the union holds."""
    wh = full_build["warehouse"]
    columns: dict[str, list[tuple[str, str]]] = {}
    for table, column, data_type in query(
        wh,
        f"""
        select table_name, column_name, data_type
        from information_schema.columns
        where table_schema = 'intermediate'
            and (table_name like 'int\\_%\\_\\_{entity}' escape '\\'
                or table_name = 'int_{entity}_unioned')
        order by table_name, ordinal_position
    """,
    ):
        columns.setdefault(table, []).append((column, data_type))
    union = columns.pop(f"int_{entity}_unioned")
    platforms = {
        row[0]
        for row in query(wh, f"select distinct platform from intermediate.int_{entity}_unioned")
    }
    assert set(columns) == {f"int_{platform}__{entity}" for platform in platforms}
    for table, table_columns in columns.items():
        assert table_columns == union, table


def test_seed_vocabulary_on_platform_wording(full_build):
    """The real taxonomy seeds on the wording the platforms send: a Moodle delivery-mode field
    and category, a French title, a TSB event type and study group, Russian and French regional
    types and titles (the classification rules are the dbt unit tests of
    int_activities_classified, on a test vocabulary). A term no row names is listed for a
    person to add."""
    wh = full_build["warehouse"]
    got = {
        key: (activity_type, topic)
        for key, activity_type, topic in query(
            wh, "select activity_key, activity_type, topic from core.activities"
        )
    }
    assert got["academy:10"] == ("self_paced_online_course", "spectrum_management")
    assert got["academy:12"] == ("blended_course", "iot_smart_cities")  # French title
    assert got["tsb_events:TSB-2024-WS-001"] == ("workshop", "artificial_intelligence")
    assert got["tsb_events:TSB-2024-HK-002"] == (None, "iot_smart_cities")  # 'Codefest', SG20
    assert got["regional_offices:cis:seminar_cyber_2024"] == ("seminar", "cybersecurity")
    assert got["regional_offices:africa:atelier_5g_abidjan_2024"] == (
        "workshop",
        "broadband_infrastructure",
    )
    unmapped = query(wh, "select term, platform, field, kind, count from core.unmapped_terms")
    assert ("Codefest", "tsb_events", "event_type", "activity_type", 1) in unmapped


def test_no_personal_data_in_core(full_build):
    wh = full_build["warehouse"]
    columns = query(
        wh,
        "select table_name, column_name from information_schema.columns"
        " where table_schema = 'core'",
    )
    assert columns
    personal = [
        (t, c)
        for t, c in columns
        if any(
            word in c.lower()
            for word in ("email", "mail", "first_name", "last_name", "full_name", "name_latin")
        )
        or c.lower() in ("name", "firstname", "lastname", "fullname", "username")
    ]
    assert personal == []
    # no e-mail address or name in any value of the core tables
    for (table,) in query(
        wh, "select table_name from information_schema.tables where table_schema = 'core'"
    ):
        dump = json.dumps(query(wh, f"select * from core.{table}"), default=str)
        assert "@" not in dump, table
        for name in ("Diallo", "Moreau", "Yılmaz", "Иванов", "Kouassi"):
            assert name not in dump, (table, name)
    # platform ids are not published: the record key is ingestion.pseudonym's keyed hash
    from ingestion.pseudonym import participant_record_key

    keys = {
        k
        for (k,) in query(
            wh,
            "select participant_record_key from core.participant_records where platform = 'gs_lrs'",
        )
    }
    key = b"test-pseudonym-key"  # the build's CAPDEV_PSEUDONYM_KEY
    assert participant_record_key("gs_lrs", "https://learning.itu.int|u42", key) in keys
    assert participant_record_key("gs_lrs", "mailto:Alice.Moreau@itu.int", key) in keys


def test_published_record_keys_are_the_python_rule(full_build):
    """The published record keys are what ingestion.pseudonym computes for the platform records
    behind them: the SQL macro only calls the Python rule."""
    from ingestion.pseudonym import participant_record_key

    wh = full_build["warehouse"]
    records = query(
        wh,
        "select platform, source_record_key from intermediate.int_participant_records_unioned",
    )
    published = query(wh, "select participant_record_key from core.participant_records")
    assert len(records) > 10
    key = b"test-pseudonym-key"
    assert sorted(participant_record_key(p, str(k), key) for p, k in records) == sorted(
        k for (k,) in published
    )


def test_validation_normalizes_text_as_the_warehouse(full_build, monkeypatch):
    """normalize_key as dbt compiles it, run in DuckDB, and ingestion.normalize (what validation
    uses) give the same key for every test string and every spelling of the country seeds."""
    from dbt.cli.main import dbtRunner
    from normalize_cases import NORMALIZE_KEY_CASES

    from ingestion.normalize import normalize_many

    project = full_build["project"]
    build_env(monkeypatch, full_build["data_dir"])
    result = dbtRunner().invoke(
        ["compile", "--inline", "select {{ normalize_key('value') }} as key from texts",
         "--project-dir", str(project), "--profiles-dir", str(project),
         "--target-path", str(project / "target"), "--log-path", str(project / "logs"),
         "--quiet"]
    )  # fmt: skip
    assert result.success, result.exception
    compiled = result.result.results[0].node.compiled_code
    texts = [text for text, _ in NORMALIZE_KEY_CASES]
    for seed, columns in (("country_aliases", ["alias"]), ("countries", ["name_en", "name_ar"])):
        with (project / "seeds" / f"{seed}.csv").open(encoding="utf-8", newline="") as handle:
            texts += [row[c] for row in csv.DictReader(handle) for c in columns]
    with duckdb.connect() as con:
        con.execute("create table texts (position integer, value varchar)")
        con.executemany("insert into texts values (?, ?)", list(enumerate(texts)))
        in_sql = [k for (k,) in con.execute(f"{compiled} order by position").fetchall()]
    assert len(texts) > 2000
    assert normalize_many(texts) == in_sql


def test_ops_marts(full_build):
    wh, expected = full_build["warehouse"], full_build["expected"]
    assert scalar(wh, "select count(*) from ops.load_manifest") == expected["load_manifest"]
    assert scalar(wh, "select count(*) from ops.quarantine") == expected["quarantine"]
    reasons = {r for (r,) in query(wh, "select reason from ops.quarantine")}
    assert reasons == {
        "expect_column_values_to_match_regex(email)",
        "expect_column_values_to_be_in_set(country)",
    }
    assert query(
        wh,
        """
        select rows_in, rows_accepted, rows_quarantined, status from ops.load_manifest
        where batch_id = 'academy__enrolled_users__20240601'
    """,
    ) == [(6, 5, 1, "partially_quarantined")]


def test_codes_speak_one_vocabulary_with_their_labels_beside_them(full_build):
    """Every code column of core, ops and reference holds codes of its list, and every code
    column of core has its label column with the list's label (ingestion/publish/vocabulary)."""
    from ingestion.publish.vocabulary import code_columns, vocabulary_problems

    with duckdb.connect(str(full_build["warehouse"]), read_only=True) as con:
        checked = {c.where for c in code_columns(con, ("core", "ops", "reference"))}
        problems = vocabulary_problems(con, ("core", "ops", "reference"))
        # the label columns are documented, and their descriptions travel with the tables
        undocumented = con.execute(
            "select table_name || '.' || column_name from duckdb_columns() "
            "where schema_name = 'core' and regexp_matches(column_name, '_labels?$') "
            "and coalesce(comment, '') = ''"
        ).fetchall()
    # the check saw the columns it is meant to see, under their different names
    assert {
        "core.activities.topic",
        "core.activities.languages",
        "core.participant_records.gender",
        "core.participant_records.region",
        "ops.load_manifest.platform",
        "reference.taxonomy_activity_types.default_delivery_mode",
    } <= checked
    assert problems == []
    assert undocumented == []


def test_labels_come_from_the_seeds(full_build):
    wh = full_build["warehouse"]
    seeds = PROJECT / "seeds"
    with (seeds / "taxonomy_topics.csv").open(encoding="utf-8") as f:
        topics = {row["code"]: row["label_en"] for row in csv.DictReader(f)}
    with (seeds / "countries.csv").open(encoding="utf-8") as f:
        countries = {row["iso2"]: row["name_en"] for row in csv.DictReader(f)}
    rows = query(
        wh,
        "select topic, topic_label, country, country_label, languages, language_labels "
        "from core.activities",
    )
    assert any(topic for topic, *_ in rows) and any(country for _, _, country, *_ in rows)
    for topic, topic_label, country, country_label, languages, language_labels in rows:
        assert topic_label == topics.get(topic), topic
        assert country_label == countries.get(country), country
        assert (languages is None) == (language_labels is None)
        assert len(languages or []) == len(language_labels or []) and None not in (
            language_labels or []
        )
    # a gender label per code, the same on every row
    genders = query(
        wh, "select distinct gender, gender_label from core.participant_records order by 1"
    )
    assert len(genders) == len({g for g, _ in genders}) and all(label for _, label in genders)


def test_the_vocabulary_check_finds_labels_in_code_columns(full_build, tmp_path):
    """A code spelled as its label, a second gender code set and a missing label column are
    each reported (the check is not blind to what it looks for)."""
    from ingestion.publish.vocabulary import vocabulary_problems

    copy = tmp_path / "copy.duckdb"
    shutil.copyfile(full_build["warehouse"], copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(
            "create table core.bad as select 'Cybersecurity' as topic, 'cybersecurity' as "
            "topic_label, 'women' as participant_gender, "
            "'Female' as participant_gender_label, ['en', 'xx'] as languages"
        )
        problems = [p for p in vocabulary_problems(con, ("core",)) if p.startswith("core.bad.")]
    assert len(problems) == 6, problems
    unknown_topic = "core.bad.topic: 1 value(s) not in the topic list, e.g. 'Cybersecurity'"
    assert unknown_topic in problems
    assert any(p.startswith("core.bad.topic_label:") for p in problems)
    assert any("participant_gender: 1 value(s) not in the gender list" in p for p in problems)
    assert any(p.startswith("core.bad.participant_gender_label:") for p in problems)
    assert any("languages: 1 value(s) not in the language list, e.g. 'xx'" in p for p in problems)
    assert any(p.endswith("no label column language_labels") for p in problems)


def test_incremental_statements_and_published_copy(full_build, tmp_path):
    """A later batch voiding another statement is picked up incrementally (on a copy of the
    built data directory and warehouse); the warehouse file still works once renamed (the
    publish step)."""
    project = full_build["project"]
    data_dir = tmp_path / "data"
    shutil.copytree(full_build["data_dir"], data_dir)
    wh = data_dir / "warehouse" / "build.duckdb"
    # Alice's 'passed' statement (id ...03) is voided by a statement landed the next day
    _write_batch(
        data_dir,
        "gs_lrs",
        "statements",
        "2024-06-03",
        [
            _stmt(
                "00000000-0000-4000-8000-000000000007",
                {"objectType": "Agent", "mbox": "mailto:lrs-admin@itu.int"},
                "http://adlnet.gov/expapi/verbs/voided",
                "2024-06-03T09:00:00Z",
                obj={"objectType": "StatementRef", "id": "00000000-0000-4000-8000-000000000003"},
            )
        ],
        datetime(2024, 6, 4, 1, 0, tzinfo=UTC),
        "statements?since=2024-06-02T00:00:00Z",
    )
    with pytest.MonkeyPatch.context() as mp:
        build_env(mp, data_dir)
        run_dbt(project, "run", "--select", "base_gs_lrs__statements", "stg_gs_lrs__statements")
    assert scalar(wh, "select count(*) from staging.base_gs_lrs__statements") == 7
    ids = {i for (i,) in query(wh, "select statement_id from staging.stg_gs_lrs__statements")}
    assert "00000000-0000-4000-8000-000000000003" not in ids and len(ids) == 3

    published = tmp_path / "capdev.duckdb"
    shutil.copy(wh, published)
    assert scalar(published, "select count(*) from staging.stg_gs_lrs__statements") == 3
    assert (
        scalar(published, "select count(*) from core.activities")
        == full_build["expected"]["activities"]
    )


def test_descriptions_travel_with_the_published_tables(full_build, tmp_path):
    import yaml

    from ingestion.publish.warehouse import copy_public_schemas

    docs = yaml.safe_load(
        (Path(full_build["project"]) / "models/marts/core/_core__models.yml").read_text()
    )
    [model] = [m for m in docs["models"] if m["name"] == "activities"]
    columns = {c["name"]: " ".join(c["description"].split()) for c in model["columns"]}
    published = tmp_path / "capdev.duckdb"
    copy_public_schemas(full_build["warehouse"], published)
    (table_comment,) = query(
        published,
        "select comment from duckdb_tables()"
        " where schema_name = 'core' and table_name = 'activities'",
    )[0]
    assert " ".join(table_comment.split()) == " ".join(model["description"].split())
    comments = dict(
        query(
            published,
            "select column_name, comment from duckdb_columns()"
            " where schema_name = 'core' and table_name = 'activities'",
        )
    )
    assert {c: " ".join((comments.get(c) or "").split()) for c in columns} == columns


def test_build_with_only_academy_ingested(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    write_raw_fixture(data_dir, platforms=["academy"])
    project = copy_project(tmp_path / "dbt_project")
    warehouse = build_env(monkeypatch, data_dir)
    # models, seeds and snapshot only: the data tests run in the full build above
    run_dbt(project, "build", "--exclude", "resource_type:test", "resource_type:unit_test")
    assert dict(
        query(warehouse, "select platform, count(*) from core.activities group by platform")
    ) == {"academy": 3}
    assert scalar(warehouse, "select count(*) from core.participations") == 4
    for model in (
        "stg_tsb_events__events",
        "stg_tsb_events__registrations",
        "stg_br_seminars__seminars",
        "stg_br_seminars__participants",
        "stg_regional_offices__participants",
        "stg_gs_lrs__statements",
    ):
        assert scalar(warehouse, f"select count(*) from staging.{model}") == 0, model
    # the empty fallback keeps the declared columns and types
    types = dict(
        query(
            warehouse,
            """
        select column_name, data_type from information_schema.columns
        where table_schema = 'staging' and table_name = 'stg_tsb_events__registrations'
    """,
        )
    )
    assert types["attended"] == "BOOLEAN" and types["registered_at"] == "TIMESTAMP WITH TIME ZONE"
    assert scalar(warehouse, "select count(*) from ops.load_manifest") == 2
