"""Rule 1 of secondary suppression: a share or rate is null when a cell it is computed from is
hidden, so that share x published cell does not give the hidden cell back.

``women_share`` of an overall or headline cell (women / (women + men)) is null when the women
or men cell of the same group is hidden, and ``completion_rate`` is null wherever
``completions`` is. The same for the crossed table ``people_by_group``: the ``women_share`` of
a single-year region or participant-region row, and the ``developing_share`` of any
single-year row, are null when the crossed cells they divide (women / men; developing /
developed) are hidden.
"""

from __future__ import annotations

import duckdb

from ingestion.publish.disclosure.layout import CROSS_TABLE


def table_columns(con: duckdb.DuckDBPyConnection, table: str) -> set[str]:
    """The column names of ``table`` (none when the file has no such table)."""
    rows = con.execute(
        "select column_name from information_schema.columns where table_name = ?", [table]
    ).fetchall()
    return {name for (name,) in rows}


def hide_dependent_shares(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 1: a share or rate is null when a cell it is computed from is hidden."""
    needed = {"women_share", "partially_suppressed", "people_trained", "completion_rate"}
    figure_columns = table_columns(con, "period_figures") & table_columns(con, "headline_figures")
    if not needed <= figure_columns:
        return  # not the Council marts' layout: the audit and the scan judge it as it is
    con.execute(
        """
        update period_figures as p
        set women_share = null, partially_suppressed = true
        where p.dimension = 'overall' and p.women_share is not null and exists (
            select 1 from period_figures as g
            where g.period_from = p.period_from and g.period_to = p.period_to
              and g.bureau = p.bureau and g.dimension = 'gender'
              and g.category in ('F', 'M') and g.people_trained is null
        )
        """
    )
    con.execute(
        """
        update headline_figures as h
        set women_share = null, partially_suppressed = true
        where h.women_share is not null and exists (
            select 1 from period_figures as p
            where p.period_from = h.year and p.period_to = h.year and p.bureau = h.bureau
              and p.dimension = 'overall' and p.women_share is null
        )
        """
    )
    if {"gender", "country_group"} <= table_columns(con, CROSS_TABLE):
        _hide_shares_of_crossed_cells(con)
    for table in ("period_figures", "headline_figures", "activity_figures"):
        if "completion_rate" not in table_columns(con, table):
            continue
        con.execute(
            f"update {table} set completion_rate = null, partially_suppressed = true "
            "where completions is null and completion_rate is not null"
        )


def _hide_shares_of_crossed_cells(con: duckdb.DuckDBPyConnection) -> None:
    """Rule 1 for people_by_group: a single-year share whose numerator or rest is a hidden
    crossed cell is hidden (women_share of a region or participant-region row; developing_share
    of every row), so that share x published cell does not give the hidden cell back."""
    # the crossed cell (country group and gender aside) of a single-year period row
    same_cell = """
        c.year = p.period_from and c.bureau = p.bureau
        and (
            (p.dimension = 'overall' and c.participant_region = 'ALL'
                and c.activity_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'region' and c.activity_region = p.category
                and c.participant_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'participant_region' and c.participant_region = p.category
                and c.activity_region = 'ALL' and c.gender = 'ALL')
            or (p.dimension = 'gender' and c.gender = p.category
                and c.participant_region = 'ALL' and c.activity_region = 'ALL')
        )
    """
    # a crossed margin is the people of a period row, rounded: a period row hidden is hidden
    # in the crossed table too (its rounded value would give it back to within +/- 2). Not the
    # reverse: a crossed cell hidden as a complement leaves the exact figures published.
    con.execute(
        f"""
        update {CROSS_TABLE} as c
        set people_trained = null, suppressed = true
        where c.people_trained is not null and c.country_group = 'ALL' and exists (
            select 1 from period_figures as p
            where p.period_from = p.period_to and p.people_trained is null and {same_cell}
        )
        """
    )
    con.execute(
        f"""
        update period_figures as p
        set developing_share = null, partially_suppressed = true
        where p.period_from = p.period_to and p.developing_share is not null and exists (
            select 1 from {CROSS_TABLE} as c
            where {same_cell}
              and c.country_group in ('developing', 'developed')
              and c.people_trained is null
        )
        """
    )
    con.execute(
        f"""
        update period_figures as p
        set women_share = null, partially_suppressed = true
        where p.period_from = p.period_to and p.women_share is not null
          and p.dimension in ('region', 'participant_region') and exists (
            select 1 from {CROSS_TABLE} as c
            where c.year = p.period_from and c.bureau = p.bureau
              and c.country_group = 'ALL' and c.gender in ('F', 'M')
              and c.people_trained is null
              and (
                (p.dimension = 'region' and c.activity_region = p.category
                    and c.participant_region = 'ALL')
                or (p.dimension = 'participant_region' and c.participant_region = p.category
                    and c.activity_region = 'ALL')
              )
        )
        """
    )
    con.execute(
        """
        update headline_figures as h
        set developing_share = null, partially_suppressed = true
        where h.developing_share is not null and exists (
            select 1 from period_figures as p
            where p.period_from = h.year and p.period_to = h.year and p.bureau = h.bureau
              and p.dimension = 'overall' and p.developing_share is null
        )
        """
    )
