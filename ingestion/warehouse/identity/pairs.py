"""The pairs behind the clusters: which records were linked, by what rule, and on what evidence.

Every pair the resolution used or weighed is kept, record to record:

* ``identical`` — a record and the representative of its profile (records identical on every
  compared attribute are scored once, as one profile);
* ``model`` — a pair the trained model scored, with its match probability and weight and the
  comparison level of every comparison (gamma value and label); pairs below the threshold but
  at or above the review floor are kept too, unlinked, for clerical review;
* ``deterministic`` — a pair a deterministic rule linked, with the rules' conditions;
* ``reviewed`` — a pair a reviewer declared the same person (a must-link decision).

``links`` says whether the pair is an edge of the clustering; whether it ended inside one
cluster is for the caller to see (the country guard or a cannot-link decision may cut it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pyarrow as pa

IDENTICAL, MODEL, DETERMINISTIC, REVIEWED = "identical", "model", "deterministic", "reviewed"

LEVEL_TYPE = pa.struct([("comparison", pa.string()), ("gamma", pa.int32()), ("label", pa.string())])

PAIRS_SCHEMA = pa.schema(
    [
        ("record_l", pa.string()),
        ("record_r", pa.string()),
        ("rule", pa.string()),
        ("links", pa.bool_()),
        ("match_probability", pa.float64()),
        ("match_weight", pa.float64()),
        ("deterministic_rule", pa.string()),
        ("comparison_levels", pa.list_(LEVEL_TYPE)),
    ]
)


@dataclass(frozen=True)
class Pair:
    """One pair of records (``record_l`` < ``record_r``) and why it links, or nearly does."""

    record_l: str
    record_r: str
    rule: str
    links: bool
    match_probability: float | None = None
    match_weight: float | None = None
    #: an exact e-mail match: the country guard lets such an edge join two countries
    email_exact: bool = False
    deterministic_rule: str | None = None
    levels: tuple[tuple[str, int, str], ...] = ()

    def edge(self) -> tuple[str, str, float, bool]:
        """The pair as an edge for :func:`.clusters.guarded_clusters` (no score: certain)."""
        p = 1.0 if self.match_probability is None else self.match_probability
        return self.record_l, self.record_r, p, self.email_exact


def ordered(a: str, b: str) -> tuple[str, str]:
    """The pair's two keys, smaller first (one spelling per pair)."""
    return (a, b) if a <= b else (b, a)


def level_labels(linker) -> dict[str, dict[int, str]]:
    """Comparison output name → gamma value → level label, from a trained Splink linker."""
    labels: dict[str, dict[int, str]] = {}
    for comparison in linker._settings_obj.comparisons:
        labels[comparison.output_column_name] = {
            level.comparison_vector_value: level.label_for_charts
            for level in comparison.comparison_levels
        }
    return labels


def model_pairs(
    work: duckdb.DuckDBPyConnection,
    table: str,
    threshold: float,
    labels: dict[str, dict[int, str]],
) -> list[Pair]:
    """The scored pairs of Splink prediction table ``table`` (profile ids), each with its
    comparison levels; those at or above ``threshold`` link."""
    columns = work.sql(f"select * from {table} limit 0").columns
    gammas = [c for c in columns if c.startswith("gamma_")]
    same_email = "coalesce(email_l = email_r, false)" if "email_l" in columns else "false"
    rows = work.sql(
        f"select unique_id_l, unique_id_r, match_probability, match_weight, {same_email}"
        + "".join(f", {g}" for g in gammas)
        + f" from {table} order by unique_id_l, unique_id_r"
    ).fetchall()
    pairs = []
    for left, right, probability, weight, email_exact, *values in rows:
        levels = tuple(
            (g[6:], int(v), labels.get(g[6:], {}).get(int(v), ""))
            for g, v in zip(gammas, values, strict=True)
            if v is not None
        )
        pairs.append(
            Pair(
                *ordered(left, right),
                rule=MODEL,
                links=probability >= threshold,
                match_probability=probability,
                match_weight=weight,
                email_exact=bool(email_exact),
                levels=levels,
            )
        )
    return pairs


def deterministic_pairs(
    work: duckdb.DuckDBPyConnection,
    edges: list[tuple[str, str, float, bool]],
    rules: Iterable[str],
) -> list[Pair]:
    """The deterministic edges (profile ids of table ``features``), each with the conditions
    of the rules that hold for it (SQL text over ``l`` and ``r``: no value of the records)."""
    held: dict[tuple[str, str], list[str]] = {}
    if edges:
        work.execute("create or replace temp table deterministic_pairs (l varchar, r varchar)")
        work.executemany(
            "insert into deterministic_pairs values (?, ?)", [(e[0], e[1]) for e in edges]
        )
        for rule in rules:
            for left, right in work.sql(
                f"""
                select l.unique_id, r.unique_id from deterministic_pairs p
                join features l on l.unique_id = p.l
                join features r on r.unique_id = p.r
                where {rule}
                """
            ).fetchall():
                held.setdefault((left, right), []).append(rule)
        work.execute("drop table deterministic_pairs")
    return [
        Pair(
            *ordered(left, right),
            rule=DETERMINISTIC,
            links=True,
            match_probability=probability,
            email_exact=email_exact,
            deterministic_rule=" | ".join(held.get((left, right), [])) or None,
        )
        for left, right, probability, email_exact in edges
    ]


def identical_pairs(record_profiles: Iterable[tuple[str, str]]) -> list[Pair]:
    """Each record linked to the representative of its profile (when it is not it)."""
    return [
        Pair(*ordered(record, profile), rule=IDENTICAL, links=True, email_exact=True)
        for record, profile in record_profiles
        if record != profile
    ]


def pairs_table(pairs: Iterable[Pair]) -> pa.Table:
    """The pairs as an Arrow table of :data:`PAIRS_SCHEMA`, sorted by keys."""
    rows = [
        {
            "record_l": p.record_l,
            "record_r": p.record_r,
            "rule": p.rule,
            "links": p.links,
            "match_probability": p.match_probability,
            "match_weight": p.match_weight,
            "deterministic_rule": p.deterministic_rule,
            "comparison_levels": [
                {"comparison": c, "gamma": g, "label": label} for c, g, label in p.levels
            ],
        }
        for p in sorted(pairs, key=lambda p: (p.record_l, p.record_r, p.rule))
    ]
    return pa.Table.from_pylist(rows, schema=PAIRS_SCHEMA)
