"""Managers' queries keep working while builds are published, and always see a complete build.

A reader process runs ``capdev query`` (``ingestion.publish.query.main``) in a loop against the
published warehouse while this process writes five successive builds with a real DuckDB writer
into the build file and publishes each with ``ingestion.publish.warehouse`` (copy + atomic
rename). Every query must succeed and see exactly one build, whole: the row count its build
declares, and no row of another build.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.publish.warehouse import publish
from ingestion.warehouse.build import build_file

ROWS_PER_BUILD = 150_000
BUILDS = 5

QUERY = """
select
    (select build_no from core.build_info) as build_no,
    (select expected_rows from core.build_info) as expected_rows,
    count(*) as n_rows,
    min(build_no) as min_build,
    max(build_no) as max_build
from core.activities
"""

READER = r"""
import contextlib, io, json, os, sys, time
from pathlib import Path
from ingestion.publish.query import main

stop, out, db, query = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
results = []
Path(out).with_suffix(".started").touch()
while True:
    stopping = stop.exists()
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        rc = main([query, "--csv", "--db", db])
    results.append({"rc": rc, "stdout": stdout.getvalue(), "stderr": stderr.getvalue(),
                    "at": time.monotonic()})
    if stopping:
        break
out.write_text(json.dumps(results))
"""


def _write_build(path: Path, build_no: int, rows: int) -> None:
    """One complete build, written the way dbt writes: one writer connection, several statements."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute("create schema core").fetchall()
        con.execute(  # the private tier the publish scan compares with
            "create schema private; create table private.personal_values as "
            "select 'email' as kind, 'ada@example.org' as personal_value"
        ).fetchall()
        con.execute(
            "create table core.build_info as select ? as build_no, ? as expected_rows",
            [build_no, rows],
        ).fetchall()
        con.execute(
            "create table core.activities as select ? as build_no, i as activity_no, "
            "md5(cast(i as varchar)) as title from range(?) t(i)",
            [build_no, rows // 2],
        ).fetchall()
        con.execute(
            "insert into core.activities select ?, i, md5(cast(i as varchar)) "
            "from range(?, ?) t(i)",
            [build_no, rows // 2, rows],
        ).fetchall()
        con.execute("checkpoint").fetchall()
    finally:
        con.close()


def test_queries_during_builds_succeed_and_see_complete_builds(data_dir, tmp_path):
    published = config.published_warehouse()
    _write_build(build_file(), 0, ROWS_PER_BUILD)
    publish(build_file(), published)

    stop, out = tmp_path / "stop", tmp_path / "results.json"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(stop), str(out), str(published), QUERY],
        env={**os.environ, "CAPDEV_DATA_DIR": str(data_dir)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not out.with_suffix(".started").exists():
            assert reader.poll() is None, reader.stderr.read()
            assert time.monotonic() < deadline, "the reader did not start"
            time.sleep(0.05)
        publish_times = []
        for build_no in range(1, BUILDS + 1):
            _write_build(build_file(), build_no, ROWS_PER_BUILD + build_no)
            publish(build_file(), published)
            publish_times.append(time.monotonic())
            time.sleep(0.2)
        stop.touch()
        _, stderr = reader.communicate(timeout=120)
    finally:
        if reader.poll() is None:
            reader.kill()
    assert reader.returncode == 0, stderr

    results = json.loads(out.read_text())
    failures = [r for r in results if r["rc"] != 0]
    assert not failures, f"{len(failures)} of {len(results)} queries failed: {failures[:3]}"
    seen = []
    for r in results:
        header, line = r["stdout"].strip().splitlines()
        assert header == "build_no,expected_rows,n_rows,min_build,max_build"
        build_no, expected, n_rows, min_build, max_build = map(int, line.split(","))
        assert n_rows == expected, f"build {build_no} seen incomplete: {n_rows} of {expected}"
        assert min_build == max_build == build_no, "rows of two builds seen together"
        seen.append(build_no)
    assert seen == sorted(seen), "a query saw an older build after a newer one"
    assert seen[-1] == BUILDS, "the last query must see the last published build"
    assert len(set(seen)) >= 3, f"queries did not overlap the builds: builds seen {set(seen)}"
    # queries ran while builds were being written and published, not only before and after
    during = [r for r in results if publish_times[0] - 1 < r["at"] < publish_times[-1]]
    assert len(during) >= BUILDS
