"""The activity calendar of every organizational unit, 2018-01-01 .. AS_OF. The duplicates the
generator intends, its near misses and the courses of same-period neighbours: ``courses``.

What each platform's activities look like is in :mod:`.calendar_events` (BR, TSB, regional
offices) and :mod:`.calendar_courses` (Academy, GS); the record itself in :mod:`.activity`."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import courses, geo
from .activity import Activity
from .calendar_courses import CourseActivities
from .calendar_events import EventActivities
from .heldout import HELD_OUT_SHARE
from .offices import OFFICES
from .util import rng_for, weighted_choice


class Calendar(EventActivities, CourseActivities):
    """Builds the activities of every unit; ``courses.plan`` then adds the intended duplicates
    and near misses and gives same-period neighbours distinct courses."""

    def __init__(self, seed: int, scale: float):
        self.seed = seed
        self.scale = scale
        self.rng = rng_for(seed, "activities")
        # its own stream: which activities take held-out wording, and which wording
        self.vocabulary_rng = rng_for(seed, "vocabulary")
        self.items: list[Activity] = []

    def add(self, a: Activity) -> Activity:
        a.idx = len(self.items)
        self.items.append(a)
        return a

    def pick_vocabulary(self) -> random.Random | None:
        """The held-out generator for an activity worded from the held-out vocabulary, else
        None (in-sample); see heldout.py."""
        held = self.vocabulary_rng.random() < HELD_OUT_SHARE
        return self.vocabulary_rng if held else None

    def pick_topic(self, weights: dict[str, float], region, unit, start, end) -> str:
        """A topic for a new activity, by the unit's weights: nothing steers it away from
        another unit's activity on the same topic, region and period."""
        return weighted_choice(self.rng, weights)

    # ---------------------------------------------------------------- platforms
    def build(self) -> list[Activity]:
        self.br()
        self.tsb()
        self.academy()
        self.gs()
        self.regional()
        courses.plan(self)
        return self.items

    # ---------------------------------------------------------------- duplicates
    def _make_twin(self, unit: str, base: Activity, start: date) -> Activity:
        rng = self.rng
        region, topic, year = base.region, base.topic, start.year
        if unit == "BDT":
            return self._academy_activity("BDT", year, region, topic=topic, start=start)
        if unit == "TSB":
            et = rng.choice(("Workshop", "Workshop", "Training", "Forum"))
            return self._tsb_activity(et, year, region, topic=topic, start=start)
        if unit == "GS":
            twin = self._gs_activity(year, region, topic=topic, start=start)
            while twin.activity_type == "self_paced_online_course":
                twin = self._gs_activity(year, region, topic=topic, start=start)
            return twin
        if unit == "BR":
            end = start + timedelta(days=rng.randint(3, 5) - 1)
            return self._br_activity("RRS", region, topic, start, end, self._br_lang(region))
        office = next(o for o in OFFICES.values() if o.region == region)
        return self._regional_activity(office.office, year, topic=topic, start=start)


# ---------------------------------------------------------------------------- source keys
def assign_source_keys(items: list[Activity]) -> None:
    """Give every activity its platform's own identifier (see README: ground truth)."""
    by_platform: dict[str, list[Activity]] = {}
    for a in items:
        by_platform.setdefault(a.platform, []).append(a)

    acad = sorted(by_platform.get("academy", []), key=lambda a: (a.extra["timecreated"], a.idx))
    for i, a in enumerate(acad):
        a.source_key = str(i + 2)  # course id 1 is the site course

    seq: dict[tuple, int] = {}
    from .taxonomy import TSB_EVENT_CODES

    for a in sorted(by_platform.get("tsb_events", []), key=lambda a: (a.start, a.idx)):
        code = TSB_EVENT_CODES[a.extra["event_type"]]
        k = (a.start.year, code)
        seq[k] = seq.get(k, 0) + 1
        a.source_key = f"TSB-{a.start.year}-{code}-{seq[k]:03d}"

    br = sorted(by_platform.get("br_seminars", []), key=lambda a: (a.start, a.idx))
    wrs_per_year: dict[int, int] = {}
    for a in br:
        if a.extra["kind"] == "WRS":
            wrs_per_year[a.start.year] = wrs_per_year.get(a.start.year, 0) + 1
    wrs_seq: dict[int, int] = {}
    for a in br:
        y = a.start.year
        if a.extra["kind"] == "WRS":
            wrs_seq[y] = wrs_seq.get(y, 0) + 1
            a.source_key = f"WRS-{y}" if wrs_per_year[y] == 1 else f"WRS-{y}-{wrs_seq[y]}"
        else:
            code = geo.REGION_CODES[a.region]
            k = ("RRS", code, y)
            seq[k] = seq.get(k, 0) + 1
            a.source_key = f"RRS-{code}-{y}-{seq[k]}"

    for a in sorted(by_platform.get("regional_offices", []), key=lambda a: (a.start, a.idx)):
        office = OFFICES[a.extra["office"]]
        k = ("RO", office.office, a.start.year)
        seq[k] = seq.get(k, 0) + 1
        stem = f"{office.code}-{a.start.year}-{seq[k]:03d}"
        a.extra["file_stem"] = stem
        a.source_key = f"{office.office}:{stem}"

    for a in sorted(by_platform.get("gs_lrs", []), key=lambda a: (a.start, a.idx)):
        k = ("GS", a.start.year)
        seq[k] = seq.get(k, 0) + 1
        a.source_key = f"https://learning.itu.int/activities/gs-{a.start.year}-{seq[k]:03d}"


def build_calendar(seed: int, scale: float) -> list[Activity]:
    cal = Calendar(seed, scale)
    items = cal.build()
    rng = rng_for(seed, "academy-created")
    for a in items:
        if a.platform == "academy":
            a.extra["timecreated"] = a.start - timedelta(days=rng.randint(10, 90))
    assign_source_keys(items)
    return items
