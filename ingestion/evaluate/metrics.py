"""What every evaluation shares: the targets, the vocabulary parts, the precision / recall / F1
arithmetic and the table cells of ``capdev evaluate``'s printout."""

from __future__ import annotations

from pathlib import Path

import duckdb

#: The targets the project commits to at scale 1.
TARGETS = {
    "identity_f1": 0.97,
    # overlaps and taxonomy: on the held-out vocabulary (the in-sample figure is shown beside
    # it, never alone)
    "overlap_precision": 0.90,
    "overlap_recall": 0.90,
    "taxonomy_type_accuracy": 0.95,
    "taxonomy_topic_accuracy": 0.95,
}
VOCABULARIES = ("in_sample", "held_out")


def precision_recall_f1(
    right: int, predicted: int, found: int, true: int
) -> tuple[float | None, float | None, float | None]:
    """Precision (``right`` of ``predicted``), recall (``found`` of ``true``) and their F1;
    each None when undefined."""
    precision = right / predicted if predicted else None
    recall = found / true if true else None
    f1 = (
        2 * precision * recall / (precision + recall)
        if precision is not None and recall is not None and precision + recall
        else None
    )
    return precision, recall, f1


def vocabulary_column(
    con: duckdb.DuckDBPyConnection, path: Path, alias: str, column: str = "vocabulary"
) -> str:
    """The truth's vocabulary column (``vocabulary``, or ``course_vocabulary`` for course
    names), or 'in_sample' for a truth written before that split."""
    (columns,) = con.sql(f"select list(name) from parquet_schema('{path}')").fetchall()[0]
    return f"coalesce({alias}.{column}, 'in_sample')" if column in columns else "'in_sample'"


def count(con: duckdb.DuckDBPyConnection, source: str) -> int:
    """The number of rows of ``source`` (a table, or a ``read_parquet(...)`` call)."""
    (rows,) = con.sql(f"select count(*) from {source}").fetchall()[0]
    return int(rows)


def fmt(value) -> str:
    """A figure of the printout: a ratio to 4 places, a count with thousands separators."""
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return f"{value:,}"


def verdict(value: float | None, target: float | None) -> str:
    """The "ok" column: blank without a target, "yes" when ``value`` reaches it, else "NO"."""
    if target is None:
        return ""
    return "yes" if value is not None and value >= target else "NO"


def target_cell(target: float | None) -> str:
    """The "target" column: the target, or blank."""
    return fmt(target) if target else ""
