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
    rng = day.rng
    last = max(s["stored"] for s in w.statements)

    def stamp() -> str:
        nonlocal last
        moment = iso_z(day.moment(), millis=True)
        if moment <= last:
            moment = iso_z(
                datetime.fromisoformat(last.replace("Z", "+00:00")) + timedelta(milliseconds=1),
                millis=True,
            )
        last = moment
        return moment

    voided = {s["object"]["id"] for s in w.statements if s["verb"]["id"] == VERBS["voided"]}
    by_activity: dict[str, list[dict]] = {}
    for s in w.statements:
        if s["verb"]["id"] != VERBS["voided"] and s["id"] not in voided:
            by_activity.setdefault(s["object"]["id"], []).append(s)

    def start(iri: str) -> str:
        ext = by_activity[iri][0]["object"].get("definition", {}).get("extensions", {})
        return next((v for k, v in ext.items() if "start" in k), "")

    recent = sorted(by_activity, key=lambda iri: (start(iri), iri))[-5:]
    actors = sorted(
        {_actor_key(s["actor"]): s["actor"] for s in w.statements if s["actor"] != ADMIN}.items()
    )

    def statement(template: dict, verb: str, actor: dict, result: dict | None = None) -> dict:
        moment = stamp()
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
        w.statements.append(out)
        return out

    def register(in_error: bool) -> None:
        iri = rng.choice(recent)
        present = {_actor_key(s["actor"]) for s in by_activity[iri]}
        key, actor = rng.choice([(k, a) for k, a in actors if k not in present])
        stmt = statement(by_activity[iri][0], "registered", actor)
        by_activity[iri].append(stmt)
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

    register(in_error=False)
    register(in_error=True)

    # attendance recorded for someone registered who had not attended
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
        statement(mine[0], "attended", mine[0]["actor"], {"duration": "PT1H30M"})
        p["attended"] = True
        log["lrs_attendance"] += 1

    # the administrator voids the registrations recorded in error two days ago
    for void in [v for v in state["pending_voids"] if v["due"] <= day.number]:
        moment = stamp()
        w.statements.append(
            {
                "id": _uuid(rng),
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
