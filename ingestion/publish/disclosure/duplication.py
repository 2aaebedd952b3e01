"""The values and relations of the duplication tables (participants shared by bureaux).

Everyone shared by two or more bureaux is shared by some pair: the 'ALL' row of a period and
topic is at least each pair and at most their sum. ``duplication_summary`` repeats the rows of
``duplication_by_period`` over the whole range of the period figures.
"""

from __future__ import annotations

from collections import defaultdict

from ingestion.publish.disclosure.system import System, Var

TABLE = "duplication_by_period"
MEASURE = "shared_participants"


def duplication_relations(
    s: System, duplication: list[dict], summary: list[dict], period: list[dict]
) -> None:
    """Every shared-participants figure, the bureau pairs' union, and the summary's identity."""
    pairs: dict[tuple, list[Var]] = defaultdict(list)
    for r in duplication:
        key = (r["period_from"], r["period_to"], r["bureau_a"], r["bureau_b"], r["topic"])
        var = (TABLE, *key, MEASURE)
        s.value(var, r.get(MEASURE), bool(r.get("suppressed")))
        if r["bureau_a"] != "ALL":
            pairs[(r["period_from"], r["period_to"], r["topic"])].append(var)
    for (pf, pt, topic), parts in pairs.items():
        total = (TABLE, pf, pt, "ALL", "ALL", topic, MEASURE)
        s.people_union(total, parts, f"bureau pairs of {pf}-{pt} {topic}")
    # the whole range is that of the period figures: duplication may not reach its ends
    if duplication and period:
        _summary(
            s, summary, min(r["period_from"] for r in period), max(r["period_to"] for r in period)
        )


def _summary(s: System, summary: list[dict], first: int, last: int) -> None:
    """duplication_summary = duplication_by_period over ``first``-``last``."""
    for r in summary:
        var = ("duplication_summary", r["bureau_a"], r["bureau_b"], r["topic"], MEASURE)
        s.value(var, r.get(MEASURE), bool(r.get("suppressed")))
        same = (TABLE, first, last, r["bureau_a"], r["bureau_b"], r["topic"], MEASURE)
        s.equal_sum(var, [same], "duplication_summary = duplication_by_period, all years")
