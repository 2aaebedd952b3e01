"""Reviewed decisions: a reviewer's must-link and cannot-link pairs, applied after clustering.

A decision names two records. The clusters holding them (only those: the rest of the
resolution stands as it is) are formed again, greedily from the strongest edge down as the
country and name guards do (:func:`.clusters.guarded_clusters`), over the same edges plus one
edge per must-link, taken first:

* **cannot-link** — the two records never end up in one cluster. Transitive links are cut
  where they are weakest: a merge that would bring the two together, over any path, is refused,
  so the cluster splits along its weakest edges between them;
* **must-link** — the two records' clusters are joined (a reviewer's word also overrides the
  country guard). A cannot-link wins over a must-link that would break it (counted ``refused``).

A decision naming a record that is not in this resolution (a key that no longer exists) is
counted ``unknown`` and otherwise ignored: a stale decision never fails a build.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ingestion.warehouse.identity.clusters import REVIEWED_LABEL, guarded_clusters

MUST_LINK, CANNOT_LINK = "must_link", "cannot_link"
DECISIONS = (MUST_LINK, CANNOT_LINK)

#: Above every scored probability: the greedy clustering takes must-link edges first.
_MUST_LINK_STRENGTH = 2.0


@dataclass(frozen=True)
class Decision:
    """A reviewer's decision on two records (record keys of the resolution; ``None``: a key
    that no longer names a record)."""

    record_a: str | None
    record_b: str | None
    decision: str


@dataclass
class DecisionOutcome:
    """What the decisions did to the clusters."""

    #: decisions that changed the clusters (a split, or a join)
    applied: int = 0
    #: decisions the clusters already satisfied
    held: int = 0
    #: decisions naming a record that is not there (or one record twice, or no known decision)
    unknown: int = 0
    #: must-links a cannot-link keeps apart
    refused: int = 0


def apply_decisions(
    groups: dict[str, list[str]],
    edges: Iterable[tuple[str, str, float, bool]],
    countries: dict[str, str | None],
    decisions: Iterable[Decision],
    names: dict[str, tuple[str, ...]] | None = None,
) -> tuple[dict[str, list[str]], DecisionOutcome]:
    """Clusters (label → record keys) with the decisions applied.

    ``edges`` are the clustering's record-level edges ``(key_l, key_r, probability,
    email_exact)``; ``countries`` gives each record's country and ``names`` (optional) its
    normalised name tokens, for the country and name guards. Clusters no
    decision touches keep their label; a cluster that comes out different gets a label
    starting with :data:`REVIEWED_LABEL`.
    """
    outcome = DecisionOutcome()
    label_of = {member: label for label, members in groups.items() for member in members}
    known: list[Decision] = []
    for decision in decisions:
        a, b = decision.record_a, decision.record_b
        if a in label_of and b in label_of and a != b and decision.decision in DECISIONS:
            known.append(decision)
        else:
            outcome.unknown += 1
    if not known:
        return groups, outcome
    touched = {label_of[r] for d in known for r in (d.record_a, d.record_b)}
    nodes = {member for label in touched for member in groups[label]}
    inner = [e for e in edges if e[0] in nodes and e[1] in nodes]
    must = [(d.record_a, d.record_b) for d in known if d.decision == MUST_LINK]
    inner += [(a, b, _MUST_LINK_STRENGTH, True) for a, b in must]
    cannot = [(d.record_a, d.record_b) for d in known if d.decision == CANNOT_LINK]
    cluster_of = guarded_clusters(
        {n: countries.get(n) for n in sorted(nodes)}, inner, cannot, names=names
    )

    for d in known:
        together_before = label_of[d.record_a] == label_of[d.record_b]
        together_after = cluster_of[d.record_a] == cluster_of[d.record_b]
        if d.decision == MUST_LINK and not together_after:
            outcome.refused += 1
        elif together_before == together_after:
            outcome.held += 1
        else:
            outcome.applied += 1

    reformed: dict[str, list[str]] = {}
    for node, cluster in cluster_of.items():
        reformed.setdefault(cluster, []).append(node)
    out = {label: members for label, members in groups.items() if label not in touched}
    unchanged = {frozenset(groups[label]): label for label in touched}
    for cluster, members in reformed.items():
        # a touched cluster that comes out whole keeps its label (and its resolution)
        label = unchanged.get(frozenset(members), f"{REVIEWED_LABEL}{cluster}")
        out[label] = sorted(members)
    return out, outcome
