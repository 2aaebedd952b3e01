"""Ground truth derived from the generated activities and records: the duplicated activities
(the generator's intent, see ``courses``), headline figures and the tables written as Parquet."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

from .activity import Activity
from .util import AS_OF


def gap_days(a: Activity, b: Activity) -> int:
    """Days between two date ranges (0 when they overlap); a missing end counts as the start."""
    return max(0, (max(a.start, b.start) - min(a.effective_end, b.effective_end)).days)


def overlaps(activities: list[Activity]) -> list[dict]:
    """Every pair of activities the generator made as the same course (one duplicate group):
    the intent, whatever their topic label, wording, language or dates turned out to be. No
    other pair is a duplicate, however alike (near misses, same-period neighbours)."""
    groups: dict[int, list[Activity]] = defaultdict(list)
    for a in activities:
        if a.dup_group is not None:
            groups[a.dup_group].append(a)
    out = []
    for members in groups.values():
        for a, b in combinations(members, 2):
            ka, kb = sorted((a.activity_key, b.activity_key))
            out.append(
                {
                    "activity_key_a": ka,
                    "activity_key_b": kb,
                    "reason": "same_course",
                    "topic": a.topic,
                    "region": a.region,
                    "gap_days": gap_days(a, b),
                    "intended": True,
                    # the part of the vocabulary the group's course names came from (one per
                    # group, courses.plan): the evaluation scores each part apart
                    "course_vocabulary": a.course_vocabulary,
                }
            )
    out.sort(key=lambda r: (r["activity_key_a"], r["activity_key_b"]))
    return out


def _near_miss_of(a: Activity, activities: list[Activity]) -> str | None:
    idx = a.extra.get("near_miss_of")
    return None if idx is None else activities[idx].activity_key


def activity_rows(activities: list[Activity]) -> list[dict]:
    rows = []
    for a in sorted(activities, key=lambda a: (a.platform, a.activity_key)):
        rows.append(
            {
                "platform": a.platform,
                "source_activity_key": a.source_key,
                "activity_key": a.activity_key,
                "bureau": a.bureau,
                "org_unit": a.org_unit,
                "topic": a.topic,
                "activity_type": a.activity_type,
                "region": a.region,
                "country": a.country,
                "start_date": a.start,
                "end_date": a.end if a.end_known else None,
                "title": a.title,
                "language": a.language,
                "duplicate_group": a.dup_group,
                "course_aspect": a.course.aspect if a.course else None,
                "course_level": a.course.level if a.course else None,
                "near_miss_of": _near_miss_of(a, activities),
                "vocabulary": a.vocabulary,
                "course_vocabulary": a.course_vocabulary,
            }
        )
    return rows


def person_rows(people) -> list[dict]:
    rows = []
    for p in people:
        c = p.country
        rows.append(
            {
                "person_id": p.person_id,
                "given_name": p.given,
                "family_name": p.family,
                "middle_name": p.middle,
                "given_name_native": p.given_native,
                "family_name_native": p.family_native,
                "country_iso2": c.iso2,
                "region": c.region,
                "gender": p.gender,
                "developing": c.developing,
                "ldc": c.ldc,
                "lldc": c.lldc,
                "sids": c.sids,
                "organization": p.org.name,
                "organization_type": p.org.kind,
                "work_email": p.work_email,
                "personal_email": p.personal_email,
                "platforms": ",".join(p.platforms),
            }
        )
    return rows


def headline(activities: list[Activity], people, participations: list[dict]) -> dict:
    """Council-style headline figures computed from the ground truth.

    A person is *trained* when at least one of their participations has attended or completed
    true. Certificates are participations with certified true.
    """
    by_id = {p.person_id: p for p in people}
    act_by_key = {(a.platform, a.source_key): a for a in activities}
    per_year_bureau: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for a in activities:
        per_year_bureau[str(a.start.year)][a.bureau] += 1
    trained: set[str] = set()
    trained_year: dict[str, set[str]] = defaultdict(set)
    trained_bureau: dict[str, set[str]] = defaultdict(set)
    trained_region: dict[str, set[str]] = defaultdict(set)
    certificates = 0
    cert_year: dict[str, int] = defaultdict(int)
    for p in participations:
        a = act_by_key[(p["platform"], p["source_activity_key"])]
        if p["certified"]:
            certificates += 1
            cert_year[str(a.start.year)] += 1
        if p["attended"] or p["completed"]:
            pid = p["person_id"]
            trained.add(pid)
            trained_year[str(a.start.year)].add(pid)
            trained_bureau[a.bureau].add(pid)
            trained_region[by_id[pid].region].add(pid)

    def share(ids: set[str], pred) -> float:
        return round(sum(1 for i in ids if pred(by_id[i])) / len(ids), 4) if ids else 0.0

    def known_gender_share(ids: set[str]) -> float:
        known = [by_id[i] for i in ids if by_id[i].gender in ("F", "M", "X")]
        return round(sum(1 for p in known if p.gender == "F") / len(known), 4) if known else 0.0

    return {
        "as_of": AS_OF.isoformat(),
        "activities_total": len(activities),
        "activities_per_year_and_bureau": {
            y: dict(sorted(v.items())) for y, v in sorted(per_year_bureau.items())
        },
        "people_total": len(people),
        "people_trained": len(trained),
        "people_trained_per_year": {y: len(v) for y, v in sorted(trained_year.items())},
        "people_trained_per_bureau": {b: len(v) for b, v in sorted(trained_bureau.items())},
        "people_trained_per_region": {r: len(v) for r, v in sorted(trained_region.items())},
        "share_developing": share(trained, lambda p: p.country.developing),
        "share_women": known_gender_share(trained),
        "share_ldc": share(trained, lambda p: p.country.ldc),
        "share_lldc": share(trained, lambda p: p.country.lldc),
        "share_sids": share(trained, lambda p: p.country.sids),
        "certificates": certificates,
        "certificates_per_year": dict(sorted(cert_year.items())),
        "people_multi_platform": sum(1 for p in people if len(p.platforms) > 1),
    }
