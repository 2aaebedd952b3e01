"""ingestion.normalize: Python runs the warehouse's own normalize_key macro, so validation folds
text as the warehouse joins it (the dbt build test runs the same strings through dbt)."""

from __future__ import annotations

import math

import pandas as pd
from normalize_cases import NORMALIZE_KEY_CASES

from ingestion.normalize import TEXT_MACROS, macro_sql, normalize_key, normalize_many


def test_normalize_key_of_every_case():
    inputs = [text for text, _ in NORMALIZE_KEY_CASES]
    assert normalize_many(inputs) == [key for _, key in NORMALIZE_KEY_CASES]


def test_missing_values_stay_missing_and_others_read_as_text():
    assert normalize_many([None, math.nan, pd.NA, 4, " Suisse "]) == [
        None,
        None,
        None,
        "4",
        "suisse",
    ]
    assert normalize_many([]) == []
    assert normalize_key("Bénin") == "benin"


def test_the_sql_is_the_macro_file_itself(tmp_path, monkeypatch):
    """Python holds no copy of the rule: the SQL comes from text.sql, so a change there (here a
    changed copy of the file) changes what Python computes."""
    sql = macro_sql("normalize_key")
    assert "strip_accents" in sql and "'[^\\p{L}\\p{N}]+'" in sql
    changed = tmp_path / "text.sql"
    changed.write_text(
        TEXT_MACROS.read_text(encoding="utf-8").replace("'ß', 'ss'", "'ß', 'sz'"), encoding="utf-8"
    )
    monkeypatch.setattr("ingestion.normalize.TEXT_MACROS", changed)
    macro_sql.cache_clear()
    try:
        assert normalize_key("Straße") == "strasze"
    finally:
        macro_sql.cache_clear()
