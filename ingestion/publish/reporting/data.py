"""Read the report's tables from the published Council marts (``council.duckdb``, read-only).

Nothing here reads the warehouse itself: the report sees only the aggregates published by
:func:`ingestion.publish.council.publish_council`, with small cells already suppressed. Each
code comes with the English label the file publishes beside it (``<column>_label``,
``category_label``): the report shows those labels, never a label of its own.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

BUREAU_ORDER = ("BDT", "BR", "TSB", "GS")
GENDER_ORDER = ("F", "M", "X", "unknown")
MEASURES = (
    "activities",
    "participations",
    "people_trained",
    "completions",
    "certificates",
    "completion_rate",
    "pass_rate",
    "avg_satisfaction_1_5",
    "developing_share",
    "ldc_lldc_sids_share",
    "women_share",
    "suppressed",
    "partially_suppressed",
)


@dataclass
class Table:
    """Rows of one report table, with the column names as the marts have them."""

    columns: list[str]
    rows: list[dict]

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class ReportData:
    requested_from: int
    requested_to: int
    period_from: int | None  # the requested period clamped to the years the marts hold
    period_to: int | None
    years_available: tuple[int, int] | None
    headline: dict = field(default_factory=dict)
    by_bureau: Table = field(default_factory=lambda: Table([], []))
    trend: Table = field(default_factory=lambda: Table([], []))
    regions: Table = field(default_factory=lambda: Table([], []))
    # people trained per year by their own region (of their country), from people_by_group
    participant_regions: Table = field(default_factory=lambda: Table([], []))
    gender: Table = field(default_factory=lambda: Table([], []))
    quality: Table = field(default_factory=lambda: Table([], []))
    duplication: Table = field(default_factory=lambda: Table([], []))
    duplication_topics: Table = field(default_factory=lambda: Table([], []))
    academy_candidates: Table = field(default_factory=lambda: Table([], []))
    activity_figures: Table = field(default_factory=lambda: Table([], []))
    # The date the figures are as of: a year it does not reach the end of is a part year.
    as_of: dt.date | None = None
    # the English label of each code the file uses, per code list (from its label columns)
    vocabulary: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def has_data(self) -> bool:
        return self.period_from is not None

    @property
    def years(self) -> list[int]:
        return list(range(self.period_from, self.period_to + 1)) if self.has_data else []

    def is_part_year(self, year) -> bool:
        """A year the data does not cover to its end (the as-of date's year, or later)."""
        if self.as_of is None or year is None:
            return False
        return int(year) > self.as_of.year or (
            int(year) == self.as_of.year and self.as_of < dt.date(self.as_of.year, 12, 31)
        )

    @property
    def part_years(self) -> list[int]:
        """The part years of the period covered (usually none, or its last year)."""
        return [y for y in self.years if self.is_part_year(y)]


def _table(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> Table:
    result = con.execute(sql, params or [])
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row, strict=True)) for row in result.fetchall()]
    return Table(columns, rows)


def _has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return bool(
        con.execute(
            "select count(*) from information_schema.tables where table_name = ?", [name]
        ).fetchall()[0][0]
    )


_BUREAU_SORT = (
    "case bureau when 'BDT' then 1 when 'BR' then 2 when 'TSB' then 3 when 'GS' then 4 else 9 end"
)
_MEASURE_LIST = ", ".join(MEASURES)
# The code lists of the Council file and where the file labels their codes: (list, code
# column, label column, table, condition). period_figures' categories belong to the list their
# dimension names (participant_region: region).
_LABELLED = (
    ("bureau", "bureau", "bureau_label", "period_figures", "true"),
    ("dimension", "dimension", "dimension_label", "period_figures", "true"),
    *(
        (vocabulary, "category", "category_label", "period_figures", f"dimension = '{dimension}'")
        for vocabulary, dimension in (
            ("region", "region"),
            ("region", "participant_region"),
            ("topic", "topic"),
            ("activity_type", "activity_type"),
            ("delivery_mode", "delivery_mode"),
            ("gender", "gender"),
        )
    ),
)


def read_vocabulary(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    """The label of every code of the Council file, per code list, as the file publishes it."""
    vocabulary: dict[str, dict[str, str]] = {}
    for name, code, label, table, where in _LABELLED:
        rows = con.execute(
            f"select distinct {code}, {label} from main.{table} "
            f"where {where} and {label} is not null"
        ).fetchall()
        vocabulary.setdefault(name, {}).update(dict(rows))
    return vocabulary


# The report's tables other than the overall figures: (ReportData field, query over the
# period's first and last years).
_QUERIES = (
    (
        "trend",
        f"""
        select year, bureau, bureau_label, {_MEASURE_LIST}
        from main.headline_figures
        where year between ? and ?
        order by year, {_BUREAU_SORT}, bureau
        """,
    ),
    (
        "regions",
        f"""
        select category as region, category_label as region_label, {_MEASURE_LIST}
        from main.period_figures
        where period_from = ? and period_to = ? and dimension = 'region' and bureau = 'ALL'
        order by people_trained desc nulls last, activities desc, category
        """,
    ),
    (
        # the participant's region apart from the activity's: every activity region, gender
        # and country group together, all bureaux (each person once a year)
        "participant_regions",
        """
        select year, participant_region, participant_region_label, people_trained, suppressed
        from main.people_by_group
        where year between ? and ? and bureau = 'ALL'
          and activity_region = 'ALL' and gender = 'ALL' and country_group = 'ALL'
        order by participant_region = 'ALL', participant_region_label, year
        """,
    ),
    (
        "gender",
        f"""
        select bureau, bureau_label, category as gender, category_label as gender_label,
            people_trained, suppressed
        from main.period_figures
        where period_from = ? and period_to = ? and dimension = 'gender'
        order by {_BUREAU_SORT}, bureau,
            case category when 'F' then 1 when 'M' then 2 when 'X' then 3 else 4 end
        """,
    ),
    (
        "quality",
        f"""
        select bureau, bureau_label, category as topic, category_label as topic_label,
            activities, people_trained, completion_rate, pass_rate, avg_satisfaction_1_5,
            certificates, suppressed
        from main.period_figures
        where period_from = ? and period_to = ? and dimension = 'topic' and bureau <> 'ALL'
        order by {_BUREAU_SORT}, bureau, category_label
        """,
    ),
    (
        "duplication",
        """
        select bureau_a, bureau_a_label, bureau_b, bureau_b_label, topic, topic_label,
            overlapping_pairs, activities_a, activities_b, catalogue_share_a,
            catalogue_share_b, avg_overlap_score, shared_participants, suppressed
        from main.duplication_by_period
        where period_from = ? and period_to = ? and bureau_a <> 'ALL'
        order by overlapping_pairs desc, shared_participants desc nulls last, topic_label
        """,
    ),
    (
        "duplication_topics",
        """
        select topic, topic_label, overlapping_pairs, shared_participants, suppressed
        from main.duplication_by_period
        where period_from = ? and period_to = ? and bureau_a = 'ALL'
        order by overlapping_pairs desc, shared_participants desc nulls last, topic_label
        """,
    ),
    (
        "academy_candidates",
        """
        select candidate_rank, year, bureau, bureau_label, title, topic, topic_label,
            activity_type, activity_type_label, delivery_mode, delivery_mode_label, region,
            region_label, people_trained, completion_rate, pass_rate, avg_satisfaction_1_5,
            quality_score, similar_academy_course, best_academy_match, recommendation
        from main.academy_candidates
        where year between ? and ?
        order by candidate_rank
        """,
    ),
    (
        "activity_figures",
        "select * from main.activity_figures where year between ? and ? "
        "order by year, bureau, region, topic, activity_type, delivery_mode",
    ),
)
# A table an older Council file lacks, by the field it fills: left empty when missing.
_OPTIONAL = {"participant_regions": "people_by_group"}
# Every bureau and all bureaux (``ALL``: the headline) over the whole period.
_OVERALL = f"""
    select bureau, bureau_label, {_MEASURE_LIST}
    from main.period_figures
    where period_from = ? and period_to = ? and dimension = 'overall'
    order by {_BUREAU_SORT}, bureau
"""


def load_report_data(
    db_path: Path, period_from: int, period_to: int, as_of: dt.date | None = None
) -> ReportData:
    """Every table of the report for ``period_from``..``period_to`` (inclusive years).

    ``as_of``: the date the figures are as of (default: the day the Council file was
    published, its modification date); the years it does not reach the end of are part years.
    """
    if period_from > period_to:
        raise ValueError(f"period starts after it ends: {period_from} > {period_to}")
    if as_of is None:
        as_of = dt.datetime.fromtimestamp(Path(db_path).stat().st_mtime, dt.UTC).date()
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        first, last = con.execute(
            "select min(year), max(year) from main.headline_figures"
        ).fetchall()[0]
        data = ReportData(period_from, period_to, None, None, None, as_of=as_of)
        data.vocabulary = read_vocabulary(con)
        if first is None:
            return data
        data.years_available = (int(first), int(last))
        p_from, p_to = max(period_from, int(first)), min(period_to, int(last))
        if p_from > p_to:
            return data
        data.period_from, data.period_to = p_from, p_to
        period = [p_from, p_to]
        overall = _table(con, _OVERALL, period)
        data.headline = next((r for r in overall.rows if r["bureau"] == "ALL"), {})
        data.by_bureau = Table(overall.columns, [r for r in overall.rows if r["bureau"] != "ALL"])
        for name, sql in _QUERIES:
            if name not in _OPTIONAL or _has_table(con, _OPTIONAL[name]):
                setattr(data, name, _table(con, sql, period))
        return data
    finally:
        con.close()
