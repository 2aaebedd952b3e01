"""Who attends what: every activity's seats are filled from the people of the platform, mostly
from the activity's region; every person gets at least one seat on each of their platforms."""

from __future__ import annotations

import math

from . import geo
from .activity import Activity
from .population import PLATFORMS, Person, build_population
from .util import Weighted, rng_for

# Average number of activities per person on each platform (sizes the people pools).
AVG_PER_PERSON = {
    "academy": 3.6,
    "tsb_events": 3.0,
    "br_seminars": 1.5,
    "regional_offices": 2.3,
    "gs_lrs": 2.4,
}
HOME_REGION_SHARE = 0.88  # share of a regional activity's participants from its region
GLOBAL_MIX = {
    "tsb_events": {
        "Africa": 20,
        "Americas": 12,
        "Arab States": 10,
        "Asia-Pacific": 25,
        "CIS": 8,
        "Europe": 25,
    },
}


def seat_regions(seed: int, activities: list[Activity]) -> list[list[str]]:
    """The home region of each seat of each activity."""
    rng = rng_for(seed, "seats")
    default = Weighted(geo.REGION_MIX)
    mixes = {p: Weighted(m) for p, m in GLOBAL_MIX.items()}
    out = []
    for a in activities:
        mix = mixes.get(a.platform, default)
        seats = []
        for _ in range(a.size):
            if a.region is not None and rng.random() < HOME_REGION_SHARE:
                seats.append(a.region)
            else:
                seats.append(mix.pick(rng))
        out.append(seats)
    return out


def populate(seed: int, activities: list[Activity]) -> list[Person]:
    """Create the people and fill ``Activity.participants`` (person indices)."""
    seats = seat_regions(seed, activities)
    # Seats per (platform, region), and the largest single-activity need in each.
    slots: dict[tuple[str, str], list[int]] = {}
    biggest: dict[tuple[str, str], int] = {}
    for a, regions in zip(activities, seats, strict=True):
        counts: dict[str, int] = {}
        for r in regions:
            slots.setdefault((a.platform, r), []).append(a.idx)
            counts[r] = counts.get(r, 0) + 1
        for r, n in counts.items():
            k = (a.platform, r)
            biggest[k] = max(biggest.get(k, 0), n)
    demand: dict[str, dict[str, int]] = {}
    for (platform, region), s in slots.items():
        need = max(math.ceil(len(s) / AVG_PER_PERSON[platform]), biggest[(platform, region)])
        demand.setdefault(region, {})[platform] = need
    people = build_population(seed, demand)

    pools: dict[tuple[str, str], list[int]] = {}
    for p in people:
        for platform in p.platforms:
            pools.setdefault((p.region, platform), []).append(p.idx)

    rng = rng_for(seed, "fill")
    members: list[set[int]] = [set() for _ in activities]
    for platform in PLATFORMS:
        for region in geo.REGIONS.values():
            seat_list = list(slots.get((platform, region), ()))
            pool = pools.get((region, platform), [])
            if not seat_list:
                continue
            rng.shuffle(seat_list)
            order = list(pool)
            rng.shuffle(order)
            # 1) everyone in the pool gets one seat (pool size <= seats by construction)
            leftover = []
            queue = list(order)
            for aidx in seat_list:
                placed = False
                # try a few queued people that are not yet in this activity
                for _ in range(min(len(queue), 5)):
                    pid = queue.pop()
                    if pid not in members[aidx]:
                        members[aidx].add(pid)
                        activities[aidx].participants.append(pid)
                        placed = True
                        break
                    queue.insert(0, pid)
                if not placed:
                    leftover.append(aidx)
            # 2) remaining seats: repeat participants, drawn with a mild preference for "regulars"
            for aidx in leftover:
                for _ in range(50):
                    pid = (
                        pool[min(int(rng.paretovariate(1.2)) - 1, len(pool) - 1)]
                        if rng.random() < 0.3
                        else rng.choice(pool)
                    )
                    if pid not in members[aidx]:
                        members[aidx].add(pid)
                        activities[aidx].participants.append(pid)
                        break
    # Registration order mixes regions (seats were filled region by region).
    order_rng = rng_for(seed, "seat-order")
    for a in activities:
        order_rng.shuffle(a.participants)
    # People who were created but got no seat (can only happen when a pool outnumbers its
    # seats): drop them from their platform so every platform membership has a record.
    seated: dict[int, set[str]] = {}
    for a in activities:
        for pid in a.participants:
            seated.setdefault(pid, set()).add(a.platform)
    for p in people:
        p.platforms = tuple(pl for pl in p.platforms if pl in seated.get(p.idx, ()))
    return people
