"""General Secretariat learning programmes: an xAPI 1.0.3 Learning Record Store client.

The connection's ``base_url`` is the LRS's **xAPI endpoint** (``https://lrs.example/data/xAPI/``,
``.../xapi/``...); resources are resolved relative to it (a trailing slash is ensured). Every
request carries HTTP Basic auth and ``X-Experience-API-Version: 1.0.3``.

``GET {endpoint}statements?since=<watermark - look-back>&until=<until>&ascending=true&limit=<n>``
(``since`` omitted on a first load), then the ``more`` link of each page until it is empty or
absent. ``more`` is a URL relative to the *server* (xAPI Communication 2.1.3): it is resolved
against the scheme and host of the endpoint and otherwise used exactly as given.

Rules: a run lands the statements **stored** in ``(watermark, until]``. xAPI says ``since`` is
exclusive and ``until`` inclusive on ``stored``, but some LRSs in wide use (e.g. Ralph's
Elasticsearch backend) filter and order both on the statement ``timestamp``: with ``since =
watermark`` every back-dated or late-synced statement (stored long after its ``timestamp``) would
never be pulled. So ``since`` is sent ``since_lookback_days`` (connection setting, default 7)
before the watermark, and the client itself keeps only ``watermark < stored <= until`` (older ones
were landed by an earlier run; later ones belong to the next run), deduplicated by id: each
statement lands exactly once across runs. A statement back-dated more than the look-back before
the watermark can still be missed by such an LRS; the pull warns when the LRS shows that it does
not filter or order on ``stored``. Pages are read to the end (an LRS that orders by ``timestamp``
interleaves statements stored after ``until`` with ones inside the window).

Voiding statements are landed like any other (staging applies them; the LRS already leaves voided
statements out). An expired ``more`` link (410 Gone) restarts the query (given up after
``MAX_RESTARTS`` restarts in a row that bring no new statement), from the pull's *floor*: its
``since`` in the first part, then, from the end of each part, just before the last statement
received (less the look-back) while the LRS keeps filtering and ordering on ``stored`` or on
``timestamp``; the statements kept before are known by id and not kept again. An LRS seen keeping to
neither order starts the pull over instead (:class:`StartOver`).
``watermark_to`` = the max ``stored`` landed, as ISO 8601 UTC.

The pull lands as it goes (:func:`pull_parts`): a part per ``pages_per_part`` pages, its state
the ``more`` link to go on from and the tally so far; a retried task goes on from that link, or,
when the LRS refuses it, restarts from the floor (docs/raw-zone.md). The state is bounded
whatever the length of the pull: it keeps only the ids of statements at or after the floor
(``stored`` or ``timestamp``), the only ones a restart or a duplicate can bring again.

``X-Experience-API-Consistent-Through`` (xAPI Communication 2.1.3): statements stored after the
earliest value the LRS sent may not all be visible yet; the ones received are left to the next
run (not landed, the watermark stays below them) with a warning, so a statement that becomes
visible later with an older ``stored`` is not skipped.

Reconciliation: xAPI 1.0.3 has no count resource (and the LRSs checked expose none that takes
``since``/``until``), so the pull reconciles what it can see itself: statements received, kept,
already landed, beyond ``until``, duplicates, unusable ``stored``; anomalies are logged as warnings
and returned in ``EntityExtract.warnings``.

The package: ``statements`` (the endpoint, ``more`` links, the query and a statement's
record), ``tally`` (what the pull saw, its restart floor and the ids it keeps: a part's state),
``pages`` (what a page adds to the pull and what a part lands) and ``pull`` (:func:`pull_parts`).
"""

from __future__ import annotations

from ingestion.connectors.xapi.pull import ENTITIES, MAX_PAGES, MAX_RESTARTS, pull, pull_parts
from ingestion.connectors.xapi.statements import (
    CONSISTENT_THROUGH,
    PLATFORM,
    XAPI_VERSION,
    endpoint_url,
    flatten_statement,
    resolve_more,
)

__all__ = [
    "CONSISTENT_THROUGH",
    "ENTITIES",
    "MAX_PAGES",
    "MAX_RESTARTS",
    "PLATFORM",
    "XAPI_VERSION",
    "endpoint_url",
    "flatten_statement",
    "pull",
    "pull_parts",
    "resolve_more",
]
