"""``capdev-sandbox advance``: deterministic days, and platform files and ground truth that
move together (real files in tmp_path, small scale)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest

from sandbox.cli import main as cli_main
from sandbox.generator import generate
from sandbox.generator.advance import advance, read_state

SEED, SCALE = 11, 0.03


@pytest.fixture(scope="module")
def tree(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sandbox")
    generate(out, seed=SEED, scale=SCALE)
    return out


def test_advance_is_deterministic_however_the_days_are_split(tree, tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for path in (one, two):
        shutil.copytree(tree, path)
    advance(one, days=3)
    advance(two, days=1)
    advance(two, days=2)
    files = sorted(p for p in one.rglob("*") if p.is_file())
    for path in files:
        assert path.read_bytes() == (two / path.relative_to(one)).read_bytes(), path
    state = read_state(one)
    assert state["days"] == 3 and state["as_of"] == "2026-11-03"
    assert all(count > 0 for count in state["changes"].values())


def test_truth_follows_the_platform_files(tree, tmp_path):
    out = tmp_path / "advanced"
    shutil.copytree(tree, out)
    advance(out, days=4)
    truth = pl.read_parquet(out / "ground_truth" / "participations.parquet")
    records = pl.read_parquet(out / "ground_truth" / "person_records.parquet")
    # TSB: one participation and one record per registration served
    regs = json.loads((out / "tsb_events" / "registrations.json").read_text())
    served = {(e, r["registration_id"]) for e, rs in regs.items() for r in rs}
    tsb = truth.filter(pl.col("platform") == "tsb_events")
    assert set(tsb.select("source_activity_key", "source_record_key").iter_rows()) == served
    tsb_records = records.filter(pl.col("platform") == "tsb_events")["source_record_key"]
    assert set(tsb_records) == {r for _, r in served}
    # Academy: one participation per enrolment of a real course
    enrolments = json.loads((out / "academy" / "enrolments.json").read_text())
    enrolled = {(c, str(u["id"])) for c, us in enrolments.items() for u in us if c != "1"}
    academy = truth.filter(pl.col("platform") == "academy")
    assert set(academy.select("source_activity_key", "source_record_key").iter_rows()) == enrolled
    # every participation's record exists, and every record has a participation
    keys = set(records.select("platform", "source_record_key").iter_rows())
    assert set(truth.select("platform", "source_record_key").iter_rows()) == keys


def test_cli_advance(tree, tmp_path, capsys):
    out = tmp_path / "cli"
    shutil.copytree(tree, out)
    assert cli_main(["advance", "--days", "2", "--out", str(out)]) == 0
    assert "next night to run is 2026-11-03" in capsys.readouterr().out
    assert read_state(out)["days"] == 2
