"""The sandbox tree in memory while it advances (platform files and ground truth), and a day's
random stream and clock."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from ..core import SCHEMAS, _parquet
from ..util import AS_OF, rng_for, write_json

ACADEMY_FILES = ("courses", "enrolments", "grades", "completions", "customcerts")
ACADEMY_ISSUES = "certificate_issues"


def epoch(moment: datetime) -> int:
    return int(moment.timestamp())


@dataclass
class World:
    """The sandbox tree in memory: platform files and the ground truth rows."""

    out: Path
    academy: dict[str, Any]
    events: list[dict[str, Any]]
    registrations: dict[str, list[dict[str, Any]]]
    statements: list[dict[str, Any]]
    participations: list[dict[str, Any]]
    records: list[dict[str, Any]]
    activities: list[dict[str, Any]]
    persons: dict[str, dict[str, Any]]

    @classmethod
    def load(cls, out: Path) -> World:
        def read(path: str) -> Any:
            return json.loads((out / path).read_text(encoding="utf-8"))

        gt = out / "ground_truth"
        academy = {name: read(f"academy/{name}.json") for name in ACADEMY_FILES}
        academy[ACADEMY_ISSUES] = read(f"academy/{ACADEMY_ISSUES}.json")
        persons = pl.read_parquet(gt / "persons.parquet").to_dicts()
        return cls(
            out=out,
            academy=academy,
            events=read("tsb_events/events.json"),
            registrations=read("tsb_events/registrations.json"),
            statements=read("gs_lrs/statements.json"),
            participations=pl.read_parquet(gt / "participations.parquet").to_dicts(),
            records=pl.read_parquet(gt / "person_records.parquet").to_dicts(),
            activities=pl.read_parquet(gt / "activities.parquet").to_dicts(),
            persons={p["person_id"]: p for p in persons},
        )

    def sort_truth(self) -> None:
        """The truth rows in file order, so a day draws the same whether or not it follows
        another day in the same call."""
        self.participations.sort(
            key=lambda r: (r["platform"], r["source_activity_key"], r["source_record_key"])
        )
        self.records.sort(key=lambda r: (r["platform"], r["source_record_key"]))
        self.activities.sort(key=lambda r: (r["platform"], r["source_activity_key"]))

    def save(self) -> None:
        for name, value in self.academy.items():
            write_json(self.out / "academy" / f"{name}.json", value)
        write_json(self.out / "tsb_events" / "events.json", self.events)
        write_json(self.out / "tsb_events" / "registrations.json", self.registrations)
        write_json(self.out / "gs_lrs" / "statements.json", self.statements)
        gt = self.out / "ground_truth"
        self.sort_truth()
        _parquet(gt / "participations.parquet", self.participations, SCHEMAS["participations"])
        _parquet(gt / "person_records.parquet", self.records, SCHEMAS["person_records"])
        _parquet(gt / "activities.parquet", self.activities, SCHEMAS["activities"])

    # -- ground truth ------------------------------------------------------------------------
    def person_of(self, platform: str, record_key: str) -> str | None:
        for r in self.records:
            if r["platform"] == platform and r["source_record_key"] == record_key:
                return r["person_id"]
        return None

    def participation(self, platform: str, activity: str, record: str) -> dict | None:
        for p in self.participations:
            if (p["platform"], p["source_activity_key"], p["source_record_key"]) == (
                platform,
                activity,
                record,
            ):
                return p
        return None

    def add_participation(self, platform: str, activity: str, record: str, **flags: Any) -> None:
        person = self.person_of(platform, record)
        row = {
            "platform": platform,
            "source_activity_key": activity,
            "source_record_key": record,
            "person_id": person,
            "registered": True,
            "attended": None,
            "completed": None,
            "passed": None,
            "certified": None,
            "score_0_100": None,
            "satisfaction_1_5": None,
        }
        row.update(flags)
        self.participations.append(row)

    def add_record(self, platform: str, record: str, person_id: str) -> None:
        if self.person_of(platform, record) is None:
            self.records.append(
                {"platform": platform, "source_record_key": record, "person_id": person_id}
            )

    def drop_participation(self, platform: str, activity: str, record: str) -> None:
        """Remove a participation; the record goes too once it has no participation left."""
        self.participations = [
            p
            for p in self.participations
            if (p["platform"], p["source_activity_key"], p["source_record_key"])
            != (platform, activity, record)
        ]
        if not any(
            p["platform"] == platform and p["source_record_key"] == record
            for p in self.participations
        ):
            self.records = [
                r
                for r in self.records
                if (r["platform"], r["source_record_key"]) != (platform, record)
            ]

    def activity(self, platform: str, key: str) -> dict | None:
        for a in self.activities:
            if a["platform"] == platform and a["source_activity_key"] == key:
                return a
        return None

    def clone_activity(self, platform: str, template: str, key: str, start: date, end: date):
        row = dict(self.activity(platform, template) or {})
        row.update(
            source_activity_key=key,
            activity_key=f"{platform}:{key}",
            start_date=start,
            end_date=end,
            duplicate_group=None,
            course_aspect=None,
            course_level=None,
            near_miss_of=None,
        )
        self.activities.append(row)


class Day:
    """One day of changes: its random stream and its clock."""

    def __init__(self, seed: int, number: int):
        self.number = number
        self.date = AS_OF + timedelta(days=number)
        self.rng = rng_for(seed, f"advance:{number}")
        self._last = datetime(self.date.year, self.date.month, self.date.day, 8, 0, tzinfo=UTC)

    def moment(self) -> datetime:
        """A later moment of the day at each call (changes keep their order)."""
        self._last += timedelta(minutes=self.rng.randint(1, 20), seconds=self.rng.randint(0, 59))
        return self._last
