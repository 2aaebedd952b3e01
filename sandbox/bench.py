"""``capdev-sandbox bench``: timings and quality figures of the pipeline at several sandbox scales.

For each scale: generate the sandbox, ingest every platform (extract + land, then validate, timed
separately so the cost of Great Expectations shows as a ratio), build the warehouse with dbt
(identity resolution included; its own time read from dbt's run results), publish, publish the
Council marts (secondary suppression, then the disclosure audit of what was published: the number
of suppressed cells it recovers is reported and must be 0), and compare the result with the
ground truth (``capdev evaluate``'s table: the overlap and taxonomy figures on the in-sample and
held-out vocabulary side by side).

Then two more nights over the same sandbox, each run as the nightly DAGs would (ingest,
validate, and build, publish and Council publish only when ``needs_build`` says a batch was
accepted): a *quiet* night (the next logical date, no source change, no file dropped) and a
*changed* night after ``advance`` moved the sandbox on by as many days as bring about 1 % of the
participations (ground truth) new, changed or gone (one day first, to measure a day's share).
Each stage of each night has its time and the peak RSS of the bench process and its children
(dbt), sampled; the quiet/first and changed/first ratios are printed as a table. Airflow's own
start-up per DAG run is not in these figures (the stages are called directly).

Figures are printed and written to ``data/bench/bench-<timestamp>.json``. It reports; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import threading
import time
from contextlib import ExitStack, contextmanager, suppress
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ingestion import config


def _timed(fn, *args, **kwargs):
    started = time.monotonic()
    result = fn(*args, **kwargs)
    return result, time.monotonic() - started


_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of a process and all its descendants (Linux ``/proc``)."""
    children: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:  # the process ended meanwhile
            continue
        children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry.name))
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        with suppress(OSError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
        todo += children.get(pid, [])
    return total


@contextmanager
def _stage(figures: dict, name: str):
    """Time a stage and sample the peak RSS of this process and its children (dbt) meanwhile;
    the figures go to ``figures[name]`` as ``{"s": ..., "peak_rss_mb": ...}``."""
    peak = [0]
    done = threading.Event()
    clear = Path("/proc/self/clear_refs")
    with suppress(OSError):
        clear.write_text("5")  # resets VmHWM: this process's own peak is then the stage's

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _tree_rss(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        yield
    finally:
        seconds = time.monotonic() - started
        done.set()
        sampler.join()
        own = 0
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) * 1024
        figures[name] = {
            "s": round(seconds, 1),
            "peak_rss_mb": round(max(peak[0], own, _tree_rss(os.getpid())) / 2**20),
        }


def _dbt_node_seconds(name_fragment: str) -> float | None:
    from ingestion.warehouse.build import dbt_target_dir

    results = dbt_target_dir() / "run_results.json"
    if not results.exists():
        return None
    data = json.loads(results.read_text())
    times = [r["execution_time"] for r in data["results"] if name_fragment in r["unique_id"]]
    return round(sum(times), 2) if times else None


def _suppressed_cells(council_db: Path) -> int:
    """How many cells the published Council file withholds (as the auditor reads it)."""
    from ingestion.publish.disclosure.audit import readings
    from ingestion.publish.threshold import min_cell_size

    return max(len(system.suppressed) for system, _ in readings(council_db, min_cell_size()))


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
            batches, seconds = _timed(pipeline.ingest_api, code, conn, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = _timed(pipeline.validate_landed, batches)
            validate_s += seconds
        for code in FILE_PLATFORMS:
            batches, seconds = _timed(pipeline.ingest_drops, code, logical)
            extract_s += seconds
            rows += sum(b["rows"] for b in batches)
            _, seconds = _timed(pipeline.validate_landed, batches)
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


def _digests(sandbox: Path) -> dict[str, str]:
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
    for key, digest in _digests(sandbox).items():
        if delivered.get(key) == digest:
            continue
        platform = Path(key).parts[1]  # drops/<platform>/...
        target = config.inbox_dir(platform) / Path(*Path(key).parts[2:])
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(files[key], target)
        delivered[key] = digest
        count += 1
    return count


def _night_of(sandbox: Path) -> datetime:
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
    with _stage(night, "ingest"):
        rows, extract_s, validate_s = ingest_sandbox(sandbox, logical, delivered)
    night.update(
        rows_landed=rows, extract_and_land_s=round(extract_s, 1), validate_s=round(validate_s, 1)
    )
    night["built"] = needs_build()
    if night["built"]:
        with _stage(night, "dbt_build"):
            build = build_warehouse()
        with _stage(night, "publish"):
            publish(build.build_file)
        with _stage(night, "council_publish"):
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
    first_night = _night_of(sandbox)
    print(f"first night: {json.dumps(first)}", flush=True)  # a long bench reports as it goes
    quiet = run_night(sandbox, first_night + timedelta(days=1), delivered)
    print(f"quiet night: {json.dumps(quiet)}", flush=True)
    change = advance_to_share(sandbox)
    print(f"advanced: {json.dumps(change)}", flush=True)
    changed = run_night(
        sandbox, max(_night_of(sandbox), first_night + timedelta(days=2)), delivered
    )
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
    for stage in stages:
        cells = ""
        for name in names:
            figure = nights[name].get(stage)
            cells += (
                f"{figure['s']:>12}{figure['peak_rss_mb']:>12}" if figure else f"{'-':>12}{'-':>12}"
            )
        lines.append(f"{stage:<16}{cells}")
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


def bench_scale(scale: float, seed: int, root: Path, nights: bool = True) -> dict:
    """Run the whole pipeline once at one scale in its own data folder; return the figures."""
    from ingestion.evaluate import evaluate
    from ingestion.publish.council import publish_council
    from ingestion.publish.disclosure.audit import audit
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse
    from sandbox.generator import generate

    data = root / f"scale-{scale:g}"
    shutil.rmtree(data, ignore_errors=True)
    os.environ["CAPDEV_DATA_DIR"] = str(data)
    figures: dict = {"scale": scale, "seed": seed}
    sandbox = config.sandbox_dir()
    counts, figures["generate_s"] = _timed(generate, sandbox, seed=seed, scale=scale)
    figures["sandbox_totals"] = counts.get("totals", {})
    logical = _night_of(sandbox)
    delivered = _digests(sandbox)  # the first night drops every file
    first: dict = {"logical_date": logical.isoformat(), "built": True}
    started = time.monotonic()
    with _stage(first, "ingest"):
        rows, extract_s, validate_s = ingest_sandbox(sandbox, logical)
    figures.update(
        rows_landed=rows,
        extract_and_land_s=round(extract_s, 1),
        validate_s=round(validate_s, 1),
        validation_to_ingestion_ratio=round(validate_s / extract_s, 2) if extract_s else None,
    )
    with _stage(first, "dbt_build"):
        build = build_warehouse()
    figures["dbt_build_s"] = first["dbt_build"]["s"]
    figures["identity_resolution_s"] = _dbt_node_seconds("int_participant_clusters")
    with _stage(first, "publish"):
        publish(build.build_file)
    figures["publish_s"] = first["publish"]["s"]
    with _stage(first, "council_publish"):
        council = publish_council()
    figures["council_publish_s"] = first["council_publish"]["s"]
    first["total_s"] = round(time.monotonic() - started, 1)
    first["peak_rss_mb"] = max(v["peak_rss_mb"] for v in first.values() if isinstance(v, dict))
    first.update(rows_landed=rows, extract_and_land_s=figures["extract_and_land_s"])
    first["validate_s"] = figures["validate_s"]
    figures["council_suppressed_cells"] = _suppressed_cells(council)
    figures["council_audit_recovered"] = len(audit(council))
    figures["quality"] = evaluate()
    figures["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    figures["warehouse_mb"] = round(config.published_warehouse().stat().st_size / 1e6, 1)
    figures["generate_s"] = round(figures["generate_s"], 1)
    if nights:
        figures["nights"] = bench_nights(sandbox, first, delivered)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="capdev-sandbox bench", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--scales", default="1 10", help='space-separated scales, e.g. "1 10"')
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--no-nights",
        action="store_true",
        help="the first night only (no quiet night, no changed night)",
    )
    args = parser.parse_args(argv)
    from ingestion.evaluate import format_report

    root = config.data_dir() / "bench"
    results = []
    for scale in [float(s) for s in args.scales.split()]:
        print(f"== scale {scale:g}")
        figures = bench_scale(scale, args.seed, root, nights=not args.no_nights)
        results.append(figures)
        print(json.dumps(figures, indent=2, default=str))
        # the quality table: overlaps and taxonomy, in-sample and held-out side by side
        print(format_report(figures["quality"]))
        if "nights" in figures:
            print(format_nights(figures["nights"]))
    out = root / f"bench-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"figures written to {out}")
    return 0
