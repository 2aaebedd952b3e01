"""The values and relations of the crossed table ``people_by_group`` (people only; 'ALL' is a
margin in every key column).

Within the table: participant region, gender and development status partition people (a
total is the sum of its parts); activity regions and bureaux are unions (a total is at least
each part and at most their sum); a subgroup (LDC, LLDC, SIDS) is at most its 'ALL' row.
Across tables: the margins equal the people of headline_figures and of the single-year
period_figures rows (overall, region, participant region, gender), and the shares of those
rows pin their crossed cells: women_share (F / (F + M)) of region and participant region rows,
developing_share (developing / (developing + developed)) of every row.
"""

from __future__ import annotations

from collections import defaultdict

from ingestion.publish.disclosure.layout import CROSS_KEYS, CROSS_TABLE, STATUSES, WOMEN
from ingestion.publish.disclosure.system import INF, Constraint, System, Var
from ingestion.publish.threshold import min_cell_size

POSITION = {k: i for i, k in enumerate(CROSS_KEYS)}
# the crossed key column of each period_figures dimension with a crossed margin (period
# categories and crossed cells share the same codes)
COLUMN_OF = {
    "gender": "gender",
    "participant_region": "participant_region",
    "region": "activity_region",
}


def crossed_rounding(s: System, crossed: list[dict], rules: list[dict], base: int) -> None:
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


def crossed_relations(
    s: System,
    crossed: list[dict],
    period: list[dict],
    headline: list[dict],
    share_rest: tuple[str, ...],
) -> None:
    """Every value of ``people_by_group``, its margins, and its links to the other tables."""
    if not crossed:
        return
    keys = []
    for r in crossed:
        key = tuple(r[k] for k in CROSS_KEYS)
        keys.append(key)
        s.value(_var(key), r.get("people_trained"), bool(r.get("suppressed")))
    _margins(s, keys)
    _headline_links(s, headline)
    _period_links(s, period, share_rest)


def _var(key: tuple) -> Var:
    return (CROSS_TABLE, *key, "people_trained")


def _with(key: tuple, column: str, value: str) -> tuple:
    """``key`` with its ``column`` set to ``value``."""
    key = list(key)
    key[POSITION[column]] = value
    return tuple(key)


def _margins(s: System, keys: list[tuple]) -> None:
    """Each row is a part of the row with one of its key columns set to 'ALL'."""
    lines: dict[tuple, list[tuple]] = defaultdict(list)
    for key in keys:
        for i in range(1, len(CROSS_KEYS)):
            if key[i] != "ALL":
                lines[(i, key[:i] + ("ALL",) + key[i + 1 :])].append(key)
    for (i, total), parts in lines.items():
        column = CROSS_KEYS[i]
        why = f"{column} margin of {CROSS_TABLE} {'/'.join(map(str, total))}"
        if column in ("participant_region", "gender"):
            s.equal_sum(_var(total), [_var(p) for p in parts], why)
        elif column == "country_group":
            statuses = [p for p in parts if p[i] in STATUSES]
            s.equal_sum(_var(total), [_var(p) for p in statuses], why)
            for p in parts:
                if p[i] not in STATUSES and _var(total) in s.bounds:
                    s.constraints.append(
                        Constraint({_var(total): 1.0, _var(p): -1.0}, 0.0, INF, why)
                    )
        else:  # bureau, activity region: a person can be in several
            s.people_union(_var(total), [_var(p) for p in parts], why)


def _margin(y: int, b: str, dim: str, category: str) -> tuple | None:
    """The crossed key (country group 'ALL') of a period row's dimension and category."""
    key = [y, b, "ALL", "ALL", "ALL", "ALL"]
    if dim == "overall":
        return tuple(key)
    if dim not in COLUMN_OF:
        return None
    key[POSITION[COLUMN_OF[dim]]] = category
    return tuple(key)


def _developing_share(s: System, key: tuple, share: float, why: str) -> None:
    s.share(
        _var(_with(key, "country_group", "developing")),
        [_var(_with(key, "country_group", "developed"))],
        share,
        why,
    )


def _headline_links(s: System, headline: list[dict]) -> None:
    """The crossed total of a year and bureau is its headline's people; developing_share."""
    for r in headline:
        key = _margin(r["year"], r["bureau"], "overall", "ALL")
        why = f"{CROSS_TABLE} total = headline {r['year']} {r['bureau']}"
        s.equal_sum(
            ("headline_figures", r["year"], r["bureau"], "people_trained"), [_var(key)], why
        )
        if r.get("developing_share") is not None:
            _developing_share(
                s,
                key,
                r["developing_share"],
                f"headline developing_share {r['year']} {r['bureau']} x {CROSS_TABLE}",
            )


def _period_links(s: System, period: list[dict], share_rest: tuple[str, ...]) -> None:
    """A crossed margin is the people of its single-year period row; that row's shares."""
    for r in period:
        if r["period_from"] != r["period_to"]:
            continue
        key = _margin(r["period_from"], r["bureau"], r["dimension"], r["category"])
        if key is None:
            continue
        pvar = ("period_figures", r["period_from"], r["period_to"], r["bureau"])
        pvar = (*pvar, r["dimension"], r["category"], "people_trained")
        why = f"{CROSS_TABLE} margin = period {'/'.join(map(str, pvar[1:-1]))}"
        s.equal_sum(pvar, [_var(key)], why)
        if r.get("developing_share") is not None:
            _developing_share(s, key, r["developing_share"], f"developing_share of {why}")
        if r["dimension"] in ("region", "participant_region") and r.get("women_share") is not None:
            s.share(
                _var(_with(key, "gender", WOMEN)),
                [_var(_with(key, "gender", c)) for c in share_rest],
                r["women_share"],
                f"women_share of {why}",
            )
