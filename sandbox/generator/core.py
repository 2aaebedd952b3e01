"""``generate()``: the whole sandbox tree (platform data, file drops, ground truth)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl

from . import render_academy, render_br, render_lrs, render_regional, render_tsb, truth
from .activities import build_calendar
from .participations import populate
from .util import AS_OF, write_json, write_pretty_json

PLATFORM_ORDER = ("academy", "tsb_events", "br_seminars", "regional_offices", "gs_lrs")
OWNED = (
    "academy",
    "tsb_events",
    "gs_lrs",
    "drops",
    "ground_truth",
    "credentials.json",
    "advance.json",  # the state of sandbox.generator.advance: a new tree starts at day 0
)

CREDENTIALS = {
    "academy": {"token": "sandbox-academy-wstoken-6f1c2a"},
    "tsb_events": {"token": "sandbox-tsb-bearer-93be47"},
    "gs_lrs": {"username": "sandbox-lrs-client", "password": "sandbox-lrs-secret-d81f"},
}

S = pl.String
B = pl.Boolean
SCHEMAS = {
    "persons": {
        "person_id": S,
        "given_name": S,
        "family_name": S,
        "middle_name": S,
        "given_name_native": S,
        "family_name_native": S,
        "country_iso2": S,
        "region": S,
        "gender": S,
        "developing": B,
        "ldc": B,
        "lldc": B,
        "sids": B,
        "organization": S,
        "organization_type": S,
        "work_email": S,
        "personal_email": S,
        "platforms": S,
    },
    "person_records": {"platform": S, "source_record_key": S, "person_id": S},
    "activities": {
        "platform": S,
        "source_activity_key": S,
        "activity_key": S,
        "bureau": S,
        "org_unit": S,
        "topic": S,
        "activity_type": S,
        "region": S,
        "country": S,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "title": S,
        "language": S,
        "duplicate_group": pl.Int32,
        "course_aspect": S,
        "course_level": S,
        "near_miss_of": S,
        "vocabulary": S,  # in_sample / held_out: where its wording came from (heldout.py)
    },
    "activity_overlaps": {
        "activity_key_a": S,
        "activity_key_b": S,
        "reason": S,
        "topic": S,
        "region": S,
        "gap_days": pl.Int32,
        "intended": B,
    },
    "participations": {
        "platform": S,
        "source_activity_key": S,
        "source_record_key": S,
        "person_id": S,
        "registered": B,
        "attended": B,
        "completed": B,
        "passed": B,
        "certified": B,
        "score_0_100": pl.Float64,
        "satisfaction_1_5": pl.Int8,
    },
}


def _parquet(path: Path, rows: list[dict], schema: dict) -> None:
    df = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    df.write_parquet(path, compression="zstd", statistics=True)


def _clean(out: Path) -> None:
    for name in OWNED:
        p = out / name
        if p.is_dir():
            shutil.rmtree(p)
        elif p.exists():
            p.unlink()


def generate(out_dir: Path, seed: int = 42, scale: float = 1.0) -> dict:
    """Write the whole sandbox tree (see sandbox/README.md) into ``out_dir``; return the
    expected counts (also written to ``ground_truth/expected_counts.json``).

    Deterministic: the same seed and scale give byte-identical files. ``scale`` multiplies
    the number of activities (and so of people); tiny scales keep a minimum of every platform.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    _clean(out)

    activities = build_calendar(seed, scale)
    people = populate(seed, activities)
    by_platform = {p: [a for a in activities if a.platform == p] for p in PLATFORM_ORDER}

    results = {
        "academy": render_academy.render(seed, out, by_platform["academy"], people),
        "tsb_events": render_tsb.render(seed, out, by_platform["tsb_events"], people),
        "br_seminars": render_br.render(seed, out, by_platform["br_seminars"], people),
        "regional_offices": render_regional.render(
            seed, out, by_platform["regional_offices"], people
        ),
        # after academy: account actors reuse Academy usernames
        "gs_lrs": render_lrs.render(seed, out, by_platform["gs_lrs"], people),
    }

    records = [r for p in PLATFORM_ORDER for r in results[p]["records"]]
    records.sort(key=lambda r: (r["platform"], r["source_record_key"]))
    participations = [r for p in PLATFORM_ORDER for r in results[p]["participations"]]
    participations.sort(
        key=lambda r: (r["platform"], r["source_activity_key"], r["source_record_key"])
    )
    overlap_rows = truth.overlaps(activities)
    persons = truth.person_rows(sorted(people, key=lambda p: p.person_id))

    gt = out / "ground_truth"
    gt.mkdir(parents=True, exist_ok=True)
    _parquet(gt / "persons.parquet", persons, SCHEMAS["persons"])
    _parquet(gt / "person_records.parquet", records, SCHEMAS["person_records"])
    _parquet(gt / "activities.parquet", truth.activity_rows(activities), SCHEMAS["activities"])
    _parquet(gt / "activity_overlaps.parquet", overlap_rows, SCHEMAS["activity_overlaps"])
    _parquet(gt / "participations.parquet", participations, SCHEMAS["participations"])

    counts: dict = {"seed": seed, "scale": scale, "as_of": AS_OF.isoformat()}
    for p in PLATFORM_ORDER:
        counts[p] = results[p]["counts"]
    counts["totals"] = {
        "persons": len(people),
        "persons_multi_platform": sum(1 for p in people if len(p.platforms) > 1),
        "activities": len(activities),
        "participant_records": len(records),
        "participations": len(participations),
        "activity_overlaps": len(overlap_rows),
        "intended_overlaps": sum(1 for r in overlap_rows if r["intended"]),
        "near_misses": sum(1 for a in activities if a.extra.get("near_miss_of") is not None),
        "duplicate_groups": len({a.dup_group for a in activities if a.dup_group is not None}),
    }
    write_pretty_json(gt / "expected_counts.json", counts)
    write_pretty_json(
        gt / "headline_figures.json", truth.headline(activities, people, participations)
    )
    write_json(out / "credentials.json", CREDENTIALS)
    return counts
