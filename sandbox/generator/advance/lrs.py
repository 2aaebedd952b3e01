"""A day on the GS learning record store (xAPI): registrations, attendance, and a registration
recorded in error that the administrator voids two days later."""

from __future__ import annotations

from datetime import datetime, timedelta

from ..render_lrs import ADMIN, AUTHORITY, VERBS, _uuid
from ..util import iso_z
from .world import Day, World

VOID_AFTER_DAYS = 2  # an erroneous registration is voided this many days after it was stored


def _actor_key(actor: dict) -> str:
    if actor.get("mbox"):
        return actor["mbox"]
    account = actor.get("account") or {}
    return f"{account.get('homePage')}|{account.get('name')}"


def lrs_day(w: World, day: Day, state: dict, log: dict[str, int]) -> None:
    """One day of statements; ``state["pending_voids"]`` carries the voids still due."""
    live = _Statements(w, day)
    recent = sorted(live.by_activity, key=lambda iri: (live.start(iri), iri))[-5:]
    actors = sorted(
        {_actor_key(s["actor"]): s["actor"] for s in w.statements if s["actor"] != ADMIN}.items()
    )
    _register(live, recent, actors, state, log, in_error=False)
    _register(live, recent, actors, state, log, in_error=True)
    _late_attendance(live, state, log)
    _voids(live, state, log)


class _Statements:
    """The store as the day sees it: the statements not voided, by activity, and a clock that
    keeps ``stored`` strictly increasing."""

    def __init__(self, w: World, day: Day) -> None:
        self.w = w
        self.day = day
        self.last = max(s["stored"] for s in w.statements)
        voided = {s["object"]["id"] for s in w.statements if s["verb"]["id"] == VERBS["voided"]}
        self.by_activity: dict[str, list[dict]] = {}
        for s in w.statements:
            if s["verb"]["id"] != VERBS["voided"] and s["id"] not in voided:
                self.by_activity.setdefault(s["object"]["id"], []).append(s)

    def stamp(self) -> str:
        """The next moment of the day, a millisecond after the last stored one at least."""
        moment = iso_z(self.day.moment(), millis=True)
        if moment <= self.last:
            moment = iso_z(
                datetime.fromisoformat(self.last.replace("Z", "+00:00"))
                + timedelta(milliseconds=1),
                millis=True,
            )
        self.last = moment
        return moment

    def start(self, iri: str) -> str:
        """When an activity starts, as its statements' context extension says."""
        ext = self.by_activity[iri][0]["object"].get("definition", {}).get("extensions", {})
        return next((v for k, v in ext.items() if "start" in k), "")

    def add(self, template: dict, verb: str, actor: dict, result: dict | None = None) -> dict:
        """A new statement about ``template``'s activity, stored now."""
        rng = self.day.rng
        moment = self.stamp()
        out = {
            "id": _uuid(rng),
            "actor": actor,
            "verb": {"id": VERBS[verb], "display": {"en-US": verb}},
            "object": template["object"],
        }
        if result is not None:
            out["result"] = result
        out["context"] = {**template["context"], "registration": _uuid(rng)}
        out.update(timestamp=moment, stored=moment, authority=AUTHORITY, version="1.0.3")
        self.w.statements.append(out)
        return out


def _register(
    live: _Statements,
    recent: list[str],
    actors: list[tuple[str, dict]],
    state: dict,
    log: dict[str, int],
    *,
    in_error: bool,
) -> None:
    """Someone registers for a recent activity; ``in_error``: a registration to void later."""
    w, day, rng = live.w, live.day, live.day.rng
    iri = rng.choice(recent)
    present = {_actor_key(s["actor"]) for s in live.by_activity[iri]}
    key, actor = rng.choice([(k, a) for k, a in actors if k not in present])
    stmt = live.add(live.by_activity[iri][0], "registered", actor)
    live.by_activity[iri].append(stmt)
    certifies = any(
        p["certified"] is not None
        for p in w.participations
        if p["platform"] == "gs_lrs" and p["source_activity_key"] == iri
    )
    w.add_participation(
        "gs_lrs",
        iri,
        key,
        attended=False,
        completed=False,
        certified=False if certifies else None,
    )
    if in_error:
        state["pending_voids"].append(
            {
                "statement": stmt["id"],
                "due": day.number + VOID_AFTER_DAYS,
                "activity": iri,
                "actor": key,
            }
        )
    log["lrs_registrations"] += 1


def _late_attendance(live: _Statements, state: dict, log: dict[str, int]) -> None:
    """Attendance recorded for someone registered who had not attended (and whose registration
    is not waiting to be voided)."""
    w, rng, by_activity = live.w, live.day.rng, live.by_activity
    absent = [
        p
        for p in w.participations
        if p["platform"] == "gs_lrs"
        and p["attended"] is False
        and p["source_activity_key"] in by_activity
    ]
    pending = {v["statement"] for v in state["pending_voids"]}
    absent = [
        p
        for p in absent
        if not any(
            s["id"] in pending
            for s in by_activity[p["source_activity_key"]]
            if _actor_key(s["actor"]) == p["source_record_key"]
        )
    ]
    if absent:
        p = rng.choice(absent)
        mine = [
            s
            for s in by_activity[p["source_activity_key"]]
            if _actor_key(s["actor"]) == p["source_record_key"]
        ]
        live.add(mine[0], "attended", mine[0]["actor"], {"duration": "PT1H30M"})
        p["attended"] = True
        log["lrs_attendance"] += 1


def _voids(live: _Statements, state: dict, log: dict[str, int]) -> None:
    """The administrator voids the registrations recorded in error that are due today."""
    w, day = live.w, live.day
    for void in [v for v in state["pending_voids"] if v["due"] <= day.number]:
        moment = live.stamp()
        w.statements.append(
            {
                "id": _uuid(day.rng),
                "actor": ADMIN,
                "verb": {"id": VERBS["voided"], "display": {"en-US": "voided"}},
                "object": {"objectType": "StatementRef", "id": void["statement"]},
                "timestamp": moment,
                "stored": moment,
                "authority": AUTHORITY,
                "version": "1.0.3",
            }
        )
        w.drop_participation("gs_lrs", void["activity"], void["actor"])
        state["pending_voids"].remove(void)
        log["lrs_voided"] += 1
