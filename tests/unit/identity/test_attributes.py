"""Identity attributes are optional: the model compares what the data has, explicitly."""

from __future__ import annotations

import logging

import pyarrow as pa

from ingestion.warehouse.identity import build_features, model_settings
from ingestion.warehouse.identity.features import present_attributes
from ingestion.warehouse.identity.model import em_rules, prediction_rules


def _features(rows: list[dict]) -> pa.Table:
    columns = sorted({k for row in rows for k in row})  # from_pylist reads the first row's keys
    return build_features(pa.Table.from_pylist([dict.fromkeys(columns) | r for r in rows]))


def test_an_attribute_counts_once_two_records_carry_it():
    features = _features(
        [
            {"participant_record_key": "a", "full_name": "Ana Silva", "birth_date": "1980-01-02"},
            {"participant_record_key": "b", "full_name": "Rui Costa", "phone": "+55 61 2312-2000"},
            {"participant_record_key": "c", "full_name": "Eva Lima", "phone": "061 2312 2001"},
        ]
    )
    assert present_attributes(features) == {"name", "phone"}
    assert features.column("phone").to_pylist() == [None, "123122000", "123122001"]


def test_absent_attributes_drop_out_of_the_model_and_the_log_says_so(caplog):
    present = frozenset({"name", "birth_date", "postcode"})
    with caplog.at_level(logging.INFO, logger="ingestion.warehouse.identity"):
        settings = model_settings(present, prediction_rules(present)).get_settings("duckdb")
    compared = [c.output_column_name for c in settings.comparisons]
    assert compared == ["name", "birth_date", "postcode"]
    assert "no data for email, country, organization, account" in caplog.text
    # EM blocks on what is there: names and dates of birth, not e-mail
    assert em_rules(present) == [("name_skeleton",), ("birth_date",)]


def test_unknown_gender_is_no_evidence():
    features = _features(
        [
            {"participant_record_key": "a", "gender": "unknown"},
            {"participant_record_key": "b", "gender": "F"},
        ]
    )
    assert features.column("gender").to_pylist() == [None, "f"]


def test_an_address_handle_is_what_its_local_part_holds_besides_the_name():
    features = _features(
        [
            {"participant_record_key": "a", "full_name": "Mwangi ODHIAMBO",
             "email": "Mwangi.Odhiambo162@ke-gov.org"},
            {"participant_record_key": "b", "full_name": "Mwangi Odhiambo",
             "email": "odhiambo162@outlook.com"},
            {"participant_record_key": "c", "full_name": "Mwangi Odhiambo",
             "email": "mwangi.odhiambo@ke-gov.org"},
            {"participant_record_key": "d", "full_name": "Ana Silva",
             "email": "asilva+cv@gmail.com"},
        ]
    )  # fmt: skip
    assert features.column("email_handles").to_pylist() == [
        ["odhiambo162"],
        ["odhiambo162"],
        None,  # nothing but the name: colleagues and namesakes write the same
        ["asilva"],
    ]


def test_an_organisations_domain_is_told_apart_from_a_public_providers():
    features = _features(
        [
            {"participant_record_key": "a", "full_name": "Ana Silva", "email": "ana@anatel.gov.br"},
            {"participant_record_key": "b", "full_name": "Rui Costa", "email": "rui@yahoo.com.br"},
            {"participant_record_key": "c", "full_name": "Eva Lima", "email": "eva@hotmail.fr"},
            {"participant_record_key": "d", "full_name": "Ivo Reis", "email": "ivo@mail.ru"},
        ]
    )
    assert features.column("email_org_domain").to_pylist() == ["anatel.gov.br", None, None, None]
    assert features.column("email_domain").to_pylist()[1] == "yahoo.com.br"
