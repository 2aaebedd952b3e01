"""Disclosure audit of the published Council figures: can a suppressed cell be recomputed?

The auditor reads the published ``council.duckdb`` alone, as anyone holding it could, writes
down every linear relation that holds between its figures (:func:`.build.build_system`:
margins, identities, shares x totals, bounds) and narrows every hidden cell by interval
propagation (:meth:`.system.System.propagate`). A hidden cell is *disclosed*
(:func:`disclosing`) when its interval is finite, not [0, 0], holds fewer values than the rule
itself leaves a small cell (1..threshold-1) and may be such a cell: an exact value, or
"between 0 and 2". Both definitions of ``women_share`` are tried on a file that does not state
its rules (of women and men; of every recorded gender, as published before issue 16), and each
the file does not contradict counts.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from ingestion import config
from ingestion.publish.disclosure.build import build_system, collector_paused
from ingestion.publish.disclosure.layout import CROSS_TABLE, SUBGROUPS, stated_rules
from ingestion.publish.disclosure.system import Disclosure, System, Var
from ingestion.publish.threshold import min_cell_size


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


def find_disclosures(system: System, threshold: int) -> list[Disclosure]:
    """Propagate ``system`` to its fixed point; every suppressed cell it then discloses."""
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


def readings(db_path: Path, threshold: int) -> list[tuple[System, list[Disclosure]]]:
    """The system and its disclosures for each reading of the file it does not contradict."""
    result = []
    share_readings, base = stated_rules(Path(db_path))
    with collector_paused():
        for reading in share_readings:
            system = build_system(Path(db_path), rounding_base=base, share_rest=reading)
            try:
                result.append((system, find_disclosures(system, threshold)))
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
