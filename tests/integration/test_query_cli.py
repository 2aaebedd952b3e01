"""``capdev query``: one read-only query on the published warehouse, readable output, clear
errors, and nothing else: no files, no other database, no writes, no settings (docs/privacy.md).

The refusals run against a data folder laid out like the real one, with personal data where the
pipeline keeps it (a raw-zone Parquet file, the build file, a quarantine file) and a published
Council Parquet file; each refused statement must leave every file byte for byte as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
import yaml

from ingestion import config
from ingestion.publish.query import format_table, main

ROOT = Path(__file__).resolve().parents[2]
PERSON = ("Amina Diallo", "amina.diallo@example.org")


@pytest.fixture
def warehouse(data_dir):
    path = config.published_warehouse()
    path.parent.mkdir(parents=True)
    con = duckdb.connect(str(path))
    con.execute(
        """
        create schema core;
        create table core.activities as
            select * from (values
                ('a1', 'BDT', 2020, 'Spectrum management', 0.8512, ['en', 'fr']),
                ('a2', 'TSB', 2021, 'Cybersecurity, "basics"', null, ['en']),
                ('a3', 'BDT', 2021, 'Digital transformation', 0.5, [])
            ) t(activity_key, bureau, year, topic, pass_rate, languages);
        """
    ).fetchall()
    con.close()
    return path


def test_table_output_is_aligned(warehouse, capsys):
    rc = main(["select bureau, count(*) as activities from core.activities group by 1 order by 1"])
    out = capsys.readouterr().out.splitlines()
    assert rc == 0
    assert out[0] == "bureau | activities"
    assert set(out[1]) <= {"-", "+"}
    assert out[2] == "BDT    |          2"
    assert out[3] == "TSB    |          1"
    assert out[-1] == "(2 rows)"


def test_values_are_readable(warehouse, capsys):
    assert main(["select topic, pass_rate, languages from core.activities order by 1"]) == 0
    out = capsys.readouterr().out
    assert "0.8512" in out and "0.5 " in out and "NULL" in out and "[en, fr]" in out


def test_csv_output(warehouse, capsys):
    assert (
        main(["select activity_key, topic, pass_rate from core.activities order by 1", "--csv"])
        == 0
    )
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["activity_key", "topic", "pass_rate"]
    assert rows[2] == ["a2", 'Cybersecurity, "basics"', ""]
    assert len(rows) == 4


def test_bad_sql_is_a_clear_error(warehouse, capsys):
    assert main(["selct * from core.activities"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the query failed.") and "syntax error" in err.lower()
    assert "Traceback" not in err
    assert main(["select * from core.nope"]) == 1
    assert "nope" in capsys.readouterr().err


def test_the_warehouse_is_read_only(warehouse, capsys):
    assert main(["delete from core.activities"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refused: DELETE is not a read-only query")
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from core.activities").fetchall() == [(3,)]
    con.close()


def test_missing_warehouse(data_dir, capsys):
    assert main(["select 1"]) == 2
    err = capsys.readouterr().err
    assert "no warehouse at" in err and "capdev build" in err


def test_db_option_and_stdin(warehouse, capsys, monkeypatch):
    other = config.published_dir() / "council.duckdb"
    con = duckdb.connect(str(other))
    con.execute("create table headline_figures as select 2020 as year, 'ALL' as bureau").fetchall()
    con.close()
    assert main(["select * from council.headline_figures", "--db", str(other)]) == 0
    assert "2020 | ALL" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", io.StringIO("select 42 as answer"))
    assert main(["-"]) == 0
    assert "42" in capsys.readouterr().out


def test_max_rows(warehouse, capsys):
    assert main(["select * from range(30)", "--max-rows", "5"]) == 0
    out = capsys.readouterr().out
    assert "(30 rows, first 5 shown" in out


def test_runs_as_a_module_without_traceback(warehouse):
    done = subprocess.run(
        [sys.executable, "-m", "ingestion.publish.query", "select broken from"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stderr.startswith("error:")


def test_format_table_handles_no_rows():
    assert format_table(["a", "b"], []) == "a | b\n--+--"


# --- only one read-only statement on the published files ------------------------------------


def published_tables() -> list[tuple[str, str]]:
    """(schema, table) of every table the dbt project builds into the published warehouse:
    the marts (not the ephemeral ones), the seeds (schema reference) and the snapshots."""
    tables = []
    for model in sorted((ROOT / "dbt_project" / "models" / "marts").glob("*/*.sql")):
        if "materialized='ephemeral'" not in model.read_text(encoding="utf-8"):
            tables.append((model.parent.name, model.stem))
    tables += [("reference", s.stem) for s in sorted((ROOT / "dbt_project/seeds").glob("*.csv"))]
    for file in (ROOT / "dbt_project" / "snapshots").glob("*.yml"):
        for snapshot in yaml.safe_load(file.read_text(encoding="utf-8"))["snapshots"]:
            tables.append((snapshot["config"]["schema"], snapshot["name"]))
    return tables


@pytest.fixture
def data_folder(warehouse, data_dir, tmp_path) -> dict[str, Path]:
    """The published warehouse with every published table, and personal data where the pipeline
    keeps it: a raw-zone Parquet file, a CSV and JSON export in an inbox, the build file, a
    quarantine file; plus the published Council Parquet file."""
    con = duckdb.connect(str(warehouse))
    for schema, table in published_tables():
        con.execute(f"create schema if not exists {schema}").fetchall()
        con.execute(
            f'create table if not exists {schema}."{table}" as '
            "select 1 as id, 'x' as label, date '2024-01-31' as day"
        ).fetchall()
    con.close()

    name, email = PERSON
    raw = config.accepted_dir() / "academy" / "users" / "load_date=2024-01-31" / "b1.parquet"
    inbox = config.inbox_dir("br_seminars") / "participants.csv"
    export = config.inbox_dir("regional_offices") / "participants.json"
    build = config.warehouse_dir() / "build.duckdb"
    quarantine = config.quarantine_dir() / "academy" / "users" / "b1.parquet"
    council = config.published_dir() / "council" / "headline_figures.parquet"
    for path in (raw, inbox, export, build, quarantine, council):
        path.parent.mkdir(parents=True, exist_ok=True)
    writer = duckdb.connect()
    person = f"select '{name}' as fullname, '{email}' as email"
    writer.execute(f"copy ({person}) to '{raw}' (format parquet)").fetchall()
    writer.execute(f"copy ({person}) to '{quarantine}' (format parquet)").fetchall()
    writer.execute(f"copy ({person}) to '{inbox}' (format csv)").fetchall()
    writer.execute(f"copy ({person}) to '{export}' (format json)").fetchall()
    writer.execute(f"copy (select 2024 as year, 120 as people) to '{council}'").fetchall()
    writer.close()
    con = duckdb.connect(str(build))
    con.execute(f"create schema staging; create table staging.people as {person}").fetchall()
    con.close()
    return {
        "data": data_dir,
        "tmp": tmp_path,
        "raw": raw,
        "inbox": inbox,
        "export": export,
        "build": build,
        "quarantine": quarantine,
        "council": council,
        "warehouse": warehouse,
    }


def fingerprint(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes."""
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


# Each is refused: by the statement check (not one read-only query) or by DuckDB itself (external
# access off). {name} is a path of the data_folder fixture.
REFUSED = [
    # files: system files, the raw zone, inboxes, quarantine, the build file
    "select * from read_csv('/etc/passwd')",
    "select * from read_csv_auto('/etc/passwd')",
    "select * from read_text('/etc/passwd')",
    "from read_text('{raw}')",
    "select * from read_blob('{build}')",
    "select * from glob('{data}/**')",
    "select * from read_parquet('{raw}')",
    "select * from read_parquet('{quarantine}')",
    "select * from '{raw}'",
    "select * from read_csv('{inbox}')",
    "select * from read_json('{export}')",
    "select * from read_json_auto('{export}')",
    "select * from parquet_metadata('{raw}')",
    "select * from sniff_csv('{inbox}')",
    "with people as (select * from read_csv('{inbox}')) select * from people",
    "select count(*) from core.activities where exists (select * from read_parquet('{raw}'))",
    "describe select * from read_parquet('{raw}')",
    "summarize select * from read_parquet('{raw}')",
    # other databases
    "attach '{build}' as build",
    "attach '{build}' as build (read_only)",
    "attach ':memory:' as scratch",
    "detach capdev",
    "use memory",
    # extensions
    "install httpfs",
    "force install httpfs",
    "load httpfs",
    "load '{tmp}/evil.duckdb_extension'",
    "update extensions",
    # writes
    "create table core.copy as select * from core.activities",
    "create temp table people as select 1",
    "create view core.v as select 1",
    "create macro leak() as 1",
    "create secret (type s3, key_id 'k', secret 's')",
    "insert into core.activities select * from core.activities",
    "update core.activities set year = 0",
    "delete from core.activities",
    "drop table core.activities",
    "alter table core.activities rename to gone",
    "truncate core.activities",
    "checkpoint",
    "vacuum",
    "begin transaction",
    # files written
    "copy core.activities to '{tmp}/out.csv'",
    "copy (select 2024 as year, 1 as people) to '{council}' (format parquet)",
    "copy core.activities from '{inbox}'",
    "export database '{tmp}/export'",
    "import database '{tmp}/export'",
    # settings
    "set enable_external_access = true",
    "reset lock_configuration",
    "set threads = 1",
    "set memory_limit = '1TB'",
    "set variable x = 1",
    "pragma enable_profiling",
    "pragma database_list",
    "call pragma_version()",
    "prepare p as select 1",
    # several statements, or one hidden behind another
    "select 1; copy core.activities to '{tmp}/out.csv'",
    "select 1; select 2",
    "explain analyze copy core.activities to '{tmp}/out.csv'",
    "explain analyze create table core.x as select 1",
    "explain analyze (format json) copy core.activities to '{tmp}/out.csv'",
    ";",
]


@pytest.mark.parametrize("template", REFUSED)
def test_refused_statements_touch_nothing(data_folder, template, capsys):
    sql = template.format(**{k: str(v) for k, v in data_folder.items()})
    before = fingerprint(data_folder["tmp"])
    assert main([sql]) == 2
    out, err = capsys.readouterr()
    assert err.startswith("refused: "), err
    first_word = sql.split()[0].rstrip(";").upper() if sql.strip(";") else ""
    reason = (
        "reads only the published warehouse" in err  # DuckDB refused a file or database
        or f"{first_word} is not a read-only query" in err  # the statement check
        or "statements found" in err
        or "no statement found" in err
        or "EXPLAIN of something other than a query" in err
        or "is not a statement the query tool runs" in err
    )
    assert reason, err
    assert out == ""
    assert PERSON[0] not in err and PERSON[1] not in err
    assert fingerprint(data_folder["tmp"]) == before


def test_the_build_file_is_refused_even_through_db_or_a_link(data_folder, capsys):
    build = data_folder["build"]
    assert main(["select * from staging.people", "--db", str(build)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("refused: --db") and "outside the published folder" in err
    link = config.published_dir() / "build-link.duckdb"
    link.symlink_to(build)
    assert main(["select * from staging.people", "--db", str(link)]) == 2
    assert "outside the published folder" in capsys.readouterr().err


def test_every_published_table_can_be_queried(data_folder, capsys):
    tables = published_tables()
    assert len(tables) > 20 and ("council", "headline_figures") in tables
    for schema, table in tables:
        for sql in (f"select * from {schema}.{table}", f"describe {schema}.{table}"):
            assert main([sql]) == 0, (sql, capsys.readouterr().err)
            assert re.search(r"^\(\d+ rows?\)$", capsys.readouterr().out, re.MULTILINE), sql


@pytest.mark.parametrize(
    "sql",
    [
        "with b as (select bureau from core.activities) select count(*) from b",
        "values (1, 'a'), (2, 'b')",
        "table core.activities",
        "from core.activities select bureau",
        "describe core.activities",
        "show tables",
        "show all tables",
        "summarize core.activities",
        "explain select * from core.activities",
        "explain analyze select count(*) from core.activities",
        "/* why */ explain (format json) select * from core.activities",
        "-- a comment first\n/* and another */ select 1 as one;",
        "select * from core.activities where topic = 'COPY; ATTACH'",
        "select current_setting('enable_external_access') as ext, "
        "current_setting('lock_configuration') as locked",
    ],
)
def test_read_only_queries_run(data_folder, sql, capsys):
    assert main([sql, "--csv"]) == 0, capsys.readouterr().err
    out = capsys.readouterr().out
    assert out.strip()
    if "current_setting" in sql:
        assert out.splitlines()[1] == "False,True"


def test_a_long_query_is_stopped_at_the_timeout(warehouse, capsys):
    started = time.monotonic()
    slow = "select count(*) from range(1000000) a, range(1000000) b where a.range + b.range < 0"
    assert main([slow, "--timeout", "0.5"]) == 1
    elapsed = time.monotonic() - started
    err = capsys.readouterr().err
    assert re.match(r"error: the query ran longer than 0.5 s and was stopped", err), err
    assert elapsed < 20, f"the query was not stopped: {elapsed:.1f}s"
    assert main(["select 1", "--timeout", "0"]) == 2


def test_a_quick_query_is_not_stopped_by_its_timer(warehouse, capsys):
    # the timer is cancelled when the query ends: nothing interrupts a later query
    for _ in range(3):
        assert main(["select count(*) from core.activities", "--timeout", "0.2"]) == 0
    time.sleep(0.4)
    assert main(["select 1 as one"]) == 0
    assert "(1 row)" in capsys.readouterr().out
