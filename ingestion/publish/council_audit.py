"""Disclosure audit of the published Council figures: can a suppressed cell be recomputed?

The auditor reads the published ``council.duckdb`` alone, as anyone holding it could, and
writes down every linear relation that holds between its figures:

- margins: a total equals the sum of its breakdown (gender partitions people; participations,
  completions, certificates and activities add up over the categories of a dimension, over the
  bureaux into ``ALL``, over the years of a period and over the activity cells of a year);
- identities: a headline figure equals the period figure of the same single year;
- shares x totals: ``women_share`` of an overall cell pins the women of its gender breakdown
  to within the rounding of the share (``share +/- 0.00005`` times the people of known gender);
- bounds: distinct people of a total are at least those of any part and at most their sum;
  every count is non-negative.

Each published number is a fixed value; each suppressed one (null) an unknown integer >= 0.
Interval constraint propagation (bounds tightening until nothing changes) then narrows every
unknown. A suppressed cell is *disclosed* when its interval is finite, not [0, 0], and holds
fewer than the threshold's number of integers: an exact value, or "between 186 and 187".

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

from ingestion.publish.threshold import min_cell_size

INF = math.inf
# Share and rate columns are rounded to 4 decimals by the marts.
SHARE_HALF_STEP = 0.00005
ADDITIVE = ("participations", "completions", "certificates")
GENDERS = ("women", "men", "other", "unknown")

Var = tuple  # (table, *key, measure)


@dataclass
class Constraint:
    """lo <= sum(coeff * var) <= hi."""

    terms: dict[Var, float]
    lo: float
    hi: float
    why: str


@dataclass
class Disclosure:
    """A suppressed cell whose value the published figures pin down."""

    cell: Var
    lo: int
    hi: int
    why: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        where = ".".join(str(part) for part in self.cell)
        value = str(self.lo) if self.lo == self.hi else f"between {self.lo} and {self.hi}"
        return f"{where} = {value} (by {'; '.join(self.why[:3])})"


class System:
    """Published values, unknowns and the linear relations between them."""

    def __init__(self) -> None:
        self.bounds: dict[Var, list[float]] = {}
        self.suppressed: set[Var] = set()
        self.constraints: list[Constraint] = []

    def value(self, var: Var, value: float | None, suppressed: bool) -> None:
        """Record a published value (fixed) or a suppressed one (unknown integer >= 0)."""
        if value is None:
            self.bounds[var] = [0.0, INF]
            if suppressed:
                self.suppressed.add(var)
        else:
            self.bounds[var] = [float(value), float(value)]

    def known(self, var: Var) -> bool:
        return var in self.bounds

    def equal_sum(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """total = sum(parts); parts missing from the tables are 0 and left out."""
        parts = [p for p in parts if p in self.bounds]
        if total not in self.bounds or not parts:
            return
        terms: dict[Var, float] = defaultdict(float)
        terms[total] -= 1
        for part in parts:
            terms[part] += 1
        self.constraints.append(Constraint(dict(terms), 0.0, 0.0, why))

    def people_union(self, total: Var, parts: Iterable[Var], why: str) -> None:
        """Distinct people of a union: max(parts) <= total <= sum(parts)."""
        parts = [p for p in parts if p in self.bounds]
        if total not in self.bounds or not parts:
            return
        terms: dict[Var, float] = defaultdict(float)
        terms[total] -= 1
        for part in parts:
            terms[part] += 1
        self.constraints.append(Constraint(dict(terms), 0.0, INF, why))
        for part in parts:
            self.constraints.append(Constraint({total: 1.0, part: -1.0}, 0.0, INF, why))

    def share(self, numerator: Var, rest: list[Var], share: float, why: str) -> None:
        """numerator / (numerator + sum(rest)) = share, to the rounding of the share."""
        vars_ = [numerator, *rest]
        if any(v not in self.bounds for v in vars_):
            return
        # numerator - (share -/+ half step) * (numerator + rest) >= 0 / <= 0
        for s, lo, hi in (
            (share - SHARE_HALF_STEP, 0.0, INF),
            (share + SHARE_HALF_STEP, -INF, 0.0),
        ):
            terms: dict[Var, float] = defaultdict(float)
            for v in vars_:
                terms[v] -= s
            terms[numerator] += 1
            self.constraints.append(Constraint(dict(terms), lo, hi, why))

    def propagate(self, max_rounds: int = 200) -> dict[Var, list[str]]:
        """Tighten every interval until a fixed point; returns the relations used per var."""
        by_var: dict[Var, list[int]] = defaultdict(list)
        for i, c in enumerate(self.constraints):
            for v in c.terms:
                by_var[v].append(i)
        reasons: dict[Var, list[str]] = defaultdict(list)
        queue = list(range(len(self.constraints)))
        queued = set(queue)
        rounds = 0
        while queue and rounds < max_rounds * max(1, len(self.constraints)):
            rounds += 1
            i = queue.pop()
            queued.discard(i)
            c = self.constraints[i]
            for v, changed in self._tighten(c):
                if changed and c.why not in reasons[v]:
                    reasons[v].append(c.why)
                for j in by_var[v]:
                    if j not in queued:
                        queue.append(j)
                        queued.add(j)
        return reasons

    def _tighten(self, c: Constraint) -> list[tuple[Var, bool]]:
        changed = []
        for v, a in c.terms.items():
            if a == 0:
                continue
            rest_lo = rest_hi = 0.0
            for u, b in c.terms.items():
                if u == v:
                    continue
                lo, hi = self.bounds[u]
                low, high = (b * lo, b * hi) if b > 0 else (b * hi, b * lo)
                rest_lo += low if not math.isnan(low) else -INF
                rest_hi += high if not math.isnan(high) else INF
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


def build_system(db_path: Path) -> System:
    """Every value and relation the published Council file states."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        period = _rows(con, "period_figures")
        headline = _rows(con, "headline_figures")
        activity = _rows(con, "activity_figures")
        duplication = _rows(con, "duplication_by_period")
    finally:
        con.close()
    s = System()
    measures = ("people_trained", "activities", *ADDITIVE)

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
            s.value((*pkey(r), m), r[m], bool(r["suppressed"]) or r[m] is None)
    for r in headline:
        for m in measures:
            s.value(
                ("headline_figures", r["year"], r["bureau"], m),
                r[m],
                bool(r["suppressed"]) or r[m] is None,
            )
    activity_key = ("region", "topic", "activity_type", "delivery_mode")
    for r in activity:
        for m in measures:
            s.value(
                ("activity_figures", r["year"], r["bureau"], *(r[k] for k in activity_key), m),
                r[m],
                bool(r["suppressed"]) or r[m] is None,
            )

    groups: dict[tuple, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for r in period:
        groups[(r["period_from"], r["period_to"], r["bureau"])][r["dimension"]].append(r)
    bureaux = {r["bureau"] for r in period} - {"ALL"}
    years = sorted({r["period_from"] for r in period} | {r["period_to"] for r in period})

    for (pf, pt, bureau), dims in groups.items():
        total = ("period_figures", pf, pt, bureau, "overall", "all")
        for dim, rows in dims.items():
            if dim == "overall":
                continue
            cats = [("period_figures", pf, pt, bureau, dim, r["category"]) for r in rows]
            why = f"{dim} margin of period {pf}-{pt} {bureau}"
            for m in ADDITIVE:
                s.equal_sum((*total, m), [(*c, m) for c in cats], why)
            if dim == "gender":
                # each person has one gender: the gender rows partition people
                s.equal_sum((*total, "people_trained"), [(*c, "people_trained") for c in cats], why)
            else:
                s.equal_sum((*total, "activities"), [(*c, "activities") for c in cats], why)
                s.people_union(
                    (*total, "people_trained"), [(*c, "people_trained") for c in cats], why
                )
        # women_share of the overall row x the gender rows
        overall = dims.get("overall", [])
        if overall and overall[0]["women_share"] is not None and dims.get("gender"):
            g = {
                r["category"]: ("period_figures", pf, pt, bureau, "gender", r["category"])
                for r in dims["gender"]
            }
            if "women" in g:
                s.share(
                    (*g["women"], "people_trained"),
                    [(*g[c], "people_trained") for c in ("men", "other") if c in g],
                    overall[0]["women_share"],
                    f"women_share x gender rows of period {pf}-{pt} {bureau}",
                )
        # the bureaux add up to ALL (people: a union)
        if bureau == "ALL":
            for dim, rows in dims.items():
                for r in rows:
                    key = ("period_figures", pf, pt)
                    tail = (dim, r["category"])
                    parts = [(*key, b, *tail) for b in bureaux]
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
                    parts = [("period_figures", y, y, *tail) for y in range(pf, pt + 1)]
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
        same = ("period_figures", y, y, b, "overall", "all")
        for m in measures:
            s.equal_sum(("headline_figures", y, b, m), [(*same, m)], f"headline {y} {b} = period")
        g = {c: ("period_figures", y, y, b, "gender", c) for c in GENDERS}
        if r["women_share"] is not None and s.known((*g["women"], "people_trained")):
            s.share(
                (*g["women"], "people_trained"),
                [
                    (*g[c], "people_trained")
                    for c in ("men", "other")
                    if s.known((*g[c], "people_trained"))
                ],
                r["women_share"],
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
        s.value(var, r["shared_participants"], bool(r["suppressed"]))
        if r["bureau_a"] != "ALL":
            pairs[(r["period_from"], r["period_to"], r["topic"])].append(var)
    for (pf, pt, topic), parts in pairs.items():
        total = ("duplication_by_period", pf, pt, "ALL", "ALL", topic, "shared_participants")
        s.people_union(total, parts, f"bureau pairs of {pf}-{pt} {topic}")
    del years
    return s


def audit(db_path: Path, threshold: int | None = None) -> list[Disclosure]:
    """Every suppressed cell of ``db_path`` the published figures pin down (empty = safe)."""
    threshold = min_cell_size() if threshold is None else threshold
    system = build_system(Path(db_path))
    reasons = system.propagate()
    found = []
    for var in sorted(system.suppressed, key=str):
        lo, hi = system.bounds[var]
        if math.isfinite(hi) and hi >= 1 and hi - lo + 1 < threshold:
            found.append(Disclosure(var, int(lo), int(hi), reasons.get(var, [])))
    return found


def main(argv: list[str] | None = None) -> int:
    """``capdev council audit [DB]``: exit 1 and list the cells when a suppressed cell leaks."""
    from ingestion.publish.council import council_db

    parser = argparse.ArgumentParser(
        prog="capdev council audit",
        description="Try to recompute every suppressed cell of the published Council figures.",
    )
    parser.add_argument("db", nargs="?", type=Path, help="council.duckdb (default: published)")
    args = parser.parse_args(argv)
    db = args.db or council_db()
    if not db.exists():
        print(f"capdev council audit: no {db}", file=sys.stderr)
        return 2
    found = audit(db)
    for disclosure in found:
        print(disclosure)
    print(f"{len(found)} suppressed cell(s) recoverable from {db}")
    return 1 if found else 0
