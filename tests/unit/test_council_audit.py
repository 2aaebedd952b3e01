"""The disclosure auditor on hand-made Council files: it finds today's leak, and only leaks."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.publish.disclosure.audit import audit, main
from ingestion.publish.threshold import min_cell_size

PERIOD_COLUMNS = (
    "period_from integer, period_to integer, bureau varchar, dimension varchar, "
    "category varchar, activities bigint, participations bigint, people_trained bigint, "
    "completions bigint, certificates bigint, women_share double, suppressed boolean"
)
HEADLINE_COLUMNS = (
    "year integer, bureau varchar, activities bigint, participations bigint, "
    "people_trained bigint, completions bigint, certificates bigint, women_share double, "
    "suppressed boolean"
)


def _council_file(path: Path, period: list[tuple], headline: list[tuple]) -> Path:
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create table period_figures ({PERIOD_COLUMNS})")
        con.execute(f"create table headline_figures ({HEADLINE_COLUMNS})")
        if period:
            con.executemany(
                "insert into period_figures values (" + ", ".join("?" * 12) + ")", period
            )
        if headline:
            con.executemany(
                "insert into headline_figures values (" + ", ".join("?" * 9) + ")", headline
            )
    finally:
        con.close()
    return path


# gender codes (F, M, X, unknown), and as files published before the codes spelled them
CODES = {"F": "F", "M": "M", "X": "X", "unknown": "unknown", "ALL": "ALL"}
OLD_SPELLING = {"F": "women", "M": "men", "X": "other", "unknown": "unknown", "ALL": "all"}


def _gs_2024(
    women_share: float | None, men: int | None = 288, spelling: dict = CODES
) -> tuple[list, list]:
    """Issue 16: GS 2024, 964 people, 489 of unknown gender, 288 men, women and other hidden."""
    gender = [
        (spelling["F"], None, True),
        (spelling["M"], men, men is None),
        (spelling["X"], None, True),
        (spelling["unknown"], 489, False),
    ]
    overall = spelling["ALL"]
    period = [(2024, 2024, "GS", "overall", overall, 40, None, 964, None, None, women_share, False)]
    period += [
        (2024, 2024, "GS", "gender", c, 40, None, n, None, None, None, s) for c, n, s in gender
    ]
    headline = [(2024, "GS", 40, None, 964, None, None, women_share, False)]
    return period, headline


def test_threshold_is_the_dbt_var():
    assert min_cell_size() == 5


def test_auditor_recovers_the_issue_16_leak(tmp_path):
    db = _council_file(tmp_path / "council.duckdb", *_gs_2024(women_share=0.3916))
    found = {d.cell[-2]: d for d in audit(db)}
    # the women (186, the complement) are recovered too, but a group of 186 is no small cell:
    # the leak is the one person of 'other' (X)
    assert set(found) == {"X"}
    assert (found["X"].lo, found["X"].hi) == (1, 1)
    assert any("women_share" in why for why in found["X"].why)


def test_a_file_from_before_the_codes_is_read_in_todays_codes(tmp_path):
    """A file published when the Council marts spelled gender women/men/other and the overall
    category 'all' (and had no disclosure_control table) is audited as thoroughly."""
    period, headline = _gs_2024(women_share=0.3916, spelling=OLD_SPELLING)
    db = _council_file(tmp_path / "council.duckdb", period, headline)
    found = {d.cell[-2]: d for d in audit(db)}
    assert set(found) == {"X"} and (found["X"].lo, found["X"].hi) == (1, 1)


def test_without_the_share_the_two_hidden_cells_stay_hidden(tmp_path):
    db = _council_file(tmp_path / "council.duckdb", *_gs_2024(women_share=None))
    assert audit(db) == []


def test_a_lone_suppressed_cell_is_recovered_by_its_margin(tmp_path):
    # the men published, women and other hidden, but the other row alone is null: a margin
    period, headline = _gs_2024(women_share=None)
    period = [r if r[4] != "F" else (*r[:7], 186, *r[8:11], False) for r in period]
    db = _council_file(tmp_path / "council.duckdb", period, headline)
    (found,) = audit(db)
    assert found.cell[-2] == "X" and (found.lo, found.hi) == (1, 1)


def test_years_add_up_to_the_period(tmp_path):
    # participations: 2023 hidden, 2024 published, 2023-2024 published -> 2023 = difference
    period = [
        (2023, 2023, "BR", "overall", "ALL", 1, None, None, None, None, None, True),
        (2024, 2024, "BR", "overall", "ALL", 3, 50, 20, None, None, None, False),
        (2023, 2024, "BR", "overall", "ALL", 4, 53, 22, None, None, None, False),
    ]
    db = _council_file(tmp_path / "council.duckdb", period, [])
    found = {d.cell[-1]: d for d in audit(db)}
    assert (found["participations"].lo, found["participations"].hi) == (3, 3)
    # people are not additive over years: only bounded (2..22), not disclosed
    assert "people_trained" not in found


def test_cli_exits_1_on_a_leak_and_0_when_clean(tmp_path, capsys):
    leaky = _council_file(tmp_path / "leaky.duckdb", *_gs_2024(women_share=0.3916))
    clean = _council_file(tmp_path / "clean.duckdb", *_gs_2024(women_share=None))
    assert main([str(leaky)]) == 1
    assert "gender.X.people_trained = 1" in capsys.readouterr().out
    assert main([str(clean)]) == 0


@pytest.mark.parametrize("women_share", [0.3916])
def test_cli_is_wired_into_capdev(tmp_path, women_share):
    from ingestion.cli import main as capdev

    leaky = _council_file(tmp_path / "leaky.duckdb", *_gs_2024(women_share=women_share))
    assert capdev(["council", "audit", str(leaky)]) == 1


def test_secondary_suppression_hides_a_part_not_the_total(tmp_path):
    from ingestion.publish.disclosure.suppress import protect

    # exact participations (not rounded: 67 and 92 are no multiples of 5): GS = ALL - the rest
    overall = [
        ("ALL", 322, 184, False),
        ("BDT", 160, 123, False),
        ("BR", 92, 84, False),
        ("TSB", 67, 64, False),
        ("GS", None, None, True),
    ]
    period = [
        (2019, 2019, b, "overall", "ALL", 4 if b == "ALL" else 1, n, p, None, None, None, s)
        for b, n, p, s in overall
    ]
    db = _council_file(tmp_path / "council.duckdb", period, [])
    (leak,) = [d for d in audit(db) if d.cell[-1] == "participations"]
    assert leak.cell[3] == "GS" and (leak.lo, leak.hi) == (3, 3)
    hidden = protect(db)
    assert hidden == [("period_figures", 2019, 2019, "TSB", "overall", "ALL", "participations")]
    assert audit(db) == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        published = dict(
            con.execute("select bureau, participations from period_figures").fetchall()
        )
    finally:
        con.close()
    assert published == {"ALL": 322, "BDT": 160, "BR": 92, "TSB": None, "GS": None}


def test_secondary_suppression_hides_a_hidden_count_in_every_period_of_its_series(tmp_path):
    """A count hidden in one year is hidden in every period of its series (bureau, dimension,
    category), so that no difference of periods gives it back, and the audit then finds none."""
    from ingestion.publish.disclosure.suppress import protect

    # BR 2023 is a hidden row; its certificates are 43 - 40 = 3 (exact counts)
    period = [
        (2023, 2023, "BR", "overall", "ALL", 2, None, None, None, None, None, True),
        (2024, 2024, "BR", "overall", "ALL", 3, 90, 60, 50, 40, None, False),
        (2023, 2024, "BR", "overall", "ALL", 5, 130, 88, 70, 43, None, False),
    ]
    db = _council_file(tmp_path / "council.duckdb", period, [])
    assert [d.cell[1:3] for d in audit(db) if d.cell[-1] == "certificates"] == [(2023, 2023)]
    hidden = protect(db)
    assert audit(db) == []
    assert {v[1:3] for v in hidden if v[-1] == "certificates"} == {(2024, 2024), (2023, 2024)}
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "select period_from, period_to, certificates, people_trained from period_figures "
            "order by period_from, period_to"
        ).fetchall()
    finally:
        con.close()
    # the people and the other counts stay published
    assert rows == [(2023, 2023, None, None), (2023, 2024, None, 88), (2024, 2024, None, 60)]


CROSSED_COLUMNS = (
    "year integer, bureau varchar, participant_region varchar, activity_region varchar, "
    "gender varchar, country_group varchar, people_trained bigint, suppressed boolean"
)


def _crossed_file(path: Path, women: int | None, men: int | None = None) -> Path:
    """BR 2024: 184 people (exact headline), the crossed table's gender rows rounded to 5,
    'other' hidden (fewer than 5)."""
    headline = [(2024, "BR", 12, None, 184, None, None, None, False)]
    _council_file(path, [], headline)
    rows = [("ALL", 185, False), ("F", women, women is None), ("X", None, True)]
    if men is not None:
        rows.append(("M", men, False))
    con = duckdb.connect(str(path))
    try:
        con.execute(f"create table people_by_group ({CROSSED_COLUMNS})")
        con.executemany(
            "insert into people_by_group values (2024, 'BR', 'ALL', 'ALL', ?, 'ALL', ?, ?)",
            rows,
        )
        con.execute(
            "create table disclosure_control as select 5 as min_cell_size, "
            "5 as count_rounding_base, 5 as crossed_people_rounding_base, "
            "'F, M' as women_share_denominator"
        )
    finally:
        con.close()
    return path


def test_rounded_crossed_cells_leave_a_hidden_cell_an_interval(tmp_path):
    """184 exact people = women (published 120: 118..122) + men (60: 58..62) + other (hidden):
    other is somewhere in 0..8, more values than a small cell has."""
    db = _crossed_file(tmp_path / "council.duckdb", women=120, men=60)
    assert audit(db) == []


def test_an_exact_total_and_one_rounded_cell_pin_a_hidden_one_and_protect_hides_the_crossed_cell(
    tmp_path,
):
    """The edge case of rounding beside exact figures: 184 exact people, women 183 published
    as 185 (183..187, and at least 5): other = 184 - women is 0 or 1. Secondary suppression
    hides the crossed women cell, never the exact headline."""
    from ingestion.publish.disclosure.suppress import protect

    db = _crossed_file(tmp_path / "council.duckdb", women=185)
    (leak,) = audit(db)
    assert leak.cell[5] == "X" and (leak.lo, leak.hi) == (0, 1)
    hidden = protect(db)
    women = ("people_by_group", 2024, "BR", "ALL", "ALL", "F", "ALL", "people_trained")
    assert hidden == [women]
    assert audit(db) == []
    con = duckdb.connect(str(db), read_only=True)
    try:
        (headline,) = con.execute("select people_trained from headline_figures").fetchone()
    finally:
        con.close()
    assert headline == 184


def test_the_tail_of_a_cascade_hides_breakdowns_before_a_year_total():
    """``partners`` (the rounds after the greedy ones) hides every published figure of a
    pinning relation; among them the gender breakdowns go, not the year's total that Council
    reads first (hiding its people count would hide the row and the headline with it)."""
    from ingestion.publish.disclosure.complements import partners
    from ingestion.publish.disclosure.system import Disclosure, System

    def cell(category: str) -> tuple:
        dimension = "overall" if category == "ALL" else "gender"
        return ("period_figures", 2024, 2024, "BR", dimension, category, "people_trained")

    s = System()
    for category, value in (("ALL", 783), ("F", 267), ("M", 513), ("X", None)):
        s.value(cell(category), value, suppressed=value is None)
    s.equal_sum(cell("ALL"), [cell(c) for c in ("F", "M", "X")], "gender margin")
    s.propagate()
    assert s.bounds[cell("X")] == [3.0, 3.0]  # a small cell, pinned
    pinned = Disclosure(cell("X"), 3, 3, ["gender margin"], s.constraints_of(cell("X")))
    assert partners(s, pinned) == {cell("F"), cell("M")}
