"""``capdev sandbox ...``: the sandbox's command line.

The project CLI (``ingestion/cli.py``) delegates ``capdev sandbox <args>`` to
:func:`main` with the arguments after ``sandbox``. Subcommands:

- ``generate --seed N --scale X --out DIR``: write the generated tree (sandbox/README.md).
- ``serve [--fault NAME] [--port-file F] ...``: the API servers (``sandbox.servers.cli``).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
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


# --------------------------------------------------------------------------- serve
def add_serve_subcommand(subparsers) -> None:
    """``serve``: the three API servers; options are those of ``sandbox.servers.cli``."""
    p = subparsers.add_parser(
        "serve",
        help="serve the Moodle, TSB events and LRS sandboxes (see `capdev sandbox serve --help`)",
        add_help=False,
    )
    p.set_defaults(func=None)


# --------------------------------------------------------------------------- entry points
def add_subcommands(subparsers) -> None:
    """Register every sandbox subcommand on an argparse ``subparsers`` object."""
    add_generate_subcommand(subparsers)
    add_serve_subcommand(subparsers)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="capdev sandbox", description="Sandbox platforms.")
    sub = parser.add_subparsers(dest="command", required=True)
    add_subcommands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in and args_in[0] == "sandbox":
        args_in = args_in[1:]
    if args_in and args_in[0] == "serve":
        # The servers' command line has its own parser (faults, ports, port file).
        from sandbox.servers.cli import serve_main

        return serve_main(args_in[1:])
    args = build_parser().parse_args(args_in)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    raise SystemExit(main())
