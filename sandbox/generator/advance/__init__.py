"""``advance(out_dir, days)``: a generated sandbox lives on, one day at a time.

Each day brings, on every platform, the kinds of change a real night meets, expressed the way
that platform really expresses them (docs: sandbox/README.md, "Advancing the sandbox"):

- **academy** (Moodle): a new course (with a certificate), learners self-enrolling in running
  courses (they open the course at once), late grading, completions, certificates issued later,
  a renamed course (``timemodified`` moves), a corrected surname on the user's profile, and a
  learner unenrolled from a running course (absent from the course's enrolment and grade lists
  from then on).
- **tsb_events**: a new event, new registrations, attendance recorded, an event's title
  corrected, a participant's name corrected and a registration cancelled (deleted from the
  event's list). Our contract: an event's ``updated_at`` moves whenever its registration list
  changes.
- **gs_lrs** (xAPI): new ``registered`` and ``attended`` statements, and a registration recorded
  in error that the administrator voids two days later (a voiding statement).
- **br_seminars**: a corrected workbook re-sent as ``<seminar>_v<n+1>.xlsx`` (a participant
  line removed, a surname corrected).
- **regional_offices**: a corrected export re-sent under the same file name (a participant line
  removed, a satisfaction score corrected).

Every change is stamped on the day it happens (08:00–18:00 UTC), so the night after day ``D``
(logical date ``D + 1`` 01:00 UTC) pulls it. The ground truth (``participations``,
``person_records`` and ``activities`` parquet files) advances with the data;
``expected_counts.json`` and ``headline_figures.json`` describe the generated day 0 only.
Deterministic: the same generated tree advanced by the same number of days gives the same
files, however the days are split between calls (each day draws from its own stream). The
state (days advanced, voids due) is kept in ``advance.json`` in the sandbox folder.

The package, by platform: ``academy``, ``tsb``, ``lrs``, ``drops`` (BR workbooks, regional
exports); ``world`` holds the tree in memory and a day's stream and clock.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..util import AS_OF
from .academy import academy_day
from .drops import br_day, regional_day
from .lrs import lrs_day
from .tsb import tsb_day
from .world import Day, World

STATE_FILE = "advance.json"


def read_state(out_dir: Path) -> dict:
    """The advance state of a sandbox folder (day 0 when it was never advanced)."""
    path = Path(out_dir) / STATE_FILE
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return {
        "days": 0,
        "as_of": AS_OF.isoformat(),
        "pending_voids": [],
        "academy_corrected_users": [],
        "changes": {},
    }


def advance(out_dir: Path, days: int = 1) -> dict:
    """Move the sandbox in ``out_dir`` forward by ``days`` days; return the new state.

    The state says how many days the sandbox has advanced, its new "present" (``as_of``: the
    night to run is ``as_of + 1 day``) and how many changes of each kind were made in all.
    """
    if days < 1:
        raise ValueError("days must be at least 1")
    out = Path(out_dir)
    counts = json.loads((out / "ground_truth" / "expected_counts.json").read_text())
    seed = int(counts["seed"])
    state = read_state(out)
    world = World.load(out)
    log: dict[str, int] = _Counter(state.get("changes", {}))
    for _ in range(days):
        day = Day(seed, state["days"] + 1)
        world.sort_truth()
        academy_day(world, day, state, log)
        tsb_day(world, day, log)
        lrs_day(world, day, state, log)
        br_day(world, day, log)
        regional_day(world, day, log)
        state["days"] = day.number
        state["as_of"] = day.date.isoformat()
    state["changes"] = dict(sorted(log.items()))
    world.save()
    (out / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    return state


class _Counter(dict):
    """A dict whose missing counts are 0."""

    def __missing__(self, key: str) -> int:
        return 0
