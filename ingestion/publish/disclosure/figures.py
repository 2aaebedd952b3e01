"""The values and relations of the figure tables: period, headline and activity figures.

- margins: a total equals the sum of its breakdown (gender and participant region partition
  people; participations, completions, certificates and activities add up over the categories
  of a dimension, over the bureaux into ``ALL``, over the years of a period and over the
  activity cells of a year); distinct people of a total are at least those of any part and at
  most their sum;
- identities: a headline figure equals the period figure of the same single year;
- shares x totals: ``women_share`` of an overall or headline cell pins the women of its gender
  breakdown to within the rounding of the share.
"""

from __future__ import annotations

from collections import defaultdict

from ingestion.publish.disclosure.layout import (
    ADDITIVE,
    GENDERS,
    KEYS,
    PARTITIONS,
    WOMEN,
    hidden,
)
from ingestion.publish.disclosure.system import System

# the counts of a figure row
FIGURE_MEASURES = ("people_trained", "activities", *ADDITIVE)
# the key of an activity cell within its year and bureau
ACTIVITY_KEY = KEYS["activity_figures"][2:]
# period rows by (period_from, period_to, bureau), then by dimension
Groups = dict[tuple, dict[str, list[dict]]]


def figure_values(
    s: System, period: list[dict], headline: list[dict], activity: list[dict], base: int
) -> None:
    """Every figure of the three tables; an event count column whose every published value is
    a multiple of ``base`` is read as rounded (an interval)."""
    for table, rows in (
        ("period_figures", period),
        ("headline_figures", headline),
        ("activity_figures", activity),
    ):
        for m in ADDITIVE:
            values = [r.get(m) for r in rows if r.get(m) is not None]
            if values and all(v % base == 0 for v in values):
                s.rounded[(table, m)] = base
    for r in period:
        key = ("period_figures", *(r[k] for k in KEYS["period_figures"]))
        for m in FIGURE_MEASURES:
            s.value((*key, m), r.get(m), hidden(r))
    for r in headline:
        for m in FIGURE_MEASURES:
            s.value(("headline_figures", r["year"], r["bureau"], m), r.get(m), hidden(r))
    for r in activity:
        key = ("activity_figures", r["year"], r["bureau"], *(r[k] for k in ACTIVITY_KEY))
        for m in FIGURE_MEASURES:
            s.value((*key, m), r.get(m), hidden(r))


def period_relations(s: System, period: list[dict], share_rest: tuple[str, ...]) -> None:
    """Per period and bureau: its breakdowns, women_share, bureaux into ALL, years into it."""
    groups: Groups = defaultdict(lambda: defaultdict(list))
    for r in period:
        groups[(r["period_from"], r["period_to"], r["bureau"])][r["dimension"]].append(r)
    bureaux = {r["bureau"] for r in period} - {"ALL"}
    for (pf, pt, bureau), dims in groups.items():
        _breakdowns(s, pf, pt, bureau, dims)
        _women_share(s, pf, pt, bureau, dims, share_rest)
        if bureau == "ALL":
            _bureaux(s, groups, bureaux, pf, pt, dims)
        if pf < pt:
            _years(s, groups, pf, pt, bureau, dims)


def _cell(s: System, groups: Groups, pf: int, pt: int, bureau: str, dim: str, cat: str) -> tuple:
    """A period cell; a row the file leaves out is 0, unless its whole breakdown is left out
    (the breakdown of a suppressed group): then it is hidden, an unknown to recover."""
    key = ("period_figures", pf, pt, bureau, dim, cat)
    group = groups.get((pf, pt, bureau))
    for m in FIGURE_MEASURES:
        if (*key, m) not in s.bounds:
            unknown = bool(group) and "overall" in group and dim not in group
            s.value((*key, m), None if unknown else 0, suppressed=unknown)
            s.synthetic.add((*key, m))
    return key


def _breakdowns(s: System, pf: int, pt: int, bureau: str, dims: dict[str, list[dict]]) -> None:
    """Each dimension's categories add up to the overall row (people: a partition or a union)."""
    total = ("period_figures", pf, pt, bureau, "overall", "ALL")
    for dim, rows in dims.items():
        if dim == "overall":
            continue
        cats = [("period_figures", pf, pt, bureau, dim, r["category"]) for r in rows]
        why = f"{dim} margin of period {pf}-{pt} {bureau}"
        for m in ADDITIVE:
            s.equal_sum((*total, m), [(*c, m) for c in cats], why)
        if dim in PARTITIONS:
            # each person has one gender and one country: these rows partition people
            s.equal_sum((*total, "people_trained"), [(*c, "people_trained") for c in cats], why)
        else:
            s.equal_sum((*total, "activities"), [(*c, "activities") for c in cats], why)
            s.people_union((*total, "people_trained"), [(*c, "people_trained") for c in cats], why)


def _women_share(
    s: System,
    pf: int,
    pt: int,
    bureau: str,
    dims: dict[str, list[dict]],
    share_rest: tuple[str, ...],
) -> None:
    """women_share of the overall row x the gender rows."""
    overall = dims.get("overall", [])
    if not (overall and overall[0].get("women_share") is not None and dims.get("gender")):
        return
    g = {
        r["category"]: ("period_figures", pf, pt, bureau, "gender", r["category"])
        for r in dims["gender"]
    }
    if WOMEN in g:
        s.share(
            (*g[WOMEN], "people_trained"),
            [(*g[c], "people_trained") for c in share_rest if c in g],
            overall[0].get("women_share"),
            f"women_share x gender rows of period {pf}-{pt} {bureau}",
        )


def _bureaux(
    s: System, groups: Groups, bureaux: set[str], pf: int, pt: int, dims: dict[str, list[dict]]
) -> None:
    """The bureaux add up to ALL (people: a union)."""
    key = ("period_figures", pf, pt)
    for dim, rows in dims.items():
        for r in rows:
            tail = (dim, r["category"])
            parts = [_cell(s, groups, pf, pt, b, *tail) for b in bureaux]
            why = f"bureaux of period {pf}-{pt} {dim}={r['category']}"
            for m in (*ADDITIVE, "activities"):
                s.equal_sum((*key, "ALL", *tail, m), [(*p, m) for p in parts], why)
            s.people_union(
                (*key, "ALL", *tail, "people_trained"),
                [(*p, "people_trained") for p in parts],
                why,
            )


def _years(
    s: System, groups: Groups, pf: int, pt: int, bureau: str, dims: dict[str, list[dict]]
) -> None:
    """The years of a period add up to the period (people: a union)."""
    for dim, rows in dims.items():
        for r in rows:
            tail = (bureau, dim, r["category"])
            parts = [_cell(s, groups, y, y, *tail) for y in range(pf, pt + 1)]
            why = f"years of period {pf}-{pt} {bureau} {dim}={r['category']}"
            for m in (*ADDITIVE, "activities"):
                s.equal_sum(("period_figures", pf, pt, *tail, m), [(*p, m) for p in parts], why)
            s.people_union(
                ("period_figures", pf, pt, *tail, "people_trained"),
                [(*p, "people_trained") for p in parts],
                why,
            )


def headline_relations(s: System, headline: list[dict], share_rest: tuple[str, ...]) -> None:
    """A headline equals its single-year period row; its women_share x that year's genders."""
    for r in headline:
        y, b = r["year"], r["bureau"]
        same = ("period_figures", y, y, b, "overall", "ALL")
        for m in FIGURE_MEASURES:
            s.equal_sum(("headline_figures", y, b, m), [(*same, m)], f"headline {y} {b} = period")
        g = {c: ("period_figures", y, y, b, "gender", c) for c in GENDERS}
        if r.get("women_share") is not None and s.known((*g[WOMEN], "people_trained")):
            s.share(
                (*g[WOMEN], "people_trained"),
                [
                    (*g[c], "people_trained")
                    for c in share_rest
                    if s.known((*g[c], "people_trained"))
                ],
                r.get("women_share"),
                f"headline women_share {y} {b} x gender rows",
            )


def activity_relations(s: System, activity: list[dict]) -> None:
    """The activity cells of a year and bureau add up to its headline (people: a union)."""
    cells: dict[tuple, list[tuple]] = defaultdict(list)
    for r in activity:
        cells[(r["year"], r["bureau"])].append(
            ("activity_figures", r["year"], r["bureau"], *(r[k] for k in ACTIVITY_KEY))
        )
    for (y, b), parts in cells.items():
        why = f"activity cells of {y} {b}"
        for m in (*ADDITIVE, "activities"):
            s.equal_sum(("headline_figures", y, b, m), [(*p, m) for p in parts], why)
        s.people_union(
            ("headline_figures", y, b, "people_trained"),
            [(*p, "people_trained") for p in parts],
            why,
        )
