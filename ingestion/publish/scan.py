"""The value scan that runs before anything leaves the build: no personal value is published.

The private tier lists every personal value the warehouse knows (``private.personal_values`` in
the build file: full names, e-mail addresses, usernames, platform record keys). Before the
warehouse, the Council marts or a report is published, every text column (or the text of the
report) is compared with those values, and with the shape of an e-mail address; a hit refuses
the publish and names the table and column. The scan fails closed: without the private tier to
compare with, nothing is published.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pyarrow as pa

EMAIL_REGEX = r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
PERSONAL_VALUES = "private.personal_values"
_WORD = re.compile(r"[\w.@'+-]+", re.UNICODE)
_SIGNIFICANT = re.compile(r"[.@_+\d-]")


class PersonalDataFound(RuntimeError):
    """A file about to be published holds personal data; nothing was published."""


def personal_values(build: Path) -> pa.Table:
    """The private tier's personal values (``kind``, ``personal_value``) from the build file."""
    if not build.exists():
        raise PersonalDataFound(f"cannot scan: no build file at {build} to compare with")
    with duckdb.connect(str(build), read_only=True) as con:
        try:
            return con.sql(f"select kind, personal_value from {PERSONAL_VALUES}").to_arrow_table()
        except duckdb.CatalogException as exc:
            raise PersonalDataFound(
                f"cannot scan: the build file has no {PERSONAL_VALUES} ({exc})"
            ) from exc


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def scan_database(db: Path, values: pa.Table) -> list[str]:
    """Every text column of every table in ``db`` holding a personal value or an e-mail
    address, as ``schema.table.column: what`` (empty: clean)."""
    problems: list[str] = []
    with duckdb.connect(str(db), read_only=True) as con:
        con.register("personal_values", values)
        columns = con.execute(
            """
            select table_schema, table_name, column_name, data_type
            from information_schema.columns
            where table_catalog = current_database()
              and table_schema not in ('information_schema', 'pg_catalog')
              and (data_type in ('VARCHAR', 'JSON') or data_type like '%VARCHAR[]%')
            order by 1, 2, 3
            """
        ).fetchall()
        for schema, table, column, data_type in columns:
            relation = f"{_quote(schema)}.{_quote(table)}"
            # a list of texts is scanned element by element
            value = f"unnest({_quote(column)})" if data_type.endswith("[]") else _quote(column)
            # compared as the private tier stores values: lower case, single spaces
            normalized = "regexp_replace(lower(trim(cast(t as varchar))), '\\s+', ' ', 'g')"
            texts = (
                f"(select distinct {normalized} as text from (select {value} as t from {relation}))"
            )
            # one pass over the column's distinct texts: personal values and e-mail shapes
            kinds, found, emails = con.execute(
                f"select list(distinct kind order by kind) filter (kind is not null), "
                f"count(distinct personal_value), count(*) filter (regexp_matches(text, ?)) "
                f"from {texts} as texts "
                "left join personal_values on texts.text = personal_values.personal_value",
                [EMAIL_REGEX],
            ).fetchone()
            where = f"{schema}.{table}.{column}"
            if found:
                problems.append(f"{where}: {found} personal value(s) ({', '.join(kinds)})")
            elif emails:
                problems.append(f"{where}: {emails} value(s) look like e-mail addresses")
    return problems


def scan_text(text: str, values: pa.Table, where: str) -> list[str]:
    """Personal values or e-mail addresses in a document's text: runs of one to four words are
    compared with the values, so a name is found wherever it stands. A single plain word is not
    (a username such as ``africa`` would match the prose); a dotted or numbered one is."""
    wanted = set(values.column("personal_value").to_pylist())
    words = [w.lower().strip(".'-") for w in _WORD.findall(text)]
    found: set[str] = set()
    for size in range(1, 5):
        for start in range(len(words) - size + 1):
            candidate = " ".join(words[start : start + size])
            if size == 1 and not _SIGNIFICANT.search(candidate):
                continue
            if candidate in wanted:
                found.add(candidate)
    problems = []
    if found:
        problems.append(f"{where}: {len(found)} personal value(s)")
    emails = re.findall(EMAIL_REGEX, text)
    if emails and not found:
        problems.append(f"{where}: {len(emails)} value(s) look like e-mail addresses")
    return problems


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.parts.extend(value for _, value in attrs if value)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def markup_text(html: str) -> str:
    """An HTML document's text for :func:`scan_text`: the text between its tags and every
    attribute value (a value in a ``title`` or ``alt`` is published too), without the tag names,
    which would otherwise read as words (``</li><li>`` as the name "Li Li")."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def refuse_on_hits(problems: list[str], what: str) -> None:
    """Raise :class:`PersonalDataFound` listing every hit (nothing is published)."""
    if problems:
        raise PersonalDataFound(
            f"{what} not published: personal data found\n" + "\n".join(problems)
        )
