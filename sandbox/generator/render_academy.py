"""ITU Academy (Moodle 4.x Web Services) rendering: categories, courses, enrolled users, grades,
completions, custom certificates and their issues, exactly as the WS functions return them."""

from __future__ import annotations

import string
from datetime import timedelta
from pathlib import Path

from . import courses
from .activity import Activity
from .activity_tables import REGION_FOR
from .heldout import HELD_OUT, HELD_OUT_ACADEMY_DELIVERY_MODE
from .population import Person
from .records import RecordMaker
from .taxonomy import ACADEMY_DELIVERY_MODE, TOPIC_ABBR, TOPICS
from .util import AS_OF, epoch, rng_for, slug, write_json

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
GENDER_TEXT = {
    "F": ("Female", "F", "female", "Woman", "Femme", "Mujer", "féminin", "W"),
    "M": ("Male", "M", "male", "Man", "Homme", "Hombre", "masculin"),
    "X": ("Non-binary", "Other", "Prefer not to say", "Autre"),
}
GENDER_WEIGHTS = {
    "F": (40, 25, 10, 6, 8, 6, 3, 2),
    "M": (45, 28, 10, 5, 6, 4, 2),
    "X": (40, 30, 20, 10),
}
SUMMARIES = {
    "en": "<p>This course covers <strong>{t}</strong>: concepts, regulatory practice and case studies.</p><p>Target audience: regulators, policy makers, operators and academia.</p>",  # noqa: E501
    "fr": "<p>Ce cours porte sur <strong>{t}</strong> : notions, pratiques réglementaires et études de cas.</p><p>Public cible : régulateurs, décideurs, opérateurs et universités.</p>",  # noqa: E501
    "es": "<p>Este curso trata de <strong>{t}</strong>: conceptos, práctica regulatoria y estudios de caso.</p><p>Público destinatario: reguladores, responsables políticos y operadores.</p>",  # noqa: E501
    "ru": "<p>Курс посвящён теме «<strong>{t}</strong>»: основные понятия, практика регулирования, примеры.</p>",  # noqa: E501
    "ar": '<p dir="rtl">تتناول هذه الدورة موضوع <strong>{t}</strong>: المفاهيم والممارسات التنظيمية ودراسات الحالة.</p>',  # noqa: E501
    "zh": "<p>本课程介绍<strong>{t}</strong>：基本概念、监管实践和案例研究。</p>",
}
ITEM_NAMES = {
    "en": ("Module 1 quiz", "Module 2 quiz", "Final assessment", "Assignment: national case study"),
    "fr": ("Quiz du module 1", "Quiz du module 2", "Évaluation finale", "Devoir : étude de cas"),
    "es": (
        "Cuestionario del módulo 1",
        "Cuestionario del módulo 2",
        "Evaluación final",
        "Tarea: estudio de caso",
    ),  # noqa: E501
}
CERT_NAMES = {
    "en": "Certificate of completion",
    "fr": "Certificat de réussite",
    "es": "Certificado de finalización",
}
DEPARTMENTS = (
    "Spectrum Management",
    "Regulatory Affairs",
    "Legal Department",
    "Engineering",
    "Policy and Strategy",
    "Direction des fréquences",
    "Gerencia de Regulación",
    "ICT Statistics Unit",
    "Cybersecurity Directorate",
)


def _categories(activities: list[Activity]) -> tuple[list[dict], dict[int, int]]:
    """The category tree and each course's category id."""
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


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    rng = rng_for(seed, "render:academy")
    held_rng = rng_for(seed, "render:academy:held-out")  # held-out wording (heldout.py)
    maker = RecordMaker(seed, "academy")
    courses = sorted(activities, key=lambda a: int(a.source_key))
    categories, course_cat = _categories(courses)
    cat_name = {c["id"]: c["name"] for c in categories}

    # ------------------------------------------------------------------ course objects
    course_objs = [
        {
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
    ]
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
        custom = [
            {
                "name": "Bureau",
                "shortname": "bureau",
                "type": "select",
                "valueraw": BUREAU_SELECT.get(bureau_val, ""),
                "value": bureau_val,
            },
            {
                "name": "Delivery mode",
                "shortname": "delivery_mode",
                "type": "text",
                "valueraw": mode_val,
                "value": mode_val,
            },
            {
                "name": "Training centre",
                "shortname": "training_centre",
                "type": "text",
                "valueraw": centre,
                "value": centre,
            },
        ]
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

    # ------------------------------------------------------------------ accounts
    by_person: dict[int, list[int]] = {}
    for a in courses:
        for pid in a.participants:
            by_person.setdefault(pid, []).append(int(a.source_key))
    course_start = {int(a.source_key): a.start for a in courses}
    accounts: list[tuple] = []  # (created_date, person_idx, account_no, [course ids])
    for pid in sorted(by_person):
        cids = sorted(by_person[pid], key=lambda c: (course_start[c], c))
        if len(cids) >= 2 and rng.random() < 0.03:
            cut = rng.randint(1, len(cids) - 1)
            parts = [cids[:cut], cids[cut:]]
        else:
            parts = [cids]
        for n, part in enumerate(parts):
            created = course_start[part[0]] - timedelta(days=rng.randint(0, 20))
            accounts.append((created, pid, n, part))
    accounts.sort(key=lambda t: (t[0], t[1], t[2]))

    users: dict[tuple[int, int], dict] = {}
    usernames: set[str] = set()
    course_users: dict[int, list[tuple[int, int]]] = {}
    records = []
    for i, (_created, pid, n, cids) in enumerate(accounts):
        person = people[pid]
        uid = i + 3  # 1 guest, 2 admin
        forced = None
        if n == 1:
            first_mode = maker.email_mode(person, 0)
            forced = "personal" if first_mode == "work" else "work"
        rv = maker.make(person, n, email_mode=forced)
        if rng.random() < 0.55:
            uname = (rv.email or person.work_email).lower()
        else:
            uname = f"{slug(rv.given.split()[0]) or 'user'}.{slug(rv.family) or 'x'}"
        base_uname, k = uname, 2
        while uname in usernames:
            uname = f"{base_uname}{k}"
            k += 1
        usernames.add(uname)
        if rv.gender is None:
            gfields = (
                []
                if rng.random() < 0.5
                else [{"type": "text", "value": "", "name": "Gender", "shortname": "gender"}]
            )
        else:
            text = rng.choices(GENDER_TEXT[rv.gender], weights=GENDER_WEIGHTS[rv.gender])[0]
            gfields = [{"type": "text", "value": text, "name": "Gender", "shortname": "gender"}]
        users[(pid, n)] = {
            "id": uid,
            "username": uname,
            "firstname": rv.given,
            "lastname": rv.family,
            "fullname": f"{rv.given} {rv.family}",
            "email": rv.email or person.work_email,
            "department": rng.choice(DEPARTMENTS) if rng.random() < 0.3 else "",
            "institution": rv.org.name if rng.random() < 0.85 else "",
            "idnumber": "",
            "city": person.city if rng.random() < 0.7 else "",
            "country": rv.country.iso2 if rv.country else "",
            "customfields": gfields,
        }
        person.extra.setdefault("academy_usernames", []).append(uname)
        records.append(
            {"platform": "academy", "source_record_key": str(uid), "person_id": person.person_id}
        )
        for cid in cids:
            course_users.setdefault(cid, []).append((pid, n))

    # ------------------------------------------------------------------ per-enrolment outcomes
    enrolments: dict[str, list] = {}
    grades: dict[str, list] = {}
    completions: dict[str, dict] = {}
    customcerts = []
    issues = []
    participations = []
    access: dict[tuple[int, int], list[int]] = {}
    item_id = 1
    cm_id = 1000
    cert_id = 0
    for a in courses:
        cid = int(a.source_key)
        m = meta[cid]
        lang3 = a.language if a.language in ITEM_NAMES else "en"
        items = []
        for j in range(m["n_items"]):
            names = ITEM_NAMES[lang3]
            nm = names[2] if j == m["n_items"] - 1 else names[min(j, 1)] if j < 2 else names[3]
            items.append(
                {"id": item_id, "itemname": nm, "grademax": float(rng.choice((10, 20, 100)))}
            )
            item_id += 1
        total_id = item_id
        item_id += 1
        cert = None
        if m["cert"]:
            cert_id += 1
            cm_id += 1
            tcc = epoch(a.extra["timecreated"], 12) + 86400
            cert = {
                "id": cert_id,
                "course": cid,
                "name": CERT_NAMES.get(a.language, CERT_NAMES["en"]),
                "coursemodule": cm_id,
                "intro": ""
                if rng.random() < 0.5
                else "<p>Download your certificate once you have completed the course.</p>",
                "requiredtime": 0,
                "timecreated": tcc,
                "timemodified": tcc,
            }
            customcerts.append(cert)
        end_cap = min(CAP, epoch(min(AS_OF, a.end + timedelta(days=21)), 23, 59))
        start_t = epoch(a.start, 8)
        ulist, glist, clist = [], [], {}
        for pid, n in sorted(course_users.get(cid, []), key=lambda t: users[t]["id"]):
            u = users[(pid, n)]
            ability = rng.gauss(74, 14)
            attended = rng.random() < (0.7 if a.activity_type == "webinar" else 0.87)
            first_t = last_t = 0
            if attended:
                first_t = min(end_cap, start_t + rng.randint(0, 7 * 86400))
                last_t = min(end_cap, first_t + rng.randint(0, max(1, end_cap - first_t)))
                access.setdefault((pid, n), []).extend((first_t, last_t))
            gradeitems = []
            graded = []
            last_graded = None
            for j, it in enumerate(items):
                raw = None
                when = None
                if attended and rng.random() < (0.95 - 0.08 * j):
                    pct = max(0.0, min(100.0, rng.gauss(ability, 10)))
                    raw = round(pct / 100 * it["grademax"], 2)
                    when = min(
                        end_cap, first_t + rng.randint(3600, max(7200, last_t - first_t + 3600))
                    )
                    graded.append(pct)
                    last_graded = max(last_graded or 0, when)
                gradeitems.append(
                    {
                        "id": it["id"],
                        "itemname": it["itemname"],
                        "itemtype": "mod",
                        "graderaw": raw,
                        "grademin": 0.0,
                        "grademax": it["grademax"],
                        "gradedategraded": when,
                        "percentageformatted": "-"
                        if raw is None
                        else f"{raw / it['grademax'] * 100:.2f} %",
                    }
                )
            total = round(sum(graded) / len(graded), 5) if graded else None
            gradeitems.append(
                {
                    "id": total_id,
                    "itemname": None,
                    "itemtype": "course",
                    "graderaw": total,
                    "grademin": 0.0,
                    "grademax": 100.0,
                    "gradedategraded": last_graded,
                    "percentageformatted": "-" if total is None else f"{total:.2f} %",
                }
            )
            passed = total is not None and total >= 60
            completed = None
            done_t = None
            if m["completion"]:
                all_done = attended and (len(graded) == len(items)) and (passed or not items)
                completed = bool(all_done)
                if completed:
                    done_t = min(end_cap, (last_graded or last_t) + rng.randint(60, 7200))
                comps = [
                    {
                        "type": 4,
                        "title": "Activity completion",
                        "status": "Yes" if all_done else "No",
                        "complete": bool(all_done),
                        "timecompleted": done_t,
                    },
                ]
                if items:
                    comps.append(
                        {
                            "type": 6,
                            "title": "Course grade",
                            "status": "Yes" if passed else "No",
                            "complete": passed,
                            "timecompleted": done_t if passed else None,
                        }
                    )
                clist[str(u["id"])] = {
                    "completed": bool(completed),
                    "aggregation": 1,
                    "completions": comps,
                }
            certified = None
            if cert is not None:
                earned = bool(completed) if m["completion"] else passed
                certified = earned
                if earned:
                    t = min(CAP, (done_t or last_graded or last_t) + rng.randint(600, 2 * 86400))
                    issues.append((t, cert, u))
            ulist.append((u, last_t, (pid, n)))
            glist.append(
                {
                    "courseid": cid,
                    "userid": u["id"],
                    "userfullname": u["fullname"],
                    "gradeitems": gradeitems,
                }
            )
            participations.append(
                {
                    "platform": "academy",
                    "source_activity_key": str(cid),
                    "source_record_key": str(u["id"]),
                    "person_id": people[pid].person_id,
                    "registered": True,
                    "attended": attended,
                    "completed": completed,
                    "passed": passed,
                    "certified": certified,
                    "score_0_100": None if total is None else round(total, 2),
                    "satisfaction_1_5": None,
                }
            )
        enrolments[str(cid)] = ulist
        grades[str(cid)] = glist
        if m["completion"]:
            completions[str(cid)] = clist

    # site-level first/last access per account, then the user objects per course
    n_enrol_rows = 0
    for cid, ulist in enrolments.items():
        objs = []
        for u, last_t, key in ulist:
            times = access.get(key, [])
            obj = {
                "id": u["id"],
                "username": u["username"],
                "firstname": u["firstname"],
                "lastname": u["lastname"],
                "fullname": u["fullname"],
                "email": u["email"],
                "department": u["department"],
                "institution": u["institution"],
                "idnumber": u["idnumber"],
                "city": u["city"],
                "country": u["country"],
                "firstaccess": min(times) if times else 0,
                "lastaccess": max(times) if times else 0,
                "lastcourseaccess": last_t,
                "customfields": u["customfields"],
                "roles": [{"roleid": 5, "name": "", "shortname": "student"}],
            }
            objs.append(obj)
        enrolments[cid] = objs
        n_enrol_rows += len(objs)

    issues.sort(key=lambda t: (t[0], t[2]["id"], t[1]["id"]))
    issue_objs = []
    code_rng = rng_for(seed, "academy:codes")
    alphabet = string.ascii_letters + string.digits
    for i, (t, cert, u) in enumerate(issues):
        issue_objs.append(
            {
                "issue": {
                    "id": i + 1,
                    "customcertid": cert["id"],
                    "code": "".join(code_rng.choice(alphabet) for _ in range(10)),
                    "emailed": 1 if code_rng.random() < 0.8 else 0,
                    "timecreated": t,
                },
                "user": {
                    "id": u["id"],
                    "fullname": u["fullname"],
                    "username": u["username"],
                    "email": u["email"],
                },
                "template": {"id": cert["id"] + 100, "name": f"{cert['name']} template"},
            }
        )

    base = out / "academy"
    write_json(base / "categories.json", categories)
    write_json(base / "courses.json", course_objs)
    write_json(base / "enrolments.json", enrolments)
    write_json(base / "grades.json", grades)
    write_json(base / "completions.json", completions)
    write_json(base / "customcerts.json", customcerts)
    write_json(base / "certificate_issues.json", issue_objs)

    counts = {
        "activities": len(courses),
        "participant_records": len(records),
        "participations": len(participations),
        "categories": len(categories),
        "courses": len(course_objs),
        "enrolled_users": n_enrol_rows,
        "usergrades": sum(len(v) for v in grades.values()),
        "grades": sum(len(g["gradeitems"]) for v in grades.values() for g in v),
        "completions": sum(len(v) for v in completions.values()),
        "courses_with_completion": len(completions),
        "customcerts": len(customcerts),
        "certificates": len(issue_objs),
    }
    return {"records": records, "participations": participations, "counts": counts}
