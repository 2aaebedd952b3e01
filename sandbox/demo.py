"""``capdev-sandbox demo`` and ``airflow``: the nightly pipeline over the sandbox platforms.

The demo generates the sandbox (and meanwhile prepares Airflow's metadata database), starts its
servers, drops its files into the inboxes, then runs every DAG for real with ``airflow dags
test``: the five ingest DAGs side by side, as the scheduler runs them each night, then
``transform_warehouse``, and ``report_council`` as soon as the build has published the
warehouse (the Asset that triggers it); and prints what the published warehouse holds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from ingestion import config

DAGS_DIR = config.PROJECT_ROOT / "dags"
API_PLATFORMS = ("academy", "tsb_events", "gs_lrs")
FILE_PLATFORMS = ("br_seminars", "regional_offices")


def airflow_env(servers: dict) -> dict[str, str]:
    """Environment for Airflow processes: a project-local home and connections to the sandbox.

    Connections come as ``AIRFLOW_CONN_*`` variables; pointing a DAG at a real platform means
    defining the same connection id with the real endpoint and credentials instead.
    """
    home = config.data_dir() / "airflow"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(DAGS_DIR),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
        "CAPDEV_DATA_DIR": str(config.data_dir()),
        "CAPDEV_TASK_RETRIES": os.environ.get("CAPDEV_TASK_RETRIES", "0"),
        "PYTHONPATH": os.pathsep.join(
            p for p in (str(config.PROJECT_ROOT), os.environ.get("PYTHONPATH")) if p
        ),
    }
    for code, server in servers.items():
        spec = config.platforms()[code]
        creds = server.credentials
        conn = {
            "conn_type": "http",
            "host": server.endpoint if code == "gs_lrs" else server.url,
            "login": creds.get("username"),
            "password": creds.get("password") or creds.get("token"),
            "extra": {"timeout": 30},
        }
        env[f"AIRFLOW_CONN_{spec.conn_id.upper()}"] = json.dumps(conn)
    return env


def deliver_drops(sandbox: Path) -> int:
    """Copy the sandbox's file drops into the platforms' inboxes, as the bureaux would."""
    delivered = 0
    for platform in FILE_PLATFORMS:
        source = sandbox / "drops" / platform
        if not source.exists():
            continue
        inbox = config.inbox_dir(platform)
        for path in sorted(p for p in source.rglob("*") if p.is_file()):
            target = inbox / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
            delivered += 1
    return delivered


def reset_pipeline_state() -> None:
    """Start the demo from an empty raw zone and warehouse (the sandbox is regenerated too)."""
    root = config.data_dir()
    for name in (
        "raw",
        "quarantine",
        "manifest",
        "inbox",
        "warehouse",
        "published",
        "gx",
        "reports",
    ):
        shutil.rmtree(root / name, ignore_errors=True)


def run_airflow(args: list[str], env: dict[str, str], log_file: Path) -> tuple[bool, float]:
    """Run one Airflow CLI command, its output to a log file; (succeeded, seconds)."""
    return run_airflow_together([args], env, [log_file])[0]


def run_airflow_together(
    commands: list[list[str]],
    env: dict[str, str],
    log_files: list[Path],
    ready: list[Callable[[], bool] | None] | None = None,
) -> list[tuple[bool, float]]:
    """Run Airflow CLI commands side by side, each's output to its log file; (succeeded,
    seconds it ran) of each, in order. ``ready``: for each command, what must hold before it
    starts (None: at once), as an Asset event starts a DAG mid-way through another's run; a
    command whose condition does not hold once the others have ended is not run (failed)."""
    airflow = Path(sys.executable).with_name("airflow")
    ready = ready or [None] * len(commands)
    started: dict[int, float] = {}
    running: dict[int, subprocess.Popen] = {}
    finished: dict[int, float] = {}
    while len(finished) < len(commands):
        for i, (args, log_file) in enumerate(zip(commands, log_files, strict=True)):
            if i not in running and (ready[i] is None or ready[i]()):
                log_file.parent.mkdir(parents=True, exist_ok=True)
                with log_file.open("w") as out:  # the child keeps its own copy of the descriptor
                    command = [str(airflow), *args]
                    started[i] = time.monotonic()
                    running[i] = subprocess.Popen(
                        command, env=env, stdout=out, stderr=subprocess.STDOUT
                    )
        for i, process in running.items():
            if i not in finished and process.poll() is not None:
                finished[i] = time.monotonic() - started[i]
        waiting = [i for i in range(len(commands)) if i not in running]
        if len(finished) == len(running) and not any(ready[i]() for i in waiting):
            for i in waiting:
                log_files[i].parent.mkdir(parents=True, exist_ok=True)
                log_files[i].write_text("not started: what it waits for never happened\n")
                finished[i] = 0.0
        time.sleep(0.2)
    return [
        (
            i in running
            and running[i].returncode == 0
            and _dag_run_succeeded(log_files[i], commands[i]),
            finished[i],
        )
        for i in range(len(commands))
    ]


def prepare_airflow(env: dict[str, str], logs: Path) -> bool:
    """Migrate the metadata database, create the project's pools (dags/pools.json) and record
    the DAGs in it (the ingest DAGs then run side by side without racing to insert them)."""
    for name, args in (
        ("db-migrate", ["db", "migrate"]),
        ("pools-import", ["pools", "import", str(DAGS_DIR / "pools.json")]),
        ("dags-reserialize", ["dags", "reserialize"]),
    ):
        ok, _ = run_airflow(args, env, logs / f"{name}.log")
        if not ok:
            print(_tail(logs / f"{name}.log"))
            return False
    return True


def _dag_run_succeeded(log_file: Path, args: list[str]) -> bool:
    if args[:2] != ["dags", "test"]:
        return True
    text = log_file.read_text(errors="replace")
    return "state=success" in text and "state=failed" not in text


def _tail(path: Path, lines: int = 25) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def start_servers(sandbox: Path, stack: ExitStack) -> dict:
    from sandbox.servers import start_server

    return {code: stack.enter_context(start_server(code, sandbox)) for code in API_PLATFORMS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="capdev-sandbox demo", description=__doc__.split("\n")[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--date", help="logical date of the nightly run (default: today, UTC)", default=None
    )
    args = parser.parse_args(argv)
    from sandbox.generator import generate

    logical_date = args.date or datetime.now(UTC).date().isoformat()
    sandbox = config.sandbox_dir()
    logs = config.data_dir() / "airflow" / "logs" / "demo"
    total = time.monotonic()

    print(f"1/4 Generating the sandbox (scale {args.scale}, seed {args.seed}) into {sandbox}")
    reset_pipeline_state()
    shutil.rmtree(sandbox, ignore_errors=True)
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=1) as background:
        # Airflow's metadata database needs neither the sandbox nor its servers: prepared
        # meanwhile, in its own processes
        prepared = background.submit(prepare_airflow, airflow_env({}), logs)
        generate(sandbox, seed=args.seed, scale=args.scale)
        print(f"    done in {time.monotonic() - started:.1f}s")
        print("2/4 Preparing Airflow (metadata database migration, pools, DAGs)")
        if not prepared.result():
            return 1
        print(f"    done in {time.monotonic() - started:.1f}s from the start of step 1")

    with ExitStack() as stack:
        servers = start_servers(sandbox, stack)
        for code, server in servers.items():
            print(f"    {code:<12} serving at {server.url}")
        print(f"    {deliver_drops(sandbox)} file(s) dropped into the inboxes")
        env = airflow_env(servers)
        # `airflow dags test` cannot finish a run that carries a deadline (capdev_defaults.py)
        env["CAPDEV_DEADLINE_ALERTS"] = "off"

        print(f"3/4 Running the nightly DAGs for {logical_date} with `airflow dags test`")
        failed = []
        # the ingest DAGs side by side, as the scheduler runs them each night; then the build,
        # and the report as soon as the build has published the warehouse (its Asset
        # trigger), beside the build's last tasks (docs, freshness)
        published = config.published_warehouse()
        stages = [
            [(f"ingest_{code}", None) for code in config.platforms()],
            [("transform_warehouse", None), ("report_council", published.exists)],
        ]
        for stage in stages:
            dag_ids = [dag_id for dag_id, _ in stage]
            log_files = [logs / f"{dag_id}.log" for dag_id in dag_ids]
            commands = [["dags", "test", dag_id, logical_date] for dag_id in dag_ids]
            outcomes = run_airflow_together(commands, env, log_files, [w for _, w in stage])
            for dag_id, log_file, (ok, seconds) in zip(dag_ids, log_files, outcomes, strict=True):
                print(
                    f"    {dag_id:<26} {'ok' if ok else 'FAILED':<7} {seconds:6.1f}s"
                    f"  log: {log_file}"
                )
                if not ok:
                    failed.append(dag_id)
                    print(_tail(log_file))

    print("4/4 Results")
    if config.published_warehouse().exists():
        from ingestion.publish.summary import print_summary

        print_summary()
    print_report_outcome()
    print(
        f"\nDemo finished in {time.monotonic() - total:.0f}s"
        + (f"; failed: {failed}" if failed else "")
    )
    return 1 if failed else 0


def print_report_outcome() -> None:
    """Where the Council report is, and the headline figures it quotes."""
    reports = sorted(config.reports_dir().glob("*.html"), key=lambda p: p.stat().st_mtime)
    if not reports:
        print("\nNo Council report was written.")
        return
    print(f"\nCouncil report: {reports[-1]}")
    print(f"               {reports[-1].with_suffix('.xlsx')}")
    council = config.published_dir() / "council.duckdb"
    if not council.exists():
        return
    import duckdb

    with duckdb.connect(str(council), read_only=True) as con:
        rows = con.execute(
            """
            select period_from, period_to, activities, people_trained,
                   developing_share, women_share
            from period_figures
            where bureau = 'ALL' and dimension = 'overall'
            order by period_to - period_from desc, period_to desc
            limit 1
            """
        ).fetchall()
    for first, last, activities, people, developing, women in rows:
        print(
            f"Headline {first}-{last}: {activities:,} activities, {people or 0:,} people trained, "
            f"{(developing or 0):.0%} from developing countries, {(women or 0):.0%} women"
        )


def airflow_ui(argv: list[str] | None = None) -> int:
    """``airflow standalone`` with the project's DAGs, connected to running sandbox servers."""
    sandbox = config.sandbox_dir()
    if not (sandbox / "credentials.json").exists():
        from sandbox.generator import generate

        print("No sandbox yet: generating one at scale 0.2")
        generate(sandbox, seed=42, scale=0.2)
    with ExitStack() as stack:
        servers = start_servers(sandbox, stack)
        deliver_drops(sandbox)
        env = airflow_env(servers)
        if not prepare_airflow(env, config.data_dir() / "airflow" / "logs" / "ui"):
            return 1
        print("Airflow UI at http://localhost:8080 (the admin password is printed by Airflow)")
        return subprocess.run(
            [str(Path(sys.executable).with_name("airflow")), "standalone"], env=env, check=False
        ).returncode
