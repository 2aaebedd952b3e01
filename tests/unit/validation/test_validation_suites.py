"""The committed suites and value sets, checked as data (no Great Expectations import); that the
suites agree with the dbt source contracts is tests/unit/validation/test_contracts.py."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from ingestion import config
from ingestion.raw.validation import frame as gx
from ingestion.raw.validation import runner
from ingestion.raw.validation import suites as s

LINEAGE = ["_platform", "_entity", "_batch_id", "_source", "_row_number", "_loaded_at",
           "_parse_error"]  # fmt: skip
RUNTIME_PARAMETERS = {"known_countries", "now_epoch", "min_rows_expected", "min_rows_vs_previous"}
SUITES = s.load_all_suites()
IDS = [spec.name for spec in SUITES]


def test_one_suite_per_landed_entity_of_every_platform():
    expected = {(p.code, e) for p in config.platforms().values() for e in p.entities}
    assert {(spec.platform, spec.entity) for spec in SUITES} == expected
    for spec in SUITES:
        assert spec.name == f"{spec.platform}__{spec.entity}"
        assert s.suite_path(spec.platform, spec.entity).name == f"{spec.name}.json"


@pytest.mark.parametrize("spec", SUITES, ids=IDS)
def test_every_expectation_is_well_formed(spec):
    labels = [spec.label(e) for e in spec.expectations]
    assert len(labels) == len(set(labels)), "labels must tell expectations apart"
    ids = [e["id"] for e in spec.expectations]
    assert len(ids) == len(set(ids))
    derived = {d["name"] for d in spec.derived}
    known = set(spec.columns) | set(spec.optional_columns) | set(LINEAGE) | derived
    for expectation in spec.expectations:
        assert expectation["type"].startswith("expect_")
        assert expectation["meta"]["severity"] in ("structural", "row")
        assert expectation["severity"] == (
            "critical" if expectation["meta"]["severity"] == "structural" else "warning"
        )
        assert set(s.expectation_columns(expectation)) <= known, expectation
    for d in spec.derived:
        assert d["from"] in set(spec.columns) | set(spec.optional_columns)
        assert any(d["name"] in s.expectation_columns(e) for e in spec.expectations), d


@pytest.mark.parametrize("spec", SUITES, ids=IDS)
def test_structural_checks_of_every_suite(spec):
    by_label = {spec.label(e): e for e in spec.expectations}
    for column in [*spec.columns, *LINEAGE]:
        assert by_label[f"expect_column_to_exist({column})"]["meta"]["severity"] == "structural"
    for label in (
        "expect_column_values_to_not_be_null(_row_number)",
        "expect_column_values_to_be_unique(_row_number)",
        "expect_table_row_count_to_be_between [non-empty batch]",
    ):
        assert by_label[label]["meta"]["severity"] == "structural"
    drop = "expect_table_row_count_to_be_between [row count vs previous batch]"
    assert (drop in by_label) == spec.snapshot
    parse = by_label["expect_column_values_to_be_null(_parse_error)"]
    assert parse["meta"] == {"severity": "row", "reason": "unreadable row: {value}"}
    # type checks are structural, value checks are row-level
    for expectation in spec.expectations:
        if expectation["type"] == "expect_column_values_to_be_in_type_list":
            assert expectation["meta"]["severity"] == "structural"
        if expectation["type"] in (
            "expect_column_values_to_match_regex",
            "expect_column_values_to_be_in_set",
            "expect_column_pair_values_a_to_be_greater_than_b",
            "expect_compound_columns_to_be_unique",
        ):
            assert expectation["meta"]["severity"] == "row"


def test_snapshot_entities_are_the_full_pulls():
    assert {spec.name for spec in SUITES if spec.snapshot} == {
        "academy__categories",
        "academy__customcerts",
    }


@pytest.mark.parametrize("spec", SUITES, ids=IDS)
def test_keys_are_checked_unique_and_not_null(spec):
    if spec.name == "regional_offices__participants":
        return  # a participant line of an export has no key but its _row_number
    row = [e for e in spec.expectations if e["meta"]["severity"] == "row"]
    unique = [e for e in row if "unique" in e["type"]]
    assert unique
    not_null = {e["kwargs"]["column"] for e in row if e["type"].endswith("not_be_null")}
    key = s.expectation_columns(unique[0])
    assert set(key) - {"no"} <= not_null  # BR's N° may be blank; the seminar key may not


@pytest.mark.parametrize("spec", SUITES, ids=IDS)
def test_every_parameter_is_provided(spec):
    provided = set(s.value_set_parameters(s.load_value_sets())) | RUNTIME_PARAMETERS
    for expectation in spec.expectations:
        assert s.expectation_parameters(expectation) <= provided, expectation


def test_value_sets_load_as_text():
    sets = s.load_value_sets()
    assert sets["br_certificate"] == ["Oui", "Non", "Yes", "No"]
    assert "http://adlnet.gov/expapi/verbs/voided" in sets["xapi_verbs"]
    assert sets["tsb_genders"] == ["M", "F", "X"]
    for name, values in sets.items():
        assert all(isinstance(v, str) and v for v in values), name
        assert len(values) == len(set(values)), f"{name} lists a value twice"


def test_unquoted_yes_no_is_refused(tmp_path):
    path = tmp_path / "value_sets.yml"
    path.write_text("br_certificate: [Oui, Non, Yes, No]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="quote it"):
        s.load_value_sets(path)


def test_value_set_parameters_forms():
    params = s.value_set_parameters({"roles": ["Student", "editingteacher", " Student "]})
    assert params["roles"] == ["Student", "editingteacher", " Student "]
    assert params["roles__normalized"] == ["editingteacher", "student"]
    regex = re.compile(params["roles__regex"])
    for text in ("", "student", "editingteacher|student", "student|student"):
        assert regex.search(text), text
    for text in ("teacher", "student|", "student|wizard", "xstudent"):
        assert not regex.search(text), text


def test_value_sets_fold_as_the_warehouse_joins():
    """Value sets and the columns checked against them are folded by the warehouse's own
    normalize_key (tests/unit/test_normalize.py): punctuation and accents do not matter."""
    params = s.value_set_parameters({"genders": ["Муж.", "Féminin", "Non-binary"]})
    assert params["genders__normalized"] == ["feminin", "non binary", "муж"]


def test_known_countries(tmp_path):
    path = tmp_path / "aliases.csv"
    assert s.load_known_countries(path) is None
    path.write_text("alias,iso2\nSuisse,CH\n Côte d'Ivoire ,CI\n", encoding="utf-8")
    assert s.load_known_countries(path) == ["ch", "ci", "cote d ivoire", "suisse"]
    path.write_text("name,code\nSuisse,CH\n", encoding="utf-8")
    with pytest.raises(ValueError, match="alias,iso2"):
        s.load_known_countries(path)


def test_paths_are_overridable(tmp_path, monkeypatch):
    monkeypatch.setenv("CAPDEV_COUNTRY_ALIASES", str(tmp_path / "a.csv"))
    monkeypatch.setenv("CAPDEV_VALUE_SETS", str(tmp_path / "v.yml"))
    assert s.country_aliases_path() == tmp_path / "a.csv"
    assert s.country_aliases_path(tmp_path / "b.csv") == tmp_path / "b.csv"
    assert s.value_sets_path() == tmp_path / "v.yml"
    monkeypatch.delenv("CAPDEV_COUNTRY_ALIASES")
    assert s.country_aliases_path() == config.PROJECT_ROOT / "dbt_project/seeds/country_aliases.csv"


def test_derived_columns():
    iso = pd.Series(
        ["2024-03-14T09:00:00+01:00", "2024-03-14T08:00:00Z", "2024-03-14", "soon", None],
        dtype=object,
    )
    epochs = gx.derive(iso, {"kind": "iso8601"}).tolist()
    assert epochs[0] == epochs[1] == datetime(2024, 3, 14, 8, tzinfo=UTC).timestamp()
    assert epochs[2] == datetime(2024, 3, 14, tzinfo=UTC).timestamp()
    assert math.isnan(epochs[3]) and math.isnan(epochs[4])

    moodle = pd.Series([0, 1700000000, None], dtype="Int64")
    values = gx.derive(moodle, {"kind": "epoch"}).tolist()
    assert math.isnan(values[0]) and values[1] == 1700000000.0 and math.isnan(values[2])

    result = pd.Series(
        ['{"score": {"scaled": 0.5}}', '{"score": {"scaled": "high"}}', "{}", "not json", None],
        dtype=object,
    )
    scaled = gx.derive(result, {"kind": "json_number", "path": ["score", "scaled"]}).tolist()
    assert scaled[0] == 0.5 and scaled[1] == math.inf
    assert all(math.isnan(v) for v in scaled[2:])

    actor = pd.Series(['{"mbox": "mailto:a@b.org"}', '{"account": {}}', None], dtype=object)
    mbox = gx.derive(actor, {"kind": "json_text", "path": ["mbox"]}).tolist()
    assert mbox[0] == "mailto:a@b.org" and pd.isna(mbox[1]) and pd.isna(mbox[2])

    roles = pd.Series(
        ['[{"shortname": "Student"}, {"shortname": "teacher"}]', "[]", '{"a": 1}'], dtype=object
    )
    plucked = gx.derive(roles, {"kind": "json_pluck", "field": "shortname"}).tolist()
    assert plucked[:2] == ["student|teacher", ""] and pd.isna(plucked[2])

    names = pd.Series([" Suisse ", "", None], dtype="str")
    normalized = gx.derive(names, {"kind": "normalized"}).tolist()
    assert normalized[0] == "suisse" and pd.isna(normalized[1]) and pd.isna(normalized[2])


def test_gx_frame_keeps_integer_ids_integer():
    spec = s.load_suite("regional_offices", "participants")
    frame = pl.DataFrame(
        {"id": [1, None], "flag": [True, None], "start_date": ["2024-01-02", None]},
        schema={"id": pl.Int64, "flag": pl.Boolean, "start_date": pl.String},
    )
    data = gx.gx_frame(frame, spec)
    assert str(data["id"].dtype) == "Int64" and str(data["flag"].dtype) == "boolean"
    assert "full_name" in data.columns  # an absent optional column, as nulls
    assert data["start_date__epoch"].tolist()[0] == datetime(2024, 1, 2, tzinfo=UTC).timestamp()


def test_load_time_and_runtime_parameters(tmp_path):
    loaded = datetime(2024, 3, 2, 1, 0, tzinfo=UTC)
    frame = pl.DataFrame({"_loaded_at": [loaded, loaded]})
    assert s.load_time_epoch(frame) == loaded.timestamp()
    assert s.load_time_epoch(pl.DataFrame({"_loaded_at": ["2024-03-02T01:00:00Z"]})) == (
        loaded.timestamp()
    )
    assert abs(s.load_time_epoch(pl.DataFrame({"x": [1]})) - datetime.now(UTC).timestamp()) < 60

    categories = s.load_suite("academy", "categories")
    aliases = tmp_path / "none.csv"
    params = s.runtime_parameters(
        categories, frame, previous_rows=95, expect_rows=True, country_aliases=aliases
    )
    assert params["min_rows_vs_previous"] == 10 and params["min_rows_expected"] == 1
    assert params["now_epoch"] == loaded.timestamp() + s.FUTURE_TOLERANCE_SECONDS
    assert "known_countries" not in params
    courses = s.load_suite("academy", "courses")
    params = s.runtime_parameters(
        courses, frame, previous_rows=95, expect_rows=False, country_aliases=aliases
    )
    assert params["min_rows_vs_previous"] == 0 and params["min_rows_expected"] == 0


def test_runtime_context_config_writes_only_under_the_data_folder(tmp_path):
    cfg = runner.project_config(tmp_path / "gx")
    stores = cfg["stores"]
    assert stores["validation_results_store"]["store_backend"]["base_directory"] == str(
        tmp_path / "gx" / "validations"
    )
    site = cfg["data_docs_sites"]["local_site"]["store_backend"]
    assert site["base_directory"] == str(tmp_path / "gx" / "data_docs")
    for name in ("expectations_store", "checkpoint_store", "validation_definition_store"):
        assert stores[name]["store_backend"]["class_name"] == "InMemoryStoreBackend"
    assert cfg["progress_bars"] == {"globally": False, "metric_calculations": False}


def test_importing_validation_does_not_import_great_expectations():
    code = (
        "import sys, ingestion.raw.validation, ingestion.raw.quarantine, ingestion.raw.manifest;"
        "assert 'great_expectations' not in sys.modules, 'GX imported'"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(config.PROJECT_ROOT))


def test_expectations_without_id_get_one(tmp_path, monkeypatch):
    suites_dir = tmp_path / "expectations"
    suites_dir.mkdir()
    document = {
        "name": "academy__courses",
        "meta": {"capdev": {"columns": ["id"]}},
        "expectations": [
            {"type": "expect_column_to_exist", "kwargs": {"column": "id"},
             "meta": {"severity": "structural"}},
            {"type": "expect_column_values_to_be_unique", "kwargs": {"column": "id"},
             "meta": {"severity": "row"}},
        ],
    }  # fmt: skip
    (suites_dir / "academy__courses.json").write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setenv("CAPDEV_EXPECTATIONS_DIR", str(tmp_path))
    spec = s.load_suite("academy", "courses")
    ids = [e["id"] for e in spec.expectations]
    assert all(ids) and len(set(ids)) == 2
    document["expectations"][1]["meta"] = {"severity": "fatal"}
    (suites_dir / "academy__courses.json").write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ValueError, match="severity"):
        s.load_all_suites()
