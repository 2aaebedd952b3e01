"""What an Academy pull lands: the entities and the fields kept of each, a part's records and
pages, and the activity times that become the next watermarks."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ingestion.connectors.base import (
    EntityExtract,
    RawPage,
)

ENTITIES = (
    "categories",
    "courses",
    "enrolled_users",
    "grades",
    "completions",
    "customcerts",
    "certificates",
)
SNAPSHOTS = frozenset({"categories", "customcerts"})  # pulled in full, no watermark
# What the plan of a pull keeps of each course to refresh (enough to refresh it on a retry).
PLAN_FIELDS = ("id", "format", "enablecompletion", "timemodified")

CATEGORY_FIELDS = (
    "id",
    "name",
    "description",
    "parent",
    "sortorder",
    "coursecount",
    "depth",
    "path",
)
COURSE_FIELDS = (
    "id",
    "fullname",
    "displayname",
    "shortname",
    "categoryid",
    "categoryname",
    "summary",
    "format",
    "startdate",
    "enddate",
    "visible",
    "lang",
    "enablecompletion",
    "timecreated",
    "timemodified",
)
USER_FIELDS = (
    "id",
    "username",
    "firstname",
    "lastname",
    "fullname",
    "email",
    "department",
    "institution",
    "idnumber",
    "city",
    "country",
    "firstaccess",
    "lastaccess",
    "lastcourseaccess",
)
GRADEITEM_FIELDS = (
    "itemname",
    "itemtype",
    "graderaw",
    "grademin",
    "grademax",
    "gradedategraded",
    "percentageformatted",
)
CUSTOMCERT_FIELDS = ("id", "course", "name", "coursemodule")


class _Part:
    """Records and pages of one part, by entity, in the order they are added."""

    def __init__(self) -> None:
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.pages: dict[str, list[RawPage]] = {}

    def page(self, entity: str, page: RawPage) -> str:
        self.pages.setdefault(entity, []).append(page)
        return page.source

    def add(self, entity: str, record: dict[str, Any], source: str) -> None:
        record["_source"] = source
        record["_parse_error"] = None
        self.records.setdefault(entity, []).append(record)

    def extracts(self) -> list[EntityExtract]:
        names = [e for e in ENTITIES if e in self.records or e in self.pages]
        return [EntityExtract(e, self.records.get(e, []), self.pages.get(e, [])) for e in names]


def _mark(marks: dict[str, int], until: int, entity: str, moment: int) -> None:
    """Keep the newest activity time of an entity within (0, until] (its next watermark)."""
    if 0 < moment <= until and moment > marks.get(entity, 0):
        marks[entity] = moment


def _merge(old: dict[str, int], new: dict[str, int]) -> dict[str, int]:
    return {e: max(old.get(e, 0), new.get(e, 0)) for e in {*old, *new}}


def _oldest(wm: dict[str, int | None], entities: Iterable[str]) -> int | None:
    values = [wm[e] for e in entities]
    if any(v is None for v in values):
        return None
    return min(v for v in values if v is not None)


def _next_watermark(best: int, previous: int | None, previous_text: str | None) -> str | None:
    """The newest activity time seen (0: none), or the previous watermark if not newer."""
    if not best or (previous is not None and best <= previous):
        return previous_text
    return str(best)
