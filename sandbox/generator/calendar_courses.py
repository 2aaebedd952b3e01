"""The activities of the course platforms, mixed into :class:`.activities.Calendar`: the ITU
Academy's courses and the GS learning record store's learning activities."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import geo
from .activity import Activity, alloc_years, course_title, draw_dates, draw_size, scaled_count
from .activity_tables import (
    ACADEMY_PER_YEAR,
    DURATIONS,
    GS_PER_YEAR,
    HQ_TRAINING_CENTRES,
    MIN_COUNTS,
    REGION_FOR,
    SIZES,
    TOPIC_WEIGHTS,
    TRAINING_CENTRES,
)
from .heldout import HELD_OUT, IN_SAMPLE
from .util import AS_OF, weighted_choice


def _academy_language_and_centre(rng: random.Random, region: str | None) -> tuple[str, str]:
    """An Academy course's language and training centre: at headquarters, or in ``region``."""
    if region is None:
        lang = weighted_choice(rng, {"en": 65, "fr": 14, "es": 12, "ar": 4, "ru": 3, "zh": 2})
        centre = rng.choice(HQ_TRAINING_CENTRES)
    else:
        lang = weighted_choice(
            rng,
            {
                "Africa": {"en": 50, "fr": 50},
                "Americas": {"es": 75, "en": 25},
                "Arab States": {"ar": 50, "en": 30, "fr": 20},
                "Asia-Pacific": {"en": 90, "zh": 10},
                "CIS": {"ru": 85, "en": 15},
                "Europe": {"en": 90, "fr": 5, "ru": 5},
            }[region],
        )
        centre = rng.choice(TRAINING_CENTRES[region])
    return lang, centre


class CourseActivities:
    """Academy courses and GS learning activities; the calendar gives ``rng``, ``scale``,
    :meth:`add`, :meth:`pick_topic` and :meth:`pick_vocabulary`."""

    rng: random.Random
    scale: float

    def academy(self) -> None:
        rng = self.rng
        n = scaled_count(sum(ACADEMY_PER_YEAR.values()), self.scale, MIN_COUNTS["academy"])
        for year in alloc_years(rng, ACADEMY_PER_YEAR, n):
            bureau = weighted_choice(rng, {"BDT": 80, "BR": 8, "TSB": 8, "GS": 4})
            region = None
            if bureau == "BDT" and rng.random() < 0.3:
                region = weighted_choice(rng, geo.REGION_MIX)
            self.add(self._academy_activity(bureau, year, region))

    def _academy_activity(
        self,
        bureau: str,
        year: int,
        region: str | None,
        topic: str | None = None,
        start: date | None = None,
    ) -> Activity:
        rng = self.rng
        if region is None:
            atype = weighted_choice(
                rng,
                {
                    "self_paced_online_course": 40,
                    "instructor_led_online_course": 42,
                    "blended_course": 7,
                    "face_to_face_training": 4,
                    "webinar": 7,
                },
            )
        else:
            atype = weighted_choice(
                rng,
                {
                    "instructor_led_online_course": 60,
                    "blended_course": 20,
                    "face_to_face_training": 20,
                },
            )
        if start is None:
            start, end = draw_dates(rng, year, atype)
        else:
            end = start + timedelta(days=rng.randint(*DURATIONS[atype]) - 1)
            if end > AS_OF:
                end = AS_OF
        end_known = not (atype == "self_paced_online_course" and rng.random() < 0.3)
        if topic is None:
            topic = self.pick_topic(TOPIC_WEIGHTS[bureau], region, bureau, start, end)
        lang, centre = _academy_language_and_centre(rng, region)
        held = self.pick_vocabulary()
        title = course_title(rng, topic, lang, held_out_rng=held)
        if region is not None and rng.random() < 0.5:
            title = f"{title} {REGION_FOR[lang][region]}"
        country = city = None
        if atype == "face_to_face_training":
            c = geo.pick_country(rng, region) if region else geo.COUNTRIES["CH"]
            country, city = c.iso2, ("Geneva" if c.iso2 == "CH" else rng.choice(c.cities))
        lo, hi = SIZES["academy"][atype]
        size = draw_size(rng, lo, hi)
        if atype == "self_paced_online_course" and rng.random() < 0.12:
            size = rng.randint(140, 300)  # a few popular self-paced courses
        return Activity(
            idx=0,
            platform="academy",
            bureau=bureau,
            org_unit=bureau,
            topic=topic,
            activity_type=atype,
            region=region,
            country=country,
            city=city,
            start=start,
            end=end,
            end_known=end_known,
            language=lang,
            title=title,
            size=size,
            extra={"training_centre": centre},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

    def gs(self) -> None:
        rng = self.rng
        n = scaled_count(sum(GS_PER_YEAR.values()), self.scale, MIN_COUNTS["gs_lrs"])
        for year in alloc_years(rng, GS_PER_YEAR, n):
            region = weighted_choice(rng, geo.REGION_MIX) if rng.random() < 0.15 else None
            self.add(self._gs_activity(year, region))

    def _gs_activity(
        self, year: int, region: str | None, topic: str | None = None, start: date | None = None
    ) -> Activity:
        rng = self.rng
        atype = weighted_choice(
            rng,
            {
                "self_paced_online_course": 28,
                "instructor_led_online_course": 30,
                "blended_course": 10,
                "webinar": 24,
                "workshop": 8,
            },
        )
        if region is not None and atype == "self_paced_online_course":
            atype = "instructor_led_online_course"
        if start is None:
            start, end = draw_dates(rng, year, atype)
        else:
            end = min(AS_OF, start + timedelta(days=rng.randint(*DURATIONS[atype]) - 1))
        if topic is None:
            topic = self.pick_topic(TOPIC_WEIGHTS["GS"], region, "GS", start, end)
        lang = weighted_choice(rng, {"en": 70, "fr": 15, "es": 15})
        held = self.pick_vocabulary()
        title = course_title(rng, topic, lang, held_out_rng=held)
        if region is not None and rng.random() < 0.5:
            title = f"{title} {REGION_FOR[lang][region]}"
        lo, hi = SIZES["gs_lrs"][atype]
        country = city = None
        if atype == "workshop":
            c = geo.pick_country(rng, region) if region else geo.COUNTRIES["CH"]
            country, city = c.iso2, ("Geneva" if c.iso2 == "CH" else rng.choice(c.cities))
        return Activity(
            idx=0,
            platform="gs_lrs",
            bureau="GS",
            org_unit="GS",
            topic=topic,
            activity_type=atype,
            region=region,
            country=country,
            city=city,
            start=start,
            end=end,
            end_known=True,
            language=lang,
            title=title,
            size=draw_size(rng, lo, hi),
            extra={},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )
