"""The production stack of ``docker-compose.yml``, run natively on one machine (no Docker)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path

from ops.stack.processes import StackError, _alive
from ops.stack.services import Stack
from ops.stack.settings import PROJECT_ROOT, local_settings, read_env_file


def default_stack() -> Stack:
    """The stack of ``make stack``: ``data/stack/`` of ``CAPDEV_DATA_DIR``, settings from ``.env``
    (else ``data/stack/stack.env``), the compose file's ports where this machine has them free."""
    data_dir = Path(os.environ.get("CAPDEV_DATA_DIR", PROJECT_ROOT / "data")).resolve()
    state = data_dir / "stack"
    env_file = PROJECT_ROOT / ".env"
    if not env_file.exists():
        env_file = local_settings(state / "stack.env")
    return Stack(state, data_dir, read_env_file(env_file))


def _iter_status(stack: Stack) -> Iterator[str]:
    for name, pid in stack.running().items():
        yield f"  {name:18} pid {pid}  {'running' if _alive(pid, None) else 'gone'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m ops.stack", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("up", "down", "status"))
    args = parser.parse_args(argv)
    stack = default_stack()
    if args.command == "up":
        if stack.running():
            print("already started (make stack-stop first):", *_iter_status(stack), sep="\n")
            return 1
        try:
            stack.up()
        except StackError as exc:
            print(f"the stack did not start: {exc}", file=sys.stderr)
            stack.down()
            return 1
        print(
            f"Airflow (CeleryExecutor) on http://127.0.0.1:{stack.ports.api};",
            f"state in {stack.state}",
        )
        print(*_iter_status(stack), sep="\n")
    elif args.command == "down":
        stack.down()
        print(f"stopped; state kept in {stack.state}")
    else:
        print(*_iter_status(stack), sep="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
