"""The Council marts end to end: dbt builds them over a hand-made warehouse, then publishes.

A tiny warehouse is written by hand with the columns the Council models read from the core and
overlap marts (activities, participations, participant_crosswalk, participants,
activity_overlaps), so every expected figure is known. The real dbt project then builds only the
Council models over it (``dbt run --select marts.council``), and
``publish_council`` copies them to ``council.duckdb`` and Parquet.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from ingestion import config
from ingestion.publish.council import (
    PersonalDataFound,
    council_db,
    council_parquet_dir,
    publish_council,
    scan_for_personal_data,
)
from ingestion.publish.disclosure.audit import audit
from ingestion.publish.threshold import min_cell_size

COUNCIL_TABLES = {
    "academy_candidates",
    "activity_figures",
    "disclosure_control",
    "duplication_by_period",
    "duplication_summary",
    "headline_figures",
    "people_by_group",
    "period_figures",
}
REGIONS = ("Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe")
TOPICS = ("Spectrum management", "Cybersecurity", "Digital transformation")
# the warehouse holds taxonomy codes, and so do the Council marts, their labels beside them
TOPIC_CODES = {label: label.lower().replace(" ", "_") for label in TOPICS}
# the seeds reference.code_labels is made of (the Council marts label their codes from it)
LABEL_SEEDS = (
    "vocabularies",
    "org_units",
    "countries",
    "taxonomy_topics",
    "taxonomy_activity_types",
)


def _activities() -> list[dict]:
    """(bureau, platform, academy?) x years x topics, plus one tiny GS activity in 2019."""
    rows = []
    layout = [
        ("BDT", "academy", True, "self_paced_online_course", "online_self_paced"),
        ("BDT", "regional_offices", False, "workshop", "in_person"),
        ("BR", "br_seminars", False, "seminar", "in_person"),
        ("TSB", "tsb_events", False, "workshop", "hybrid"),
    ]
    for year in (2019, 2020, 2021):
        for bureau, platform, academy, kind, mode in layout:
            for t, topic in enumerate(TOPICS):
                key = f"{platform}-{year}-{t}"
                title = (
                    f"{topic} fundamentals"
                    if academy
                    else f"Regional workshop on {topic.lower()} {year}"
                )
                rows.append(
                    dict(
                        activity_key=key,
                        platform=platform,
                        source_activity_key=f"src-{key}",
                        bureau=bureau,
                        org_unit="RO-Africa" if platform == "regional_offices" else bureau,
                        office="africa" if platform == "regional_offices" else None,
                        title=title,
                        title_en=title,
                        activity_type=kind,
                        topic=TOPIC_CODES[topic],
                        # core: NULL for a global activity
                        region=None if academy else ("Africa", "Americas", "Europe")[t],
                        country=None,
                        start_date=dt.date(year, 3 + t, 10),
                        end_date=dt.date(year, 3 + t, 14),
                        delivery_mode=mode,
                        languages=["en"],
                        on_itu_academy=academy,
                    )
                )
    rows.append(
        dict(
            activity_key="gs_lrs-2019-tiny",
            platform="gs_lrs",
            source_activity_key="src-gs",
            bureau="GS",
            org_unit="GS",
            office=None,
            title="Leadership in the digital age",
            title_en="Leadership in the digital age",
            activity_type="self_paced_online_course",
            topic="digital_transformation",
            region=None,
            country=None,
            start_date=dt.date(2019, 6, 1),
            end_date=dt.date(2019, 6, 30),
            delivery_mode="online_self_paced",
            languages=["en"],
            on_itu_academy=False,
        )
    )
    return rows


def build_core_warehouse(path: Path, seed: int = 11) -> dict:
    """The core/overlap tables the Council models read, with known contents; returns the facts."""
    rng = random.Random(seed)
    region_rng = random.Random(seed + 1)  # apart, so the other draws stay what they were
    activities = _activities()
    persons = []
    for i in range(260):
        developing = rng.random() < 0.7
        # the participant's own region (of the country), not the activity's; some not recorded
        region = region_rng.choices([*REGIONS, None], [30, 15, 10, 15, 5, 15, 10])[0]
        persons.append(
            dict(
                participant_key=f"person-{i:04d}",
                region=region,
                gender=rng.choices(["F", "M", "X", "unknown"], [40, 50, 2, 8])[0],
                is_developing=developing if i % 25 else None,
                is_ldc=developing and rng.random() < 0.3,
                is_lldc=False,
                is_sids=developing and rng.random() < 0.1,
            )
        )
    records: dict[tuple[str, str], str] = {}
    participations = []
    for activity in activities:
        size = 3 if activity["platform"] == "gs_lrs" else rng.randint(12, 40)
        for person in rng.sample(persons, size):
            record = records.setdefault(
                (activity["platform"], person["participant_key"]),
                f"rec-{activity['platform']}-{len(records):05d}",
            )
            academy = activity["on_itu_academy"]
            completed = rng.random() < 0.75 if academy or activity["platform"] == "gs_lrs" else None
            passed = (
                rng.random() < 0.8 if activity["platform"] in ("academy", "br_seminars") else None
            )
            participations.append(
                dict(
                    participation_key=f"p-{len(participations):06d}",
                    activity_key=activity["activity_key"],
                    participant_record_key=record,
                    platform=activity["platform"],
                    registered=True,
                    attended=rng.random() < 0.9 if activity["platform"] == "tsb_events" else None,
                    completed=completed,
                    passed=passed,
                    certified=bool(passed) and rng.random() < 0.7,
                    score_0_100=None,
                    satisfaction_1_5=float(rng.randint(3, 5))
                    if activity["platform"] == "regional_offices"
                    else None,
                )
            )
    crosswalk = [
        dict(
            platform=platform,
            source_record_key=f"src-{record}",
            participant_record_key=record,
            participant_key=person_key,
        )
        for (platform, person_key), record in records.items()
    ]
    by_topic_year: dict[tuple, list[str]] = {}
    for a in activities:
        by_topic_year.setdefault((a["topic"], a["start_date"].year), []).append(a)
    overlaps = []
    for group in by_topic_year.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if a["bureau"] != b["bureau"] and {a["bureau"], b["bureau"]} != {"GS"}:
                    overlaps.append(
                        dict(
                            activity_key_a=a["activity_key"],
                            activity_key_b=b["activity_key"],
                            score=0.8,
                            reasons=["same topic", "same year"],
                        )
                    )

    con = duckdb.connect(str(path))
    try:
        con.execute("create schema core; create schema overlap").fetchall()
        for schema, table, rows in (
            ("core", "activities", activities),
            ("core", "participations", participations),
            ("core", "participant_crosswalk", crosswalk),
            ("core", "participants", persons),
            ("overlap", "activity_overlaps", overlaps),
        ):
            frame = pa.Table.from_pylist(rows)  # noqa: F841 (read by DuckDB's replacement scan)
            con.execute(f"create table {schema}.{table} as select * from frame").fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()
    return dict(
        activities=activities,
        participations=participations,
        crosswalk=crosswalk,
        persons=persons,
        overlaps=overlaps,
    )


def _people_trained(facts: dict, year: int | None = None, bureau: str | None = None) -> int:
    activity = {a["activity_key"]: a for a in facts["activities"]}
    person = {c["participant_record_key"]: c["participant_key"] for c in facts["crosswalk"]}
    people = set()
    for p in facts["participations"]:
        a = activity[p["activity_key"]]
        if year and a["start_date"].year != year or bureau and a["bureau"] != bureau:
            continue
        if p["attended"] is False and not (p["completed"] or p["passed"] or p["certified"]):
            continue
        people.add(person[p["participant_record_key"]])
    return len(people)


@pytest.fixture(scope="module")
def council_build(tmp_path_factory):
    """A warehouse with the Council marts built by the real dbt project, and its facts."""
    from ingestion.warehouse.build import run_dbt

    data = tmp_path_factory.mktemp("council-data")
    mp = pytest.MonkeyPatch()
    mp.setenv("CAPDEV_DATA_DIR", str(data))
    warehouse = config.published_warehouse()
    warehouse.parent.mkdir(parents=True)
    facts = build_core_warehouse(warehouse)
    # The code lists (seeds and reference.code_labels), then the Council models only: their
    # schema tests run in every nightly `dbt build`; the assertions below check the same rules
    # on known data.
    run_dbt("seed", "--select", *LABEL_SEEDS, warehouse_path=warehouse)
    run_dbt("run", "--select", "code_labels", "marts.council", warehouse_path=warehouse)
    yield warehouse, facts
    mp.undo()


# The people of the hand-made warehouse have no names: the private tier lists one to look for.
PERSONAL = pa.table({"kind": ["full_name"], "personal_value": ["amina diallo"]})


@pytest.fixture
def published(council_build, monkeypatch):
    warehouse, facts = council_build
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(warehouse.parent.parent))
    return publish_council(warehouse, personal=PERSONAL), facts


def _rows(db: Path, sql: str) -> list[dict]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        result = con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
    finally:
        con.close()


def test_publish_writes_council_db_and_parquet(published):
    db, _ = published
    assert db == council_db() and db.is_file()
    tables = {r["table_name"] for r in _rows(db, "select table_name from duckdb_tables()")}
    assert tables == COUNCIL_TABLES
    parquet = {p.stem for p in council_parquet_dir().glob("*.parquet")}
    assert parquet == COUNCIL_TABLES
    for table in COUNCIL_TABLES:
        (count,) = duckdb.sql(
            f"select count(*) from read_parquet('{council_parquet_dir() / table}.parquet')"
        ).fetchall()[0]
        assert count == _rows(db, f"select count(*) as n from council.{table}")[0]["n"]
    assert not list(db.parent.glob("*.incoming"))


COUNT_COLUMN = re.compile(r"(people|participants|activities|events|count|women|men)$")


def test_published_council_files_open_in_duckdb_1x_with_integer_counts(published):
    from duckdb1 import read_with_duckdb1

    db, _ = published
    seen = read_with_duckdb1(db)
    assert seen["version"].startswith("1.")
    assert {name: t["rows"] for name, t in seen["tables"].items()} == {
        f"main.{table}": _rows(db, f"select count(*) as n from council.{table}")[0]["n"]
        for table in COUNCIL_TABLES
    }
    for table in COUNCIL_TABLES:
        parquet = duckdb.connect()
        columns = parquet.execute(
            f"describe select * from read_parquet('{council_parquet_dir() / table}.parquet')"
        ).fetchall()
        parquet.close()
        types = {name: kind for name, kind, *_ in columns}
        assert types == seen["tables"][f"main.{table}"]["types"], table
        # a count of people, activities or events is a whole number: never stored as DOUBLE
        counts = [c for c in types if COUNT_COLUMN.search(c)]
        assert all(types[c] in ("BIGINT", "INTEGER") for c in counts), (table, types)


def test_scan_finds_no_personal_data(published):
    db, _ = published
    assert scan_for_personal_data(db) == []
    columns = {r["column_name"] for r in _rows(db, "select column_name from duckdb_columns()")}
    assert not columns & {"participant_key", "participant_record_key", "source_record_key"}


def test_headline_figures_count_people_once(published):
    db, facts = published
    rows = {
        (r["year"], r["bureau"]): r for r in _rows(db, "select * from council.headline_figures")
    }
    assert rows[(2020, "ALL")]["people_trained"] == _people_trained(facts, 2020)
    assert rows[(2020, "BDT")]["people_trained"] == _people_trained(facts, 2020, "BDT")
    assert rows[(2020, "ALL")]["activities"] == 12
    whole = _rows(
        db,
        "select * from council.period_figures where period_from = 2019 and period_to = 2021 "
        "and bureau = 'ALL' and dimension = 'overall'",
    )[0]
    assert whole["people_trained"] == _people_trained(facts)
    assert whole["people_trained"] < sum(
        rows[(y, "ALL")]["people_trained"] for y in (2019, 2020, 2021)
    )
    assert 0.4 < whole["developing_share"] < 0.95
    assert 0.2 < whole["women_share"] < 0.7


def test_small_cells_are_suppressed_and_flagged(published):
    db, _ = published
    gs = _rows(db, "select * from council.headline_figures where year = 2019 and bureau = 'GS'")[0]
    assert gs["suppressed"] is True
    assert gs["activities"] == 1
    for column in ("people_trained", "participations", "completions", "women_share"):
        assert gs[column] is None
    for table, columns in (
        ("headline_figures", ("people_trained", "participations", "completions", "certificates")),
        ("activity_figures", ("people_trained", "participations", "completions", "certificates")),
        ("period_figures", ("people_trained", "participations", "completions", "certificates")),
        ("duplication_by_period", ("shared_participants",)),
        ("academy_candidates", ("people_trained",)),
    ):
        for column in columns:
            small = _rows(
                db, f"select count(*) as n from council.{table} where {column} between 1 and 4"
            )[0]["n"]
            assert small == 0, f"{table}.{column} publishes a count below 5"
    flagged = _rows(
        db,
        "select count(*) as n from council.period_figures where suppressed "
        "and people_trained is null",
    )[0]["n"]
    assert flagged > 0


def test_duplication_and_academy_candidates(published):
    db, _ = published
    dup = _rows(db, "select * from council.duplication_summary where bureau_a = 'BDT'")
    pairs = {(r["bureau_b"], r["topic"]) for r in dup if r["overlapping_pairs"] > 0}
    assert ("BR", "spectrum_management") in pairs and ("TSB", "cybersecurity") in pairs
    everything = _rows(db, "select * from council.duplication_summary where bureau_a = 'ALL'")
    assert {r["topic"] for r in everything} == set(TOPIC_CODES.values())
    assert {r["topic_label"] for r in everything} == set(TOPICS)
    candidates = _rows(db, "select * from council.academy_candidates order by candidate_rank")
    assert candidates, "regional workshops with demand and quality should be candidates"
    assert all(r["bureau"] != "GS" for r in candidates)  # 3 people: no demand
    assert all(r["people_trained"] >= 10 for r in candidates)
    assert [r["candidate_rank"] for r in candidates] == list(range(1, len(candidates) + 1))
    # every non-Academy activity overlaps an Academy course on its topic in the same year
    assert all(r["similar_academy_course"] for r in candidates)


def test_publish_refuses_personal_data_and_keeps_last_publication(published, tmp_path):
    db, _ = published
    before = db.stat().st_mtime_ns
    leaky = tmp_path / "leaky.duckdb"
    con = duckdb.connect(str(leaky))
    con.execute(
        """
        create schema council;
        create table council.headline_figures as
            select 2020 as year, 'BDT' as bureau, 3 as people_trained;
        create table council.contacts as
            select 'someone@example.org' as note, 'k1' as participant_key;
        create table council.notes as select 'Amina  Diallo ' as speaker;
        """
    ).fetchall()
    con.close()
    with pytest.raises(PersonalDataFound) as raised:
        publish_council(leaky, personal=PERSONAL)
    message = str(raised.value)
    assert "notes.speaker: 1 personal value(s) (full_name)" in message  # found by value
    assert "contacts: table name" in message
    assert "participant_key: column name" in message
    assert "e-mail" in message
    assert "people_trained: 1 people count" in message
    assert db.stat().st_mtime_ns == before
    assert not list(db.parent.glob("*.incoming"))


def test_publish_without_warehouse_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="no published warehouse"):
        publish_council()


def test_publish_without_the_private_tier_to_compare_with_fails_closed(published):
    db, _ = published
    with pytest.raises(PersonalDataFound, match="cannot scan: no build file"):
        publish_council(db.parent / "capdev.duckdb")


def test_no_suppressed_cell_can_be_recomputed_from_the_published_file(published):
    """The disclosure auditor, on the real marts: no margin, share or sum pins a hidden cell."""
    db, _ = published
    found = audit(db)
    assert found == [], "\n".join(str(d) for d in found)


def _women_from_core(warehouse: Path, region: str, year: int) -> dict[str, int]:
    """Women trained in ``year`` whose own country is in ``region``, per bureau and 'ALL',
    counted from the core tables the marts are built from."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        rows = con.execute(
            """
            select coalesce(a.bureau, 'ALL') as bureau, count(distinct c.participant_key) as n
            from core.participations as p
            inner join core.participant_crosswalk as c
                on p.participant_record_key = c.participant_record_key
            inner join core.participants as person on c.participant_key = person.participant_key
            inner join core.activities as a on p.activity_key = a.activity_key
            where year(a.start_date) = ? and person.region = ? and person.gender = 'F'
              and (coalesce(p.attended, true) or coalesce(p.completed, false)
                   or coalesce(p.passed, false) or coalesce(p.certified, false))
            group by rollup (a.bureau)
            """,
            [year, region],
        ).fetchall()
    finally:
        con.close()
    return dict(rows)


def _council_rounded(n: int) -> int:
    """The documented rule of people_by_group (docs/council.md): the nearest multiple of the
    threshold (an integer over 5 never falls half way)."""
    base = min_cell_size()
    return base * round(n / base)


def test_women_trained_in_africa_by_bureau_from_one_mart_equal_core(published, council_build):
    """Issue 15's question, 'women trained in Africa in <year>, by bureau', read from one mart:
    every published cell equals the figure counted from core, rounded by the documented rule;
    Africa is the participants' region (of their country), not the activities'."""
    db, _ = published
    warehouse, _ = council_build
    for year in (2019, 2020, 2021):
        cells = _rows(
            db,
            f"""
            select bureau, people_trained, suppressed
            from council.people_by_group
            where year = {year} and participant_region = 'Africa' and gender = 'F'
              and activity_region = 'ALL' and country_group = 'ALL'
            """,
        )
        expected = _women_from_core(warehouse, "Africa", year)
        published_cells = {r["bureau"]: r["people_trained"] for r in cells if not r["suppressed"]}
        # every bureau with such women has a row; 'ALL' and some bureaux are published (the
        # others are small or complements of small cells at this warehouse's size)
        assert {r["bureau"] for r in cells} == set(expected)
        assert "ALL" in published_cells and len(published_cells) >= 2, (year, cells)
        assert published_cells == {b: _council_rounded(expected[b]) for b in published_cells}
    year = 2021
    # the activity's region is another thing: most of these women trained global activities
    # (region 'unknown', "Not specified")
    by_activity_region = _rows(
        db,
        f"""
        select activity_region, activity_region_label, people_trained
        from council.people_by_group
        where year = {year} and bureau = 'ALL' and participant_region = 'Africa'
          and gender = 'ALL' and country_group = 'ALL'
          and activity_region <> 'ALL' and not suppressed
        """,
    )
    assert {(r["activity_region"], r["activity_region_label"]) for r in by_activity_region} >= {
        ("unknown", "Not specified")
    }


def test_people_by_group_margins_are_the_period_figures(published):
    """The crossed table's one-attribute margins are the single-year period rows (people once),
    rounded to the nearest multiple of the threshold; the period rows stay exact."""
    db, _ = published
    pairs = _rows(
        db,
        """
        select p.dimension, p.category, p.people_trained as period, c.people_trained as crossed
        from council.period_figures as p
        inner join council.people_by_group as c
            on c.year = p.period_from and c.bureau = p.bureau and c.country_group = 'ALL'
            and (
                (p.dimension = 'gender' and c.gender = p.category
                    and c.participant_region = 'ALL' and c.activity_region = 'ALL')
                or (p.dimension = 'participant_region' and c.participant_region = p.category
                    and c.gender = 'ALL' and c.activity_region = 'ALL')
                or (p.dimension = 'region' and c.activity_region = p.category
                    and c.gender = 'ALL' and c.participant_region = 'ALL')
            )
        where p.period_from = p.period_to
        """,
    )
    assert len(pairs) > 100
    both = [r for r in pairs if r["period"] is not None and r["crossed"] is not None]
    assert len(both) > 50
    assert all(_council_rounded(r["period"]) == r["crossed"] for r in both), [
        r for r in both if _council_rounded(r["period"]) != r["crossed"]
    ][:5]
    # the exact figure is not lost: some period rows are no multiple of 5
    assert any(r["period"] % min_cell_size() for r in both)
    # a period row hidden is hidden in the crossed table too (no rounded copy of it)
    assert all(r["crossed"] is None for r in pairs if r["period"] is None)
    labels = _rows(
        db,
        "select distinct country_group, country_group_label from council.people_by_group",
    )
    assert {r["country_group"] for r in labels} == {
        "ALL",
        "developing",
        "developed",
        "unknown",
        "ldc",
        "sids",
    }
    assert all(
        r["country_group_label"] and r["country_group_label"] != r["country_group"] for r in labels
    )


def test_people_by_group_leaks_without_secondary_suppression(council_build, monkeypatch):
    """The auditor reads the crossed table: without complementary suppression it recovers
    suppressed cells of people_by_group (and refuses the publication)."""
    warehouse, _ = council_build
    monkeypatch.setenv("CAPDEV_DATA_DIR", str(warehouse.parent.parent))
    with pytest.raises(PersonalDataFound) as raised:
        publish_council(warehouse, personal=PERSONAL, secondary_suppression=False)
    assert re.search(r"people_by_group\.\d{4}\.\w+\..*people_trained = ", str(raised.value))


def test_publish_refuses_a_recoverable_suppressed_cell(published, tmp_path):
    """Issue 16's leak, in a warehouse of today's style: the audit refuses to publish it."""
    db, _ = published
    before = db.stat().st_mtime_ns
    leaky = tmp_path / "leaky.duckdb"
    con = duckdb.connect(str(leaky))
    con.execute(
        """
        create schema council;
        create table council.period_figures as
            select * from (values
                (2024, 2024, 'GS', 'overall', 'ALL', 964, 0.3916, false),
                (2024, 2024, 'GS', 'gender', 'F', null, null, true),
                (2024, 2024, 'GS', 'gender', 'M', 288, 0.0, false),
                (2024, 2024, 'GS', 'gender', 'X', null, null, true),
                (2024, 2024, 'GS', 'gender', 'unknown', 489, null, false)
            ) as t(period_from, period_to, bureau, dimension, category, people_trained,
                   women_share, suppressed);
        """
    ).fetchall()
    con.close()
    with pytest.raises(PersonalDataFound) as raised:
        publish_council(leaky, personal=PERSONAL, secondary_suppression=False)
    assert "gender.X.people_trained = 1 " in str(raised.value)
    assert db.stat().st_mtime_ns == before
    # with the secondary suppression the same marts publish (it hides a complement)
    publish_council(leaky, personal=PERSONAL)
    assert audit(council_db()) == []


def test_disclosure_control_keeps_the_headline_and_rounds_event_counts(published):
    """Secondary suppression hides breakdown cells, not the headline Council reads first."""
    db, facts = published
    headline = _rows(db, "select * from council.headline_figures where not suppressed")
    assert len(headline) == 12  # 3 years x (BDT, BR, TSB, ALL); GS 2019 alone is suppressed
    for row in headline:
        assert row["people_trained"] is not None and row["women_share"] is not None, row
        assert row["participations"] is not None and row["participations"] % 5 == 0, row
    for table in ("headline_figures", "period_figures", "activity_figures"):
        for column in ("participations", "completions", "certificates"):
            (odd,) = _rows(
                db, f"select count(*) as n from council.{table} where {column} % 5 <> 0"
            )[0].values()
            assert odd == 0, f"{table}.{column} is not rounded to 5"
    # the women share is of women and men: check it against the facts for one cell
    person = {p["participant_key"]: p["gender"] for p in facts["persons"]}
    crosswalk = {c["participant_record_key"]: c["participant_key"] for c in facts["crosswalk"]}
    year = {a["activity_key"]: a["start_date"].year for a in facts["activities"]}
    bureau = {a["activity_key"]: a["bureau"] for a in facts["activities"]}
    people = {
        crosswalk[p["participant_record_key"]]
        for p in facts["participations"]
        if year[p["activity_key"]] == 2020
        and bureau[p["activity_key"]] == "BDT"
        and not (p["attended"] is False and not (p["completed"] or p["passed"]))
    }
    women = sum(person[k] == "F" for k in people)
    men = sum(person[k] == "M" for k in people)
    (bdt,) = [r for r in headline if (r["year"], r["bureau"]) == (2020, "BDT")]
    assert bdt["women_share"] == round(women / (women + men), 4)


def test_report_from_the_published_marts_shows_published_figures_only(published, tmp_path):
    """The report of the audited file: its totals are the marts' ALL rows, codes are labelled,
    the part year is flagged, and the PDF is there beside the HTML and the workbook."""
    from openpyxl import load_workbook

    from ingestion.publish.reporting import render_report

    db, _ = published
    result = render_report(
        2019, 2021, tmp_path, council_db=db, personal=PERSONAL, as_of=dt.date(2021, 9, 30)
    )
    assert result["pdf"].read_bytes()[:5] == b"%PDF-"
    assert result["headline"]["part_years"] == [2021]
    (published_total,) = _rows(
        db,
        "select * from council.period_figures where period_from = 2019 and period_to = 2021 "
        "and bureau = 'ALL' and dimension = 'overall'",
    )
    wb = load_workbook(result["xlsx"], read_only=True)
    rows = list(wb["Headline by bureau"].iter_rows(min_row=3, values_only=True))
    total = dict(zip(rows[0], rows[-1], strict=True))
    assert total["Bureau"].startswith("All bureaux")
    for title, column in (
        ("Activities", "activities"),
        ("People trained", "people_trained"),
        ("Participations", "participations"),
        ("Certificates", "certificates"),
        ("Women's share (of women and men)", "women_share"),
    ):
        assert total[title] == published_total[column], title
    header = next(wb["Activity figures"].iter_rows(values_only=True, min_row=3))
    assert {"Delivery mode (code)", "Topic (code)", "Region (code)"} <= set(header)
    wb.close()
    html = result["html"].read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", html)
    assert "in_person" not in text and "spectrum_management" not in text and "2021*" in text
    assert "Spectrum management" in text and "In person" in text
    # the file the report was drawn from still passes the audit
    assert audit(db) == []
