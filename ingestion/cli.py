"""``capdev``: the command line of the capacity-development data platform.

capdev build                 build the warehouse with dbt and publish it
capdev summary               what the published warehouse holds
capdev quarantine list       quarantined rows per platform, entity and reason
capdev quarantine release    re-validate quarantined rows after a fix and re-land those that pass
capdev sandbox ...           the simulated platforms (generate, serve)
capdev demo                  the whole nightly pipeline over the sandbox, through real Airflow
capdev airflow               the Airflow UI with the project's DAGs and the sandbox
"""

from __future__ import annotations

import argparse
import logging
import sys


def _build(args: argparse.Namespace) -> int:
    from ingestion.warehouse import build_warehouse, publish

    result = build_warehouse()
    path = publish(result.build_file)
    print(f"built in {result.seconds:.1f}s and published {path}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ingestion.summary import print_summary

    print_summary()
    return 0


def _quarantine(args: argparse.Namespace) -> int:
    from ingestion import quarantine

    if args.action == "list":
        quarantine.print_quarantine(platform=args.platform, entity=args.entity)
        return 0
    results = quarantine.release_quarantine(
        platform=args.platform, entity=args.entity, batch_id=args.batch
    )
    for result in results:
        print(result)
    return 0


def _query(argv: list[str]) -> int:
    from ingestion.query import main as query_main

    return query_main(argv)


def _report(argv: list[str]) -> int:
    from ingestion.reporting.render import main as report_main

    return report_main(argv)


def _evaluate(argv: list[str]) -> int:
    from ingestion.evaluate import main as evaluate_main

    evaluate_main(argv)
    return 0


def _bench(argv: list[str]) -> int:
    from sandbox.bench import main as bench_main

    return bench_main(argv)


def _delegate_to_sandbox(argv: list[str]) -> int:
    # The sandbox is demo/test tooling: imported only when asked for, never by the pipeline.
    from sandbox.cli import main as sandbox_main

    return sandbox_main(argv)


def _demo(argv: list[str]) -> int:
    from sandbox.demo import main as demo_main

    return demo_main(argv)


def _airflow(argv: list[str]) -> int:
    from sandbox.demo import airflow_ui

    return airflow_ui(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    # Sub-tools with their own argument parsers get the rest of the line untouched.
    passthrough = {
        "query": _query,
        "report": _report,
        "evaluate": _evaluate,
        "bench": _bench,
        "sandbox": _delegate_to_sandbox,
        "demo": _demo,
        "airflow": _airflow,
    }
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argv[1:])

    parser = argparse.ArgumentParser(prog="capdev", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("build", help="build the warehouse with dbt and publish it").set_defaults(
        func=_build
    )
    commands.add_parser("summary", help="what the published warehouse holds").set_defaults(
        func=_summary
    )
    q = commands.add_parser("quarantine", help="inspect or release quarantined rows")
    q.add_argument("action", choices=["list", "release"])
    q.add_argument("--platform")
    q.add_argument("--entity")
    q.add_argument("--batch", help="one batch id (release only)")
    q.set_defaults(func=_quarantine)
    for name in passthrough:
        commands.add_parser(name, help=f"see `capdev {name} --help`")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
