"""The :class:`Stack`: PostgreSQL, Redis and Airflow's processes (an API server, a scheduler, a
DAG processor, a triggerer and two Celery workers) started as the compose file starts them."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from ops.stack.debian import install_packages, postgres_bin
from ops.stack.processes import ProcessGroup, StackError
from ops.stack.settings import (
    PROJECT_ROOT,
    Ports,
    compose_airflow_environment,
    free_port,
    localize,
    port_open,
)

AIRFLOW = Path(sys.executable).with_name("airflow")
#: The Celery queue of every task that opens the warehouse's DuckDB files (dags/capdev_defaults.py).
WAREHOUSE_QUEUE = "warehouse"
DEFAULT_QUEUE = "default"
#: The Airflow processes, in start order: name → ``airflow`` arguments.
WORKERS = {
    "worker-warehouse": f"{DEFAULT_QUEUE},{WAREHOUSE_QUEUE}",
    "worker-ingest": DEFAULT_QUEUE,
}


def worker_hostname() -> str:
    """Airflow's ``hostname_callable`` here: the Celery worker's name when a process has one.

    Two workers on one machine share its host name; the task instances they run record this,
    so the UI and the metadata database tell them apart (``worker-ingest@<host>``).
    """
    return os.environ.get("CAPDEV_WORKER_NAME") or socket.getfqdn()


class Stack(ProcessGroup):
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
        super().__init__(state / "logs", state / "pids")
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

    def down(self) -> None:
        """Stop Airflow, then Redis and PostgreSQL: only the processes of ``pids/``."""
        self.stop_processes([*self.airflow_commands(), "redis"])
        self.stop_postgres()
