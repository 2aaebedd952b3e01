"""The Council file as the disclosure auditor reads it: its tables, their keys, codes and rules.

The published ``council.duckdb`` is read alone, as anyone holding it could. Older files (before
the Council marts took the warehouse's codes) are read in today's codes, and a file that does
not state its rules (no ``disclosure_control`` table) is read every way it may have been made.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.publish.reporting.data import MEASURES

ADDITIVE = ("participations", "completions", "certificates")
# gender codes (reference.code_labels): F, M, X (other), unknown; women_share is a share of F
GENDERS = ("F", "M", "X", "unknown")
WOMEN = "F"
# period_figures breakdowns whose categories partition people (one gender, one country each)
PARTITIONS = ("gender", "participant_region")
# people_by_group: its attributes (code columns, the order of its cell names), how each adds up
CROSS_TABLE = "people_by_group"
CROSS_KEYS = (
    "year",
    "bureau",
    "participant_region",
    "activity_region",
    "gender",
    "country_group",
)
# country groups: the development statuses partition people; LDC, LLDC, SIDS are subgroups
STATUSES = ("developing", "developed", "unknown")
# crossed cells suppressed because the rest of their 'ALL' row is small (docs/council.md)
SUBGROUPS = ("ldc", "lldc", "sids")
# Files published before the Council marts took the warehouse's codes (docs/council.md, "Codes
# and labels") spelled some of them otherwise: read them in today's codes, so that an older
# file is audited as thoroughly as a new one.
LEGACY_CODES = {
    "women": "F",
    "men": "M",
    "other": "X",
    "all": "ALL",
    "not_recorded": "unknown",
    "Not recorded": "unknown",
    "Global / not specified": "unknown",
    "All regions": "ALL",
}
# the older crossed table: gender and country group by their *_code columns; its regions by
# their labels, which were period_figures' categories then
LEGACY_CROSS_COLUMNS = {"gender_code": "gender", "country_group_code": "country_group"}

# The key columns of each table, in the order the auditor's cell names use them.
KEYS = {
    "period_figures": ("period_from", "period_to", "bureau", "dimension", "category"),
    "headline_figures": ("year", "bureau"),
    "activity_figures": (
        "year",
        "bureau",
        "region",
        "topic",
        "activity_type",
        "delivery_mode",
    ),
    "duplication_by_period": ("period_from", "period_to", "bureau_a", "bureau_b", "topic"),
    "duplication_summary": ("bureau_a", "bureau_b", "topic"),
    CROSS_TABLE: CROSS_KEYS,
}
# A suppressed figure row keeps its activity count (never a people count) and its flags.
FIGURE_ROW_NULLS = tuple(
    m for m in MEASURES if m not in ("activities", "suppressed", "partially_suppressed")
)

# The readings of women_share the auditor tries on a file that does not state its rules (no
# disclosure_control table, i.e. from before issue 16): of women and men (F, M), and of every
# recorded gender (F, M, X). A reading the file contradicts is not the file's; the others count.
SHARE_READINGS = (("M",), ("M", "X"))


def table_rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    """Every row of ``table`` as a dict (none when the file has no such table)."""
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()[0]
    if not exists:
        return []
    result = con.execute(f"select * from main.{table}")
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def current_codes(rows: list[dict]) -> list[dict]:
    """Rows of a Council table in today's codes (an older file's spellings translated)."""
    if rows and "gender_code" in rows[0]:
        rows = [{**r, **{new: r[old] for old, new in LEGACY_CROSS_COLUMNS.items()}} for r in rows]
    for column in ("category", "participant_region", "activity_region", "gender", "country_group"):
        if rows and column in rows[0]:
            for r in rows:
                r[column] = LEGACY_CODES.get(r[column], r[column])
    return rows


def hidden(row: dict) -> bool:
    """A null of this row is a hidden figure (not a figure the platforms do not record)."""
    return bool(row.get("suppressed")) or bool(row.get("partially_suppressed"))


def stated_rules(db_path: Path) -> tuple[tuple[tuple[str, ...], ...], int | None]:
    """The share readings and rounding base to audit with: those the file states in its
    ``disclosure_control`` table, else (a file from before issue 16) every reading."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rules = table_rows(con, "disclosure_control")
    finally:
        con.close()
    if not rules:
        return SHARE_READINGS, None
    groups = [g.strip() for g in str(rules[0]["women_share_denominator"]).split(",")]
    groups = [LEGACY_CODES.get(g, g) for g in groups]  # 'women, men' before the codes
    rest = tuple(g for g in groups if g != WOMEN)
    return (rest,), int(rules[0]["count_rounding_base"])
