"""Every value and relation the published Council file states, as one :class:`System`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from ingestion.publish.disclosure.crossed import crossed_relations, crossed_rounding
from ingestion.publish.disclosure.duplication import duplication_relations
from ingestion.publish.disclosure.figures import (
    activity_relations,
    figure_values,
    headline_relations,
    period_relations,
)
from ingestion.publish.disclosure.layout import CROSS_TABLE, current_codes, table_rows
from ingestion.publish.disclosure.system import System
from ingestion.publish.threshold import min_cell_size


def build_system(
    db_path: Path,
    rounding_base: int | None = None,
    share_rest: tuple[str, ...] = ("M",),
) -> System:
    """Every value and relation the published Council file states.

    A count column whose every published value is a multiple of ``rounding_base`` (default: the
    threshold, the base the marts round event counts to) is read as rounded, i.e. as an
    interval; any other is read as exact. ``share_rest``: the gender rows that, with the women,
    make the denominator of ``women_share`` (today F + M; before issue 16, + X).

    The order of the steps is the order of the values and relations in the system, which the
    propagation and the complementary search follow: keep it.
    """
    base = min_cell_size() if rounding_base is None else rounding_base
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        period = current_codes(table_rows(con, "period_figures"))
        headline = table_rows(con, "headline_figures")
        activity = table_rows(con, "activity_figures")
        duplication = table_rows(con, "duplication_by_period")
        summary = table_rows(con, "duplication_summary")
        crossed = current_codes(table_rows(con, CROSS_TABLE))
        rules = table_rows(con, "disclosure_control")
    finally:
        con.close()
    s = System()
    crossed_rounding(s, crossed, rules, base)
    figure_values(s, period, headline, activity, base)
    period_relations(s, period, share_rest)
    headline_relations(s, headline, share_rest)
    activity_relations(s, activity)
    crossed_relations(s, crossed, period, headline, share_rest)
    duplication_relations(s, duplication, summary, period)
    return s


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector off while systems are built and solved, back on (if
    it was) after. A system is hundreds of thousands of objects in no reference cycle (freed
    by reference counting alone); each collection would walk them all again, about a sixth of
    the secondary suppression's time at scale 1."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
