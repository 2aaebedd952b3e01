"""What one statements pull saw (:class:`_Tally`): its reconciliation counts, how the LRS
orders, the floor a restart asks from and the ids it may send again. It travels in every part's
state, so it stays bounded whatever the length of the pull."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from ingestion.connectors.base import StartOver, iso_utc, try_parse_iso
from ingestion.connectors.xapi.statements import _Query

COUNTS = (
    "received",
    "kept",
    "already_landed",
    "beyond_until",
    "duplicates",
    "no_stored",
    "before_since",
    "out_of_order",
    "not_yet_consistent",
)
MOMENTS = ("consistent_through", "previous", "previous_timestamp", "floor", "mark")


@dataclass
class _Tally:
    """What one pull saw, for reconciliation (counted over every pass, restarts included, and
    over every try: it travels in each part's state).

    Bounded whatever the pull's length: ``seen`` holds only the ids of statements that the LRS
    could send again, those whose ``stored`` or ``timestamp`` is at or after ``floor``, the
    earliest point any restart of this pull will ask from (:meth:`advance`)."""

    received: int = 0
    kept: int = 0  # kept, deferred ones included
    already_landed: int = 0  # stored <= watermark: the look-back overlap
    beyond_until: int = 0  # stored > until: the next run's
    duplicates: int = 0  # an id seen again in this pull
    no_stored: int = 0  # kept, but without a usable stored
    before_since: int = 0  # stored <= the since sent: the LRS does not filter on stored
    out_of_order: int = 0  # stored lower than the previous one despite ascending=true
    not_yet_consistent: int = 0  # stored after consistent_through: left to the next run
    consistent_through: datetime | None = None  # the earliest the LRS declared
    previous: datetime | None = None  # the last stored received in this pass (order check)
    previous_timestamp: datetime | None = None  # the last timestamp received in this pass
    # Whether the LRS has, in every statement so far, filtered (since, until) and ordered on
    # stored (as xAPI requires) / on timestamp (as some LRSs do): a restart may then go on from
    # the last one received; once False, never True again in this pull.
    by_stored: bool = True
    by_timestamp: bool = True
    floor: datetime | None = None  # no restart of this pull asks from earlier (None: the start)
    mark: datetime | None = None  # the highest stored landed
    # id -> the later of its stored and timestamp, for the statements kept (or deferred) whose
    # later moment is at or after ``floor``: the ones a restart or a duplicate can bring again
    seen: dict[str, datetime | None] = field(default_factory=dict)

    def to_state(self) -> dict[str, Any]:
        """The tally as JSON for a part's state."""
        moments = {
            name: iso_utc(value) if (value := getattr(self, name)) is not None else None
            for name in MOMENTS
        }
        seen = {key: iso_utc(at) if at is not None else None for key, at in self.seen.items()}
        flags = {"by_stored": self.by_stored, "by_timestamp": self.by_timestamp}
        return {**{n: getattr(self, n) for n in COUNTS}, **moments, **flags, "seen": seen}

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> _Tally:
        moments = {name: try_parse_iso(state.get(name)) for name in MOMENTS}
        seen = {key: try_parse_iso(at) for key, at in state["seen"].items()}
        flags = {"by_stored": state["by_stored"], "by_timestamp": state["by_timestamp"]}
        return cls(**{n: state[n] for n in COUNTS}, **moments, **flags, seen=seen)

    def restart_from(self) -> datetime | None:
        """Where a restart of the query asks from (None: the pull's own ``since``): ``floor``,
        fixed at the end of the last part (:meth:`advance`), so every restart within a part
        asks the same query. :class:`StartOver` when the LRS has since kept to neither field:
        the floor is then no longer known to be safe, nor is any point short of the start."""
        if not (self.by_stored or self.by_timestamp):
            raise StartOver("the LRS orders statements on neither stored nor timestamp")
        return self.floor

    def advance(self, query: _Query) -> None:
        """At the end of a part: raise ``floor`` to where the query could be asked again from,
        and forget the ids before it.

        That point is just before the last statement received on every field the LRS has kept
        filtering and ordering on (the earlier one, if both), less the look-back (at least a
        second), never lower than before: every statement up to it has been received. A
        statement the LRS sends again after a restart from there is after it on the field it
        orders on, and a duplicate comes where its first copy came, so the ids kept are enough.
        An LRS that kept to neither field starts over on a restart (:meth:`restart_from`); its
        duplicates are looked for within the look-back of the latest statement kept."""
        margin = max(query.lookback, timedelta(seconds=1))
        if self.by_stored or self.by_timestamp:
            lasts = [
                last
                for kept_to, last in (
                    (self.by_stored, self.previous),
                    (self.by_timestamp, self.previous_timestamp),
                )
                if kept_to
            ]
            if all(last is not None for last in lasts):  # else nothing received in this pass
                point = try_parse_iso(iso_utc(min(lasts) - margin))  # exactly as it will be sent
                low = self.floor or query.since
                if point is not None and (low is None or point > low):
                    self.floor = point
            bound = self.floor
        else:
            moments = [at for at in self.seen.values() if at is not None]
            bound = max(moments) - margin if moments else None
        if bound is not None:
            self.seen = {key: at for key, at in self.seen.items() if at is None or at >= bound}

    def warnings(self, lookback: timedelta) -> list[str]:
        found = []
        if self.before_since or self.beyond_until or self.out_of_order:
            found.append(
                f"the LRS does not filter/order on stored as xAPI requires ({self.before_since} "
                f"statements stored before since, {self.beyond_until} after until, "
                f"{self.out_of_order} out of stored order): statements back-dated more than "
                f"{lookback} before the watermark may be missed"
            )
        if self.not_yet_consistent and self.consistent_through is not None:
            found.append(
                f"{self.not_yet_consistent} statements stored after the LRS's consistent-through "
                f"{iso_utc(self.consistent_through)} were left to the next run"
            )
        if (
            self.mark is not None
            and self.consistent_through is not None
            and self.mark > self.consistent_through
        ):
            found.append(
                f"the LRS moved its consistent-through back to {iso_utc(self.consistent_through)}"
                " during the pull, below statements already landed: the next run may land them "
                "again (staging keeps one per id)"
            )
        if self.no_stored:
            found.append(f"{self.no_stored} statements without a valid stored were landed")
        return found
