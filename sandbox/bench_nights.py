"""The nights of ``capdev-sandbox bench``: ingesting a sandbox as the DAGs would, then a quiet
night and a ~1 %-change night after the first, each stage timed (:mod:`sandbox.bench_measure`).
"""

from __future__ import annotations

import json
import shutil
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingestion import config
from sandbox.bench_measure import stage, timed


def ingest_sandbox(
    sandbox: Path, logical: datetime, delivered: dict[str, str] | None = None
) -> tuple[int, float, float]:
    """Land and validate every platform of a generated sandbox into the raw zone of the current
    data folder (API platforms through their sandbox servers, file drops through the inboxes):
    (rows landed, extract-and-land seconds, validation seconds).

    ``delivered`` (file → sha256 of what was dropped before): drop only the files that are new
    or changed since, as a bureau would on a later night; None drops every file."""
    from ingestion.connectors.base import ApiConnection
    from ingestion.raw import ingest as pipeline
    from sandbox.demo import API_PLATFORMS, FILE_PLATFORMS, deliver_drops, start_servers

    extract_s = validate_s = 0.0
    rows = 0
    with ExitStack() as stack:
        servers = start_servers(sandbox, stack)
        if delivered is None:
            deliver_drops(sandbox)
        else:
            _deliver_changed(sandbox, delivered)
        for code in API_PLATFORMS:
            server = servers[code]
            creds = server.credentials
            conn = ApiConnection(
                base_url=server.endpoint if code == "gs_lrs" else server.url,
                token=creds.get("token") or creds.get("password"),
                username=creds.get("username"),
                password=creds.get("password"),
            )
            batches, seconds = timed(pipeline.ingest_api, code, conn, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = timed(pipeline.validate_landed, batches)
            validate_s += seconds
        for code in FILE_PLATFORMS:
            batches, seconds = timed(pipeline.ingest_drops, code, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = timed(pipeline.validate_landed, batches)
            validate_s += seconds
    return rows, extract_s, validate_s


def _drop_files(sandbox: Path) -> dict[str, Path]:
    """The sandbox's drop files by their path under the sandbox."""
    from sandbox.demo import FILE_PLATFORMS

    return {
        str(path.relative_to(sandbox)): path
        for platform in FILE_PLATFORMS
        for path in sorted((sandbox / "drops" / platform).rglob("*"))
        if path.is_file()
    }


def digests(sandbox: Path) -> dict[str, str]:
    """What a full delivery of the sandbox's files drops (file → sha256)."""
    import hashlib

    return {
        key: hashlib.sha256(path.read_bytes()).hexdigest()
        for key, path in _drop_files(sandbox).items()
    }


def _deliver_changed(sandbox: Path, delivered: dict[str, str]) -> int:
    """Drop into the inboxes the sandbox files that are new or changed since the last delivery."""
    count = 0
    files = _drop_files(sandbox)
    for key, digest in digests(sandbox).items():
        if delivered.get(key) == digest:
            continue
        platform = Path(key).parts[1]  # drops/<platform>/...
        target = config.inbox_dir(platform) / Path(*Path(key).parts[2:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(files[key], target)
        delivered[key] = digest
        count += 1
    return count


def night_of(sandbox: Path) -> datetime:
    """The logical date of the night after the sandbox's present (01:00 UTC the next day)."""
    from sandbox.generator.advance import read_state

    as_of = datetime.fromisoformat(read_state(sandbox)["as_of"])
    return datetime(as_of.year, as_of.month, as_of.day, 1, 0, tzinfo=UTC) + timedelta(days=1)


def run_night(sandbox: Path, logical: datetime, delivered: dict[str, str] | None) -> dict:
    """One night as the DAGs run it: ingest and validate every platform, then build, publish
    and publish the Council marts only if a batch was accepted since the last publish. Each
    stage's time and peak RSS, the night's total, and whether it built."""
    from ingestion.publish.council import publish_council
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse, needs_build

    night: dict = {"logical_date": logical.isoformat()}
    started = time.monotonic()
    with stage(night, "ingest"):
        rows, extract_s, validate_s = ingest_sandbox(sandbox, logical, delivered)
    night.update(
        rows_landed=rows, extract_and_land_s=round(extract_s, 1), validate_s=round(validate_s, 1)
    )
    night["built"] = needs_build()
    if night["built"]:
        with stage(night, "dbt_build"):
            build = build_warehouse()
        with stage(night, "publish"):
            publish(build.build_file)
        with stage(night, "council_publish"):
            night["council_file"] = str(publish_council())
    night["total_s"] = round(time.monotonic() - started, 1)
    night["peak_rss_mb"] = max(v["peak_rss_mb"] for v in night.values() if isinstance(v, dict))
    return night


def _changed_share(before: Path, after: Path) -> tuple[int, int]:
    """Participations (ground truth) new, changed or gone between two sandbox states, and the
    number there were before."""
    import polars as pl

    old = pl.read_parquet(before / "ground_truth" / "participations.parquet")
    new = pl.read_parquet(after / "ground_truth" / "participations.parquet")
    columns = old.columns
    moved = new.join(old, on=columns, how="anti", nulls_equal=True).height
    moved += old.join(new, on=columns, how="anti", nulls_equal=True).height
    return moved, old.height


def advance_to_share(sandbox: Path, share: float = 0.01) -> dict:
    """Advance the sandbox by as many days as bring about ``share`` of its participations new,
    changed or gone: one day first, to measure a day's share, then the rest in one call."""
    from sandbox.generator.advance import advance

    before = sandbox.parent / "participations-before"
    (before / "ground_truth").mkdir(parents=True, exist_ok=True)
    shutil.copy2(sandbox / "ground_truth" / "participations.parquet", before / "ground_truth")
    started = time.monotonic()
    advance(sandbox, days=1)
    moved, total = _changed_share(before, sandbox)
    days = 1
    wanted = max(1, round(share * total / max(moved, 1)))  # the days closest to the share
    if wanted > days:
        advance(sandbox, days=wanted - days)
        days = wanted
        moved, total = _changed_share(before, sandbox)
    shutil.rmtree(before, ignore_errors=True)
    return {
        "advance_days": days,
        "advance_s": round(time.monotonic() - started, 1),
        "participations_changed": moved,
        "participations_before": total,
        "changed_share": round(moved / total, 4) if total else None,
    }


def bench_nights(sandbox: Path, first: dict, delivered: dict[str, str]) -> dict:
    """The quiet night and the ~1 %-change night after a first night; their figures and their
    ratios to the first night."""
    first_night = night_of(sandbox)
    print(f"first night: {json.dumps(first)}", flush=True)  # a long bench reports as it goes
    quiet = run_night(sandbox, first_night + timedelta(days=1), delivered)
    print(f"quiet night: {json.dumps(quiet)}", flush=True)
    change = advance_to_share(sandbox)
    print(f"advanced: {json.dumps(change)}", flush=True)
    changed = run_night(sandbox, max(night_of(sandbox), first_night + timedelta(days=2)), delivered)
    changed.update(change)
    return {
        "first": first,
        "quiet": quiet,
        "changed": changed,
        "quiet_to_first": round(quiet["total_s"] / first["total_s"], 3),
        "changed_to_first": round(changed["total_s"] / first["total_s"], 3),
    }


def format_nights(nights: dict) -> str:
    """The nights side by side: each stage's seconds and peak RSS, totals and ratios."""
    stages = ("ingest", "dbt_build", "publish", "council_publish")
    names = ("first", "quiet", "changed")
    lines = [
        f"{'stage':<16}" + "".join(f"{n + ' s':>12}{n + ' MB':>12}" for n in names),
    ]
    for part in stages:
        cells = ""
        for name in names:
            figure = nights[name].get(part)
            cells += (
                f"{figure['s']:>12}{figure['peak_rss_mb']:>12}" if figure else f"{'-':>12}{'-':>12}"
            )
        lines.append(f"{part:<16}{cells}")
    lines.append(
        f"{'night':<16}"
        + "".join(f"{nights[n]['total_s']:>12}{nights[n]['peak_rss_mb']:>12}" for n in names)
    )
    changed = nights["changed"]
    lines.append(
        f"quiet/first {nights['quiet_to_first']:.1%} (target <= 20%), "
        f"changed/first {nights['changed_to_first']:.1%} (target <= 30%); changed night: "
        f"advance --days {changed['advance_days']}, {changed['participations_changed']} of "
        f"{changed['participations_before']} participations new, changed or gone "
        f"({changed['changed_share']:.2%}); built: quiet {nights['quiet']['built']}, "
        f"changed {changed['built']}"
    )
    return "\n".join(lines)
