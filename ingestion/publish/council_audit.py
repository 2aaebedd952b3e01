"""Disclosure audit of the published Council figures: can a suppressed cell be recomputed?

The auditor reads the published ``council.duckdb`` alone, as anyone holding it could, and
writes down every linear relation that holds between its figures:

- margins: a total equals the sum of its breakdown (gender partitions people; participations,
  completions, certificates and activities add up over the categories of a dimension, over the
  bureaux into ``ALL``, over the years of a period and over the activity cells of a year);
- identities: a headline figure equals the period figure of the same single year;
- shares x totals: ``women_share`` of an overall or headline cell pins the women of its gender
  breakdown to within the rounding of the share (``share +/- 0.00005`` times its denominator);
  both definitions of the share are tried (of women and men; of every recorded gender, as
  published before issue 16), and each the file does not contradict counts;
- bounds: distinct people of a total are at least those of any part and at most their sum;
  every count is non-negative.

Each published number is a fixed value (an interval of +/- 2 in a count column published
rounded to 5: the event counts, and the people of ``people_by_group``); each hidden one (a null
in a suppressed or partially suppressed row, or a row a suppressed group does not get) is an
unknown integer >= 0. Interval constraint propagation (bounds tightening until nothing changes)
then narrows every unknown. A hidden cell is *disclosed* (:func:`disclosing`) when its interval
is finite, not [0, 0], holds fewer values than the rule itself leaves a small cell
(1..threshold-1) and may be such a cell: an exact value, or "between 0 and 2".

Propagation is sound (every interval it reports holds) but not complete: a leak that needs
reasoning over several relations at once beyond bounds may escape it; see docs/council.md.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.publish.threshold import min_cell_size

INF = math.inf
# Share and rate columns are rounded to 4 decimals by the marts.
SHARE_HALF_STEP = 0.00005
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

Var = tuple  # (table, *key, measure)


@dataclass
class Constraint:
    """lo <= sum(coeff * var) <= hi."""

    terms: dict[Var, float]
    lo: float
    hi: float
    why: str
    # a share x its cells: null (and so no relation) once one of its cells is hidden
    share: bool = False


@dataclass
class Disclosure:
    """A suppressed cell whose value the published figures pin down."""

    cell: Var
    lo: int
    hi: int
    why: list[str] = field(default_factory=list)
    relations: list[Constraint] = field(default_factory=list, repr=False, compare=False)

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.cell)
        value = str(self.lo) if self.lo == self.hi else f"between {self.lo} and {self.hi}"
        return f"{where} = {value} (by {'; '.join(self.why[:3])})"


class System:
    """Published values, unknowns and the linear relations between them."""

    def __init__(self) -> None:
        self.bounds: dict[Var, list[float]] = {}
        self.suppressed: set[Var] = set()
        # cells the file leaves out (a missing category, the breakdown of a hidden group)
        self.synthetic: set[Var] = set()
        # (table, column) -> rounding base of a column published rounded
        self.rounded: dict[tuple[str, str], int] = {}
        # (table, column) -> the least a published non-zero count can be (a rounded people
        # count: the cells under the threshold are null, not rounded)
        self.floor: dict[tuple[str, str], int] = {}
        self.constraints: list[Constraint] = []

    def value(self, var: Var, value: float | None, suppressed: bool) -> None:
        """Record a published value (fixed) or a suppressed one (unknown integer >= 0)."""
        base = self.rounded.get((var[0], var[-1]))
        if value is None:
            self.bounds[var] = [0.0, INF]
            if suppressed:
                self.suppressed.add(var)
        elif base and value:
            # rounded to the nearest multiple of base: the true count is within base // 2
            floor = float(self.floor.get((var[0], var[-1]), 0))
            self.bounds[var] = [max(floor, float(value) - base // 2), float(value) + base // 2]
        else:
            self.bounds[var] = [float(value), float(value)]

    def constraints_of(self, var: Var) -> list[Constraint]:
        """The relations ``var`` takes part in (indexed once, on first use)."""
        if getattr(self, "_index_size", -1) != len(self.constraints):
            self._index: dict[Var, list[Constraint]] = defaultdict(list)
            for c in self.constraints:
                for v in c.terms:
                    self._index[v].append(c)
            self._index_size = len(self.constraints)
        return self._index.get(var, [])

    def known(self, var: Var) -> bool:
        return var in self.bounds

    def _sum_minus_total(self, total: Var, parts: Iterable[Var]) -> tuple[list[Var], dict]:
        """The published parts and the terms of ``sum(parts) - total`` (none: no relation)."""
        parts = [p for p in parts if p in self.bounds]
        if total not in self.bounds or not parts:
            return [], {}
        terms: dict[Var, float] = defaultdict(float)
        terms[total] -= 1
        for part in parts:
            terms[part] += 1
        return parts, dict(terms)

    def equal_sum(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """total = sum(parts); parts missing from the tables are 0 and left out."""
        _, terms = self._sum_minus_total(total, parts)
        if terms:
            self.constraints.append(Constraint(terms, 0.0, 0.0, why))

    def people_union(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """Distinct people of a union: max(parts) <= total <= sum(parts)."""
        parts, terms = self._sum_minus_total(total, parts)
        if not terms:
            return
        self.constraints.append(Constraint(terms, 0.0, INF, why))
        for part in parts:
            self.constraints.append(Constraint({total: 1.0, part: -1.0}, 0.0, INF, why))

    def share(self, numerator: Var, rest: list[Var], share: float, why: str) -> None:
        """numerator / (numerator + sum(rest)) = share, to the rounding of the share."""
        vars_ = [numerator, *rest]
        if any(v not in self.bounds for v in vars_):
            return
        share = float(share)  # a DECIMAL column arrives as Decimal
        # numerator - (share -/+ half step) * (numerator + rest) >= 0 / <= 0
        for s, lo, hi in (
            (share - SHARE_HALF_STEP, 0.0, INF),
            (share + SHARE_HALF_STEP, -INF, 0.0),
        ):
            terms: dict[Var, float] = defaultdict(float)
            for v in vars_:
                terms[v] -= s
            terms[numerator] += 1
            self.constraints.append(Constraint(dict(terms), lo, hi, why, share=True))

    def propagate(
        self, max_rounds: int = 200, start: Iterable[int] | None = None
    ) -> dict[Var, list[int]]:
        """Tighten every interval until a fixed point; returns the constraints used per var.

        ``start``: the constraints to begin from (default: all). Secondary suppression passes
        those of the unknowns it has just reset; the others are at their fixed point already.
        """
        by_var = self.constraint_ids()
        reasons: dict[Var, list[int]] = defaultdict(list)
        queue = list(range(len(self.constraints))) if start is None else list(start)
        queued = set(queue)
        rounds = 0
        while queue and rounds < max_rounds * max(1, len(self.constraints)):
            rounds += 1
            i = queue.pop()
            queued.discard(i)
            c = self.constraints[i]
            for v, changed in self._tighten(c):
                if changed and i not in reasons[v]:
                    reasons[v].append(i)
                for j in by_var[v]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
        return reasons

    def constraint_ids(self) -> dict[Var, list[int]]:
        """The indices of the relations each var takes part in (indexed once per size)."""
        if getattr(self, "_ids_size", -1) != len(self.constraints):
            self._ids: dict[Var, list[int]] = defaultdict(list)
            for i, c in enumerate(self.constraints):
                for v in c.terms:
                    self._ids[v].append(i)
            self._ids_size = len(self.constraints)
        return self._ids

    def _tighten(self, c: Constraint) -> list[tuple[Var, bool]]:
        # The bounds of each term, then of the sum of all terms, in one pass: the rest of the
        # sum without v is the total minus v's own term (infinite bounds counted apart).
        spans = {}
        lo_sum = hi_sum = 0.0
        lo_inf = hi_inf = 0
        for u, b in c.terms.items():
            if b == 0:
                continue
            lo, hi = self.bounds[u]
            low, high = (b * lo, b * hi) if b > 0 else (b * hi, b * lo)
            spans[u] = (low, high)
            if math.isinf(low):
                lo_inf += 1
            else:
                lo_sum += low
            if math.isinf(high):
                hi_inf += 1
            else:
                hi_sum += high
        changed = []
        for v, (low, high) in spans.items():
            a = c.terms[v]
            own_lo_inf, own_hi_inf = math.isinf(low), math.isinf(high)
            rest_lo = -INF if lo_inf - own_lo_inf else lo_sum - (0.0 if own_lo_inf else low)
            rest_hi = INF if hi_inf - own_hi_inf else hi_sum - (0.0 if own_hi_inf else high)
            lo_a, hi_a = c.lo - rest_hi, c.hi - rest_lo  # bounds of a * v
            new_lo, new_hi = (lo_a / a, hi_a / a) if a > 0 else (hi_a / a, lo_a / a)
            # counts are integers: round inwards (with a tolerance for floating point)
            new_lo = math.ceil(new_lo - 1e-7) if math.isfinite(new_lo) else new_lo
            new_hi = math.floor(new_hi + 1e-7) if math.isfinite(new_hi) else new_hi
            bounds = self.bounds[v]
            moved = False
            if new_lo > bounds[0]:
                bounds[0] = new_lo
                moved = True
            if new_hi < bounds[1]:
                bounds[1] = new_hi
                moved = True
            if bounds[0] > bounds[1]:
                raise ValueError(f"the published figures contradict each other: {c.why}")
            if moved:
                changed.append((v, True))
        return changed


def _rows(con: duckdb.DuckDBPyConnection, table: str) -> list[dict]:
    exists = con.execute(
        "select count(*) from information_schema.tables where table_name = ?", [table]
    ).fetchone()[0]
    if not exists:
        return []
    result = con.execute(f"select * from main.{table}")
    names = [d[0] for d in result.description]
    return [dict(zip(names, row, strict=True)) for row in result.fetchall()]


def _current_codes(rows: list[dict]) -> list[dict]:
    """Rows of a Council table in today's codes (an older file's spellings translated)."""
    if rows and "gender_code" in rows[0]:
        rows = [{**r, **{new: r[old] for old, new in LEGACY_CROSS_COLUMNS.items()}} for r in rows]
    for column in ("category", "participant_region", "activity_region", "gender", "country_group"):
        if rows and column in rows[0]:
            for r in rows:
                r[column] = LEGACY_CODES.get(r[column], r[column])
    return rows


def _hidden(row: dict) -> bool:
    """A null of this row is a hidden figure (not a figure the platforms do not record)."""
    return bool(row.get("suppressed")) or bool(row.get("partially_suppressed"))


def build_system(
    db_path: Path,
    rounding_base: int | None = None,
    share_rest: tuple[str, ...] = ("M",),
) -> System:
    """Every value and relation the published Council file states.

    A count column whose every published value is a multiple of ``rounding_base`` (default: the
    threshold, the base the marts round event counts to) is read as rounded, i.e. as an
    interval; any other is read as exact. ``share_rest``: the gender rows that, with the women,
    make the denominator of ``women_share`` (today F + M; before issue 16, + X).
    """
    base = min_cell_size() if rounding_base is None else rounding_base
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        period = _current_codes(_rows(con, "period_figures"))
        headline = _rows(con, "headline_figures")
        activity = _rows(con, "activity_figures")
        duplication = _rows(con, "duplication_by_period")
        summary = _rows(con, "duplication_summary")
        crossed = _current_codes(_rows(con, CROSS_TABLE))
        rules = _rows(con, "disclosure_control")
    finally:
        con.close()
    s = System()
    _crossed_rounding(s, crossed, rules, base)
    measures = ("people_trained", "activities", *ADDITIVE)
    for table, rows in (
        ("period_figures", period),
        ("headline_figures", headline),
        ("activity_figures", activity),
    ):
        for m in ADDITIVE:
            values = [r.get(m) for r in rows if r.get(m) is not None]
            if values and all(v % base == 0 for v in values):
                s.rounded[(table, m)] = base

    def pkey(r: dict) -> tuple:
        return (
            "period_figures",
            r["period_from"],
            r["period_to"],
            r["bureau"],
            r["dimension"],
            r["category"],
        )

    for r in period:
        for m in measures:
            s.value((*pkey(r), m), r.get(m), _hidden(r))
    for r in headline:
        for m in measures:
            s.value(
                ("headline_figures", r["year"], r["bureau"], m),
                r.get(m),
                _hidden(r),
            )
    activity_key = ("region", "topic", "activity_type", "delivery_mode")
    for r in activity:
        for m in measures:
            s.value(
                ("activity_figures", r["year"], r["bureau"], *(r[k] for k in activity_key), m),
                r.get(m),
                _hidden(r),
            )

    groups: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in period:
        groups[(r["period_from"], r["period_to"], r["bureau"])][r["dimension"]].append(r)
    bureaux = {r["bureau"] for r in period} - {"ALL"}

    def cells(pf: int, pt: int, bureau: str, dim: str, cat: str) -> tuple:
        """A period cell; a row the file leaves out is 0, unless its whole breakdown is left out
        (the breakdown of a suppressed group): then it is hidden, an unknown to recover."""
        key = ("period_figures", pf, pt, bureau, dim, cat)
        group = groups.get((pf, pt, bureau))
        for m in measures:
            if (*key, m) not in s.bounds:
                hidden = bool(group) and "overall" in group and dim not in group
                s.value((*key, m), None if hidden else 0, suppressed=hidden)
                s.synthetic.add((*key, m))
        return key

    for (pf, pt, bureau), dims in groups.items():
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
                s.people_union(
                    (*total, "people_trained"), [(*c, "people_trained") for c in cats], why
                )
        # women_share of the overall row x the gender rows
        overall = dims.get("overall", [])
        if overall and overall[0].get("women_share") is not None and dims.get("gender"):
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
        # the bureaux add up to ALL (people: a union)
        if bureau == "ALL":
            for dim, rows in dims.items():
                for r in rows:
                    key = ("period_figures", pf, pt)
                    tail = (dim, r["category"])
                    parts = [cells(pf, pt, b, *tail) for b in bureaux]
                    why = f"bureaux of period {pf}-{pt} {dim}={r['category']}"
                    for m in (*ADDITIVE, "activities"):
                        s.equal_sum((*key, "ALL", *tail, m), [(*p, m) for p in parts], why)
                    s.people_union(
                        (*key, "ALL", *tail, "people_trained"),
                        [(*p, "people_trained") for p in parts],
                        why,
                    )
        # the years of a period add up to the period (people: a union)
        if pf < pt:
            for dim, rows in dims.items():
                for r in rows:
                    tail = (bureau, dim, r["category"])
                    parts = [cells(y, y, *tail) for y in range(pf, pt + 1)]
                    why = f"years of period {pf}-{pt} {bureau} {dim}={r['category']}"
                    for m in (*ADDITIVE, "activities"):
                        s.equal_sum(
                            ("period_figures", pf, pt, *tail, m), [(*p, m) for p in parts], why
                        )
                    s.people_union(
                        ("period_figures", pf, pt, *tail, "people_trained"),
                        [(*p, "people_trained") for p in parts],
                        why,
                    )

    for r in headline:
        y, b = r["year"], r["bureau"]
        same = ("period_figures", y, y, b, "overall", "ALL")
        for m in measures:
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

    cells: dict[tuple, list[tuple]] = defaultdict(list)
    for r in activity:
        cells[(r["year"], r["bureau"])].append(
            ("activity_figures", r["year"], r["bureau"], *(r[k] for k in activity_key))
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

    _crossed_relations(s, crossed, period, headline, share_rest)

    # shared participants: everyone shared by two or more bureaux is shared by some pair
    pairs: dict[tuple, list[Var]] = defaultdict(list)
    for r in duplication:
        var = (
            "duplication_by_period",
            r["period_from"],
            r["period_to"],
            r["bureau_a"],
            r["bureau_b"],
            r["topic"],
            "shared_participants",
        )
        s.value(var, r.get("shared_participants"), bool(r.get("suppressed")))
        if r["bureau_a"] != "ALL":
            pairs[(r["period_from"], r["period_to"], r["topic"])].append(var)
    for (pf, pt, topic), parts in pairs.items():
        total = ("duplication_by_period", pf, pt, "ALL", "ALL", topic, "shared_participants")
        s.people_union(total, parts, f"bureau pairs of {pf}-{pt} {topic}")
    # duplication_summary repeats the rows of duplication_by_period over the whole range
    # (the whole range is that of the period figures: duplication may not reach its ends)
    if duplication and period:
        first = min(r["period_from"] for r in period)
        last = max(r["period_to"] for r in period)
        for r in summary:
            var = (
                "duplication_summary",
                r["bureau_a"],
                r["bureau_b"],
                r["topic"],
                "shared_participants",
            )
            s.value(var, r.get("shared_participants"), bool(r.get("suppressed")))
            same = (
                "duplication_by_period",
                first,
                last,
                r["bureau_a"],
                r["bureau_b"],
                r["topic"],
                "shared_participants",
            )
            s.equal_sum(var, [same], "duplication_summary = duplication_by_period, all years")
    return s


def _crossed_rounding(s: System, crossed: list[dict], rules: list[dict], base: int) -> None:
    """How the people of ``people_by_group`` are read: rounded to the base the file states
    (``crossed_people_rounding_base``), or, in a file that does not state it, to ``base`` when
    every published value is a multiple of it; else exact. A published rounded count is at
    least the threshold: the cells under it are null, not rounded."""
    stated = rules[0].get("crossed_people_rounding_base") if rules else None
    if stated is None:
        values = [r["people_trained"] for r in crossed if r.get("people_trained") is not None]
        stated = base if values and all(v % base == 0 for v in values) else None
    if stated:
        s.rounded[(CROSS_TABLE, "people_trained")] = int(stated)
        threshold = rules[0].get("min_cell_size") if rules else None
        s.floor[(CROSS_TABLE, "people_trained")] = int(threshold or min_cell_size())


def _crossed_relations(
    s: System,
    crossed: list[dict],
    period: list[dict],
    headline: list[dict],
    share_rest: tuple[str, ...],
) -> None:
    """The relations of ``people_by_group`` (people only; 'ALL' is a margin in every key column).

    Within the table: participant region, gender and development status partition people (a
    total is the sum of its parts); activity regions and bureaux are unions (a total is at least
    each part and at most their sum); a subgroup (LDC, LLDC, SIDS) is at most its 'ALL' row.
    Across tables: the margins equal the people of headline_figures and of the single-year
    period_figures rows (overall, region, participant region, gender), and the shares of those
    rows pin their crossed cells: women_share (F / (F + M)) of region and participant
    region rows, developing_share (developing / (developing + developed)) of every row.
    """
    if not crossed:
        return
    n = len(CROSS_KEYS)

    def var(key: tuple) -> Var:
        return (CROSS_TABLE, *key, "people_trained")

    keys = []
    for r in crossed:
        key = tuple(r[k] for k in CROSS_KEYS)
        keys.append(key)
        s.value(var(key), r.get("people_trained"), bool(r.get("suppressed")))

    # each row is a part of the row with one of its key columns set to 'ALL'
    lines: dict[tuple, list[tuple]] = defaultdict(list)
    for key in keys:
        for i in range(1, n):
            if key[i] != "ALL":
                lines[(i, key[:i] + ("ALL",) + key[i + 1 :])].append(key)
    position = {k: i for i, k in enumerate(CROSS_KEYS)}
    for (i, total), parts in lines.items():
        column = CROSS_KEYS[i]
        why = f"{column} margin of {CROSS_TABLE} {'/'.join(map(str, total))}"
        if column in ("participant_region", "gender"):
            s.equal_sum(var(total), [var(p) for p in parts], why)
        elif column == "country_group":
            statuses = [p for p in parts if p[i] in STATUSES]
            s.equal_sum(var(total), [var(p) for p in statuses], why)
            for p in parts:
                if p[i] not in STATUSES and var(total) in s.bounds:
                    s.constraints.append(Constraint({var(total): 1.0, var(p): -1.0}, 0.0, INF, why))
        else:  # bureau, activity region: a person can be in several
            s.people_union(var(total), [var(p) for p in parts], why)

    # the margins are the people of the other tables (period categories and crossed cells
    # share the same codes)
    column_of = {
        "gender": "gender",
        "participant_region": "participant_region",
        "region": "activity_region",
    }

    def margin(y: int, b: str, dim: str, category: str) -> tuple | None:
        """The crossed key (country group 'ALL') of a period row's dimension and category."""
        key = [y, b, "ALL", "ALL", "ALL", "ALL"]
        if dim == "overall":
            return tuple(key)
        if dim not in column_of:
            return None
        key[position[column_of[dim]]] = category
        return tuple(key)

    def with_group(key: tuple, column: str, value: str) -> tuple:
        key = list(key)
        key[position[column]] = value
        return tuple(key)

    for r in headline:
        key = margin(r["year"], r["bureau"], "overall", "ALL")
        why = f"{CROSS_TABLE} total = headline {r['year']} {r['bureau']}"
        s.equal_sum(("headline_figures", r["year"], r["bureau"], "people_trained"), [var(key)], why)
        if r.get("developing_share") is not None:
            s.share(
                var(with_group(key, "country_group", "developing")),
                [var(with_group(key, "country_group", "developed"))],
                r["developing_share"],
                f"headline developing_share {r['year']} {r['bureau']} x {CROSS_TABLE}",
            )
    for r in period:
        if r["period_from"] != r["period_to"]:
            continue
        key = margin(r["period_from"], r["bureau"], r["dimension"], r["category"])
        if key is None:
            continue
        pvar = ("period_figures", r["period_from"], r["period_to"], r["bureau"])
        pvar = (*pvar, r["dimension"], r["category"], "people_trained")
        why = f"{CROSS_TABLE} margin = period {'/'.join(map(str, pvar[1:-1]))}"
        s.equal_sum(pvar, [var(key)], why)
        if r.get("developing_share") is not None:
            s.share(
                var(with_group(key, "country_group", "developing")),
                [var(with_group(key, "country_group", "developed"))],
                r["developing_share"],
                f"developing_share of {why}",
            )
        if r["dimension"] in ("region", "participant_region") and r.get("women_share") is not None:
            s.share(
                var(with_group(key, "gender", WOMEN)),
                [var(with_group(key, "gender", c)) for c in share_rest],
                r["women_share"],
                f"women_share of {why}",
            )


def published_twin(system: System, var: Var) -> Var | None:
    """The exact figure of another table a crossed cell equals (its period row or headline),
    when that figure is published: the crossed cell, hidden or not, is then no secret."""
    if var[0] != CROSS_TABLE:
        return None
    for c in system.constraints_of(var):
        if c.share or c.lo != 0 or c.hi != 0 or len(c.terms) != 2:
            continue
        if sorted(c.terms.values()) != [-1.0, 1.0]:
            continue
        (twin,) = [v for v in c.terms if v != var]
        hidden = twin in system.suppressed or twin in system.synthetic
        if twin[0] != CROSS_TABLE and not hidden:
            return twin
    return None


# crossed cells suppressed because the rest of their 'ALL' row is small (docs/council.md)
SUBGROUPS = ("ldc", "lldc", "sids")


def disclosing(var: Var, lo: float, hi: float, threshold: int) -> bool:
    """Whether the interval ``[lo, hi]`` a hidden cell is pinned to tells something about a
    group of fewer than ``threshold`` people: it holds fewer values than the rule leaves a
    small cell (1..threshold-1), and may be such a cell (``lo`` under the threshold). A hidden
    cell pinned at the threshold or more (a complement: 24 people) is a group large enough to
    publish; what it would give away about a small cell shows in that cell's own interval. An
    LDC, LLDC or SIDS cell is hidden for the group outside it (its 'ALL' row minus the cell),
    so it counts at any size."""
    if not (math.isfinite(hi) and hi >= 1 and hi - lo + 1 < threshold - 1):
        return False
    subgroup = var[0] == CROSS_TABLE and var[-2] in SUBGROUPS
    return lo < threshold or subgroup


def _disclosures(system: System, threshold: int) -> list[Disclosure]:
    reasons = system.propagate()
    found = []
    for var in sorted(system.suppressed, key=str):
        if published_twin(system, var) is not None:
            continue  # its exact value is published in another table: nothing to recover
        lo, hi = system.bounds[var]
        # disclosed: fewer possible values than the rule itself leaves a small cell (1..t-1)
        if disclosing(var, lo, hi, threshold):
            used = reasons.get(var, [])
            found.append(
                Disclosure(
                    var,
                    int(lo),
                    int(hi),
                    [system.constraints[i].why for i in used],
                    [system.constraints[i] for i in used],
                )
            )
    return found


# The readings of women_share the auditor tries on a file that does not state its rules (no
# disclosure_control table, i.e. from before issue 16): of women and men (F, M), and of every
# recorded gender (F, M, X). A reading the file contradicts is not the file's; the others count.
SHARE_READINGS = (("M",), ("M", "X"))


def _stated_rules(db_path: Path) -> tuple[tuple[tuple[str, ...], ...], int | None]:
    """The share readings and rounding base to audit with: those the file states in its
    ``disclosure_control`` table, else (a file from before issue 16) every reading."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        rules = _rows(con, "disclosure_control")
    finally:
        con.close()
    if not rules:
        return SHARE_READINGS, None
    groups = [g.strip() for g in str(rules[0]["women_share_denominator"]).split(",")]
    groups = [LEGACY_CODES.get(g, g) for g in groups]  # 'women, men' before the codes
    rest = tuple(g for g in groups if g != WOMEN)
    return (rest,), int(rules[0]["count_rounding_base"])


def readings(db_path: Path, threshold: int) -> list[tuple[System, list[Disclosure]]]:
    """The system and its disclosures for each reading of the file it does not contradict."""
    result = []
    share_readings, base = _stated_rules(Path(db_path))
    for reading in share_readings:
        system = build_system(Path(db_path), rounding_base=base, share_rest=reading)
        try:
            result.append((system, _disclosures(system, threshold)))
        except ValueError:
            continue
    if not result:
        raise ValueError(f"{db_path}: the published figures contradict each other")
    return result


def audit(db_path: Path, threshold: int | None = None) -> list[Disclosure]:
    """Every suppressed cell of ``db_path`` the published figures pin down (empty = safe)."""
    threshold = min_cell_size() if threshold is None else threshold
    found: dict[Var, Disclosure] = {}
    for _system, disclosures in readings(db_path, threshold):
        for disclosure in disclosures:
            known = found.get(disclosure.cell)
            if known is None or disclosure.hi - disclosure.lo < known.hi - known.lo:
                found[disclosure.cell] = disclosure
    return sorted(found.values(), key=lambda d: str(d.cell))


def main(argv: list[str] | None = None) -> int:
    """``capdev council audit [DB]``: exit 1 and list the cells when a suppressed cell leaks."""
    parser = argparse.ArgumentParser(
        prog="capdev council audit",
        description="Try to recompute every suppressed cell of the published Council figures.",
    )
    parser.add_argument("db", nargs="?", type=Path, help="council.duckdb (default: published)")
    args = parser.parse_args(argv)
    db = args.db or config.council_db()
    if not db.exists():
        print(f"capdev council audit: no {db}", file=sys.stderr)
        return 2
    found = audit(db)
    for disclosure in found:
        print(disclosure)
    print(f"{len(found)} suppressed cell(s) recoverable from {db}")
    return 1 if found else 0
