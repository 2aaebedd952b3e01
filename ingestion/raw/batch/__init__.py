"""A batch's life, written once: its states, its transitions, and its manifest record.

Every batch of the raw zone (one entity of one pull, one entity of one dropped file, one release
of quarantined rows) has exactly one manifest record, and this module is the only one that
writes it (``ingestion.raw.manifest`` stores records; it decides nothing)::

    landed ──validate──▶ accepted | partially_quarantined | rejected
       │                            partially_quarantined ──release──▶ (a ``released`` batch)
       └─ (nothing to validate) ──▶ empty | duplicate | ignored | rejected (unreadable file)
    (a full-state pull equal to the last accepted batch) ──▶ unchanged (nothing landed)

``landed`` is the only state that is not an outcome: such a batch waits for validation. A batch
left ``landed`` by a crash, a kill or a failed task is an *orphan*; the next run of its platform
validates it, whatever its date (:func:`orphans`). Watermarks are read only from batches whose
outcome delivered their rows to the warehouse (:data:`DELIVERED`), so a pull is never skipped
past rows nobody accepted.

Row counts always balance: ``rows_in = rows_accepted + rows_quarantined + rows_rejected +
rows_duplicate + rows_erased + rows_unchanged`` (``rows_duplicate``: exact duplicate rows of
one file, landed once; ``rows_erased``: rows of a person erased on request, dropped at landing;
``rows_unchanged``: rows of a full-state pull identical to the entity's last accepted batch,
not landed again: :func:`unchanged_since`). A file that
could not be read has ``rows_in`` NULL: nobody knows how many rows it holds.

The package: ``states`` (the states, :class:`Pull`: what landing hands over, :class:`Batch`,
where a batch's rows live), ``transitions`` (the only writer of manifest records),
``checkpoint`` (pulls in progress) and ``queries`` (orphans, watermarks, earlier batches,
``capdev batches``).
"""

from __future__ import annotations

from ingestion.raw.batch.checkpoint import (
    drop_pull,
    pull_checkpoint,
    pull_dir,
    record_pull_part,
)
from ingestion.raw.batch.queries import (
    OrphanedBatches,
    as_batch,
    check_no_old_orphans,
    landed_sources,
    orphan_max_age,
    orphans,
    previous_delivered,
    print_batches,
    unchanged_since,
    watermarks,
)
from ingestion.raw.batch.states import (
    ACCEPTED,
    DEFAULT_ORPHAN_MAX_AGE_HOURS,
    DELIVERED,
    DUPLICATE,
    EMPTY,
    IGNORED,
    LANDED,
    NEEDS_ATTENTION,
    OUTCOMES,
    PARTIALLY_QUARANTINED,
    REJECTED,
    RELEASED,
    UNCHANGED,
    Batch,
    Pull,
    accepted_path,
    landed_path,
    partition,
)
from ingestion.raw.batch.transitions import (
    land,
    rejected,
    released,
    settle,
    unchanged,
    validated,
)

__all__ = [
    "ACCEPTED",
    "Batch",
    "DEFAULT_ORPHAN_MAX_AGE_HOURS",
    "DELIVERED",
    "DUPLICATE",
    "EMPTY",
    "IGNORED",
    "LANDED",
    "NEEDS_ATTENTION",
    "OUTCOMES",
    "OrphanedBatches",
    "PARTIALLY_QUARANTINED",
    "Pull",
    "REJECTED",
    "RELEASED",
    "UNCHANGED",
    "accepted_path",
    "as_batch",
    "check_no_old_orphans",
    "drop_pull",
    "land",
    "landed_path",
    "landed_sources",
    "orphan_max_age",
    "orphans",
    "partition",
    "previous_delivered",
    "print_batches",
    "pull_checkpoint",
    "pull_dir",
    "record_pull_part",
    "rejected",
    "released",
    "settle",
    "unchanged",
    "unchanged_since",
    "validated",
    "watermarks",
]
