"""Clustering scored pairs into persons, with the country guard.

**Country guard.** Two records with two different known countries are never put in one person
unless their e-mail addresses match exactly. It is enforced twice: edges between such records
are dropped before clustering, and a cluster that still spans two countries through a chain of
records (FR — no country — DE) is re-clustered greedily, strongest edges first, refusing any
merge that would join two countries without an exact e-mail edge.

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

from ingestion.pseudonym import pseudonym_key, pseudonymize

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


def guarded_clusters(
    countries: dict[str, str | None],
    edges: Iterable[tuple[str, str, float, bool]],
    cannot_link: Iterable[tuple[str, str]] = (),
) -> dict[str, str]:
    """Cluster records greedily from the strongest edge down, never joining two countries.

    ``edges`` are ``(key_l, key_r, match_probability, email_exact)``. A merge that would bring a
    country into a cluster that has another one happens only over an exact e-mail edge (records
    without a country join freely). A merge that would put both records of a ``cannot_link``
    pair in one cluster never happens, whatever the edge. Returns record key → cluster id (the
    smallest record key of the cluster). Deterministic: edges are taken in order of
    probability, then keys.
    """
    uf = _UnionFind(countries)
    known = {n: ({c} if c else set()) for n, c in countries.items()}
    # root → records its cluster may never hold (few: one per cannot-link decision)
    apart: dict[str, set[str]] = {}
    for key_l, key_r in cannot_link:
        if key_l in uf.parent and key_r in uf.parent:
            apart.setdefault(key_l, set()).add(key_r)
            apart.setdefault(key_r, set()).add(key_l)
    for key_l, key_r, _prob, email_exact in sorted(edges, key=lambda e: (-e[2], e[0], e[1])):
        a, b = uf.find(key_l), uf.find(key_r)
        if a == b:
            continue
        # Without e-mail evidence a merge may not bring a new country to either side.
        if not (known[a] <= known[b] or known[b] <= known[a] or email_exact):
            continue
        if any(uf.find(other) == b for other in apart.get(a, ())):
            continue
        merged = known[a] | known[b]
        root, child = (a, b) if a < b else (b, a)
        uf.parent[child] = root
        known[root] = merged
        known.pop(child, None)
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
    """The person's key: the HMAC of ``participant|<cluster id>`` (the cluster id is the smallest
    participant_record_key), as ``core.participant_crosswalk`` computes it in SQL."""
    return pseudonymize(f"participant|{cluster_id}", key)


def guard_conflicted_clusters(work: duckdb.DuckDBPyConnection, edges_table: str) -> dict[str, str]:
    """Country guard, second pass: clusters of table ``clusters`` (unique_id, country,
    cluster_id) that still span two countries through records without a country are
    re-clustered greedily with the constraint. Returns profile → "g:<label>" overrides."""
    conflicted = work.sql(
        """
        select cluster_id from clusters where country is not null
        group by cluster_id having count(distinct country) > 1
        """
    ).fetchall()
    if not conflicted:
        return {}
    work.execute("create or replace table conflicted(cluster_id varchar)").fetchall()
    work.executemany("insert into conflicted values (?)", conflicted)
    members = work.sql(
        "select c.unique_id, c.country from clusters c join conflicted using (cluster_id)"
    ).fetchall()
    edges = work.sql(
        f"""
        select e.unique_id_l, e.unique_id_r, e.match_probability,
               coalesce(e.email_l = e.email_r, false)
        from {edges_table} e
        join clusters c on c.unique_id = e.unique_id_l
        join conflicted using (cluster_id)
        """
    ).fetchall()
    log.info(
        "identity: country guard split %d clusters spanning several countries", len(conflicted)
    )
    return {
        profile: f"g:{label}" for profile, label in guarded_clusters(dict(members), edges).items()
    }


def assemble(groups: dict[str, list[str]], key: bytes | None) -> pa.Table:
    """The output table from clusters (label → record keys; labels starting with "g:" come from
    the country guard, "r:" from a reviewed decision). The cluster id is the smallest record
    key: stable across rebuilds.
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
        else:
            resolution = "linked" if len(members) > 1 else "singleton"
        rows.extend((m, cluster_id, participant_key, len(members), resolution) for m in members)
    rows.sort()
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in OUTPUT_SCHEMA]
    return pa.table(
        {field.name: list(col) for field, col in zip(OUTPUT_SCHEMA, columns, strict=True)},
        schema=OUTPUT_SCHEMA,
    )
