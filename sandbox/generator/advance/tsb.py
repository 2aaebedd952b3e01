"""A day on the TSB events API: a new event, registrations, late attendance, a corrected title
and name, a cancelled registration; an event's ``updated_at`` moves whenever its list changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from ..util import iso_z
from .world import Day, World


def tsb_day(w: World, day: Day, log: dict[str, int]) -> None:
    """One day of TSB events changes, in a fixed order (each draws from the day's stream)."""
    events = {e["event_id"]: e for e in w.events}
    _new_event(w, day, events, log)
    # every registration before today's (new registrations copy one; a name correction picks one)
    everyone = sorted(
        ((reg["registration_id"], reg) for regs in w.registrations.values() for reg in regs),
        key=lambda pair: pair[0],
    )
    _registrations(w, day, events, everyone, log)
    _late_attendance(w, day, events, log)
    _renamed_event(w, day, events, log)
    _corrected_name(w, day, events, everyone, log)
    _cancelled_registration(w, day, events, log)


def _start_of(e: dict) -> date:
    return date.fromisoformat(e["starts_at"][:10])


def _end_of(e: dict) -> date:
    return date.fromisoformat(e["ends_at"][:10])


def _touch(events: dict, event_id: str, moment: datetime) -> None:
    events[event_id]["updated_at"] = iso_z(moment)  # our contract: the list changed


def _new_event(w: World, day: Day, events: dict, log: dict[str, int]) -> None:
    """A new event, copied from one held over a year ago."""
    rng = day.rng
    old = sorted(e for e, ev in events.items() if _end_of(ev) < day.date - timedelta(days=365))
    template = events[rng.choice(old)]
    prefix = f"TSB-{day.date.year}-{template['event_id'].split('-')[2]}"
    taken = [int(e.rsplit("-", 1)[1]) for e in events if e.startswith(prefix + "-")]
    event_id = f"{prefix}-{max(taken, default=900) + 1:03d}"
    start = day.date + timedelta(days=21)
    shift = start - _start_of(template)
    event = {
        **template,
        "event_id": event_id,
        "starts_at": (start).isoformat() + template["starts_at"][10:],
        "ends_at": (_end_of(template) + shift).isoformat() + template["ends_at"][10:],
        "updated_at": iso_z(day.moment()),
    }
    w.events.append(event)
    events[event_id] = event
    w.registrations[event_id] = []
    w.clone_activity("tsb_events", template["event_id"], event_id, start, _end_of(template) + shift)
    log["tsb_new_events"] += 1


def _registrations(w: World, day: Day, events: dict, everyone: list, log: dict[str, int]) -> None:
    """New registrations for coming events (people who registered for another event before)."""
    rng = day.rng
    coming = sorted(e for e, ev in events.items() if _start_of(ev) > day.date)
    for _ in range(2):
        eid = rng.choice(coming)
        regs = w.registrations[eid]
        emails = {r["person"]["email"] for r in regs}
        source_id, source = rng.choice(
            [(i, r) for i, r in everyone if r["person"]["email"] not in emails]
        )
        person_id = w.person_of("tsb_events", source_id)
        number = max((int(r["registration_id"].rsplit("-R", 1)[1]) for r in regs), default=0) + 1
        rid = f"{eid}-R{number:04d}"
        moment = day.moment()
        regs.append(
            {
                **source,
                "registration_id": rid,
                "registered_at": iso_z(moment),
                "attended": None,
                "attendance_days": None,
                "updated_at": iso_z(moment),
            }
        )
        _touch(events, eid, moment)
        if person_id is not None:
            w.add_record("tsb_events", rid, person_id)
        w.add_participation("tsb_events", eid, rid)
        log["tsb_registrations"] += 1


def _late_attendance(w: World, day: Day, events: dict, log: dict[str, int]) -> None:
    """Attendance recorded late for a past event."""
    rng = day.rng
    past = [
        (eid, r)
        for eid, regs in sorted(w.registrations.items())
        if _end_of(events[eid]) < day.date
        for r in regs
        if r["attended"] is not True
    ]
    eid, reg = rng.choice(past)
    moment = day.moment()
    reg.update(
        attended=True,
        attendance_days=(_end_of(events[eid]) - _start_of(events[eid])).days + 1,
        updated_at=iso_z(moment),
    )
    _touch(events, eid, moment)
    p = w.participation("tsb_events", eid, reg["registration_id"])
    if p is not None:
        p["attended"] = True
    log["tsb_attendance"] += 1


def _renamed_event(w: World, day: Day, events: dict, log: dict[str, int]) -> None:
    """An event's title corrected."""
    rng = day.rng
    eid = rng.choice(sorted(events))
    events[eid]["title"] = f"{events[eid]['title']} (revised programme)"
    _touch(events, eid, day.moment())
    row = w.activity("tsb_events", eid)
    if row is not None:
        row["title"] = events[eid]["title"]
    log["tsb_renamed_events"] += 1


def _corrected_name(w: World, day: Day, events: dict, everyone: list, log: dict[str, int]) -> None:
    """A participant's family name corrected."""
    rng = day.rng
    rid, reg = rng.choice(everyone)
    eid = rid.rsplit("-R", 1)[0]
    person = w.persons.get(w.person_of("tsb_events", rid) or "")
    current = reg["person"]["last_name"] or ""
    fixed = (
        person["family_name"] if person and person["family_name"] != current else current.upper()
    )
    moment = day.moment()
    reg["person"] = {**reg["person"], "last_name": fixed}
    reg["updated_at"] = iso_z(moment)
    _touch(events, eid, moment)
    log["tsb_corrected_names"] += 1


def _cancelled_registration(w: World, day: Day, events: dict, log: dict[str, int]) -> None:
    """A registration cancelled: deleted from the event's list."""
    rng = day.rng
    eid = rng.choice(sorted(e for e, regs in w.registrations.items() if len(regs) > 1))
    reg = rng.choice(w.registrations[eid])
    w.registrations[eid] = [r for r in w.registrations[eid] if r is not reg]
    _touch(events, eid, day.moment())
    w.drop_participation("tsb_events", eid, reg["registration_id"])
    log["tsb_cancelled_registrations"] += 1
