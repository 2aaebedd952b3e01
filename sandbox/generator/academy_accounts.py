"""The ITU Academy's user accounts: one per person (a few people have two, with the other
e-mail address), their profile fields, and the enrolled-user objects
(core_enrol_get_enrolled_users) with each account's site-level first and last access."""

from __future__ import annotations

import random
from datetime import timedelta

from .activity import Activity
from .population import Person
from .records import RecordMaker
from .util import slug

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


def accounts(
    rng: random.Random, maker: RecordMaker, courses: list[Activity], people: list[Person]
) -> tuple[dict[tuple[int, int], dict], dict[int, list[tuple[int, int]]], list[dict]]:
    """(user per (person, account number), the accounts enrolled per course id, the truth's
    participant records)."""
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
    return users, course_users, records


def enrolled_users(enrolments: dict[str, list], access: dict[tuple[int, int], list[int]]) -> int:
    """Replace each course's (user, last course access, account) entries by the enrolled-user
    objects, in place; returns how many there are."""
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
    return n_enrol_rows
