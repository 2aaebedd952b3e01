"""The production stack of ``docker-compose.yml``, run natively on one machine (no Docker).

``python -m ops.stack up`` (``make stack``) installs PostgreSQL and Redis from Debian if missing,
starts them on loopback with their state in ``data/stack/``, migrates Airflow's metadata
database, imports the pools, and starts Airflow 3 the way the compose file does: the CeleryExecutor
with a Redis broker and a PostgreSQL metadata database and result backend, an API server, a
scheduler, a DAG processor, a triggerer and two Celery workers, each its own process.
``python -m ops.stack down`` (``make stack-stop``) stops exactly the processes ``up`` started:
their ids are in ``data/stack/pids/``.

**One source of settings.** The Airflow processes get the environment of the compose file's
``x-airflow-common`` block, interpolated with ``.env``-shaped settings (``.env`` if present, else
``data/stack/stack.env``: a copy of ``.env.example`` whose placeholder secrets were replaced once
with values made by the commands ``ingestion.secrets`` documents). Only what a container network
provides is translated: the service names (``postgres``, ``redis``, ``airflow-apiserver``,
``capdev-sandbox``) become 127.0.0.1 with this machine's ports, and the container paths
(``/opt/capdev``) the checkout's.

**Two workers, two roles** (docs/operations.md). ``worker-warehouse`` serves the ``warehouse``
queue (every task that opens the DuckDB build or published files) and the ``default`` queue;
``worker-ingest`` serves ``default`` only (the ingest tasks). On several hosts, the warehouse
worker runs on the host that holds ``data/warehouse`` and ``data/published``.

PostgreSQL refuses to run as root: as root, it runs as the ``postgres`` user of Debian's package,
so the state folder must be reachable by that user. The test suite's fixture
(``tests/e2e/test_celery_stack.py``) uses this same module with free ports and its own folder.
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yml"
ENV_EXAMPLE = PROJECT_ROOT / ".env.example"
AIRFLOW = Path(sys.executable).with_name("airflow")
#: Where the compose file mounts the project inside its containers.
CONTAINER_PROJECT = "/opt/capdev"
#: The Celery queue of every task that opens the warehouse's DuckDB files (dags/capdev_defaults.py).
WAREHOUSE_QUEUE = "warehouse"
DEFAULT_QUEUE = "default"
#: The Airflow processes, in start order: name → ``airflow`` arguments.
WORKERS = {
    "worker-warehouse": f"{DEFAULT_QUEUE},{WAREHOUSE_QUEUE}",
    "worker-ingest": DEFAULT_QUEUE,
}
DEBIAN_PACKAGES = ("postgresql", "redis-server")
# Interpolation of the Compose Specification: ${NAME}, ${NAME:-default}, ${NAME-default},
# ${NAME:?error}, ${NAME?error}; "$$" is a literal "$".
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?\}")
_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")


def worker_hostname() -> str:
    """Airflow's ``hostname_callable`` here: the Celery worker's name when a process has one.

    Two workers on one machine share its host name; the task instances they run record this,
    so the UI and the metadata database tell them apart (``worker-ingest@<host>``).
    """
    return os.environ.get("CAPDEV_WORKER_NAME") or socket.getfqdn()


class StackError(RuntimeError):
    """The stack could not be started (a missing package, a service that never came up)."""


# --- settings -----------------------------------------------------------------------------------


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


# --- Debian packages ----------------------------------------------------------------------------


def postgres_bin(name: str) -> Path | None:
    """A PostgreSQL server program (Debian keeps them out of PATH, per major version)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version_key)
    if found:
        return Path(found[-1])
    on_path = shutil.which(name)
    return Path(on_path) if on_path else None


def _version_key(path: str) -> int:
    match = re.search(r"/postgresql/(\d+)/", path)
    return int(match.group(1)) if match else 0


def install_packages() -> None:
    """Install PostgreSQL and Redis from Debian's packages if a program is missing."""
    if postgres_bin("postgres") and postgres_bin("initdb") and shutil.which("redis-server"):
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    print(f"Installing {' '.join(DEBIAN_PACKAGES)} (Debian packages)", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(
        [*sudo, "apt-get", "install", "-y", "-qq", *DEBIAN_PACKAGES],
        check=True,
        env=env,
        stdout=subprocess.DEVNULL,
    )


# --- the stack ----------------------------------------------------------------------------------


class Stack:
    """PostgreSQL, Redis and Airflow's processes, their state and pidfiles under ``state``."""

    def __init__(
        self,
        state: Path,
        data_dir: Path,
        settings: Mapping[str, str],
        ports: Ports | None = None,
        extra_env: Mapping[str, str] | None = None,
    ):
        self.state, self.data_dir = state, data_dir
        self.settings = dict(settings)
        self.ports = ports or Ports()
        self.extra_env = dict(extra_env or {})
        self.home = state / "airflow"
        self.logs = state / "logs"
        self.pids = state / "pids"
        self.procs: dict[str, subprocess.Popen] = {}
        # PostgreSQL runs as its own user when we are root (it refuses root).
        self.pg_user = "postgres" if os.geteuid() == 0 else None

    # --- settings turned into an environment ---------------------------------------------------

    def airflow_env(self) -> dict[str, str]:
        """The compose file's Airflow environment, localized, plus what a host needs apart."""
        env = {
            name: localize(value, self.ports, self.data_dir)
            for name, value in compose_airflow_environment(self.settings).items()
        }
        env.update(
            {
                "PATH": os.pathsep.join([str(AIRFLOW.parent), os.environ.get("PATH", "")]),
                "HOME": os.environ.get("HOME", str(self.state)),
                "LANG": os.environ.get("LANG", "C.UTF-8"),
                "AIRFLOW_HOME": str(self.home),
                # compose mounts ./logs at /opt/airflow/logs; here it is the state folder's
                "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(self.logs / "tasks"),
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(self.ports.api),
                # the UI address is this machine's API server (compose: AIRFLOW_BASE_URL)
                "AIRFLOW__API__BASE_URL": f"http://127.0.0.1:{self.ports.api}",
                "AIRFLOW__CORE__HOSTNAME_CALLABLE": "ops.stack.worker_hostname",
            }
        )
        env.update(self.extra_env)
        return env

    @property
    def postgres_dsn(self) -> str:
        user = self.settings.get("POSTGRES_USER") or "airflow"
        database = self.settings.get("POSTGRES_DB") or "airflow"
        password = self.settings["POSTGRES_PASSWORD"]
        return f"postgresql://{user}:{password}@127.0.0.1:{self.ports.postgres}/{database}"

    # --- processes -----------------------------------------------------------------------------

    def _spawn(self, name: str, argv: list[str], env: Mapping[str, str], **kwargs) -> None:
        """Start one long-running process in its own session, its id in ``pids/<name>.pid``."""
        self.logs.mkdir(parents=True, exist_ok=True)
        self.pids.mkdir(parents=True, exist_ok=True)
        with (self.logs / f"{name}.log").open("a") as log:
            proc = subprocess.Popen(
                argv,
                env=dict(env),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
                **kwargs,
            )
        self.procs[name] = proc
        (self.pids / f"{name}.pid").write_text(f"{proc.pid}\n")

    def _wait(self, ready, what: str, name: str, timeout: float = 300) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            proc = self.procs.get(name)
            if proc is not None and proc.poll() is not None:
                raise StackError(
                    f"{name} exited ({proc.returncode}) before {what}:\n{self.tail(name)}"
                )
            if time.monotonic() > deadline:
                raise StackError(f"timed out waiting for {what}:\n{self.tail(name)}")
            time.sleep(0.5)

    def tail(self, name: str, lines: int = 30) -> str:
        path = self.logs / f"{name}.log"
        if not path.exists():
            return "(no log)"
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])

    # --- PostgreSQL ----------------------------------------------------------------------------

    def _as_pg_user(self) -> dict:
        return {"user": self.pg_user} if self.pg_user else {}

    def start_postgres(self) -> None:
        """Initialize (once) and start PostgreSQL on 127.0.0.1: the compose user and database."""
        pgdata = self.state / "postgres"
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(parents=True, exist_ok=True)
            pwfile = self.state / "postgres.pw"  # initdb wants an empty folder
            pwfile.write_text(self.settings["POSTGRES_PASSWORD"] + "\n")
            if self.pg_user:
                shutil.chown(pgdata, self.pg_user)
                shutil.chown(pwfile, self.pg_user)
            pgdata.chmod(0o700)
            pwfile.chmod(0o600)
            done = subprocess.run(
                [
                    str(postgres_bin("initdb")),
                    "-D",
                    str(pgdata),
                    "-U",
                    self.settings.get("POSTGRES_USER") or "airflow",
                    "--pwfile",
                    str(pwfile),
                    "--auth=scram-sha-256",
                    "--encoding=UTF8",
                    "--no-instructions",
                ],
                check=False,
                capture_output=True,
                text=True,
                **self._as_pg_user(),
            )
            pwfile.unlink()
            if done.returncode != 0:
                raise StackError(f"initdb failed:\n{done.stderr[-2000:]}")
        self._spawn(
            "postgres",
            [
                str(postgres_bin("postgres")),
                "-D",
                str(pgdata),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                f"port={self.ports.postgres}",
                "-c",
                f"unix_socket_directories={pgdata}",
                "-c",
                "max_connections=200",
            ],
            {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8"},
            **self._as_pg_user(),
        )
        self._wait(self._postgres_ready, "PostgreSQL to accept connections", "postgres")
        self._create_database()

    def _connect(self, database: str):
        import psycopg2

        return psycopg2.connect(
            host="127.0.0.1",
            port=self.ports.postgres,
            user=self.settings.get("POSTGRES_USER") or "airflow",
            password=self.settings["POSTGRES_PASSWORD"],
            dbname=database,
            connect_timeout=5,
        )

    def _postgres_ready(self) -> bool:
        try:
            self._connect("postgres").close()
        except Exception:
            return False
        return True

    def _create_database(self) -> None:
        name = self.settings.get("POSTGRES_DB") or "airflow"
        with contextlib.closing(self._connect("postgres")) as con:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute("select 1 from pg_database where datname = %s", (name,))
                if cur.fetchone() is None:
                    cur.execute(f'create database "{name}"')

    def stop_postgres(self) -> None:
        """Fast shutdown (SIGINT): open transactions are rolled back, clients disconnected."""
        self.stop_process("postgres", signal.SIGINT, group=False)

    def restart_postgres(self) -> None:
        self.stop_postgres()
        self.start_postgres()

    # --- Redis ---------------------------------------------------------------------------------

    def start_redis(self) -> None:
        """Redis on 127.0.0.1 with the broker password of the settings (as compose requires)."""
        folder = self.state / "redis"
        folder.mkdir(parents=True, exist_ok=True)
        conf = folder / "redis.conf"
        conf.write_text(
            "\n".join(
                [
                    "bind 127.0.0.1",
                    f"port {self.ports.redis}",
                    f"requirepass {self.settings['REDIS_PASSWORD']}",
                    f"dir {folder}",
                    "daemonize no",
                    'save ""',
                    "appendonly no",
                    "",
                ]
            )
        )
        conf.chmod(0o600)
        self._spawn(
            "redis", [shutil.which("redis-server") or "redis-server", str(conf)], os.environ
        )
        self._wait(lambda: port_open(self.ports.redis), "Redis to listen", "redis")

    # --- Airflow -------------------------------------------------------------------------------

    def airflow(self, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
        """One ``airflow`` CLI command with the stack's environment; raises if it fails."""
        done = subprocess.run(
            [str(AIRFLOW), *args],
            env=self.airflow_env(),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0:
            raise StackError(
                f"airflow {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}"
            )
        return done

    def init_airflow(self, admin: bool = True) -> None:
        """What compose's ``airflow-init`` does: migrate, the admin user, the project's pools."""
        self.home.mkdir(parents=True, exist_ok=True)
        self.airflow("db", "migrate")
        if admin:
            username = self.settings.get("AIRFLOW_ADMIN_USERNAME") or "admin"
            users = self.airflow("users", "list", "--output", "json").stdout
            if f'"{username}"' not in users:
                self.airflow(
                    "users",
                    "create",
                    "--username",
                    username,
                    "--password",
                    self.settings["AIRFLOW_ADMIN_PASSWORD"],
                    "--email",
                    self.settings.get("AIRFLOW_ADMIN_EMAIL") or "admin@example.org",
                    "--firstname",
                    "Admin",
                    "--lastname",
                    "User",
                    "--role",
                    "Admin",
                )
        self.airflow("pools", "import", str(PROJECT_ROOT / "dags" / "pools.json"))

    def airflow_commands(self) -> dict[str, list[str]]:
        """Each Airflow process of the compose file: name → ``airflow`` arguments."""
        commands = {
            "api-server": ["api-server"],
            "scheduler": ["scheduler"],
            "dag-processor": ["dag-processor"],
            "triggerer": ["triggerer"],
        }
        for name, queues in WORKERS.items():
            commands[name] = [
                "celery",
                "worker",
                "--queues",
                queues,
                # two workers on one machine: distinct Celery names and pidfiles
                "--celery-hostname",
                f"{name}@%h",
                "--pid",
                str(self.home / f"{name}.celery.pid"),
                "--concurrency",
                self.extra_env.get("CAPDEV_STACK_WORKER_CONCURRENCY", "2"),
            ]
        return commands

    def start_airflow(self, name: str) -> None:
        env = self.airflow_env()
        # Processes that serve their task logs over HTTP each need their own port here.
        env["AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT"] = str(free_port())
        env["AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT"] = str(free_port())
        env["AIRFLOW__SCHEDULER__SCHEDULER_HEALTH_CHECK_SERVER_PORT"] = str(free_port())
        if name in WORKERS:
            env["CAPDEV_WORKER_NAME"] = f"{name}@{socket.getfqdn()}"
        self._spawn(name, [str(AIRFLOW), *self.airflow_commands()[name]], env)

    def restart_exited(self) -> list[str]:
        """Start again every Airflow process that exited on its own, as compose's ``restart:
        always`` does (a scheduler that lost its database, say); the names restarted."""
        exited = [
            name
            for name, proc in list(self.procs.items())
            if name in self.airflow_commands() and proc.poll() is not None
        ]
        for name in exited:
            self.procs.pop(name)
            self.start_airflow(name)
        return exited

    def up(self, admin: bool = True) -> None:
        """Start everything (PostgreSQL, Redis, then Airflow) and wait for the API server."""
        install_packages()
        self.state.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.start_postgres()
        self.start_redis()
        self.init_airflow(admin=admin)
        for name in self.airflow_commands():
            self.start_airflow(name)
        self._wait(lambda: port_open(self.ports.api), "the API server to listen", "api-server")

    # --- stopping ------------------------------------------------------------------------------

    def pid(self, name: str) -> int | None:
        path = self.pids / f"{name}.pid"
        try:
            return int(path.read_text().strip())
        except (FileNotFoundError, ValueError):
            return None

    def stop_process(
        self, name: str, sig: int = signal.SIGTERM, grace: float = 30, group: bool = True
    ) -> None:
        """Stop one process this stack started (by its pidfile) and everything in its session.

        ``group=False`` signals the process alone first (PostgreSQL's postmaster shuts its
        backends down itself); what is left of the session after ``grace`` is killed.
        """
        self.stop_processes([name], sig, grace, group)

    def stop_processes(
        self, names: list[str], sig: int = signal.SIGTERM, grace: float = 30, group: bool = True
    ) -> None:
        """Stop several processes at once: signal all, then wait for all (one grace period)."""
        started = {
            name: (pid, self.procs.pop(name, None)) for name in names if (pid := self.pid(name))
        }
        for pid, _ in started.values():
            with contextlib.suppress(ProcessLookupError, PermissionError):
                (os.killpg if group else os.kill)(pid, sig)
        deadline = time.monotonic() + grace
        while any(_alive(pid, proc) for pid, proc in started.values()):
            if time.monotonic() > deadline:
                break
            time.sleep(0.2)
        for name, (pid, proc) in started.items():
            # stragglers of the session: task runners, API workers
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            while _alive(pid, proc) and time.monotonic() < deadline + 10:
                time.sleep(0.2)
            (self.pids / f"{name}.pid").unlink(missing_ok=True)

    def kill(self, name: str) -> int:
        """``kill -9`` of one process and everything it started (its session): the crash of a
        container or host, for the fault tests."""
        pid = self.pid(name)
        if pid is None:
            raise StackError(f"{name} is not running")
        os.killpg(pid, signal.SIGKILL)
        proc = self.procs.pop(name, None)
        if proc is not None:
            proc.wait()
        (self.pids / f"{name}.pid").unlink(missing_ok=True)
        return pid

    def down(self) -> None:
        """Stop Airflow, then Redis and PostgreSQL: only the processes of ``pids/``."""
        self.stop_processes([*self.airflow_commands(), "redis"])
        self.stop_postgres()

    def running(self) -> dict[str, int]:
        return {p.stem: pid for p in sorted(self.pids.glob("*.pid")) if (pid := self.pid(p.stem))}


def _alive(pid: int, proc: subprocess.Popen | None) -> bool:
    if proc is not None:
        return proc.poll() is None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie of a parent that is gone counts as stopped
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    return True


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
