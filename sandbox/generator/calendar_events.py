"""The activities of the event platforms, mixed into :class:`.activities.Calendar`: BR's world
and regional radiocommunication seminars, TSB's events and the regional offices' events."""

from __future__ import annotations

import random
from datetime import date, timedelta

from . import geo
from .activity import (
    Activity,
    alloc_years,
    course_title,
    draw_dates,
    draw_size,
    lower_first,
    scaled_count,
)
from .activity_tables import (
    BR_TOPICS,
    DURATIONS,
    MIN_COUNTS,
    ORG_UNITS_RO,
    REGION_FOR,
    REGIONAL_PER_OFFICE_YEAR,
    RRS_PER_YEAR,
    SIZES,
    STUDY_GROUPS,
    TOPIC_WEIGHTS,
    TSB_PER_YEAR,
)
from .heldout import HELD_OUT, IN_SAMPLE
from .offices import OFFICES
from .taxonomy import REGIONAL_TYPE_TERMS, TSB_EVENT_TYPES
from .util import AS_OF, YEARS, weighted_choice

#: The TSB event type's word in French and Spanish titles (English titles use the type).
_TSB_WORDS = {
    "fr": {
        "Workshop": "Atelier",
        "Training": "Formation",
        "Forum": "Forum",
        "Tutorial": "Tutoriel",
        "Hackathon": "Hackathon",
    },
    "es": {
        "Workshop": "Taller",
        "Training": "Capacitación",
        "Forum": "Foro",
        "Tutorial": "Tutorial",
        "Hackathon": "Hackathon",
    },
}


def _tsb_title(rng: random.Random, et: str, lang: str, base: str) -> str:
    """A TSB event's title in ``lang``: its type's word around a course-like ``base``."""
    word = et if lang == "en" else _TSB_WORDS[lang].get(et, et)
    if lang == "en":
        pattern = rng.choice(("ITU {w} on {b}", "{B}: {w}", "ITU-T {w}: {B}"))
    elif lang == "fr":
        pattern = rng.choice(("{w} de l'UIT : {B}", "{w} UIT sur {b}"))
    else:
        pattern = rng.choice(("{w} de la UIT sobre {b}", "{w} UIT: {B}"))
    return pattern.format(w=word, b=lower_first(base), B=base)


class EventActivities:
    """BR seminars, TSB events and regional offices' events; the calendar gives ``rng``,
    ``scale``, :meth:`add`, :meth:`pick_topic` and :meth:`pick_vocabulary`."""

    rng: random.Random
    scale: float

    def br(self) -> None:
        rng = self.rng
        n_wrs = scaled_count(len(YEARS), self.scale, MIN_COUNTS["wrs"])
        n_rrs = scaled_count(sum(RRS_PER_YEAR.values()), self.scale, MIN_COUNTS["rrs"])
        wrs_years = alloc_years(rng, dict.fromkeys(YEARS, 1), n_wrs)
        if n_wrs <= len(YEARS):
            wrs_years = sorted(rng.sample(YEARS, n_wrs))
        rrs_years = alloc_years(rng, RRS_PER_YEAR, n_rrs)
        # Tiny scales still need a legacy (CSV) year and a workbook year.
        if not any(y <= 2019 for y in wrs_years + rrs_years):
            rrs_years[0] = 2019
        if not any(y >= 2020 for y in wrs_years + rrs_years):
            rrs_years[-1] = 2024
        for year in wrs_years:
            start, end = draw_dates(rng, year, "seminar", (5, 5))
            lang = "en" if rng.random() < 0.8 else "fr"
            self.add(self._br_activity("WRS", None, "spectrum_management", start, end, lang))
        regions = {
            "Africa": 3,
            "Americas": 2,
            "Arab States": 2,
            "Asia-Pacific": 2,
            "CIS": 1.5,
            "Europe": 1,
        }
        for year in rrs_years:
            region = weighted_choice(rng, regions)
            start, end = draw_dates(rng, year, "seminar")
            topic = self.pick_topic(BR_TOPICS, region, "BR", start, end)
            lang = self._br_lang(region)
            self.add(self._br_activity("RRS", region, topic, start, end, lang))

    def _br_lang(self, region: str) -> str:
        if region in ("Africa", "Arab States"):
            return "fr" if self.rng.random() < 0.45 else "en"
        if region == "Americas":
            return "es" if self.rng.random() < 0.4 else "en"
        return "en"

    def _br_activity(self, kind, region, topic, start, end, lang) -> Activity:
        rng = self.rng
        held = None
        if kind == "WRS":
            country = geo.COUNTRIES["CH"]
            city = "Geneva"
            yy = str(start.year)[2:]
            title = {
                "en": f"World Radiocommunication Seminar {start.year} (WRS-{yy})",
                "fr": f"Séminaire mondial des radiocommunications {start.year} (WRS-{yy})",
            }[lang]
            size = draw_size(rng, 110, 240)
        else:
            country = geo.pick_country(rng, region)
            city = rng.choice(country.cities)
            held = self.pick_vocabulary()
            base = course_title(rng, topic, lang, held_out_rng=held)
            where = REGION_FOR[lang][region]
            title = {
                "en": f"Regional Radiocommunication Seminar {start.year} {where}: {base}",
                "fr": f"Séminaire régional des radiocommunications {start.year} {where} : {base}",
                "es": f"Seminario Regional de Radiocomunicaciones {start.year} {where}: {base}",
            }[lang]
            size = draw_size(rng, 28, 75)
        return Activity(
            idx=0,
            platform="br_seminars",
            bureau="BR",
            org_unit="BR",
            topic=topic,
            activity_type="seminar",
            region=region,
            country=country.iso2,
            city=city,
            start=start,
            end=end,
            end_known=True,
            language=lang,
            title=title,
            size=size,
            extra={"kind": kind},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

    def tsb(self) -> None:
        rng = self.rng
        n = scaled_count(sum(TSB_PER_YEAR.values()), self.scale, MIN_COUNTS["tsb_events"])
        for year in alloc_years(rng, TSB_PER_YEAR, n):
            covid = year in (2020, 2021)
            et = weighted_choice(
                rng,
                {
                    "Workshop": 35,
                    "Webinar": 45 if covid else 20,
                    "Tutorial": 12,
                    "Forum": 10,
                    "Training": 13,
                    "Hackathon": 5,
                },
            )
            self.add(self._tsb_activity(et, year, regional=None))

    def _tsb_activity(
        self,
        et: str,
        year: int,
        regional: str | None,
        topic: str | None = None,
        start: date | None = None,
    ) -> Activity:
        rng = self.rng
        covid = year in (2020, 2021)
        if et == "Webinar":
            fmt = "virtual"
        elif et == "Training":
            fmt = rng.choice(("in_person", "in_person", "hybrid"))
        else:
            fmt = weighted_choice(
                rng,
                {"in_person": 20 if covid else 50, "hybrid": 30, "virtual": 50 if covid else 20},
            )
        if regional is not None and fmt == "virtual":
            fmt = "in_person"
        atype = TSB_EVENT_TYPES[et]
        if start is None:
            start, end = draw_dates(rng, year, atype, (2, 3) if et == "Hackathon" else None)
        else:
            end = start + timedelta(days=rng.randint(*DURATIONS[atype]) - 1)
        country = city = region = None
        if fmt != "virtual":
            if regional is not None or rng.random() < 0.42:
                region = regional or weighted_choice(rng, geo.REGION_MIX)
                c = geo.pick_country(rng, region)
                if c.iso2 == "CH":
                    c = geo.COUNTRIES["FR"]
            else:
                c = geo.COUNTRIES["CH"]
            country, city = c.iso2, ("Geneva" if c.iso2 == "CH" else rng.choice(c.cities))
        if topic is None:
            topic = self.pick_topic(TOPIC_WEIGHTS["TSB"], region, "TSB", start, end)
        lang = "en"
        if region == "Africa" and rng.random() < 0.3:
            lang = "fr"
        elif region == "Americas" and rng.random() < 0.3:
            lang = "es"
        held = self.pick_vocabulary()
        base = course_title(rng, topic, lang, held_out_rng=held)
        title = _tsb_title(rng, et, lang, base)
        if region is not None:
            if rng.random() < 0.5:
                title += f" {REGION_FOR[lang][region]}"
            else:
                title += f" ({city}, {geo.country_name(geo.COUNTRIES[country], lang)})"
        sg = STUDY_GROUPS.get(topic) if rng.random() < 0.6 else None
        lo, hi = SIZES["tsb_events"][et]
        languages = ["en"] if lang == "en" else ["en", lang]
        if et == "Forum" or rng.random() < 0.1:
            languages = (
                ["ar", "zh", "en", "fr", "ru", "es"] if et == "Forum" else ["en", "fr", "es"]
            )
        return Activity(
            idx=0,
            platform="tsb_events",
            bureau="TSB",
            org_unit="TSB",
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
            extra={"event_type": et, "format": fmt, "study_group": sg, "languages": languages},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

    def regional(self) -> None:
        rng = self.rng
        per_year = dict.fromkeys(YEARS, REGIONAL_PER_OFFICE_YEAR)
        per_year[AS_OF.year] = REGIONAL_PER_OFFICE_YEAR * 0.8
        for office in OFFICES.values():
            n = scaled_count(sum(per_year.values()), self.scale, MIN_COUNTS["regional_per_office"])
            for year in alloc_years(rng, per_year, n):
                self.add(self._regional_activity(office.office, year))

    def _regional_activity(
        self, office_name: str, year: int, topic: str | None = None, start: date | None = None
    ) -> Activity:
        rng = self.rng
        office = OFFICES[office_name]
        atype = weighted_choice(
            rng,
            {
                "workshop": 40,
                "seminar": 20,
                "webinar": 15,
                "forum": 10,
                "face_to_face_training": 15,
            },
        )
        if start is None:
            start, end = draw_dates(
                rng, year, atype, (2, 5) if atype == "face_to_face_training" else None
            )
        else:
            lo, hi = (2, 5) if atype == "face_to_face_training" else DURATIONS[atype]
            end = min(AS_OF, start + timedelta(days=rng.randint(lo, hi) - 1))
        unit = ORG_UNITS_RO[office.region]
        if topic is None:
            topic = self.pick_topic(TOPIC_WEIGHTS["BDT"], office.region, unit, start, end)
        lang = weighted_choice(rng, office.languages)
        word = rng.choice(REGIONAL_TYPE_TERMS[lang][atype])
        held = self.pick_vocabulary()
        base = course_title(rng, topic, lang, held_out_rng=held)
        if lang == "en":
            title = rng.choice(
                (
                    f"Regional {word.lower()} on {lower_first(base)}",
                    f"{base} {word.lower()}",
                    f"{base}",
                )
            )
        elif lang == "fr":
            title = rng.choice(
                (f"{word} régional : {base}", f"{word} sur le thème « {base} »", base)
            )
        elif lang == "es":
            title = rng.choice(
                (f"{word} regional: {base}", f"{word} sobre {lower_first(base)}", base)
            )
        else:
            title = rng.choice((f"{base} ({word})", base))
        title = title[:1].upper() + title[1:]
        venue = geo.pick_country(rng, office.region)
        city = rng.choice(venue.cities)
        if atype == "webinar":
            venue_iso, city = None, None
        else:
            venue_iso = venue.iso2
        lo, hi = SIZES["regional_offices"][atype]
        return Activity(
            idx=0,
            platform="regional_offices",
            bureau="BDT",
            org_unit=unit,
            topic=topic,
            activity_type=atype,
            region=office.region,
            country=venue_iso,
            city=city,
            start=start,
            end=end,
            end_known=True,
            language=lang,
            title=title,
            size=draw_size(rng, lo, hi),
            extra={"office": office.office, "type_term": word},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )
