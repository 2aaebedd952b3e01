"""The dbt build of identity resolution on too few records to train the model.

57 records from the BR seminars and a regional office, with no shared e-mail and no shared
name, once failed the whole build in int_participant_clusters (Splink: 'Referenced column
"gamma_name" not found'). The build must pass, the deterministic rules decide, and
ops.identity_runs says so.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa
import pytest

from ingestion import config
from ingestion.pseudonym import KEY_ENV

MODELS = (
    "identity_decisions int_participant_records_for_linking int_identity_decisions "
    "int_participant_clusters identity_runs"
)
N = 57


def _word(i: int, salt: int) -> str:
    # letters only: the resolver drops digits from names
    letters = "bcdfghjklmnpqrstvwxz"
    n = i * 7919 + salt
    return "".join(letters[(n // 20**k) % 20] + "aeiou"[(n + k) % 5] for k in range(3)).title()


def _records() -> list[dict]:
    rows = [
        {
            "platform": "br_seminars" if i % 2 else "regional_offices",
            "source_record_key": f"s{i:03d}",
            "full_name": f"{_word(i, 1)} {_word(i, 4242)}",
            "first_name": None,
            "last_name": None,
            "name_latin": None,
            "email": f"p{i}@org{i}.example" if i % 3 else None,
            "country": ("BR", "AR", None)[i % 3],
            "organization": None,
            "gender": "unknown",
            "city": None,
        }
        for i in range(N)
    ]
    # one person twice: the same address on two platforms
    rows[4]["email"] = rows[5]["email"] = "ana.silva@anatel.gov.br"
    return rows


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    from ingestion.warehouse.build import run_dbt

    data = tmp_path_factory.mktemp("identity-small")
    mp = pytest.MonkeyPatch()
    mp.setenv("CAPDEV_DATA_DIR", str(data))
    mp.delenv(KEY_ENV, raising=False)
    warehouse = config.warehouse_dir() / "build.duckdb"
    warehouse.parent.mkdir(parents=True)
    con = duckdb.connect(str(warehouse))
    unioned = pa.Table.from_pylist(_records())
    users = pa.table({"source_record_key": pa.array([], pa.string()), "username": []})
    for schema, table, frame in (
        ("intermediate", "int_participant_records_unioned", unioned),
        ("staging", "stg_academy__enrolled_users", users),
    ):
        con.execute(f"create schema if not exists {schema}").fetchall()
        con.register("frame", frame)
        con.execute(f"create table {schema}.{table} as select * from frame").fetchall()
        con.unregister("frame")
    con.close()
    # the unit tests run once, in tests/unit/test_dbt_unit_tests.py
    run_dbt("build", "--select", MODELS, "--exclude", "test_type:unit", warehouse_path=warehouse)
    yield warehouse
    mp.undo()


def test_small_input_builds_with_the_deterministic_rules(built):
    con = duckdb.connect(str(built), read_only=True)
    try:
        clusters = con.execute(
            "select source_record_key, cluster_id from intermediate.int_participant_clusters"
        ).fetchall()
        runs = con.execute(
            "select records, method, reason, links, persons from ops.identity_runs"
        ).fetchall()
    finally:
        con.close()
    assert len(clusters) == N
    by_key = dict(clusters)
    assert by_key["s004"] == by_key["s005"]
    assert len(set(by_key.values())) == N - 1
    ((records, method, reason, links, persons),) = runs
    assert (records, method, links, persons) == (N, "deterministic", 1, N - 1)
    assert "fewer than" in reason
