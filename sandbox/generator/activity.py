"""One activity: the record every platform renders, and how its dates, size, volume per year
and course title are drawn."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import courses
from .activity_tables import DURATIONS
from .heldout import HELD_OUT_TITLES, IN_SAMPLE
from .taxonomy import TITLES
from .util import AS_OF, START


@dataclass
class Activity:
    idx: int
    platform: str
    bureau: str
    org_unit: str
    topic: str
    activity_type: str
    region: str | None
    country: str | None  # venue ISO alpha-2, None when online
    city: str | None
    start: date
    end: date
    end_known: bool  # False when the platform does not record an end (Moodle enddate 0)
    language: str
    title: str
    size: int
    extra: dict = field(default_factory=dict)
    dup_group: int | None = None
    course: courses.Course | None = None  # set for regional activities with neighbours (courses)
    source_key: str = ""
    participants: list[int] = field(default_factory=list)
    vocabulary: str = IN_SAMPLE  # which vocabulary its wording came from (heldout.py)
    course_vocabulary: str | None = None  # ... and its course name's (courses.retitle)

    @property
    def activity_key(self) -> str:
        return f"{self.platform}:{self.source_key}"

    @property
    def effective_end(self) -> date:
        return self.end if self.end_known else self.start


def lower_first(text: str) -> str:
    """``text`` with its first letter lowered when it starts a word (not an acronym)."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def course_title(
    rng: random.Random,
    topic: str,
    lang: str,
    avoid: str | None = None,
    held_out_rng: random.Random | None = None,
) -> str:
    """A course-like title on ``topic`` in ``lang``: from the in-sample titles, or, when
    ``held_out_rng`` is given, from the held-out ones (picked with that generator; ``rng`` is
    drawn from the same way in both cases, so the rest of the sandbox does not change)."""
    options = TITLES[topic].get(lang) or TITLES[topic]["en"]
    choices = [t for t in options if t != avoid] or list(options)
    title = rng.choice(choices)
    if held_out_rng is None:
        return title
    options = HELD_OUT_TITLES[topic].get(lang) or HELD_OUT_TITLES[topic]["en"]
    choices = [t for t in options if t != avoid] or list(options)
    return held_out_rng.choice(choices)


def draw_size(rng: random.Random, lo: int, hi: int) -> int:
    """The number of participants of an activity sized ``lo`` .. ``hi``."""
    # Triangular, skewed to the lower half: most activities are small.
    return int(round(rng.triangular(lo, hi, lo + (hi - lo) * 0.3)))


def draw_dates(
    rng: random.Random, year: int, activity_type: str, lo_hi: tuple[int, int] | None = None
) -> tuple[date, date]:
    """First and last day of an activity of ``activity_type`` in ``year`` (``lo_hi``: its
    length in days, instead of the type's)."""
    lo, hi = lo_hi or DURATIONS[activity_type]
    days = rng.randint(lo, hi)
    first = date(year, 1, 8) if year > START.year else START
    last = min(date(year, 12, 15), AS_OF - timedelta(days=days + 3))
    if last < first:
        last = first
    start = first + timedelta(days=rng.randint(0, (last - first).days))
    if days <= 10:  # short events start on a weekday
        while start.weekday() >= 5:
            start -= timedelta(days=1)
    return start, start + timedelta(days=days - 1)


def alloc_years(rng: random.Random, per_year: dict[int, float], total: int) -> list[int]:
    """The years of ``total`` activities, by the weights of ``per_year``, sorted."""
    years = list(per_year)
    return sorted(rng.choices(years, weights=[per_year[y] for y in years], k=total))


def scaled_count(base: float, scale: float, minimum: int) -> int:
    """``base`` at ``scale``, never under ``minimum``."""
    return max(minimum, int(round(base * scale)))
