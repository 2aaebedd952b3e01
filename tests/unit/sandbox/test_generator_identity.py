"""The sandbox does not make identity easy: namesakes, noisy names whatever the e-mail, people
who change employer and address between platforms (sandbox/generator/population.py and
records.py)."""

from __future__ import annotations

from collections import Counter

import pytest

from sandbox.generator.activities import build_calendar
from sandbox.generator.participations import populate
from sandbox.generator.population import name_key
from sandbox.generator.records import RecordMaker

SEED, SCALE = 3, 0.3


@pytest.fixture(scope="module")
def people():
    return populate(SEED, build_calendar(SEED, SCALE))


def test_different_people_share_common_names(people):
    names = Counter(name_key(p.given, p.family) for p in people)
    same_country = Counter((name_key(p.given, p.family), p.country.iso2) for p in people)
    share = sum(n for n in names.values() if n > 1) / len(people)
    # a register of ~10,000 people: a few percent share their name, not most of them
    assert 0.02 <= share <= 0.25, share
    assert sum(n for n in same_country.values() if n > 1) >= 20
    # the commonest names recur most
    assert names.most_common(1)[0][1] >= 4


def test_names_vary_on_records_without_the_work_email(people):
    maker = RecordMaker(SEED, "br_seminars")
    views = [maker.make(p, email_mode=mode) for p in people for mode in ("none",)]
    assert all(v.email is None for v in views)
    hard = Counter(v.hard for v in views if v.hard)
    assert hard["transliteration"] > 0.05 * len(views)
    assert hard["typo"] > 0
    changed = [v for v in views if (v.given, v.family) != (v.person.given, v.person.family)]
    assert len(changed) > 0.1 * len(views)


def test_people_change_employer_and_address_between_platforms(people):
    moved = [p for p in people if p.previous_org is not None]
    assert 0.1 * len(people) < len(moved) < 0.4 * len(people)
    assert all(p.previous_work_email != p.work_email for p in moved)
    makers = {code: RecordMaker(SEED, code) for code in ("academy", "tsb_events", "gs_lrs")}
    shown = {
        p.idx: {code: m.make(p, email_mode="work") for code, m in makers.items()} for p in moved
    }
    earlier = [
        v for views in shown.values() for v in views.values() if v.org is v.person.previous_org
    ]
    assert earlier and all(v.email.lower() == v.person.previous_work_email for v in earlier)
    # some of them appear under both employers, on different platforms
    assert sum(len({v.org.name for v in views.values()}) > 1 for views in shown.values()) > 10
