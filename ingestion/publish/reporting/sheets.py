"""The workbook's sheets as a table: what each one holds, where its rows come from, its columns
and number formats, and its published total.

:data:`SHEETS` lists them in the workbook's order; :func:`build_sheets` fills them from
:class:`~ingestion.publish.reporting.data.ReportData`. Each code column shows the label the
Council file publishes beside it, the code itself kept in a machine column after the figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ingestion.publish.reporting.data import ReportData
from ingestion.publish.reporting.document import ACADEMY_IN_DOCUMENT
from ingestion.publish.reporting.labels import label

PERCENT, DECIMAL, INTEGER, YEAR, TEXT = "0.0%", "0.00", "#,##0", "0", None
Column = tuple[str, str | None]  # (key, number format)
FIGURES: tuple[Column, ...] = (
    ("activities", INTEGER),
    ("people_trained", INTEGER),
    ("participations", INTEGER),
    ("completions", INTEGER),
    ("certificates", INTEGER),
    ("completion_rate", PERCENT),
    ("pass_rate", PERCENT),
    ("avg_satisfaction_1_5", DECIMAL),
    ("developing_share", PERCENT),
    ("ldc_lldc_sids_share", PERCENT),
    ("women_share", PERCENT),
    ("suppressed", TEXT),
    ("partially_suppressed", TEXT),
)
# In a sheet's columns: the table's other columns here, in its order (label columns left out:
# a code column shows its label already), each with the format its name calls for.
OTHERS: Column = ("*", None)
# the code columns of the candidates and activity sheets, labelled, their codes kept apart
CANDIDATE_CODES = ("topic", "activity_type", "delivery_mode", "region")
ACTIVITY_CODES = ("region", "topic", "activity_type", "delivery_mode")


@dataclass
class Sheet:
    """One sheet, filled: its rows and the columns they are written in."""

    title: str
    about: str  # one line: what the sheet holds (README and the sheet's title row)
    source: str  # the Council table (and its filter) the rows come from
    columns: tuple[Column, ...]
    rows: list[dict]
    total: dict | None = None  # a published total, written last and set apart
    chart: str | None = None  # bar charts of people trained and activities "per <chart>"
    wide: bool = False  # year × bureau, written by the workbook's trend layout, not as rows


@dataclass(frozen=True)
class SheetSpec:
    """What a sheet holds: ``about`` may name ``{count}`` (its rows) and ``{shown}`` (the
    candidates the document lists)."""

    title: str
    about: str
    source: str
    table: str  # the ReportData field its rows come from
    columns: tuple[Column, ...] = ()
    codes: tuple[str, ...] = ()  # code columns shown by label, each code kept after the figures
    by_year: bool = False  # rows carry ``part_year``
    ranked: bool = False  # rows carry ``rank_in_period``, from 1 in the marts' order
    total: tuple[str, str] | None = None  # the published all-bureaux row: (column, its name)
    chart: str | None = None
    wide: bool = False

    def build(self, data: ReportData) -> Sheet:
        table = getattr(data, self.table)
        if self.wide:
            return Sheet(self.title, self.about, self.source, (), [], wide=True)
        extra: dict[str, Callable[[dict], object]] = {}
        if self.by_year:
            extra["part_year"] = lambda r: data.is_part_year(r["year"])
        rows = _labelled(table.rows, data.vocabulary, *self.codes, **extra)
        if self.ranked:
            rows = [{**r, "rank_in_period": i} for i, r in enumerate(rows, start=1)]
        total = None
        if self.total is not None and data.headline:
            total = {**data.headline, self.total[0]: self.total[1]}
        return Sheet(
            self.title,
            self.about.format(count=len(rows), shown=ACADEMY_IN_DOCUMENT),
            self.source,
            (*self._columns(table.columns), *_codes(*self.codes)),
            rows,
            total,
            self.chart,
        )

    def _columns(self, table_columns: list[str]) -> list[Column]:
        named = {key for key, _ in self.columns}
        out: list[Column] = []
        for column in self.columns:
            if column != OTHERS:
                out.append(column)
                continue
            out += [
                (c, format_for(c))
                for c in table_columns
                if c not in named and not c.endswith("_label")
            ]
        return out


def format_for(column: str) -> str | None:
    """The number format a column's name calls for."""
    if column in ("suppressed", "partially_suppressed"):
        return TEXT
    if column in ("year", "period_from", "period_to", "candidate_rank", "rank_in_period"):
        return YEAR
    if column.endswith(("_share", "_rate", "share_a", "share_b")) or column == "quality_score":
        return PERCENT
    if column in ("avg_satisfaction_1_5", "avg_overlap_score", "title_similarity"):
        return DECIMAL
    return INTEGER


def _labelled(rows: list[dict], vocabulary: dict, *columns: str, **extra) -> list[dict]:
    """Rows for a sheet: each code column shows the label the file publishes beside it
    (``<column>_label``), the code itself moves to a machine column ``<column>_code``; a bureau
    keeps its abbreviation (``ALL``: "All bureaux")."""
    out = []
    for r in rows:
        row = {**r, **{k: f(r) for k, f in extra.items()}}
        for c in columns:
            row[f"{c}_code"] = r.get(c)
            row[c] = r.get(f"{c}_label") or r.get(c)
        if "bureau" in row:
            row["bureau"] = label(r["bureau"], "bureau", vocabulary)
        out.append(row)
    return out


def _codes(*columns: str) -> tuple[Column, ...]:
    """The machine columns of a sheet's codes, after its figures."""
    return tuple((f"{c}_code", TEXT) for c in columns)


SHEETS = (
    SheetSpec(
        "Headline by bureau",
        "headline figures per bureau over the whole period, and all bureaux together",
        "period_figures (dimension overall)",
        "by_bureau",
        (("bureau", TEXT), *FIGURES),
        total=("bureau", "All bureaux (each person once)"),
        chart="bureau",
    ),
    SheetSpec(
        "Trend by year",
        "activities and people trained per year and bureau (* part year)",
        "headline_figures",
        "trend",
        wide=True,
    ),
    SheetSpec(
        "Trend by year, long",
        "every headline figure per year and bureau, one row each (for filters and pivots)",
        "headline_figures",
        "trend",
        (("year", YEAR), ("part_year", TEXT), ("bureau", TEXT), *FIGURES),
        by_year=True,
    ),
    SheetSpec(
        "Regions",
        "activities and people trained per region of the activity, all bureaux",
        "period_figures (all bureaux, dimension region)",
        "regions",
        (("region", TEXT), *FIGURES),
        codes=("region",),
        total=("region", "All regions (each person once)"),
        chart="region",
    ),
    SheetSpec(
        "Gender",
        "people trained per gender (as recorded) and bureau",
        "period_figures (dimension gender)",
        "gender",
        (("bureau", TEXT), ("gender", TEXT), ("people_trained", INTEGER), ("suppressed", TEXT)),
        codes=("gender",),
    ),
    SheetSpec(
        "Quality by topic",
        "completion, pass rate and satisfaction per bureau and topic",
        "period_figures (each bureau, dimension topic)",
        "quality",
        (("bureau", TEXT), ("topic", TEXT), OTHERS),
        codes=("topic",),
    ),
    SheetSpec(
        "Duplication",
        "overlapping activities and shared participants per bureau pair and topic",
        "duplication_by_period (each pair of bureaux)",
        "duplication",
        (("bureau_a", TEXT), ("bureau_b", TEXT), ("topic", TEXT), OTHERS, ("suppressed", TEXT)),
        codes=("topic",),
    ),
    SheetSpec(
        "Duplication by topic",
        "all bureau pairs together, per topic",
        "duplication_by_period (all pairs)",
        "duplication_topics",
        (
            ("topic", TEXT),
            ("overlapping_pairs", INTEGER),
            ("shared_participants", INTEGER),
            ("suppressed", TEXT),
        ),
        codes=("topic",),
    ),
    SheetSpec(
        "Academy candidates",
        "all {count} activities outside the ITU Academy worth featuring on it "
        "(the report lists the first {shown})",
        "academy_candidates",
        "academy_candidates",
        (
            ("rank_in_period", YEAR),
            ("year", YEAR),
            ("part_year", TEXT),
            ("bureau", TEXT),
            ("title", TEXT),
            ("topic", TEXT),
            ("activity_type", TEXT),
            ("delivery_mode", TEXT),
            ("region", TEXT),
            ("people_trained", INTEGER),
            ("completion_rate", PERCENT),
            ("pass_rate", PERCENT),
            ("avg_satisfaction_1_5", DECIMAL),
            ("quality_score", PERCENT),
            ("similar_academy_course", TEXT),
            ("best_academy_match", TEXT),
            ("recommendation", TEXT),
            ("candidate_rank", YEAR),
        ),
        codes=CANDIDATE_CODES,
        by_year=True,
        ranked=True,
    ),
    SheetSpec(
        "Activity figures",
        "finest grain: year × bureau × region × topic × activity type × delivery mode",
        "activity_figures",
        "activity_figures",
        (
            ("year", YEAR),
            ("part_year", TEXT),
            ("bureau", TEXT),
            ("region", TEXT),
            ("topic", TEXT),
            ("activity_type", TEXT),
            ("delivery_mode", TEXT),
            *FIGURES,
        ),
        codes=ACTIVITY_CODES,
        by_year=True,
    ),
)


def build_sheets(data: ReportData) -> list[Sheet]:
    """Every sheet of the workbook after its README, filled from ``data``."""
    return [spec.build(data) for spec in SHEETS]
