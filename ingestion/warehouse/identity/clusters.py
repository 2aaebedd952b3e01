"""Clustering scored pairs into persons, with the country guard.

**Country guard.** Two records with two different known countries are never put in one person
unless their e-mail addresses match exactly. It is enforced twice: edges between such records
are dropped before clustering, and a cluster that still spans two countries through a chain of
records (FR — no country — DE) is re-clustered greedily, strongest edges first, refusing any
merge that would join two countries without an exact e-mail edge.

**Name guard.** In the same way, two records whose names are incompatible — they share at
least two tokens and each has one the other lacks: two different middle names, "José Luis
Fernández" and "José María Fernández" (:func:`.names.names_conflict`) — are never put in one
person unless an exact e-mail edge joins the clusters. Namesakes are common (a few given names
and surnames cover much of a country) and a record that gives no middle name links to each of
them: without the guard, that one record chains every namesake into one person.

**Reviewed decisions.** The same greedy clustering also holds cannot-link pairs apart (a
merge that would put both records of one in a cluster is refused, so of the edges that would
reconnect them the weakest are the ones cut); :mod:`.decisions` uses it to re-form the clusters
a reviewer's decision touches.

Output: one row per input record with ``cluster_id`` (the smallest record key of its person,
so it is stable across rebuilds as long as that record exists) and ``participant_key``, the
HMAC of the cluster id under ``CAPDEV_PSEUDONYM_KEY`` (:mod:`ingestion.pseudonym`).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

import duckdb
import pyarrow as pa

from ingestion.pseudonym import participant_key, pseudonym_key
from ingestion.warehouse.identity.names import CONFLICT_SHARED_TOKENS, names_conflict

log = logging.getLogger("ingestion.warehouse.identity")

OUTPUT_SCHEMA = pa.schema(
    [
        ("participant_record_key", pa.string()),
        ("cluster_id", pa.string()),
        ("participant_key", pa.string()),
        ("cluster_size", pa.int64()),
        ("resolution", pa.string()),
    ]
)

#: Label prefix of a cluster a reviewed decision re-formed (:mod:`.decisions`).
REVIEWED_LABEL = "r:"


class _UnionFind:
    def __init__(self, nodes: Iterable[str]):
        self.parent = {n: n for n in nodes}

    def find(self, node: str) -> str:
        root = node
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[node] != root:
            self.parent[node], node = root, self.parent[node]
        return root


Names = dict[tuple[str, ...], set[str]]


def _guarded_names(names: dict[str, tuple[str, ...]] | None, node: str) -> Names:
    """A record's name, if the name guard watches it (long enough to conflict), → the record."""
    name = names.get(node) if names else None
    return {name: {node}} if name and len(name) > CONFLICT_SHARED_TOKENS else {}


def _names_clash(a: Names, b: Names, direct: set[frozenset[str]]) -> bool:
    """Two clusters hold two conflicting names on records no edge links directly (a direct
    edge is the model's word on that very pair, name disagreement included)."""
    return any(
        names_conflict(x, y) and not any(frozenset((r, t)) in direct for r in a[x] for t in b[y])
        for x in a
        for y in b
        if x != y
    )


def _merge_names(a: Names, b: Names) -> Names:
    merged = {name: set(records) for name, records in a.items()}
    for name, records in b.items():
        merged.setdefault(name, set()).update(records)
    return merged


def guarded_clusters(
    countries: dict[str, str | None],
    edges: Iterable[tuple[str, str, float, bool]],
    cannot_link: Iterable[tuple[str, str]] = (),
    names: dict[str, tuple[str, ...]] | None = None,
) -> dict[str, str]:
    """Cluster records greedily from the strongest edge down, never joining two countries or
    two incompatible names.

    ``edges`` are ``(key_l, key_r, match_probability, email_exact)``. A merge that would bring a
    country into a cluster that has another one happens only over an exact e-mail edge (records
    without a country join freely); so does a merge that would bring together two records whose
    ``names`` (record key → normalised name tokens, optional) conflict
    (:func:`.names.names_conflict`) and that no edge links directly. A merge that would put
    both records of a ``cannot_link`` pair in one cluster never happens, whatever the edge.
    Returns record key → cluster id (the smallest record key of the cluster). Deterministic:
    edges are taken in order of probability, then keys.
    """
    uf = _UnionFind(countries)
    known = {n: ({c} if c else set()) for n, c in countries.items()}
    # root → the distinct guarded names of its cluster
    held = {n: _guarded_names(names, n) for n in countries}
    # root → records its cluster may never hold (few: one per cannot-link decision)
    apart: dict[str, set[str]] = {}
    for key_l, key_r in cannot_link:
        if key_l in uf.parent and key_r in uf.parent:
            apart.setdefault(key_l, set()).add(key_r)
            apart.setdefault(key_r, set()).add(key_l)
    edges = sorted(edges, key=lambda e: (-e[2], e[0], e[1]))
    direct = {frozenset(e[:2]) for e in edges} if names else set()
    for key_l, key_r, _prob, email_exact in edges:
        a, b = uf.find(key_l), uf.find(key_r)
        if a == b:
            continue
        # Without e-mail evidence a merge may not bring a new country to either side.
        if not (known[a] <= known[b] or known[b] <= known[a] or email_exact):
            continue
        # Nor two incompatible names (a namesake with another middle name).
        if not email_exact and held[a] and held[b] and _names_clash(held[a], held[b], direct):
            continue
        if any(uf.find(other) == b for other in apart.get(a, ())):
            continue
        merged = known[a] | known[b]
        root, child = (a, b) if a < b else (b, a)
        uf.parent[child] = root
        known[root] = merged
        known.pop(child, None)
        held[root] = _merge_names(held[root], held.pop(child))
        if child in apart:
            apart.setdefault(root, set()).update(apart.pop(child))
    return {n: min_key for n, min_key in _min_key_per_root(uf, countries).items()}


def _min_key_per_root(uf: _UnionFind, nodes: Iterable[str]) -> dict[str, str]:
    roots = {n: uf.find(n) for n in nodes}
    smallest: dict[str, str] = {}
    for node, root in roots.items():
        if root not in smallest or node < smallest[root]:
            smallest[root] = node
    return {node: smallest[root] for node, root in roots.items()}


def participant_key_for(cluster_id: str, key: bytes | None = None) -> str:
    """The person's key (:func:`ingestion.pseudonym.participant_key`; the cluster id is the
    smallest participant_record_key), the function ``core.participant_crosswalk`` calls too."""
    return participant_key(cluster_id, key)


def _name_conflicted(work: duckdb.DuckDBPyConnection) -> set[str]:
    """Clusters of table ``clusters`` holding two profiles whose names conflict."""
    rows = work.sql(
        f"""
        select c.cluster_id, list(distinct f.name_tokens) as names
        from clusters c join features f using (unique_id)
        where len(f.name_tokens) > {CONFLICT_SHARED_TOKENS}
        group by c.cluster_id having count(distinct f.name_tokens) > 1
        """
    ).fetchall()
    conflicted = set()
    for cluster_id, cluster_names in rows:
        distinct = [tuple(n) for n in cluster_names]
        if any(names_conflict(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :]):
            conflicted.add(cluster_id)
    return conflicted


def guard_conflicted_clusters(work: duckdb.DuckDBPyConnection, edges_table: str) -> dict[str, str]:
    """Country and name guards, second pass: clusters of table ``clusters`` (unique_id,
    country, cluster_id) that still span two countries, or hold two incompatible names, through
    a chain of records are re-clustered greedily with the constraints. Table ``features`` gives
    the names. Returns profile → label overrides: "g:<label>" for a cluster that spanned
    countries, "n:<label>" for one only the names split."""
    by_country = {
        row[0]
        for row in work.sql(
            """
            select cluster_id from clusters where country is not null
            group by cluster_id having count(distinct country) > 1
            """
        ).fetchall()
    }
    by_name = _name_conflicted(work) - by_country
    conflicted = by_country | by_name
    if not conflicted:
        return {}
    work.execute("create or replace table conflicted(cluster_id varchar)").fetchall()
    work.executemany("insert into conflicted values (?)", [(c,) for c in sorted(conflicted)])
    members = work.sql(
        """
        select c.unique_id, c.country, f.name_tokens, c.cluster_id
        from clusters c join conflicted using (cluster_id) join features f using (unique_id)
        """
    ).fetchall()
    columns = work.sql(f"select * from {edges_table} limit 0").columns
    same_email = "coalesce(e.email_l = e.email_r, false)" if "email_l" in columns else "false"
    edges = work.sql(
        f"""
        select e.unique_id_l, e.unique_id_r, e.match_probability, {same_email}
        from {edges_table} e
        join clusters c on c.unique_id = e.unique_id_l
        join conflicted using (cluster_id)
        """
    ).fetchall()
    log.info(
        "identity: guards split %d clusters spanning several countries, %d holding "
        "incompatible names",
        len(by_country),
        len(by_name),
    )
    countries = {m[0]: m[1] for m in members}
    names = {m[0]: tuple(m[2]) for m in members if m[2]}
    before: dict[str, set[str]] = {}
    for m in members:
        before.setdefault(m[3], set()).add(m[0])
    after: dict[str, set[str]] = {}
    for profile, label in guarded_clusters(countries, edges, names=names).items():
        after.setdefault(label, set()).add(profile)
    unchanged = {frozenset(group) for group in before.values()}
    name_split = {m[0] for m in members if m[3] in by_name}
    overrides = {}
    for label, group in after.items():
        if frozenset(group) in unchanged:
            continue  # the guard kept the cluster whole (its conflicts are direct links)
        prefix = "n:" if next(iter(group)) in name_split else "g:"
        overrides.update({profile: f"{prefix}{label}" for profile in group})
    return overrides


def assemble(groups: dict[str, list[str]], key: bytes | None) -> pa.Table:
    """The output table from clusters (label → record keys; labels starting with "g:" come from
    the country guard, "n:" from the name guard, "r:" from a reviewed decision). The cluster id
    is the smallest record key: stable across rebuilds.
    """
    secret = key or pseudonym_key()
    rows = []
    for label, members in groups.items():
        cluster_id = min(members)
        participant_key = participant_key_for(cluster_id, secret)
        if label.startswith(REVIEWED_LABEL):
            resolution = "reviewed"
        elif label.startswith("g:"):
            resolution = "split_by_country_guard"
        elif label.startswith("n:"):
            resolution = "split_by_name_guard"
        else:
            resolution = "linked" if len(members) > 1 else "singleton"
        rows.extend((m, cluster_id, participant_key, len(members), resolution) for m in members)
    rows.sort()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in OUTPUT_SCHEMA]
    return pa.table(
        {field.name: list(col) for field, col in zip(OUTPUT_SCHEMA, columns, strict=True)},
        schema=OUTPUT_SCHEMA,
    )
