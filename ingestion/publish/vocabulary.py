"""One vocabulary across the published warehouse: codes from their lists, labels beside them.

``reference.code_labels`` holds every code list with its English labels (dbt model
``marts/reference/code_labels``). A published column *named after* a list holds codes of that
list: the list's name itself (``topic``), with any prefix (``participant_region``,
``default_delivery_mode``) and/or a pair side (``bureau_a``); a list column named in
``LIST_COLUMNS`` holds lists of them (``languages``). Its label column is ``<column>_label``
(list columns: ``<list>_labels``) and must give the list's label for each code. A breakdown
table (a ``dimension`` column beside a ``category`` one, as ``council.period_figures``) holds in
``category`` codes of the list its row's dimension names, by the same rule (``gender``,
``participant_region`` -> ``region``), labelled in ``category_label``.

    python -m ingestion.publish.vocabulary [SCHEMA ...]   # what does not match; exit 1 if any

The check reads the warehouse only (names and values), so it finds a code spelled as a label
(``Cybersecurity`` for ``cybersecurity``) or a second code set (``women`` for ``F``) in any
table, whatever model wrote it.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

# Lists of codes, by column name: the code list their elements belong to.
LIST_COLUMNS = {
    "languages": "language",
    "bureaux": "bureau",
    "platforms": "platform",
    "org_units": "org_unit",
}
# Names that hold another list's codes: overlap.bureau_topic_matrix's unit_a / unit_b are
# bureaux or organizational units, and every bureau is also an org_unit code.
ALIASES = {"unit": "org_unit"}
# Where every code column must have its label column beside it (the marts managers and the
# Council read).
LABELLED_SCHEMAS = ("core", "overlap", "council")
DEFAULT_SCHEMAS = ("core", "overlap", "ops", "reference", "council")


@dataclass(frozen=True)
class CodeColumn:
    schema: str
    table: str
    column: str
    vocabulary: str
    is_list: bool

    @property
    def label_column(self) -> str:
        return f"{self.vocabulary}_labels" if self.is_list else f"{self.column}_label"

    @property
    def where(self) -> str:
        return f"{self.schema}.{self.table}.{self.column}"


def _vocabulary_of(column: str, vocabularies: set[str]) -> tuple[str, bool] | None:
    """The code list a column is named after, and whether it holds a list of codes."""
    if column in LIST_COLUMNS:
        return LIST_COLUMNS[column], True
    names = sorted(vocabularies | set(ALIASES), key=len, reverse=True)
    match = re.fullmatch(rf"(?:\w+_)?({'|'.join(map(re.escape, names))})(?:_[ab])?", column)
    if match is None:
        return None
    return ALIASES.get(match.group(1), match.group(1)), False


def code_columns(con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...]) -> list[CodeColumn]:
    """Every text column of the given schemas' tables that is named after a code list."""
    listed = con.execute("select distinct vocabulary from reference.code_labels").fetchall()
    vocabularies = {row[0] for row in listed}
    # codes are text (a boolean such as platform_fields.recorded_by_platform is no code)
    rows = con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where schema_name in (select unnest(?)) and database_name = current_database() "
        "and data_type in ('VARCHAR', 'VARCHAR[]') order by all",
        [list(schemas)],
    ).fetchall()
    found = []
    for schema, table, column in rows:
        if column.endswith(("_label", "_labels")) or (schema, table) == (
            "reference",
            "code_labels",
        ):
            continue
        kind = _vocabulary_of(column, vocabularies)
        if kind is not None:
            found.append(CodeColumn(schema, table, column, *kind))
    return found


def _ident(*parts: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def vocabulary_problems(
    con: duckdb.DuckDBPyConnection, schemas: tuple[str, ...] = DEFAULT_SCHEMAS
) -> list[str]:
    """What breaks the one vocabulary in these schemas, one line each (empty: nothing).

    A code not in its list; in core, overlap and council, a code column without its label
    column; a label that is not the list's label for the code; the same for the categories of a
    breakdown table (:func:`_category_problems`).
    """
    columns_of: dict[tuple[str, str], set[str]] = {}
    for schema, table, column in con.execute(
        "select schema_name, table_name, column_name from duckdb_columns() "
        "where database_name = current_database()"
    ).fetchall():
        columns_of.setdefault((schema, table), set()).add(column)
    problems = []
    for col in code_columns(con, schemas):
        table, code = _ident(col.schema, col.table), _ident(col.column)
        codes = (
            f"(select unnest({code}) as code from {table})"
            if col.is_list
            else (f"(select {code} as code from {table})")
        )
        unknown = con.execute(
            f"select count(*), list(distinct code order by code)[1:5] from {codes} "
            "where code is not null and code not in "
            "(select code from reference.code_labels where vocabulary = ?)",
            [col.vocabulary],
        ).fetchone()
        if unknown[0]:
            problems.append(
                f"{col.where}: {unknown[0]} value(s) not in the {col.vocabulary} list, "
                f"e.g. {', '.join(repr(v) for v in unknown[1])}"
            )
        if col.label_column not in columns_of.get((col.schema, col.table), set()):
            if col.schema in LABELLED_SCHEMAS:
                problems.append(f"{col.where}: no label column {col.label_column}")
            continue
        label = _ident(col.label_column)
        expected = (
            "list_transform({code}, lambda c: map_extract_value(labels, c))"
            if col.is_list
            else "map_extract_value(labels, {code})"
        ).format(code=code)
        wrong = con.execute(
            f"select count(*), any_value({code}) from {table}, "
            "(select map(list(code), list(label_en)) as labels from reference.code_labels "
            " where vocabulary = ?) "
            f"where {label} is distinct from {expected}",
            [col.vocabulary],
        ).fetchone()
        if wrong[0]:
            problems.append(
                f"{col.schema}.{col.table}.{col.label_column}: {wrong[0]} row(s) whose label is "
                f"not the {col.vocabulary} list's, e.g. for {wrong[1]!r}"
            )
    for (schema, table), columns in sorted(columns_of.items()):
        if schema in schemas and {"dimension", "category"} <= columns:
            problems += _category_problems(con, schema, table, "category_label" in columns)
    return problems


def _category_problems(
    con: duckdb.DuckDBPyConnection, schema: str, table: str, labelled: bool
) -> list[str]:
    """A breakdown table's categories: each row's category a code of the list its dimension
    names, ``category_label`` that code's label (in a labelled schema, the column must exist)."""
    where = f"{schema}.{table}.category"
    relation = _ident(schema, table)
    listed = con.execute("select distinct vocabulary from reference.code_labels").fetchall()
    vocabularies = {row[0] for row in listed}
    problems = []
    if not labelled and schema in LABELLED_SCHEMAS:
        problems.append(f"{where}: no label column category_label")
    dimensions = con.execute(f"select distinct dimension from {relation} order by 1").fetchall()
    for (dimension,) in dimensions:
        kind = _vocabulary_of(dimension, vocabularies) if dimension else None
        if kind is None or kind[1]:
            problems.append(f"{where}: dimension {dimension!r} names no code list")
            continue
        vocabulary = kind[0]
        unknown = con.execute(
            f"select count(*), list(distinct category order by category)[1:5] from {relation} "
            "where dimension = ? and category is not null and category not in "
            "(select code from reference.code_labels where vocabulary = ?)",
            [dimension, vocabulary],
        ).fetchone()
        if unknown[0]:
            problems.append(
                f"{where} ({dimension}): {unknown[0]} value(s) not in the {vocabulary} list, "
                f"e.g. {', '.join(repr(v) for v in unknown[1])}"
            )
        if not labelled:
            continue
        wrong = con.execute(
            f"select count(*), any_value(category) from {relation}, "
            "(select map(list(code), list(label_en)) as labels from reference.code_labels "
            " where vocabulary = ?) "
            "where dimension = ? and category_label is distinct from "
            "map_extract_value(labels, category)",
            [vocabulary, dimension],
        ).fetchone()
        if wrong[0]:
            problems.append(
                f"{schema}.{table}.category_label ({dimension}): {wrong[0]} row(s) whose label "
                f"is not the {vocabulary} list's, e.g. for {wrong[1]!r}"
            )
    return problems


def main(argv: list[str] | None = None) -> int:
    from ingestion import config

    schemas = tuple(argv if argv is not None else sys.argv[1:]) or DEFAULT_SCHEMAS
    path: Path = config.published_warehouse()
    with duckdb.connect(str(path), read_only=True) as con:
        problems = vocabulary_problems(con, schemas)
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s) in {', '.join(schemas)} of {path}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
