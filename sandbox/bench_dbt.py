"""``dbt build`` in ``capdev-sandbox bench``: where its time goes, and its plain-DuckDB bound.

Read from the build's own artifacts (``run_results.json``, ``manifest.json`` in
:func:`ingestion.warehouse.build.dbt_target_dir`): the seconds of each node summed by resource
type (models, tests, seeds, snapshots), the ten slowest nodes, and what dbt spent outside its
nodes (start-up, parse, compile of the graph, artifacts). Then the bound
(:mod:`sandbox.dbt_bound`): the same compiled SQL and Python run in one DuckDB connection
without dbt, and the ratio of the build to it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from statistics import median

#: Issue 18's target: ``dbt build`` within this many times the plain DuckDB bound.
BOUND_TARGET_RATIO = 4.0


def node_times(target_dir: Path) -> dict:
    """The build's node seconds from ``run_results.json``: per resource type (count and
    seconds), the Python models' seconds, the ten slowest nodes, dbt's own elapsed time."""
    results = json.loads((target_dir / "run_results.json").read_text(encoding="utf-8"))
    manifest_path = target_dir / "manifest.json"
    nodes = (
        json.loads(manifest_path.read_text(encoding="utf-8"))["nodes"]
        if manifest_path.exists()
        else {}
    )
    by_type: dict[str, dict] = {}
    python_s = 0.0
    for result in results["results"]:
        kind = result["unique_id"].split(".", 1)[0]
        entry = by_type.setdefault(kind, {"count": 0, "s": 0.0})
        entry["count"] += 1
        entry["s"] += result["execution_time"]
        if nodes.get(result["unique_id"], {}).get("language") == "python":
            python_s += result["execution_time"]
    top = sorted(results["results"], key=lambda r: r["execution_time"], reverse=True)[:10]
    return {
        "elapsed_s": round(results["elapsed_time"], 2),
        "by_type": {k: {"count": v["count"], "s": round(v["s"], 2)} for k, v in by_type.items()},
        "python_models_s": round(python_s, 2),
        "top": [{"node": r["unique_id"], "s": round(r["execution_time"], 2)} for r in top],
    }


def node_seconds(target_dir: Path, name_fragment: str) -> float | None:
    """Seconds of the nodes whose id contains ``name_fragment`` in the last run (None: none)."""
    results = target_dir / "run_results.json"
    if not results.exists():
        return None
    data = json.loads(results.read_text(encoding="utf-8"))
    times = [r["execution_time"] for r in data["results"] if name_fragment in r["unique_id"]]
    return round(sum(times), 2) if times else None


def against_bound(build_s: float, times: dict, bound: dict) -> dict:
    """A build's seconds and :func:`node_times` set against the bound's figures.
    ``ratio``: build / bound, Python models in both; ``ratio_sql``: the same without them."""
    return {
        "build_s": round(build_s, 1),
        **times,
        # the command's time beyond dbt's own elapsed one: process start, imports, parsing
        "outside_run_s": round(build_s - times["elapsed_s"], 1),
        "bound": bound,
        "ratio": round(build_s / bound["bound_s"], 2),
        "ratio_sql": round((build_s - times["python_models_s"]) / max(bound["sql_s"], 0.01), 2),
    }


def dbt_figures(build_s: float, target_dir: Path, workdir: Path) -> dict:
    """Where a finished first build's time went, and the bound over the same raw zone from the
    build's manifest (a first build: its incremental models compiled to their full select)."""
    from ingestion.warehouse.build import DBT_PROJECT_DIR
    from sandbox.dbt_bound import run_bound

    times = node_times(target_dir)
    bound = run_bound(target_dir / "manifest.json", workdir, DBT_PROJECT_DIR)
    Path(bound.pop("database")).unlink(missing_ok=True)
    shutil.rmtree(workdir, ignore_errors=True)
    return against_bound(build_s, times, bound)


def format_dbt(figures: dict) -> str:
    """The build against its bound, and where the build's time went."""
    bound = figures["bound"]
    lines = [
        f"dbt build {figures['build_s']} s (dbt elapsed {figures['elapsed_s']} s, outside it "
        f"{figures['outside_run_s']} s); plain DuckDB bound {bound['bound_s']} s "
        f"(SQL {bound['sql_s']} s, Python models {bound['python_s']} s): "
        f"ratio {figures['ratio']} (target <= {BOUND_TARGET_RATIO:g}), "
        f"without the Python models {figures['ratio_sql']}",
        f"{'nodes':<12}{'count':>8}{'s':>10}",
    ]
    for kind, entry in sorted(figures["by_type"].items(), key=lambda kv: -kv[1]["s"]):
        lines.append(f"{kind:<12}{entry['count']:>8}{entry['s']:>10}")
    lines.append("slowest nodes in dbt / in the bound:")
    for ours, theirs in zip(figures["top"], bound["top"], strict=False):
        # long test ids cut, so the two columns stay aligned
        lines.append(f"  {ours['s']:>7} {ours['node'][:56]:<58}{theirs['s']:>7} {theirs['node']}")
    return "\n".join(lines)


def _spread(values: list[float]) -> dict:
    return {"min": round(min(values), 1), "median": round(median(values), 1), "runs": values}


def time_build(workdir: Path, extra: tuple[str, ...] = (), keep_target: bool = False) -> dict:
    """One nightly ``dbt build`` (:data:`~ingestion.warehouse.build.BUILD_ARGS`) of the
    current data folder's raw zone into a new warehouse in ``workdir``; with ``keep_target``
    dbt's target folder of the previous run there is kept (its partial parse reused)."""
    import os
    import time

    from ingestion.warehouse.build import BUILD_ARGS, run_dbt

    target = workdir / "target"
    if not keep_target:
        shutil.rmtree(workdir, ignore_errors=True)
    workdir.mkdir(parents=True, exist_ok=True)
    for stale in (workdir / "build.duckdb", workdir / "build.duckdb.wal"):
        stale.unlink(missing_ok=True)
    (workdir / "identity_runs.jsonl").unlink(missing_ok=True)
    load = os.getloadavg()[0]
    started = time.monotonic()
    run_dbt(*BUILD_ARGS, *extra, warehouse_path=workdir / "build.duckdb", target_dir=target)
    seconds = round(time.monotonic() - started, 1)
    return {"s": seconds, "load": round(load, 1), **node_times(target)}


def compare_builds(variants: dict[str, tuple[tuple[str, ...], bool]], runs: int, root: Path):
    """Each variant (name → extra dbt arguments, keep the target folder) ``runs`` times, in
    turns (A B C A B C ...) so a change in the machine's load touches them alike; then the
    bound ``runs`` times from the first variant's manifest. Min and median of each."""
    from ingestion.warehouse.build import DBT_PROJECT_DIR
    from sandbox.dbt_bound import run_bound

    seen: dict[str, list[dict]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, (extra, keep) in variants.items():
            seen[name].append(time_build(root / name, extra, keep_target=keep))
            print(f"{name}: {json.dumps(seen[name][-1]['s'])} s", flush=True)
    first = next(iter(variants))
    bounds = [
        run_bound(root / first / "target" / "manifest.json", root / "bound", DBT_PROJECT_DIR)
        for _ in range(runs)
    ]
    shutil.rmtree(root / "bound", ignore_errors=True)
    figures = {
        name: {
            "build_s": _spread([r["s"] for r in results]),
            "load": [r["load"] for r in results],
            "elapsed_s": _spread([r["elapsed_s"] for r in results]),
            "by_type": results[-1]["by_type"],
        }
        for name, results in seen.items()
    }
    figures["bound"] = {
        "bound_s": _spread([b["bound_s"] for b in bounds]),
        "sql_s": _spread([b["sql_s"] for b in bounds]),
        "python_s": _spread([b["python_s"] for b in bounds]),
    }
    return figures


def main(argv: list[str] | None = None) -> int:
    """``capdev-sandbox bench dbt``: the nightly ``dbt build`` of the current data folder's raw
    zone (run ``make demo`` or the bench first) at several thread counts, with dbt's target
    folder new (a first build's full parse) and kept (the next nights' partial parse), against
    the bound; written to ``data/bench/dbt-<timestamp>.json``."""
    import argparse
    import os
    from datetime import UTC, datetime

    from ingestion import config

    parser = argparse.ArgumentParser(prog="capdev-sandbox bench dbt", description=main.__doc__)
    parser.add_argument("--threads", default="1 2 4", help='thread counts, e.g. "1 2 4"')
    parser.add_argument("--runs", type=int, default=3, help="runs of each (default 3)")
    parser.add_argument(
        "--no-partial-parse-run", action="store_true", help="skip the kept-target variant"
    )
    args = parser.parse_args(argv)
    variants = {f"threads-{n}": (("--threads", n), False) for n in args.threads.split()}
    if not args.no_partial_parse_run:
        first = args.threads.split()[0]
        variants[f"threads-{first}-partial-parse"] = (("--threads", first), True)
    root = config.data_dir() / "bench" / "dbt-builds"
    figures = {
        "data_dir": str(config.data_dir()),
        "load_before": [round(x, 1) for x in os.getloadavg()],
        "variants": compare_builds(variants, args.runs, root),
        "load_after": [round(x, 1) for x in os.getloadavg()],
    }
    shutil.rmtree(root, ignore_errors=True)
    out = config.data_dir() / "bench" / f"dbt-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(figures, indent=2))
    bound = figures["variants"]["bound"]["bound_s"]["median"]
    for name, entry in figures["variants"].items():
        if name == "bound":
            continue
        build = entry["build_s"]
        print(
            f"{name:<28} build min {build['min']:>6} median {build['median']:>6} s "
            f"(load {entry['load']}); median / bound median {build['median'] / bound:.2f}"
        )
    print(f"{'bound':<28} {json.dumps(figures['variants']['bound'])}")
    print(f"figures written to {out}")
    return 0
