"""``capdev-sandbox ...`` (or ``python -m sandbox ...``): the sandbox's command line.

The sandbox is demo and test tooling, kept out of the pipeline package: nothing in
``ingestion/`` imports it and the wheel does not ship it. Subcommands:

- ``generate --seed N --scale X --out DIR``: write the generated tree (sandbox/README.md).
- ``advance --days N [--out DIR]``: move a generated tree forward day by day (new, edited,
  voided and deleted records; the ground truth follows).
- ``serve [--fault NAME] [--port-file F] ...``: the API servers (``sandbox.servers.cli``).
- ``demo [--scale X] [--seed N]``: the whole nightly pipeline over the sandbox, through Airflow.
- ``airflow``: the Airflow UI with the project's DAGs, connected to the sandbox servers.
- ``bench [--scales "1 10"]``: timings and quality figures at several sandbox scales.
- ``bench identity [--dataset NAME] [--seed N]``: identity resolution scored on the sandbox (with
  and without e-mails), the tests' synthetic population and FEBRL 1-3.
- ``bench dbt [--threads "1 2 4"] [--runs N]``: the nightly ``dbt build`` of the current raw zone
  at several thread counts and with a reused parse, against its plain-DuckDB bound.
- ``bench distance [--scale X] [--latency-ms N] [--kill-latency-ms N] [--kill-after S]``: the
  Academy first load with the platform far away, and a far first load killed and retried.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def default_out_dir() -> Path:
    """``$CAPDEV_DATA_DIR/sandbox`` (default ``<project>/data/sandbox``), like ingestion.config."""
    return Path(os.environ.get("CAPDEV_DATA_DIR", PROJECT_ROOT / "data")).resolve() / "sandbox"


# --------------------------------------------------------------------------- generate
def add_generate_subcommand(subparsers) -> None:
    p = subparsers.add_parser(
        "generate",
        help="generate the sandbox platforms' data, file drops and ground truth",
        description="Write the generated tree of sandbox/README.md (deterministic per seed).",
    )
    p.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    p.add_argument("--scale", type=float, default=1.0, help="volume multiplier (default 1.0)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default data/sandbox)")
    p.set_defaults(func=_cmd_generate)


def _cmd_generate(args: argparse.Namespace) -> int:
    from sandbox.generator import generate

    out = args.out or default_out_dir()
    t0 = time.perf_counter()
    counts = generate(out, seed=args.seed, scale=args.scale)
    secs = time.perf_counter() - t0
    print(f"sandbox generated in {out} (seed {args.seed}, scale {args.scale}) in {secs:.1f} s")
    print(json.dumps(counts["totals"], indent=2))
    return 0


# --------------------------------------------------------------------------- advance
def add_advance_subcommand(subparsers) -> None:
    p = subparsers.add_parser(
        "advance",
        help="move a generated sandbox forward by days (new, edited, voided and deleted records)",
        description="Advance the sandbox day by day (sandbox/README.md, 'Advancing the sandbox'): "
        "deterministic per seed; the state is kept in advance.json in the sandbox folder. "
        "Restart the servers afterwards: they read the files when they start.",
    )
    p.add_argument("--days", type=int, default=1, help="days to advance (default 1)")
    p.add_argument("--out", type=Path, default=None, help="sandbox folder (default data/sandbox)")
    p.set_defaults(func=_cmd_advance)


def _cmd_advance(args: argparse.Namespace) -> int:
    from sandbox.generator.advance import advance

    out = args.out or default_out_dir()
    state = advance(out, days=args.days)
    night = date.fromisoformat(state["as_of"]) + timedelta(days=1)
    print(
        f"sandbox {out} advanced to {state['as_of']} (day {state['days']}); "
        f"the next night to run is {night.isoformat()}"
    )
    print(json.dumps(state["changes"], indent=2))
    return 0


# --------------------------------------------------------------------------- serve
def add_serve_subcommand(subparsers) -> None:
    """``serve``: the three API servers; options are those of ``sandbox.servers.cli``."""
    p = subparsers.add_parser(
        "serve",
        help="serve the Moodle, TSB events and LRS sandboxes (see `capdev-sandbox serve --help`)",
        add_help=False,
    )
    p.set_defaults(func=None)


# --------------------------------------------------------------------------- entry points
def _serve(argv: list[str]) -> int:
    # The servers' command line has its own parser (faults, ports, port file).
    from sandbox.servers.cli import serve_main

    return serve_main(argv)


def _demo_mode() -> None:
    """The demo, the sandbox UI and the bench hash the sandbox's made-up people with the public
    development pseudonymization key unless CAPDEV_PSEUDONYM_KEY is set (ingestion/secrets.py);
    Airflow's processes inherit the setting."""
    from ingestion.secrets import ALLOW_DEV_KEY_ENV

    os.environ.setdefault(ALLOW_DEV_KEY_ENV, "1")


def _demo(argv: list[str]) -> int:
    from sandbox.demo import main as demo_main

    _demo_mode()
    return demo_main(argv)


def _airflow(argv: list[str]) -> int:
    from sandbox.demo import airflow_ui

    _demo_mode()
    return airflow_ui(argv)


def _bench(argv: list[str]) -> int:
    _demo_mode()
    if argv[:1] == ["identity"]:
        from sandbox.identity_bench import main as identity_bench_main

        return identity_bench_main(argv[1:])
    if argv[:1] == ["distance"]:
        from sandbox.distance_bench import main as distance_bench_main

        return distance_bench_main(argv[1:])
    if argv[:1] == ["quality"]:
        from sandbox.quality_bench import main as quality_bench_main

        return quality_bench_main(argv[1:])
    if argv[:1] == ["dbt"]:
        from sandbox.bench_dbt import main as dbt_bench_main

        return dbt_bench_main(argv[1:])
    from sandbox.bench import main as bench_main

    return bench_main(argv)


def add_subcommands(subparsers) -> None:
    """Register every sandbox subcommand on an argparse ``subparsers`` object."""
    add_generate_subcommand(subparsers)
    add_advance_subcommand(subparsers)
    add_serve_subcommand(subparsers)
    for name, text in (
        ("demo", "the nightly pipeline over the sandbox, through real Airflow"),
        ("airflow", "the Airflow UI with the project's DAGs and the sandbox"),
        (
            "bench",
            "timings and quality figures at several scales; `bench identity`: the resolver; "
            "`bench distance`: the Academy far away; `bench dbt`: dbt build against its bound; "
            "`bench quality`: overlap and taxonomy figures pooled over fresh seeds",
        ),
    ):
        subparsers.add_parser(name, help=f"{text} (see `capdev-sandbox {name} --help`)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="capdev-sandbox", description="Sandbox platforms.")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subcommands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    # Sub-tools with their own argument parsers get the rest of the line untouched.
    passthrough = {"serve": _serve, "demo": _demo, "airflow": _airflow, "bench": _bench}
    if args_in and args_in[0] in passthrough:
        return passthrough[args_in[0]](args_in[1:])
    args = build_parser().parse_args(args_in)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
