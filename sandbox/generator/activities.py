"""The activity calendar of every organizational unit, 2018-01-01 .. AS_OF. The duplicates the
generator intends, its near misses and the courses of same-period neighbours: ``courses``."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from . import courses, geo
from .heldout import (
    HELD_OUT,
    HELD_OUT_SHARE,
    HELD_OUT_TITLES,
    IN_SAMPLE,
)
from .offices import OFFICES
from .taxonomy import REGIONAL_TYPE_TERMS, TITLES, TSB_EVENT_TYPES
from .util import AS_OF, START, YEARS, rng_for, weighted_choice

# Scale-1 volumes per year (2026 runs to AS_OF only).
ACADEMY_PER_YEAR = dict(zip(YEARS, (110, 130, 175, 185, 175, 170, 170, 165, 135), strict=True))
TSB_PER_YEAR = dict(zip(YEARS, (70, 75, 95, 95, 85, 80, 80, 80, 65), strict=True))
RRS_PER_YEAR = dict(zip(YEARS, (10, 10, 6, 8, 10, 11, 11, 11, 9), strict=True))
REGIONAL_PER_OFFICE_YEAR = 15
GS_PER_YEAR = dict(zip(YEARS, (22, 25, 30, 32, 32, 30, 30, 30, 26), strict=True))

# Minimum counts so that tiny scales still exercise every platform.
MIN_COUNTS = {
    "academy": 8,
    "tsb_events": 6,
    "wrs": 1,
    "rrs": 3,
    "regional_per_office": 2,
    "gs_lrs": 5,
}

BR_TOPICS = {
    "spectrum_management": 60,
    "satellite_services": 25,
    "emergency_telecommunications": 8,
    "broadband_infrastructure": 7,
}
TOPIC_WEIGHTS = {
    "BDT": {
        "digital_transformation": 10,
        "cybersecurity": 10,
        "ict_policy_regulation": 10,
        "spectrum_management": 8,
        "broadband_infrastructure": 8,
        "digital_inclusion_accessibility": 8,
        "emergency_telecommunications": 5,
        "digital_financial_services": 5,
        "iot_smart_cities": 5,
        "artificial_intelligence": 7,
        "quality_of_service": 5,
        "environment_ewaste": 4,
        "ict_statistics": 5,
        "standardization_conformity": 3,
        "satellite_services": 3,
    },
    "BR": {
        "spectrum_management": 60,
        "satellite_services": 30,
        "emergency_telecommunications": 5,
        "broadband_infrastructure": 5,
    },
    "TSB": {
        "standardization_conformity": 15,
        "quality_of_service": 10,
        "iot_smart_cities": 10,
        "artificial_intelligence": 10,
        "cybersecurity": 10,
        "digital_financial_services": 6,
        "environment_ewaste": 6,
        "emergency_telecommunications": 3,
        "broadband_infrastructure": 5,
        "digital_transformation": 3,
    },
    "GS": {
        "digital_transformation": 20,
        "artificial_intelligence": 15,
        "ict_policy_regulation": 10,
        "cybersecurity": 10,
        "digital_inclusion_accessibility": 15,
        "ict_statistics": 10,
        "environment_ewaste": 5,
    },
}
STUDY_GROUPS = {
    "cybersecurity": "SG17",
    "iot_smart_cities": "SG20",
    "quality_of_service": "SG12",
    "standardization_conformity": "SG11",
    "environment_ewaste": "SG5",
    "digital_financial_services": "SG3",
    "broadband_infrastructure": "SG15",
    "artificial_intelligence": "SG13",
    "digital_inclusion_accessibility": "SG16",
    "emergency_telecommunications": "SG2",
    "digital_transformation": "SG20",
}

REGION_FOR = {
    "en": {
        "Africa": "for Africa",
        "Americas": "for the Americas",
        "Arab States": "for the Arab States",
        "Asia-Pacific": "for Asia and the Pacific",
        "CIS": "for the CIS region",
        "Europe": "for Europe",
    },
    "fr": {
        "Africa": "pour l'Afrique",
        "Americas": "pour les Amériques",
        "Arab States": "pour les États arabes",
        "Asia-Pacific": "pour l'Asie-Pacifique",
        "CIS": "pour la région CEI",
        "Europe": "pour l'Europe",
    },
    "es": {
        "Africa": "para África",
        "Americas": "para las Américas",
        "Arab States": "para los Estados Árabes",
        "Asia-Pacific": "para Asia-Pacífico",
        "CIS": "para la región de la CEI",
        "Europe": "para Europa",
    },
    "ru": {
        "Africa": "для Африки",
        "Americas": "для Америки",
        "Arab States": "для арабских государств",
        "Asia-Pacific": "для Азиатско-Тихоокеанского региона",
        "CIS": "для региона СНГ",
        "Europe": "для Европы",
    },
    "ar": {
        "Africa": "لأفريقيا",
        "Americas": "للأمريكتين",
        "Arab States": "للمنطقة العربية",
        "Asia-Pacific": "لآسيا والمحيط الهادئ",
        "CIS": "لكومنولث الدول المستقلة",
        "Europe": "لأوروبا",
    },
    "zh": {
        "Africa": "（非洲）",
        "Americas": "（美洲）",
        "Arab States": "（阿拉伯国家）",
        "Asia-Pacific": "（亚太）",
        "CIS": "（独联体）",
        "Europe": "（欧洲）",
    },
}

# Centres of Excellence that host the Academy's regional courses (training_centre field).
TRAINING_CENTRES = {
    "Africa": (
        "CoE Africa – ESMT Dakar",
        "CoE Africa – AFRALTI Nairobi",
        "CoE Africa – Digital Transformation Centre Kigali",
    ),
    "Americas": ("CoE Americas – INICTEL-UNI Lima", "CoE Americas – Universidad de Chile"),
    "Arab States": ("CoE Arab States – NTI Cairo", "CoE Arab States – Digital Academy Muscat"),
    "Asia-Pacific": (
        "CoE Asia-Pacific – APT Bangkok",
        "CoE Asia-Pacific – KISA Seoul",
        "CoE Asia-Pacific – C-DOT New Delhi",
    ),
    "CIS": (
        "CoE CIS – MTUCI Moscow",
        "CoE CIS – Almaty University of Power Engineering and Telecommunications",
    ),
    "Europe": (
        "CoE Europe – Tallinn University of Technology",
        "CoE Europe – Universidad Politécnica de Madrid",
    ),
}
HQ_TRAINING_CENTRES = ("", "", "", "ITU Academy (Geneva)", "ITU HQ")

ORG_UNITS_RO = {o.region: f"RO-{o.code}" for o in OFFICES.values()}


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


def _lower_first(text: str) -> str:
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


DURATIONS = {
    "self_paced_online_course": (56, 180),
    "instructor_led_online_course": (21, 56),
    "blended_course": (30, 90),
    "face_to_face_training": (3, 10),
    "workshop": (1, 5),
    "seminar": (3, 5),
    "webinar": (1, 1),
    "forum": (1, 3),
    "tutorial": (1, 1),
}
SIZES = {
    "academy": {
        "self_paced_online_course": (15, 130),
        "instructor_led_online_course": (18, 55),
        "blended_course": (14, 35),
        "face_to_face_training": (12, 28),
        "webinar": (40, 160),
    },
    "tsb_events": {
        "Workshop": (20, 60),
        "Tutorial": (12, 40),
        "Webinar": (30, 120),
        "Forum": (30, 100),
        "Training": (12, 30),
        "Hackathon": (12, 35),
    },
    "regional_offices": {
        "workshop": (12, 40),
        "seminar": (15, 45),
        "webinar": (25, 80),
        "forum": (25, 60),
        "face_to_face_training": (10, 25),
    },
    "gs_lrs": {
        "self_paced_online_course": (15, 50),
        "instructor_led_online_course": (10, 28),
        "blended_course": (8, 22),
        "webinar": (15, 60),
        "workshop": (8, 22),
    },
}


def _size(rng: random.Random, lo: int, hi: int) -> int:
    # Triangular, skewed to the lower half: most activities are small.
    return int(round(rng.triangular(lo, hi, lo + (hi - lo) * 0.3)))


def _dates(rng: random.Random, year: int, activity_type: str, lo_hi: tuple[int, int] | None = None):
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


def _alloc_years(rng: random.Random, per_year: dict[int, float], total: int) -> list[int]:
    years = list(per_year)
    return sorted(rng.choices(years, weights=[per_year[y] for y in years], k=total))


def _count(base: float, scale: float, minimum: int) -> int:
    return max(minimum, int(round(base * scale)))


class Calendar:
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

    def br(self) -> None:
        rng = self.rng
        n_wrs = _count(len(YEARS), self.scale, MIN_COUNTS["wrs"])
        n_rrs = _count(sum(RRS_PER_YEAR.values()), self.scale, MIN_COUNTS["rrs"])
        wrs_years = _alloc_years(rng, dict.fromkeys(YEARS, 1), n_wrs)
        if n_wrs <= len(YEARS):
            wrs_years = sorted(rng.sample(YEARS, n_wrs))
        rrs_years = _alloc_years(rng, RRS_PER_YEAR, n_rrs)
        # Tiny scales still need a legacy (CSV) year and a workbook year.
        if not any(y <= 2019 for y in wrs_years + rrs_years):
            rrs_years[0] = 2019
        if not any(y >= 2020 for y in wrs_years + rrs_years):
            rrs_years[-1] = 2024
        for year in wrs_years:
            start, end = _dates(rng, year, "seminar", (5, 5))
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
            start, end = _dates(rng, year, "seminar")
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
            size = _size(rng, 110, 240)
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
            size = _size(rng, 28, 75)
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
        n = _count(sum(TSB_PER_YEAR.values()), self.scale, MIN_COUNTS["tsb_events"])
        for year in _alloc_years(rng, TSB_PER_YEAR, n):
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
            start, end = _dates(rng, year, atype, (2, 3) if et == "Hackathon" else None)
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
        word = {
            "en": et,
            "fr": {
                "Workshop": "Atelier",
                "Training": "Formation",
                "Forum": "Forum",
                "Tutorial": "Tutoriel",
                "Hackathon": "Hackathon",
            }.get(et, et),
            "es": {
                "Workshop": "Taller",
                "Training": "Capacitación",
                "Forum": "Foro",
                "Tutorial": "Tutorial",
                "Hackathon": "Hackathon",
            }.get(et, et),
        }[lang]
        if lang == "en":
            pattern = rng.choice(("ITU {w} on {b}", "{B}: {w}", "ITU-T {w}: {B}"))
        elif lang == "fr":
            pattern = rng.choice(("{w} de l'UIT : {B}", "{w} UIT sur {b}"))
        else:
            pattern = rng.choice(("{w} de la UIT sobre {b}", "{w} UIT: {B}"))
        title = pattern.format(w=word, b=_lower_first(base), B=base)
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
            size=_size(rng, lo, hi),
            extra={"event_type": et, "format": fmt, "study_group": sg, "languages": languages},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

    def academy(self) -> None:
        rng = self.rng
        n = _count(sum(ACADEMY_PER_YEAR.values()), self.scale, MIN_COUNTS["academy"])
        for year in _alloc_years(rng, ACADEMY_PER_YEAR, n):
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
            start, end = _dates(rng, year, atype)
        else:
            end = start + timedelta(days=rng.randint(*DURATIONS[atype]) - 1)
            if end > AS_OF:
                end = AS_OF
        end_known = not (atype == "self_paced_online_course" and rng.random() < 0.3)
        if topic is None:
            topic = self.pick_topic(TOPIC_WEIGHTS[bureau], region, bureau, start, end)
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
        held = self.pick_vocabulary()
        title = course_title(rng, topic, lang, held_out_rng=held)
        if region is not None and rng.random() < 0.5:
            title = f"{title} {REGION_FOR[lang][region]}"
        country = city = None
        if atype == "face_to_face_training":
            c = geo.pick_country(rng, region) if region else geo.COUNTRIES["CH"]
            country, city = c.iso2, ("Geneva" if c.iso2 == "CH" else rng.choice(c.cities))
        lo, hi = SIZES["academy"][atype]
        size = _size(rng, lo, hi)
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
        n = _count(sum(GS_PER_YEAR.values()), self.scale, MIN_COUNTS["gs_lrs"])
        for year in _alloc_years(rng, GS_PER_YEAR, n):
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
            start, end = _dates(rng, year, atype)
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
            size=_size(rng, lo, hi),
            extra={},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

    def regional(self) -> None:
        rng = self.rng
        per_year = dict.fromkeys(YEARS, REGIONAL_PER_OFFICE_YEAR)
        per_year[AS_OF.year] = REGIONAL_PER_OFFICE_YEAR * 0.8
        for office in OFFICES.values():
            n = _count(sum(per_year.values()), self.scale, MIN_COUNTS["regional_per_office"])
            for year in _alloc_years(rng, per_year, n):
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
            start, end = _dates(
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
                    f"Regional {word.lower()} on {_lower_first(base)}",
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
                (f"{word} regional: {base}", f"{word} sobre {_lower_first(base)}", base)
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
            size=_size(rng, lo, hi),
            extra={"office": office.office, "type_term": word},
            vocabulary=IN_SAMPLE if held is None else HELD_OUT,
        )

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
