"""Identity resolution never fails on size or on data too poor to train the model.

Below the size the model can be trained at, or when no EM pass finds pairs to learn from, the
deterministic rules decide alone, with the country guard, and the run says so.
"""

from __future__ import annotations

import random
import string

import duckdb
import pyarrow as pa
import pytest

from ingestion.warehouse.identity import resolve

COLUMNS = ("participant_record_key", "full_name", "email", "country_iso2", "organization")


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(7)).title()


def _distinct_people(n: int, seed: int = 3) -> list[dict]:
    """n records of n different people: random names, no shared e-mail (the BR and regional
    files that broke the build: nothing for the model's EM passes to block on)."""
    rng = random.Random(seed)
    return [
        {
            "participant_record_key": f"r{i:05d}",
            "full_name": f"{_word(rng)} {_word(rng)}",
            "email": f"{_word(rng).lower()}@{_word(rng).lower()}.org" if i % 2 else None,
            "country_iso2": rng.choice(["BR", "AR", None]),
            "organization": None,
        }
        for i in range(n)
    ]


def _resolve(records: list[dict]) -> tuple[dict[str, dict], object]:
    con = duckdb.connect()
    schema = pa.schema([(c, pa.string()) for c in COLUMNS])
    con.register("records", pa.Table.from_pylist(records, schema=schema))
    diagnostics: dict = {}
    result = resolve(con, "records", key=b"k", diagnostics=diagnostics)
    rows = {r[0]: dict(zip(result.columns, r, strict=True)) for r in result.fetchall()}
    return rows, diagnostics["run"]


@pytest.mark.parametrize("n", [0, 1])
def test_no_or_one_record(n):
    rows, run = _resolve(_distinct_people(n))
    assert len(rows) == n and run.records == n and run.method == "none"
    assert all(r["resolution"] == "singleton" for r in rows.values())


def test_two_records_of_one_person_are_linked_by_the_rules():
    records = _distinct_people(2)
    records[1] |= {"full_name": "Someone Else", "email": records[0]["email"] or "a.b@c.org"}
    records[0]["email"] = records[1]["email"]
    rows, run = _resolve(records)
    assert run.method == "deterministic" and run.links == 1
    assert rows["r00000"]["cluster_id"] == rows["r00001"]["cluster_id"] == "r00000"


def test_57_records_without_shared_email_or_name_build():
    records = _distinct_people(57)
    # one person twice (same address), and two namesakes in two countries without an e-mail
    records[10] |= {"email": "ana.silva@anatel.gov.br", "country_iso2": "BR"}
    records[11] |= {"email": "Ana.Silva@anatel.gov.br", "country_iso2": None}
    records[20] |= {"full_name": "Joao Souza", "email": None, "country_iso2": "BR"}
    records[21] |= {"full_name": "Joao Souza", "email": None, "country_iso2": "AR"}
    rows, run = _resolve(records)
    assert len(rows) == 57
    assert run.method == "deterministic" and "fewer than" in run.reason
    assert rows["r00010"]["cluster_id"] == rows["r00011"]["cluster_id"]
    assert rows["r00020"]["cluster_id"] != rows["r00021"]["cluster_id"]
    assert run.persons == 56 and run.links == 1


def test_data_the_model_cannot_train_on_falls_back_at_any_size():
    # big enough to train, but no two records share an e-mail or a name skeleton: EM has no
    # pairs, so an untrained model (default m values) must not decide
    rows, run = _resolve(_distinct_people(400))
    assert run.method == "deterministic" and run.reason.startswith("model not usable"), run
    assert len(rows) == 400 and run.persons == 400
