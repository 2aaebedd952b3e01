"""``capdev query``: read-only SQL on the published warehouse, readable output, clear errors."""

from __future__ import annotations

import csv
import io
import subprocess
import sys

import duckdb
import pytest

from ingestion import config
from ingestion.publish.query import format_table, main


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
    assert main(["delete from core.activities"]) == 1
    assert "read-only" in capsys.readouterr().err
    con = duckdb.connect(str(warehouse), read_only=True)
    assert con.execute("select count(*) from core.activities").fetchall() == [(3,)]
    con.close()


def test_missing_warehouse(data_dir, capsys):
    assert main(["select 1"]) == 2
    err = capsys.readouterr().err
    assert "no warehouse at" in err and "capdev build" in err


def test_db_option_and_stdin(warehouse, tmp_path, capsys, monkeypatch):
    other = tmp_path / "council.duckdb"
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
