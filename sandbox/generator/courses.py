# ruff: noqa: E501  (data tables: long literal rows read better unwrapped)
"""What each regional activity *teaches*, and the duplication the generator intends.

The ground truth of duplication is intent, not a rule: two activities duplicate each other when
the generator made them as the same course (a ``dup_group``), whatever their wording, language,
dates or platform. Bureaux duplicate each other the way they really do:

- **duplicates** (``DUPLICATE_GROUPS`` at scale 1): another unit delivers the same course to the
  same region, shifted by up to ~6 weeks, under its own platform's title pattern and often in
  another language (the course name translated), with its own type, length and audience;
- **near misses** (``NEAR_MISSES`` at scale 1, never duplicates): another unit, the same topic,
  region and weeks, but a different course: another subject (aspect) of the topic, or the same
  subject at another level (an introductory vs an advanced course);
- **accidental neighbours**: every other activity picks its topic freely, so same topic, same
  region, same period across units happens as often as the calendars make it happen.

A course is (topic, aspect, level). So that the truth stays honest — an activity the generator did
not mean as a duplicate must not *be* one — every regional activity that has another unit's
activity on its topic in its region within ``PERIOD_DAYS`` gets a course title (the topic's label
and an aspect, in the activity's language, wrapped in its platform's title pattern), and no two
such neighbours get the same course unless they are one duplicate group. Activities without such
a neighbour keep their platform's catalogue title.

A share of the course names (``heldout.HELD_OUT_SHARE``) comes from the held-out course
vocabulary (``heldout.py``: other wordings of the aspect and level, other title patterns, written
apart from the overlap seed), one part per duplicate group or near-miss pair; the truth records
it (``course_vocabulary``) so that the overlap figures are reported on both parts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from .heldout import (
    HELD_OUT,
    HELD_OUT_ASPECTS,
    HELD_OUT_LEVELS,
    HELD_OUT_TEMPLATES,
    HELD_OUT_TITLES,
    IN_SAMPLE,
)
from .taxonomy import TITLES, TOPICS
from .util import AS_OF, START, weighted_choice

if TYPE_CHECKING:
    from .activities import Calendar
    from .activity import Activity

DUPLICATE_GROUPS = 70  # intended duplicate groups at scale 1
NEAR_MISSES = 60  # planned near misses at scale 1 (accidental ones come on top)
# At the tests' tiny scales: enough of both that a detector flagging every same-topic neighbour,
# or missing translated duplicates, fails the quality floors (tests/integration).
MIN_DUPLICATE_GROUPS = 6
MIN_NEAR_MISSES = 8
TWIN_SHIFT_DAYS = 45  # a duplicate starts up to this many days before or after its base
# The generator's own notion of "the same period" when it keeps neighbours distinct courses:
# wider than any detection window, so an accidental pair is never the same course.
PERIOD_DAYS = 120

# Subjects a course on a topic can be about (the same aspects exist for every topic).
ASPECTS: dict[str, dict[str, str]] = {
    "national_strategy": {"en": "national strategy development", "fr": "élaboration d'une stratégie nationale", "es": "elaboración de una estrategia nacional", "ru": "разработка национальной стратегии", "ar": "إعداد الاستراتيجية الوطنية", "zh": "国家战略制定"},
    "legal_frameworks": {"en": "legal frameworks", "fr": "cadres juridiques", "es": "marcos jurídicos", "ru": "правовая база", "ar": "الأطر القانونية", "zh": "法律框架"},
    "monitoring_measurement": {"en": "monitoring and measurement", "fr": "suivi et mesure", "es": "seguimiento y medición", "ru": "мониторинг и измерения", "ar": "الرصد والقياس", "zh": "监测与测量"},
    "emerging_technologies": {"en": "emerging technologies", "fr": "technologies émergentes", "es": "tecnologías emergentes", "ru": "новые технологии", "ar": "التكنولوجيات الناشئة", "zh": "新兴技术"},
    "project_financing": {"en": "project financing", "fr": "financement des projets", "es": "financiación de proyectos", "ru": "финансирование проектов", "ar": "تمويل المشاريع", "zh": "项目融资"},
    "best_practices": {"en": "best practices and case studies", "fr": "bonnes pratiques et études de cas", "es": "buenas prácticas y estudios de caso", "ru": "передовой опыт и практические примеры", "ar": "أفضل الممارسات ودراسات الحالة", "zh": "最佳做法与案例研究"},
    "training_of_trainers": {"en": "training of trainers", "fr": "formation des formateurs", "es": "formación de formadores", "ru": "подготовка инструкторов", "ar": "تدريب المدربين", "zh": "培训师培训"},
    "risk_assessment": {"en": "risk assessment", "fr": "évaluation des risques", "es": "evaluación de riesgos", "ru": "оценка рисков", "ar": "تقييم المخاطر", "zh": "风险评估"},
    "data_analytics": {"en": "data analytics", "fr": "analyse des données", "es": "análisis de datos", "ru": "анализ данных", "ar": "تحليل البيانات", "zh": "数据分析"},
    "public_private_partnerships": {"en": "public-private partnerships", "fr": "partenariats public-privé", "es": "alianzas público-privadas", "ru": "государственно-частное партнерство", "ar": "الشراكات بين القطاعين العام والخاص", "zh": "公私伙伴关系"},
}  # fmt: skip

# How a course title puts a topic label ({T} as written, {t} lower-cased) and an aspect together.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "en": ("{T}: {a}", "{A} for {t}", "{A} in {t}"),
    "fr": ("{T} : {a}", "{A} en matière de {t}"),
    "es": ("{T}: {a}", "{A} en {t}"),
    "ru": ("{T}: {a}",),
    "ar": ("{T}: {a}",),
    "zh": ("{T}：{a}",),
}
# Level of a course (None: no level stated); a level is added after the course name.
LEVELS: dict[str, dict[str, tuple[str, ...]]] = {
    "introductory": {"en": ("introductory course", "an introduction", "basic level"), "fr": ("niveau débutant", "initiation"), "es": ("nivel básico", "introducción"), "ru": ("базовый уровень", "вводный курс"), "ar": ("المستوى الأساسي", "مقدمة"), "zh": ("入门", "初级")},
    "advanced": {"en": ("advanced course", "advanced level"), "fr": ("niveau avancé", "perfectionnement"), "es": ("nivel avanzado", "curso avanzado"), "ru": ("продвинутый уровень", "углублённый курс"), "ar": ("المستوى المتقدم", "دورة متقدمة"), "zh": ("高级", "进阶")},
}  # fmt: skip
LEVEL_MIX = {None: 70, "introductory": 15, "advanced": 15}


@dataclass(frozen=True)
class Course:
    aspect: str
    level: str | None

    def same_course(self, other: Course) -> bool:
        """A reviewer would call the two the same course: same subject, and no two different
        stated levels (a course without a level is the same as its introductory edition)."""
        if self.aspect != other.aspect:
            return False
        return self.level is None or other.level is None or self.level == other.level


def _lower_first(text: str) -> str:
    """'Cybersecurity' -> 'cybersecurity'; acronyms stay ('ICT policy', 'IoT and smart cities')."""
    word = text.split(" ", 1)[0]
    if len(word) > 1 and word[0].isupper() and word[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _fill(template: str, label: str, aspect: str) -> str:
    return template.format(
        T=label[:1].upper() + label[1:],
        t=_lower_first(label),
        a=aspect,
        A=aspect[:1].upper() + aspect[1:],
    )


def course_name(
    rng: random.Random,
    topic: str,
    course: Course,
    lang: str,
    held_out_rng: random.Random | None = None,
) -> str:
    """The course's name in one language: the topic label and the aspect, then the level; or,
    when ``held_out_rng`` is given, the topic label with the held-out wording of the aspect, the
    title template and the level (``heldout.py``, picked with that generator; ``rng`` is drawn
    from the same way in both cases, so the rest of the sandbox does not change)."""
    label = TOPICS[topic][lang]
    aspect = ASPECTS[course.aspect][lang]
    name = _fill(rng.choice(TEMPLATES[lang]), label, aspect)
    level = rng.choice(LEVELS[course.level][lang]) if course.level is not None else None
    if held_out_rng is None:
        if level is not None:
            name = f"{name}（{level}）" if lang == "zh" else f"{name} ({level})"
        return name
    aspect = held_out_rng.choice(HELD_OUT_ASPECTS[course.aspect][lang])
    name = _fill(held_out_rng.choice(HELD_OUT_TEMPLATES[lang]), label, aspect)
    if course.level is not None:
        name = held_out_rng.choice(HELD_OUT_LEVELS[course.level][lang]).format(n=name)
    return name


def retitle(
    rng: random.Random, a: Activity, course: Course, held_out_rng: random.Random | None = None
) -> None:
    """Give ``a`` the name of ``course`` inside its platform's title pattern: the catalogue
    title the platform builder put in (found in the title) is replaced by the course name,
    worded from the held-out vocabulary when ``held_out_rng`` is given (see ``plan``)."""
    name = course_name(rng, a.topic, course, a.language, held_out_rng)
    found = ""
    catalogue = (*TITLES.get(a.topic, {}).values(), *HELD_OUT_TITLES.get(a.topic, {}).values())
    for options in catalogue:
        for t in options:
            for form in (t, _lower_first(t)):
                if form in a.title and len(form) > len(found):
                    found = form
    if found:
        head, _, tail = a.title.partition(found)
        a.title = (
            head
            + (name if not head or head.endswith((": ", " : ", "« ")) else _lower_first(name))
            + tail
        )
    else:  # a title pattern this module does not know: the course name alone
        a.title = name
    a.course = course
    # The title is now the course name. Its topic is named with the in-sample label, so the
    # taxonomy scores it in-sample; the course words (aspect, template, level) come from the
    # part the overlap scores read (the truth's course_vocabulary).
    a.vocabulary = IN_SAMPLE
    a.course_vocabulary = IN_SAMPLE if held_out_rng is None else HELD_OUT


def _part(cal: Calendar, base: Activity) -> random.Random | None:
    """The held-out generator when ``base`` was drawn into the held-out part (``Calendar.
    pick_vocabulary``, share ``HELD_OUT_SHARE``; read before ``retitle`` resets it), else None:
    a duplicate group or a near-miss pair is named from its base's part, so each pair is scored
    on one part."""
    return cal.vocabulary_rng if base.vocabulary == HELD_OUT else None


# ---------------------------------------------------------------------------- neighbourhoods
class Neighbours:
    """Regional activities by (topic, region), to find another unit's activity in the period."""

    def __init__(self, items: list[Activity]):
        self.by_key: dict[tuple[str, str], list[Activity]] = {}
        for a in items:
            self.add(a)

    def add(self, a: Activity) -> None:
        if a.region is not None:
            self.by_key.setdefault((a.topic, a.region), []).append(a)

    def of(self, a: Activity) -> list[Activity]:
        out = []
        for b in self.by_key.get((a.topic, a.region), ()):
            if b is a or b.org_unit == a.org_unit:
                continue
            gap = (max(a.start, b.start) - min(a.effective_end, b.effective_end)).days
            if gap <= PERIOD_DAYS:
                out.append(b)
        return out


def _allowed(neighbours: Neighbours, members: list[Activity], course: Course) -> bool:
    """No member's neighbour outside the group already has a course the same as ``course``."""
    group = {id(m) for m in members}
    for m in members:
        for n in neighbours.of(m):
            if id(n) in group or n.course is None:
                continue
            if m.dup_group is not None and n.dup_group == m.dup_group:
                continue
            if n.course.same_course(course):
                return False
    return True


def _pick_course(
    rng: random.Random,
    neighbours: Neighbours,
    members: list[Activity],
    level: str | None = "draw",
    avoid: Course | None = None,
) -> Course | None:
    aspects = list(ASPECTS)
    rng.shuffle(aspects)
    levels = [weighted_choice(rng, LEVEL_MIX)] if level == "draw" else [level]
    levels += [lv for lv in LEVEL_MIX if lv not in levels]
    for lv in levels:
        for aspect in aspects:
            course = Course(aspect, lv)
            if avoid is not None and avoid.same_course(course):
                continue
            if _allowed(neighbours, members, course):
                return course
    return None


# ---------------------------------------------------------------------------- planning
def _other_unit_activity(
    cal: Calendar, base: Activity, exclude: set[str], shift: int = TWIN_SHIFT_DAYS
) -> Activity | None:
    """An activity of another unit on the base's topic for its region, starting within
    ``shift`` days of it (built by that unit's platform: its own type, length, language)."""
    from .activity_tables import BR_TOPICS, ORG_UNITS_RO

    rng = cal.rng
    options = {"BDT": 30, "TSB": 20, ORG_UNITS_RO[base.region]: 35, "GS": 5}
    if base.topic in BR_TOPICS:
        options["BR"] = 10
    options = {u: w for u, w in options.items() if u not in exclude}
    if not options:
        return None
    unit = weighted_choice(rng, options)
    start = base.start + timedelta(days=rng.randint(-shift, shift))
    start = max(START, min(start, AS_OF - timedelta(days=20)))
    twin = cal._make_twin(unit, base, start)
    if twin.end > AS_OF:
        twin.end = AS_OF
    return twin


def plan(cal: Calendar) -> None:
    """Duplicate groups, near misses, then distinct courses for every accidental neighbour."""
    rng = cal.rng
    neighbours = Neighbours(cal.items)
    regional = [a for a in cal.items if a.region is not None]
    rng.shuffle(regional)
    n_groups = max(MIN_DUPLICATE_GROUPS, int(round(DUPLICATE_GROUPS * cal.scale)))
    n_near = max(MIN_NEAR_MISSES, int(round(NEAR_MISSES * cal.scale)))

    group = 0
    bases = iter(regional)
    for base in bases:
        if group >= n_groups:
            break
        if base.course is not None:
            continue
        members = [base]
        for _ in range(2 if rng.random() < 0.15 else 1):
            twin = _other_unit_activity(cal, base, {m.org_unit for m in members})
            if twin is not None:
                members.append(twin)
        if len(members) == 1:
            continue
        course = _pick_course(rng, neighbours, members)
        if course is None:
            continue
        for m in members:
            m.dup_group = group
        for m in members[1:]:
            cal.add(m)
            neighbours.add(m)
        held = _part(cal, base)
        for m in members:
            retitle(rng, m, course, held)
        group += 1

    near = 0
    for base in bases:  # the remaining shuffled regional activities
        if near >= n_near:
            break
        if base.course is not None:
            continue
        other = _other_unit_activity(cal, base, {base.org_unit})
        if other is None:
            continue
        held = _part(cal, base)
        if rng.random() < 0.4:  # the same subject at two stated levels
            levels = ["introductory", "advanced"]
            rng.shuffle(levels)
            course = _pick_course(rng, neighbours, [base], level=levels[0])
            if course is None or course.level is None:
                continue
            neighbours.add(other)
            retitle(rng, base, course, held)
            other_course = Course(course.aspect, levels[1])
            if not _allowed(neighbours, [other], other_course):
                other_course = _pick_course(rng, neighbours, [other], avoid=course)
        else:  # another subject of the topic
            course = _pick_course(rng, neighbours, [base])
            if course is None:
                continue
            neighbours.add(other)
            retitle(rng, base, course, held)
            other_course = _pick_course(rng, neighbours, [other], level=course.level, avoid=course)
        cal.add(other)
        if other_course is None:  # no distinct course left: drop the planned activity
            cal.items.pop()
            neighbours.by_key[(other.topic, other.region)].remove(other)
            continue
        retitle(rng, other, other_course, held)
        other.extra["near_miss_of"] = base.idx
        near += 1

    # Accidental neighbours: a distinct course each, in start order.
    for a in sorted(cal.items, key=lambda a: (a.start, a.idx)):
        if a.region is None or a.course is not None or not neighbours.of(a):
            continue
        course = _pick_course(rng, neighbours, [a], level=None)
        if course is None:  # every course of the topic is taken around it: keep it distinct
            course = _pick_course(rng, neighbours, [a])
        if course is not None:  # named from the part its activity was drawn into
            retitle(rng, a, course, _part(cal, a))


def title_in(
    rng: random.Random, a: Activity, lang: str, held_out_rng: random.Random | None = None
) -> str:
    """The activity's title in another language, as a platform's translation shows it: the
    course name translated when the activity has a course, else a catalogue title. The
    renderer's ``held_out_rng`` words it from the held-out vocabulary when the activity's own
    wording is held-out (its course name's part, else its catalogue title's)."""
    if a.course is not None:
        held = held_out_rng if a.course_vocabulary == HELD_OUT else None
        return course_name(rng, a.topic, a.course, lang, held)
    from .activity import course_title

    held = held_out_rng if a.vocabulary == HELD_OUT else None
    return course_title(rng, a.topic, lang, held_out_rng=held)
