"""The source contract (dbt source files) and the expectation suites it writes: they agree, and
a change on either side alone is caught."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from ingestion import config
from ingestion.raw.validation import contract
from ingestion.raw.validation import suites as s

DBT = config.PROJECT_ROOT / "dbt_project"
SOURCES = sorted(p.relative_to(DBT) for p in contract.sources_files())


@pytest.fixture
def copies(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the dbt source files and of the suites, to change one side of."""
    dbt = tmp_path / "dbt_project"
    for rel in SOURCES:
        (dbt / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(DBT / rel, dbt / rel)
    suites = tmp_path / "expectations"
    shutil.copytree(s.suites_dir(), suites)
    return dbt, suites


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _change_expectations(path: Path, change: Callable[[list[dict]], list[dict]]) -> None:
    """Rewrite a suite copy with its expectations changed by hand."""
    document = json.loads(path.read_text(encoding="utf-8"))
    document["expectations"] = change(document["expectations"])
    path.write_text(json.dumps(document), encoding="utf-8")


def test_committed_suites_are_what_the_contracts_give():
    assert contract.check() == []


def test_every_landed_entity_has_a_contract():
    expected = {s.suite_name(p.code, e) for p in config.platforms().values() for e in p.entities}
    assert set(contract.load_contracts()) == expected


def test_a_column_added_to_a_source_file_is_caught_and_written(copies):
    dbt, suites = copies
    _edit(
        dbt / "models/staging/academy/_academy__sources.yml",
        "          - {name: path, data_type: VARCHAR",
        "          - {name: idnumber, data_type: VARCHAR, description: New.}\n"
        "          - {name: path, data_type: VARCHAR",
    )
    problems = contract.check(dbt, suites)
    assert problems == [
        'academy__categories.json: the contract asks for ["expect_column_to_exist", '
        '{"column": "idnumber"}, null]',
        "academy__categories.json: meta.capdev (columns, snapshot) differs from the contract",
    ]
    assert [p.name for p in contract.write(dbt, suites)] == ["academy__categories.json"]
    assert contract.check(dbt, suites) == []
    written = json.loads((suites / "academy__categories.json").read_text(encoding="utf-8"))
    assert "idnumber" in written["meta"]["capdev"]["columns"]


def test_a_key_dropped_from_a_source_file_is_caught(copies):
    dbt, suites = copies
    _edit(
        dbt / "models/staging/tsb_events/_tsb_events__sources.yml",
        "unique_together: [[event_id, registration_id]]",
        "unique_together: []",
    )
    assert contract.check(dbt, suites) == [
        "tsb_events__registrations.json: not in the contract: "
        '["expect_compound_columns_to_be_unique", '
        '{"column_list": ["event_id", "registration_id"]}, null]'
    ]


def test_a_structural_expectation_edited_in_a_suite_is_caught(copies):
    dbt, suites = copies

    def drop_shortname_not_null(expectations: list[dict]) -> list[dict]:
        kept = [
            e
            for e in expectations
            if not (e["type"].endswith("not_be_null") and e["kwargs"]["column"] == "shortname")
        ]
        assert len(kept) == len(expectations) - 1
        return kept

    _change_expectations(suites / "academy__courses.json", drop_shortname_not_null)
    assert contract.check(dbt, suites) == [
        "academy__courses.json: the contract asks for "
        '["expect_column_values_to_not_be_null", {"column": "shortname"}, null]'
    ]


def test_a_hand_written_key_check_in_a_suite_is_drift(copies):
    dbt, suites = copies
    check = {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "timestamp"},
             "meta": {"severity": "row"}, "severity": "warning"}  # fmt: skip
    _change_expectations(suites / "gs_lrs__statements.json", lambda es: [*es, check])
    assert contract.check(dbt, suites) == [
        "gs_lrs__statements.json: not in the contract: "
        '["expect_column_values_to_not_be_null", {"column": "timestamp"}, null]'
    ]


def test_value_rules_stay_in_the_suite(copies):
    """A rule the contract does not own (a value set, a regex) is the suite's own: adding one
    is no drift, and writing the suites keeps it."""
    dbt, suites = copies
    path = suites / "gs_lrs__statements.json"
    rule = {
        "id": "00000000-0000-5000-8000-000000000001",
        "type": "expect_column_values_to_match_regex",
        "kwargs": {"column": "verb_id", "regex": "^https?://"},
        "meta": {"severity": "row"},
        "severity": "warning",
    }
    _change_expectations(path, lambda es: [*es, rule])
    assert contract.check(dbt, suites) == []
    contract.write(dbt, suites)
    assert rule in json.loads(path.read_text(encoding="utf-8"))["expectations"]


def test_a_suite_without_an_entity_and_an_entity_without_a_suite(copies):
    dbt, suites = copies
    (suites / "academy__courses.json").rename(suites / "academy__lessons.json")
    assert contract.check(dbt, suites) == [
        "academy__lessons.json: no entity of the dbt source files has this suite",
        "academy__courses.json: missing (the contract declares the entity)",
    ]


def test_contract_meta_is_checked(copies):
    dbt, _ = copies
    sources = dbt / "models/staging/gs_lrs/_gs_lrs__sources.yml"
    _edit(sources, "config: {meta: {not_null: true, unique: true}}", "config: {meta: {pk: true}}")
    with pytest.raises(ValueError, match="unknown contract meta"):
        contract.load_contracts(dbt)
    _edit(sources, "config: {meta: {pk: true}}", "")
    _edit(sources, "data_type: VARCHAR", "data_type: TIMESTAMP")
    with pytest.raises(ValueError, match="has no check"):
        contract.load_contracts(dbt)


def test_types_come_from_the_declared_data_type():
    courses = contract.load_contracts()["academy__courses"]
    typed = {
        e["kwargs"]["column"]: e["kwargs"]["type_list"]
        for e in contract.contract_expectations(courses)
        if e["type"] == "expect_column_values_to_be_in_type_list"
    }
    declared = {c.name: c.data_type for c in courses.columns}
    assert set(typed) == {"_row_number"} | {c for c, t in declared.items() if t == "BIGINT"}
    assert "Int64Dtype" in typed["id"] and "float64" not in typed["id"]


def test_the_check_command_fails_on_drift(copies):
    _, suites = copies
    env = {**os.environ, "CAPDEV_EXPECTATIONS_DIR": str(suites.parent)}

    def check() -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "ingestion.cli", "contracts", "check"]
        return subprocess.run(command, env=env, capture_output=True, text=True, check=False)

    assert check().returncode == 0
    _change_expectations(suites / "br_seminars__seminars.json", lambda es: es[1:])
    result = check()
    assert result.returncode == 1
    assert "br_seminars__seminars.json: the contract asks for" in result.stdout


def test_the_lineage_columns_staging_adds_are_the_landed_ones():
    """read_raw (staging) adds the lineage columns to every source; they are the ones landing
    writes and the contract block checks."""
    from ingestion.raw.landing import LINEAGE_COLUMNS

    macro = (DBT / "macros" / "read_raw.sql").read_text(encoding="utf-8")
    body = macro.split("macro capdev_lineage_columns()")[1].split("endmacro")[0]
    assert tuple(re.findall(r"\('(_\w+)',", body)) == LINEAGE_COLUMNS


def test_the_regional_connector_lands_the_contract_columns():
    """The regional offices' connector builds its rows from its own column list (the CSV
    mapping needs it before any file is read): it holds the contract's columns (their order in
    the file does not matter: staging reads by name)."""
    from ingestion.connectors.regional_csv import LANDED_COLUMNS

    participants = contract.load_contracts()["regional_offices__participants"]
    assert sorted(c.name for c in participants.columns) == sorted(LANDED_COLUMNS)
