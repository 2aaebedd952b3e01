"""The clerical review loop of identity resolution, through two real dbt builds.

Build 1 over a hand-made warehouse (few records: the deterministic rules decide) links three
records of one name, country and organisation (two of them also share an e-mail address).
``capdev identity review`` writes the review band (widened by dbt vars to take the rules'
certain pairs) to a private CSV with the personal values of the build file's private tier; a
reviewer marks one pair of the three cannot-link, adds a must-link between two people the
rules left apart, and a decision whose keys no longer exist. ``--apply`` appends them to the
seed of a copy of the dbt project, and build 2 applies them: the cannot-link splits the
cluster although the third record links to both (the transitive link is cut), the must-link
joins two people, the stale decision is reported and ignored.
"""

from __future__ import annotations

import csv
import shutil
import stat
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from ingestion import config
from ingestion.identity_review import ReviewError, apply_review, export_review
from ingestion.pseudonym import KEY_ENV

MODELS = (
    "identity_decisions int_participant_records_for_linking int_identity_decisions "
    "int_participant_clusters int_participant_pairs identity_runs participant_crosswalk "
    "participant_keys participant_links identity_review_pairs "
    # the labels beside the codes (reference.code_labels and the seeds it reads)
    "org_units taxonomy_activity_types taxonomy_topics countries vocabularies code_labels"
)
# the rules' pairs have probability 1: widen the band so the review CSV has rows
BAND = "{identity_review_min_probability: 0.5, identity_review_max_probability: 1.01}"
N_FILLER = 24

SAME_NAME = [
    # (source_record_key, full_name, email): one name, country and organisation; a and b
    # also share an e-mail address (b gives a city: not one profile with a)
    ("p-a", "Ana Beatriz Silveira", "ana.silveira@anatel.gov.br"),
    ("p-b", "Ana Beatriz Silveira", "ana.silveira@anatel.gov.br"),
    ("p-c", "Ana Beatriz Silveira", "abs.consult@provider.example"),
]
CITY = {"p-b": "Brasilia"}
APART = [
    ("p-d", "Tomas Ferreira", "tomas.ferreira@anatel.gov.br"),
    ("p-e", "Tomas Ferreira Lima", "tflima@provider.example"),
]


def _word(i: int, salt: int) -> str:
    letters = "bcdfghjklmnpqrstvwxz"
    n = i * 7919 + salt
    return "".join(letters[(n // 20**k) % 20] + "aeiou"[(n + k) % 5] for k in range(3)).title()


def _records() -> list[dict]:
    rows = [
        dict(source_record_key=key, full_name=name, email=email, organization="Anatel")
        for key, name, email in SAME_NAME + APART
    ]
    rows += [
        dict(
            source_record_key=f"f-{i:02d}",
            full_name=f"{_word(i, 1)} {_word(i, 4242)}",
            email=f"f{i}@org{i}.example",
            organization=None,
        )
        for i in range(N_FILLER)
    ]
    for row in rows:
        row.update(
            platform="br_seminars",
            first_name=None,
            last_name=None,
            name_latin=None,
            country="BR",
            gender="unknown",
            city=CITY.get(row["source_record_key"]),
        )
    return rows


def _write_inputs(warehouse: Path) -> None:
    from ingestion.pseudonym import participant_record_key

    records = _records()
    tables = {
        ("intermediate", "int_participant_records_unioned"): pa.Table.from_pylist(records),
        ("staging", "stg_academy__enrolled_users"): pa.table(
            {"source_record_key": pa.array([], pa.string()), "username": pa.array([], pa.string())}
        ),
        ("core", "participant_records"): pa.Table.from_pylist(
            [
                dict(
                    participant_record_key=participant_record_key(
                        r["platform"], r["source_record_key"]
                    ),
                    platform=r["platform"],
                )
                for r in records
            ]
        ),
    }
    con = duckdb.connect(str(warehouse))
    try:
        for (schema, table), frame in tables.items():
            con.execute(f"create schema if not exists {schema}").fetchall()
            con.register("frame", frame)
            con.execute(f"create table {schema}.{table} as select * from frame").fetchall()
            con.unregister("frame")
    finally:
        con.close()


def _build(warehouse: Path) -> None:
    from ingestion.warehouse.build import run_dbt

    # cautious: the tests of our models whose every parent is built (not core.participants)
    # (the unit tests run once, in tests/unit/test_dbt_unit_tests.py)
    run_dbt(
        "build", "--select", MODELS, "--exclude", "test_type:unit",
        "--indirect-selection", "cautious", "--vars", BAND, warehouse_path=warehouse,
    )  # fmt: skip


def _rows(db: Path, sql: str) -> list[dict]:
    with duckdb.connect(str(db), read_only=True) as con:
        result = con.execute(sql)
        names = [d[0] for d in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _persons(db: Path) -> dict[str, str]:
    """source_record_key → participant_key."""
    rows = _rows(db, "select source_record_key, participant_key from private.participant_keys")
    return {r["source_record_key"]: r["participant_key"] for r in rows}


def _record_keys(db: Path) -> dict[str, str]:
    rows = _rows(
        db, "select source_record_key, participant_record_key from private.participant_keys"
    )
    return {r["source_record_key"]: r["participant_record_key"] for r in rows}


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    """Build 1, the review CSV, the reviewed decisions applied to the seed, build 2."""
    from ingestion.warehouse import build

    data = tmp_path_factory.mktemp("identity-review")
    project = data / "dbt_project"
    shutil.copytree(
        build.DBT_PROJECT_DIR,
        project,
        ignore=shutil.ignore_patterns("target", "logs", "dbt_packages"),
    )
    mp = pytest.MonkeyPatch()
    mp.setenv("CAPDEV_DATA_DIR", str(data))
    mp.delenv(KEY_ENV, raising=False)
    mp.setattr(build, "DBT_PROJECT_DIR", project)
    warehouse = config.warehouse_dir() / "build.duckdb"
    warehouse.parent.mkdir(parents=True)
    _write_inputs(warehouse)
    facts: dict = {"warehouse": warehouse, "seed": project / "seeds" / "identity_decisions.csv"}

    _build(warehouse)
    facts["persons_1"] = _persons(warehouse)
    facts["links_1"] = _rows(warehouse, "select * from core.participant_links")
    keys = facts["keys"] = _record_keys(warehouse)

    review = data / "review" / "identity_review.csv"
    facts["exported"] = export_review(review, build=warehouse)
    facts["review_mode"] = stat.S_IMODE(review.stat().st_mode)
    facts["review_dir_mode"] = stat.S_IMODE(review.parent.stat().st_mode)
    with review.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        facts["header"] = reader.fieldnames
        rows = facts["review_rows"] = list(reader)

    # the reviewer: b and c are two people; d and e are one; a decision on a vanished record
    decided = []
    for row in map(dict, rows):  # a copy: the exported rows are checked as they were
        pair = {row["participant_record_key_a"], row["participant_record_key_b"]}
        if pair == {keys["p-b"], keys["p-c"]}:
            row.update(decision="cannot_link", note="different people: two organisations' records")
        decided.append(row)
    decided.append(
        dict(participant_record_key_a=keys["p-d"], participant_record_key_b=keys["p-e"],
             decision="must_link", note="confirmed by the event organiser")
    )  # fmt: skip
    decided.append(
        dict(participant_record_key_a="0" * 64, participant_record_key_b="f" * 64,
             decision="must_link", reviewer="XY", decided_on="2026-01-05")
    )  # fmt: skip
    reviewed = data / "reviewed.csv"
    with reviewed.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=facts["header"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(decided)
    facts["reviewed"] = reviewed
    facts["applied"] = apply_review(
        reviewed, seed=facts["seed"], reviewer="JD", today=date(2026, 12, 1)
    )
    # applying the same file twice appends nothing
    facts["applied_again"] = apply_review(
        reviewed, seed=facts["seed"], reviewer="JD", today=date(2026, 12, 1)
    )

    _build(warehouse)
    facts["persons_2"] = _persons(warehouse)
    facts["links_2"] = _rows(warehouse, "select * from core.participant_links")
    facts["runs"] = _rows(warehouse, "select * from ops.identity_runs order by finished_at")
    facts["review_2"] = _rows(warehouse, "select * from private.identity_review_pairs")
    yield facts
    mp.undo()


def test_first_build_links_the_three_records_and_explains_it(loop):
    persons = loop["persons_1"]
    assert persons["p-a"] == persons["p-b"] == persons["p-c"]
    assert persons["p-d"] != persons["p-e"]
    keys = loop["keys"]
    trio = {keys["p-a"], keys["p-b"], keys["p-c"]}
    links = [r for r in loop["links_1"] if {r["participant_record_key_a"]} <= trio]
    assert len(links) == 3  # a-b, a-c, b-c: each pair meets the same-name rule
    for link in links:
        assert link["linked_by"] == "deterministic" and link["match_probability"] == 1
        assert "l.name_sorted = r.name_sorted" in link["deterministic_rule"]
        assert link["participant_key"] == persons["p-a"]


def test_review_csv_is_private_and_shows_who_the_people_are(loop):
    assert loop["review_mode"] == 0o600 and loop["review_dir_mode"] == 0o700
    assert loop["exported"] == len(loop["review_rows"]) == 3
    header = loop["header"]
    assert header[:3] == [
        "participant_record_key_a",
        "participant_record_key_b",
        "match_probability",
    ]
    assert header[-4:] == ["decision", "reviewer", "decided_on", "note"]
    keys = loop["keys"]
    by_key = {v: k for k, v in keys.items()}
    for row in loop["review_rows"]:
        a, b = by_key[row["participant_record_key_a"]], by_key[row["participant_record_key_b"]]
        assert {a, b} <= {"p-a", "p-b", "p-c"}
        assert row["full_name_a"] == row["full_name_b"] == "Ana Beatriz Silveira"
        assert row["source_record_key_a"] == a and row["platform_a"] == "br_seminars"
        assert row["email_a"] == dict((k, e) for k, _, e in SAME_NAME)[a]
        assert float(row["match_probability"]) == 1.0 and row["same_person_now"] == "True"
        assert row["deterministic_rule"] and row["decision"] == row["note"] == ""


def test_apply_appends_published_keys_only_to_the_seed(loop):
    applied = loop["applied"]
    assert len(applied.appended) == 3 and applied.undecided == 2
    assert loop["applied_again"].appended == [] and loop["applied_again"].already == 3
    with loop["seed"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["decision"] for r in rows] == ["cannot_link", "must_link", "must_link"]
    assert rows[0]["reviewer"] == "JD" and rows[0]["decided_on"] == "2026-12-01"
    assert rows[2]["reviewer"] == "XY" and rows[2]["decided_on"] == "2026-01-05"
    text = loop["seed"].read_text(encoding="utf-8").lower()
    for _key, name, email in SAME_NAME + APART:
        assert name.split()[-1].lower() not in text and email not in text


def test_a_note_quoting_a_personal_value_is_refused(loop, tmp_path):
    seed = tmp_path / "seed.csv"
    shutil.copy(loop["seed"], seed)
    before = seed.read_text(encoding="utf-8")
    with loop["reviewed"].open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    rows[0].update(decision="must_link", note="Silveira moved to another desk")
    bad = tmp_path / "bad.csv"
    with bad.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ReviewError, match="personal value"):
        apply_review(bad, seed=seed, reviewer="JD")
    assert seed.read_text(encoding="utf-8") == before


def test_cannot_link_splits_the_cluster_and_cuts_the_transitive_link(loop):
    persons = loop["persons_2"]
    # a links to both b and c by the same rule; b and c must part, so one of a's links goes
    assert persons["p-b"] != persons["p-c"]
    assert persons["p-a"] in (persons["p-b"], persons["p-c"])
    keys = loop["keys"]
    for link in loop["links_2"]:
        assert {link["participant_record_key_a"], link["participant_record_key_b"]} != {
            keys["p-b"],
            keys["p-c"],
        }


def test_must_link_joins_two_people(loop):
    persons, keys = loop["persons_2"], loop["keys"]
    assert persons["p-d"] == persons["p-e"]
    (link,) = [
        r
        for r in loop["links_2"]
        if {r["participant_record_key_a"], r["participant_record_key_b"]}
        == {keys["p-d"], keys["p-e"]}
    ]
    assert link["linked_by"] == "reviewed" and link["match_probability"] is None
    # the rest stays as the rules made it
    filler = {k: v for k, v in persons.items() if k.startswith("f-")}
    assert filler == {k: v for k, v in loop["persons_1"].items() if k.startswith("f-")}


def test_stale_decision_is_reported_not_fatal(loop):
    first, second = loop["runs"]
    assert first["decisions"] == 0
    assert second["decisions"] == 3 and second["decisions_unknown"] == 1
    assert second["decisions_applied"] == 2 and second["decisions_refused"] == 0
    from ingestion.identity_review import stale_decisions

    assert stale_decisions(loop["warehouse"]) == [("0" * 64, "f" * 64, "must_link")]


def test_decided_pairs_leave_the_review_band(loop):
    keys = loop["keys"]
    pairs = {
        frozenset((r["participant_record_key_a"], r["participant_record_key_b"]))
        for r in loop["review_2"]
    }
    assert frozenset((keys["p-b"], keys["p-c"])) not in pairs
    assert len(pairs) == 2
