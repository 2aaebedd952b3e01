"""``capdev``: the command line of the capacity-development data platform.

capdev build                 build the warehouse with dbt and publish it (--full-refresh)
capdev restore               publish the previous warehouse again (--list: the kept ones)
capdev summary               what the published warehouse holds
capdev batches               orphaned, rejected and ignored batches (--status, --platform)
capdev forget                erase a person on request (--email or --platform-key)
capdev quarantine list       quarantined rows per platform, entity and reason
capdev quarantine release    re-validate quarantined rows after a fix and re-land those that pass
capdev contracts check       the expectation suites agree with the dbt source contracts
capdev contracts write       rewrite the suites' contract part from the dbt source files
capdev check-secrets         the deployment secrets are set, and none is a placeholder
capdev council audit         try to recompute every suppressed Council cell from the published file
capdev council report        the Council report, HTML + PDF + XLSX (the same as ``capdev report``)
capdev identity review       identity pairs to review as a private CSV; --apply FILE: the decisions
capdev query / report / evaluate   see ``capdev <command> --help``

The sandbox platforms, the demo and the bench have their own command, ``capdev-sandbox``.
"""

from __future__ import annotations

import argparse
import logging
import sys


def _build(args: argparse.Namespace) -> int:
    from ingestion.publish.warehouse import publish
    from ingestion.warehouse.build import build_warehouse

    result = build_warehouse(full_refresh=args.full_refresh)
    path = publish(result.build_file)
    print(f"built in {result.seconds:.1f}s and published {path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ingestion.publish.warehouse import previous_builds, restore

    kept = previous_builds()
    if args.list:
        for path in kept:
            print(f"{path.name}  {path.stat().st_size / 1e6:8.1f} MB")
        if not kept:
            print("no previous warehouse kept")
        return 0
    chosen = None
    if args.build:
        chosen = next((p for p in kept if p.name in (args.build, f"{args.build}.duckdb")), None)
        chosen = chosen or Path(args.build)
    try:
        path = restore(chosen)
    except FileNotFoundError as error:
        print(f"capdev restore: {error}", file=sys.stderr)
        return 1
    print(f"restored {chosen.name if chosen else 'the previous warehouse'} as {path}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    from ingestion.publish.summary import print_summary

    print_summary()
    return 0


def _batches(args: argparse.Namespace) -> int:
    from ingestion.raw.batch import print_batches

    statuses = frozenset(args.status) if args.status else None
    print_batches(platform=args.platform, statuses=statuses)
    return 0


def _quarantine(args: argparse.Namespace) -> int:
    from ingestion.raw import quarantine

    if args.action == "list":
        quarantine.print_quarantine(platform=args.platform, entity=args.entity)
        return 0
    results = quarantine.release_quarantine(
        platform=args.platform, entity=args.entity, batch_id=args.batch
    )
    for result in results:
        print(result)
    return 0


def _contracts(args: argparse.Namespace) -> int:
    from ingestion.raw.validation import contract

    if args.action == "write":
        for path in contract.write():
            print(f"rewrote {path}")
        return 0
    problems = contract.check()
    for problem in problems:
        print(problem)
    if problems:
        print("run `capdev contracts write` after changing a dbt source file")
    return 1 if problems else 0


def _query(argv: list[str]) -> int:
    from ingestion.publish.query import main as query_main

    return query_main(argv)


def _report(argv: list[str]) -> int:
    from ingestion.publish.reporting.render import main as report_main

    return report_main(argv)


def _check_secrets(argv: list[str]) -> int:
    from ingestion.secrets import main as check_main

    return check_main(argv)


def _forget(argv: list[str]) -> int:
    from ingestion.forget import main as forget_main

    return forget_main(argv)


def _council(argv: list[str]) -> int:
    if argv[:1] == ["report"]:
        return _report(argv[1:])
    if argv[:1] != ["audit"]:
        print(
            "usage: capdev council audit [council.duckdb]\n"
            "       capdev council report --from YEAR --to YEAR [--as-of DATE] [--out DIR]",
            file=sys.stderr,
        )
        return 2
    from ingestion.publish.disclosure.audit import main as audit_main

    return audit_main(argv[1:])


def _identity(argv: list[str]) -> int:
    if argv[:1] != ["review"]:
        print(
            "usage: capdev identity review [--out FILE] | --apply FILE [--reviewer NAME]",
            file=sys.stderr,
        )
        return 2
    from ingestion.identity_review import main as review_main

    return review_main(argv[1:])


def _evaluate(argv: list[str]) -> int:
    from ingestion.evaluate import main as evaluate_main

    evaluate_main(argv)
    return 0


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
        "forget": _forget,
        "check-secrets": _check_secrets,
        "council": _council,
        "identity": _identity,
    }
    if argv and argv[0] in passthrough:
        return passthrough[argv[0]](argv[1:])

    parser = argparse.ArgumentParser(prog="capdev", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    b = commands.add_parser("build", help="build the warehouse with dbt and publish it")
    b.add_argument(
        "--full-refresh", action="store_true", help="rebuild incremental models from scratch"
    )
    b.set_defaults(func=_build)
    r = commands.add_parser("restore", help="publish a previous warehouse again")
    r.add_argument("build", nargs="?", help="a name from --list (default: the newest kept)")
    r.add_argument("--list", action="store_true", help="list the kept previous warehouses")
    r.set_defaults(func=_restore)
    commands.add_parser("summary", help="what the published warehouse holds").set_defaults(
        func=_summary
    )
    bt = commands.add_parser(
        "batches", help="batches that need attention: orphaned (landed), rejected, ignored"
    )
    bt.add_argument("--platform")
    bt.add_argument(
        "--status", action="append", help="list batches of this status instead (repeatable)"
    )
    bt.set_defaults(func=_batches)
    q = commands.add_parser("quarantine", help="inspect or release quarantined rows")
    q.add_argument("action", choices=["list", "release"])
    q.add_argument("--platform")
    q.add_argument("--entity")
    q.add_argument("--batch", help="one batch id (release only)")
    q.set_defaults(func=_quarantine)
    c = commands.add_parser(
        "contracts", help="the expectation suites' structural part, from the dbt source files"
    )
    c.add_argument("action", choices=["check", "write"])
    c.set_defaults(func=_contracts)
    for name in passthrough:
        commands.add_parser(name, help=f"see `capdev {name} --help`")
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    raise SystemExit(main())
