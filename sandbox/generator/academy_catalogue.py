"""The ITU Academy's catalogue as Moodle's web services return it: the category tree
(core_course_get_categories) and the course objects (core_course_get_courses), with the
per-course settings the enrolments follow (completion tracking, certificate, graded items)."""

from __future__ import annotations

import random
from datetime import timedelta

from . import courses
from .activity import Activity
from .activity_tables import REGION_FOR
from .heldout import HELD_OUT, HELD_OUT_ACADEMY_DELIVERY_MODE
from .taxonomy import ACADEMY_DELIVERY_MODE, TOPIC_ABBR, TOPICS
from .util import AS_OF, epoch

SITE_TIME = epoch(AS_OF.replace(year=2017, month=6, day=1), 9)
CAP = epoch(AS_OF, 23, 59, 59)

BUREAU_CATEGORIES = {
    "BDT": (2, "Telecommunication Development (BDT)"),
    "BR": (3, "Radiocommunication (BR)"),
    "TSB": (4, "Standardization (TSB)"),
    "GS": (5, "General Secretariat (GS)"),
}
BUREAU_SELECT = {"BDT": "1", "BR": "2", "TSB": "3", "GS": "4"}
MOODLE_LANG = {"en": "en", "fr": "fr", "es": "es", "ru": "ru", "ar": "ar", "zh": "zh_cn"}
SUMMARIES = {
    "en": "<p>This course covers <strong>{t}</strong>: concepts, regulatory practice and case studies.</p><p>Target audience: regulators, policy makers, operators and academia.</p>",  # noqa: E501
    "fr": "<p>Ce cours porte sur <strong>{t}</strong> : notions, pratiques réglementaires et études de cas.</p><p>Public cible : régulateurs, décideurs, opérateurs et universités.</p>",  # noqa: E501
    "es": "<p>Este curso trata de <strong>{t}</strong>: conceptos, práctica regulatoria y estudios de caso.</p><p>Público destinatario: reguladores, responsables políticos y operadores.</p>",  # noqa: E501
    "ru": "<p>Курс посвящён теме «<strong>{t}</strong>»: основные понятия, практика регулирования, примеры.</p>",  # noqa: E501
    "ar": '<p dir="rtl">تتناول هذه الدورة موضوع <strong>{t}</strong>: المفاهيم والممارسات التنظيمية ودراسات الحالة.</p>',  # noqa: E501
    "zh": "<p>本课程介绍<strong>{t}</strong>：基本概念、监管实践和案例研究。</p>",
}


def _category_tree() -> tuple[list[dict], dict[str, int], dict[str, int]]:
    """The categories (id, name, description, parent, path), and the category id of each
    topic and of each region's Centres of Excellence."""
    cats = [
        {
            "id": 1,
            "name": "ITU Academy",
            "description": "<p>ITU Academy training catalogue</p>",
            "parent": 0,
            "path": "/1",
        },
    ]
    for _bureau, (cid, name) in BUREAU_CATEGORIES.items():
        cats.append(
            {
                "id": cid,
                "name": name,
                "description": f"<p>Courses of {name}</p>",
                "parent": 1,
                "path": f"/1/{cid}",
            }
        )
    next_id = 6
    topic_cat = {}
    for topic in TOPICS:
        topic_cat[topic] = next_id
        cats.append(
            {
                "id": next_id,
                "name": TOPICS[topic]["en"],
                "description": "",
                "parent": 2,
                "path": f"/1/2/{next_id}",
            }
        )
        next_id += 1
    coe_id = next_id
    cats.append(
        {
            "id": coe_id,
            "name": "Centres of Excellence",
            "description": "<p>Courses delivered by the ITU Centres of Excellence network</p>",
            "parent": 2,
            "path": f"/1/2/{coe_id}",
        }
    )
    next_id += 1
    region_cat = {}
    for region in ("Africa", "Americas", "Arab States", "Asia-Pacific", "CIS", "Europe"):
        region_cat[region] = next_id
        cats.append(
            {
                "id": next_id,
                "name": f"CoE {region}",
                "description": "",
                "parent": coe_id,
                "path": f"/1/2/{coe_id}/{next_id}",
            }
        )
        next_id += 1
    return cats, topic_cat, region_cat


def _categories(activities: list[Activity]) -> tuple[list[dict], dict[int, int]]:
    """The category tree and each course's category id."""
    cats, topic_cat, region_cat = _category_tree()
    course_cat = {}
    for a in activities:
        if a.bureau != "BDT":
            course_cat[a.idx] = BUREAU_CATEGORIES[a.bureau][0]
        elif a.region is not None:
            course_cat[a.idx] = region_cat[a.region]
        else:
            course_cat[a.idx] = topic_cat[a.topic]
    counts: dict[int, int] = {}
    for cid in course_cat.values():
        counts[cid] = counts.get(cid, 0) + 1
    out = []
    for i, c in enumerate(cats):
        out.append(
            {
                "id": c["id"],
                "name": c["name"],
                "description": c["description"],
                "parent": c["parent"],
                "sortorder": (i + 1) * 10000,
                "coursecount": counts.get(c["id"], 0),
                "depth": c["path"].count("/"),
                "path": c["path"],
            }
        )
    return out, course_cat


def _multilang(rng, a: Activity, held_rng) -> tuple[str, str]:
    """(fullname, displayname): multilang spans for some courses, plain for others."""
    if a.language not in ("en", "fr", "es") or rng.random() > 0.35:
        return a.title, a.title
    others = [x for x in ("en", "fr", "es") if x != a.language]
    langs = [a.language, others[0]] if a.language != "en" else ["en", "fr"]
    if rng.random() < 0.3:
        langs.append(others[1] if langs[1] == others[0] else others[0])
    spans = []
    for lang in langs:
        if lang == a.language:
            text = a.title
        else:
            text = courses.title_in(rng, a, lang, held_out_rng=held_rng)
            if a.region is not None and a.title.endswith(REGION_FOR[a.language][a.region]):
                text = f"{text} {REGION_FOR[lang][a.region]}"
        spans.append(f'<span lang="{lang}" class="multilang">{text}</span>')
    return "".join(spans), a.title


def _site_course() -> dict:
    """Course 1: the site itself, as core_course_get_courses lists it."""
    return {
        "id": 1,
        "fullname": "ITU Academy",
        "displayname": "ITU Academy",
        "shortname": "ITU Academy",
        "categoryid": 0,
        "categoryname": "",
        "summary": "<p>Welcome to the ITU Academy</p>",
        "format": "site",
        "startdate": 0,
        "enddate": 0,
        "visible": 1,
        "lang": "",
        "enablecompletion": 0,
        "timecreated": SITE_TIME,
        "timemodified": SITE_TIME,
        "customfields": [],
    }


def _custom_fields(bureau: str, mode: str, centre: str) -> list[dict]:
    """A course's custom fields: bureau (a select), delivery mode and training centre."""
    return [
        {
            "name": "Bureau",
            "shortname": "bureau",
            "type": "select",
            "valueraw": BUREAU_SELECT.get(bureau, ""),
            "value": bureau,
        },
        {
            "name": "Delivery mode",
            "shortname": "delivery_mode",
            "type": "text",
            "valueraw": mode,
            "value": mode,
        },
        {
            "name": "Training centre",
            "shortname": "training_centre",
            "type": "text",
            "valueraw": centre,
            "value": centre,
        },
    ]


def catalogue(
    rng: random.Random, held_rng: random.Random, courses: list[Activity]
) -> tuple[list[dict], list[dict], dict[int, dict]]:
    """(categories, course objects, per course id: its activity and settings), ``courses``
    sorted by course id."""
    categories, course_cat = _categories(courses)
    cat_name = {c["id"]: c["name"] for c in categories}

    course_objs = [_site_course()]
    meta: dict[int, dict] = {}
    short_seq: dict[str, int] = {}
    for a in courses:
        cid = int(a.source_key)
        fullname, displayname = _multilang(rng, a, held_rng)
        abbr = f"{TOPIC_ABBR[a.topic]}{str(a.start.year)[2:]}"
        short_seq[abbr] = short_seq.get(abbr, 0) + 1
        shortname = f"{abbr}-{short_seq[abbr]:03d}" + (
            "" if a.language == "en" else f"-{a.language.upper()}"
        )
        if a.activity_type == "self_paced_online_course":
            fmt = "singleactivity" if rng.random() < 0.2 else "topics"
        elif a.activity_type == "instructor_led_online_course":
            fmt = rng.choice(("weeks", "topics"))
        else:
            fmt = "topics"
        enablecompletion = 1 if rng.random() < 0.75 else 0
        has_cert = (
            rng.random() < (0.75 if enablecompletion else 0.3) and a.activity_type != "webinar"
        )
        n_items = 0 if a.activity_type == "webinar" else rng.choice((1, 2, 2, 3, 3, 4))
        lang = "" if (a.language == "en" and rng.random() < 0.3) else MOODLE_LANG[a.language]
        tc = epoch(a.extra["timecreated"], rng.randint(7, 17), rng.randint(0, 59))
        tm = min(
            CAP, epoch(min(AS_OF, a.end + timedelta(days=rng.randint(0, 60))), rng.randint(7, 18))
        )
        tm = max(tm, tc)
        bureau_val = a.bureau if not (a.bureau == "BDT" and rng.random() < 0.08) else ""
        modes = ACADEMY_DELIVERY_MODE[a.activity_type]
        mode_val = rng.choice(modes) if rng.random() > 0.06 else ""
        if mode_val and a.vocabulary == HELD_OUT:
            mode_val = held_rng.choice(HELD_OUT_ACADEMY_DELIVERY_MODE[a.activity_type])
        centre = a.extra["training_centre"]
        custom = _custom_fields(bureau_val, mode_val, centre)
        course_objs.append(
            {
                "id": cid,
                "fullname": fullname,
                "displayname": displayname,
                "shortname": shortname,
                "categoryid": course_cat[a.idx],
                "categoryname": cat_name[course_cat[a.idx]],
                "summary": SUMMARIES[a.language].format(t=TOPICS[a.topic][a.language]),
                "format": fmt,
                "startdate": epoch(a.start),
                "enddate": epoch(a.end) if a.end_known else 0,
                "visible": 0 if rng.random() < 0.04 else 1,
                "lang": lang,
                "enablecompletion": enablecompletion,
                "timecreated": tc,
                "timemodified": tm,
                "customfields": custom,
            }
        )
        meta[cid] = {"a": a, "completion": enablecompletion, "cert": has_cert, "n_items": n_items}
    return categories, course_objs, meta
