"""The stack's settings: ``.env``-shaped files, the compose file's Airflow environment
interpolated with them, and the container names and paths translated to this machine's."""

from __future__ import annotations

import contextlib
import re
import shlex
import socket
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ops.stack.processes import StackError

PROJECT_ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
#: Where the compose file mounts the project inside its containers.
CONTAINER_PROJECT = "/opt/capdev"
# Interpolation of the Compose Specification: ${NAME}, ${NAME:-default}, ${NAME-default},
# ${NAME:?error}, ${NAME?error}; "$$" is a literal "$".
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a ``.env`` file (comments skipped; outer quotes removed, as
    docker compose does: values are otherwise literal)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        match = _ENV_LINE.match(raw.strip())
        if match:
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            values[match.group(1)] = value
    return values


def _generated(command: str) -> str:
    """Run the one-line generator ``ingestion.secrets`` documents for a secret."""
    argv = shlex.split(command)
    if argv[0].startswith("python"):
        argv[0] = sys.executable
    return subprocess.run(argv, capture_output=True, text=True, check=True).stdout.strip()


def local_settings(path: Path, example: Path = ENV_EXAMPLE) -> Path:
    """``path``, created once from ``.env.example`` with every placeholder secret replaced.

    The alert webhook of the example (a placeholder URL) is left empty: the channel is off.
    """
    from ingestion.secrets import PLACEHOLDER, SECRETS_BY_NAME

    if path.exists():
        return path
    lines = []
    for raw in example.read_text(encoding="utf-8").splitlines():
        match = _ENV_LINE.match(raw.strip())
        if match and match.group(1) in SECRETS_BY_NAME and PLACEHOLDER.search(match.group(2)):
            raw = f"{match.group(1)}={_generated(SECRETS_BY_NAME[match.group(1)].generate)}"
        elif match and match.group(1) == "AIRFLOW_CONN_CAPDEV_ALERTS":
            raw = f"{match.group(1)}="
        lines.append(raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def interpolate(value: str, settings: Mapping[str, str]) -> str:
    """A compose value with its variables replaced as ``docker compose`` would."""

    def replace(match: re.Match) -> str:
        name, operator, argument = match.groups()
        current = settings.get(name)
        if operator in (":-", ":?") and not current:
            current = None
        if current is None:
            if operator and operator.endswith("?"):
                raise StackError(f"{name}: {argument or 'required'}")
            return argument if operator and operator.endswith("-") else ""
        return current

    return "$".join(_VARIABLE.sub(replace, part) for part in value.split("$$"))


def compose_airflow_environment(settings: Mapping[str, str]) -> dict[str, str]:
    """The environment of the compose file's Airflow services, interpolated with ``settings``.

    A variable listed without a value (pass-through, such as the SMTP settings) is passed on
    only when ``settings`` has it, as compose does.
    """
    compose = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    env: dict[str, str] = {}
    for name, value in compose["x-airflow-common"]["environment"].items():
        if value is None:
            if settings.get(name):
                env[name] = settings[name]
        else:
            env[name] = interpolate(str(value), settings)
    return env


@dataclass
class Ports:
    """This machine's ports for what compose reaches by service name."""

    postgres: int = 15432
    redis: int = 16379
    api: int = 8080
    sandbox: dict[int, int] = field(default_factory=lambda: {p: p for p in (8101, 8102, 8103)})


def localize(value: str, ports: Ports, data_dir: Path) -> str:
    """Translate a compose value from the container network to this machine."""
    value = value.replace("@postgres/", f"@127.0.0.1:{ports.postgres}/")
    value = value.replace("@redis:6379/", f"@127.0.0.1:{ports.redis}/")
    value = value.replace("//airflow-apiserver:8080/", f"//127.0.0.1:{ports.api}/")
    for container_port, port in ports.sandbox.items():
        value = value.replace(f"//capdev-sandbox:{container_port}", f"//127.0.0.1:{port}")
    if value == f"{CONTAINER_PROJECT}/data":
        return str(data_dir)
    if value == CONTAINER_PROJECT or value.startswith(f"{CONTAINER_PROJECT}/"):
        return str(PROJECT_ROOT) + value[len(CONTAINER_PROJECT) :]
    return value


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_open(port: int) -> bool:
    with contextlib.closing(socket.socket()) as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0
