"""docker-compose.yml and its Dockerfile: valid Compose, and every reference resolves here.

No Docker engine runs on the development machines or in CI, so the stack is never built or
started by these tests. They check what can be checked without one:

* the file validates against the Compose Specification JSON schema, vendored as
  ``tests/fixtures/compose-spec.json`` (provenance in ``tests/fixtures/README.md``);
* every build context and Dockerfile, bind-mount source and env_file exists in the repository
  (``.env``, which is never committed, stands for ``.env.example``); a bind mount of runtime state
  that Compose creates (``create_host_path``) must be a git-ignored folder;
* every ``depends_on`` / ``service:`` / ``volumes_from`` reference names a defined service;
* every ``${VAR}`` has a default or is set in ``.env.example``, every pass-through variable is
  documented there, and ``.env.example`` documents nothing the file does not use;
* the Dockerfile's ``FROM`` pins the Airflow version of ``uv.lock`` and the project's Python, it
  installs from the lock, and what it copies exists and is not excluded by ``.dockerignore``;
* the services, profiles, mounts, pool and sandbox command match the project (the sandbox command
  line is parsed by the sandbox's own argument parsers; the example connections match the
  sandbox's ports and credentials and ``ingestion/platforms.yml``'s connection ids);
* safe defaults: ``capdev-check-secrets`` runs before every other service and is handed every
  deployment secret, the placeholders of ``.env.example`` fail that check (run with the real
  function, ``ingestion.secrets.check_deployment_secrets``) while the values of the commands it
  documents pass, ports are published on 127.0.0.1 unless ``CAPDEV_BIND_ADDRESS`` says otherwise,
  Redis requires the password the broker URL carries, and no service runs in demo mode.

Each check is a function returning a list of problems: the tests assert it finds none in the
real files and that it does find the break in a deliberately broken copy.
"""

from __future__ import annotations

import copy
import fnmatch
import json
import re
import shlex
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
import yaml

from ingestion.secrets import ALLOW_DEV_KEY_ENV, DEPLOYMENT_SECRETS, check_deployment_secrets

ROOT = Path(__file__).resolve().parents[2]
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
SCHEMA_FILE = ROOT / "tests" / "fixtures" / "compose-spec.json"

AIRFLOW_SERVICES = {
    "airflow-apiserver",
    "airflow-scheduler",
    "airflow-dag-processor",
    "airflow-triggerer",
    "airflow-worker",
    "airflow-init",
}
SECRETS_CHECK_SERVICE = "capdev-check-secrets"
REQUIRED_SERVICES = AIRFLOW_SERVICES | {"postgres", "redis", SECRETS_CHECK_SERVICE}
SANDBOX_SERVICE = "capdev-sandbox"
# Project folders the Airflow containers mount, relative to the project root in the container.
MOUNTED_PROJECT_FOLDERS = ("dags", "ingestion", "dbt_project", "expectations")

# Compose interpolation: ${NAME}, ${NAME:-default}, ${NAME-default}, ${NAME:?error},
# ${NAME?error}, ${NAME:+alt}, ${NAME+alt}, and $NAME; "$$" is a literal dollar.
BRACED_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}")
BARE_VAR = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
COMMENTED_ENV_LINE = re.compile(r"^#\s*([A-Za-z_][A-Za-z0-9_]*)=")


# --- loading -------------------------------------------------------------------------------------


def load_compose(path: Path = COMPOSE_FILE) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def parse_env_example(path: Path = ENV_EXAMPLE) -> tuple[dict[str, str], set[str]]:
    """(variables set, with quotes removed; names only mentioned in a commented-out line)."""
    defined: dict[str, str] = {}
    commented: set[str] = set()
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if match := COMMENTED_ENV_LINE.match(line):
            commented.add(match.group(1))
        elif match := ENV_LINE.match(line):
            value = match.group(2).strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
                value = value[1:-1]
            defined[match.group(1)] = value
    return defined, commented


def strings(node: Any) -> Iterator[str]:
    """Every string value in a loaded YAML document (keys are not interpolated by Compose)."""
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for item in node:
            yield from strings(item)


def variables(text: str) -> Iterator[tuple[str, str | None]]:
    """(name, operator) for each interpolation in a string; operator None for ${NAME} / $NAME."""
    text = text.replace("$$", "")
    for match in BRACED_VAR.finditer(text):
        yield match.group(1), match.group(2)
    for match in BARE_VAR.finditer(BRACED_VAR.sub("", text)):
        yield match.group(1), None


def compose_default(value: str) -> str:
    """A value with each ${NAME:-default} replaced by its default (what Compose uses if unset)."""
    return BRACED_VAR.sub(lambda m: m.group(3) if m.group(2) in (":-", "-") else "", value)


def environment(service: dict[str, Any]) -> dict[str, Any]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return dict(env)


def volume_mounts(service: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """A service's volumes in the long syntax (type, source, target, bind options)."""
    for volume in service.get("volumes") or []:
        if isinstance(volume, dict):
            yield volume
            continue
        parts = volume.split(":")
        if len(parts) == 1:  # anonymous volume
            yield {"type": "volume", "target": parts[0]}
            continue
        source, target = parts[0], parts[1]
        kind = "bind" if source.startswith((".", "/", "~")) else "volume"
        # The short syntax creates a missing host folder, as create_host_path does.
        yield {"type": kind, "source": source, "target": target, "short": True}


def git_ignored(path: str, *, folder: bool = False) -> bool:
    """Whether git ignores ``path`` (a folder is probed through a file inside it, so that a
    ``name/`` pattern matches even while the folder does not exist)."""
    probe = path.rstrip("/") + "/probe" if folder else path
    result = subprocess.run(
        ["git", "-C", str(ROOT), "check-ignore", "-q", probe], capture_output=True, check=False
    )
    return result.returncode == 0


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    found = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            found.append((keyword.upper(), rest.strip()))
    return found


def locked_version(package: str) -> str:
    lock = tomllib.loads((ROOT / "uv.lock").read_text(encoding="utf-8"))
    return next(p["version"] for p in lock["package"] if p["name"] == package)


def project_python() -> str:
    """The project's Python minor version, from requires-python (">=3.11,<3.12" -> "3.11")."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return re.search(r">=\s*(\d+\.\d+)", pyproject["project"]["requires-python"]).group(1)


# --- checks: each returns a list of problems -----------------------------------------------------


def schema_problems(doc: dict[str, Any]) -> list[str]:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    validator = jsonschema.Draft201909Validator(schema)
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '<root>'}: {error.message}"
        for error in validator.iter_errors(doc)
    ]


def path_problems(doc: dict[str, Any], root: Path = ROOT) -> list[str]:
    problems = []
    declared_volumes = set(doc.get("volumes") or {})
    for name, service in doc["services"].items():
        build = service.get("build")
        if build is not None:
            build = {"context": build} if isinstance(build, str) else build
            context = root / build.get("context", ".")
            if not context.is_dir():
                problems.append(f"{name}: build context {build.get('context')} is not a folder")
            dockerfile = context / build.get("dockerfile", "Dockerfile")
            if not dockerfile.is_file():
                problems.append(f"{name}: Dockerfile {dockerfile.relative_to(root)} not found")
        for mount in volume_mounts(service):
            source = mount.get("source")
            if mount["type"] == "volume" and source and source not in declared_volumes:
                problems.append(f"{name}: named volume {source!r} is not declared")
            if mount["type"] != "bind":
                continue
            if (root / source).exists():
                continue
            creates = mount.get("short") or (mount.get("bind") or {}).get("create_host_path")
            if not creates:
                problems.append(f"{name}: bind source {source} does not exist")
            elif not git_ignored(source, folder=True):
                problems.append(f"{name}: bind source {source} is missing and not git-ignored")
        env_files = service.get("env_file") or []
        for entry in [env_files] if isinstance(env_files, str) else env_files:
            path = entry if isinstance(entry, str) else entry["path"]
            if Path(path).name == ".env":
                path = str(Path(path).with_name(".env.example"))
            if not (root / path).is_file():
                problems.append(f"{name}: env_file {path} not found")
    return problems


def reference_problems(doc: dict[str, Any]) -> list[str]:
    services = doc["services"]
    problems = []
    for name, service in services.items():
        referenced = list(service.get("depends_on") or [])  # list form or mapping keys
        referenced += list(service.get("links") or [])
        for value in [service.get("network_mode"), service.get("pid"), service.get("ipc")]:
            if isinstance(value, str) and value.startswith("service:"):
                referenced.append(value.removeprefix("service:"))
        for value in service.get("volumes_from") or []:
            if not value.startswith("container:"):
                referenced.append(value.removeprefix("service:").split(":")[0])
        extends = service.get("extends")
        if isinstance(extends, dict) and "file" not in extends:
            referenced.append(extends["service"])
        elif isinstance(extends, str):
            referenced.append(extends)
        for target in referenced:
            target = target.split(":")[0]
            if target not in services:
                problems.append(f"{name}: refers to undefined service {target!r}")
    return problems


def variable_problems(doc: dict[str, Any], env_example: Path = ENV_EXAMPLE) -> list[str]:
    defined, commented = parse_env_example(env_example)
    problems = []
    used: set[str] = set()
    for text in strings(doc):
        for name, operator in variables(text):
            used.add(name)
            if operator in (":-", "-", ":+", "+"):
                continue
            if name not in defined:
                problems.append(f"${{{name}}} has no default and is not set in .env.example")
            elif operator in (":?", "?") and not defined[name]:
                problems.append(f"${{{name}}} is required but empty in .env.example")
    # `NAME:` with no value passes NAME through from .env only when it is set there.
    for name, service in doc["services"].items():
        for key, value in environment(service).items():
            if value is None:
                used.add(key)
                if key not in defined and key not in commented:
                    problems.append(f"{name}: pass-through {key} is not documented in .env.example")
    for name in sorted((set(defined) | commented) - used):
        problems.append(f".env.example documents {name}, which docker-compose.yml does not use")
    return list(dict.fromkeys(problems))  # a variable used in several places is reported once


def dockerfile_problems(text: str, root: Path = ROOT) -> list[str]:
    problems = []
    instructions = dockerfile_instructions(text)
    airflow, python = locked_version("apache-airflow"), project_python()
    bases = [args.split()[0] for keyword, args in instructions if keyword == "FROM"]
    airflow_bases = [base for base in bases if base.startswith("apache/airflow:")]
    if not airflow_bases:
        problems.append("no FROM apache/airflow:<version>-python<version> line")
    for base in airflow_bases:
        if base != f"apache/airflow:{airflow}-python{python}":
            problems.append(
                f"FROM {base}: uv.lock has apache-airflow {airflow}, pyproject Python {python}"
            )
    runs = " ".join(args for keyword, args in instructions if keyword == "RUN")
    if not re.search(r"uv export\b[^&;]*--frozen", runs):
        problems.append("the requirements are not exported from uv.lock with `uv export --frozen`")
    if '"apache-airflow==${AIRFLOW_VERSION}"' not in runs:
        problems.append("pip install does not hold Airflow at the base image's AIRFLOW_VERSION")
    ignored = [
        line.strip()
        for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for keyword, args in instructions:
        if keyword not in ("COPY", "ADD") or "--from=" in args:
            continue
        sources = [token for token in args.split() if not token.startswith("--")][:-1]
        for source in sources:
            if not (root / source).exists():
                problems.append(f"{keyword} {source}: not in the repository")
            elif any(fnmatch.fnmatch(source, p) or source.startswith(p + "/") for p in ignored):
                problems.append(f"{keyword} {source}: excluded by .dockerignore")
    return problems


def resolve(value: str, values: dict[str, str]) -> str:
    """A Compose string with its variables replaced as Compose would from ``values`` (the
    .env): ${NAME:-default} / ${NAME-default} fall back, anything else is the value or empty."""

    def one(match: re.Match) -> str:
        name, operator, argument = match.groups()
        value = values.get(name)
        if operator == ":-" and not value or operator == "-" and value is None:
            return argument
        return value or ""

    return BRACED_VAR.sub(one, value.replace("$$", "\0")).replace("\0", "$")


def dependencies(services: dict[str, Any], name: str) -> dict[str, str]:
    """Every service ``name`` waits for, directly or not, with the condition of the direct edge."""
    found: dict[str, str] = {}
    todo = [name]
    while todo:
        depends = services[todo.pop()].get("depends_on") or {}
        if isinstance(depends, list):
            depends = {d: {"condition": "service_started"} for d in depends}
        for target, spec in depends.items():
            if target not in found:
                found[target] = spec.get("condition", "service_started")
                todo.append(target)
    return found


def secrets_check_problems(doc: dict[str, Any]) -> list[str]:
    """The secrets check runs first, sees every deployment secret, and nothing runs in demo mode."""
    services = doc["services"]
    check = services.get(SECRETS_CHECK_SERVICE)
    if check is None:
        return [f"no {SECRETS_CHECK_SERVICE} service"]
    problems = []
    if check.get("profiles"):
        problems.append(f"{SECRETS_CHECK_SERVICE} runs only under a profile")
    if check.get("entrypoint") != ["python", "-m", "ingestion.secrets"]:
        problems.append(f"{SECRETS_CHECK_SERVICE} does not run ingestion.secrets")
    env = environment(check)
    others = [
        text
        for name, svc in services.items()
        if name != SECRETS_CHECK_SERVICE
        for text in strings(svc)
    ]
    for secret in DEPLOYMENT_SECRETS:
        if not re.fullmatch(rf"\$\{{{secret.name}:\?[^}}]+\}}", str(env.get(secret.name))):
            problems.append(f"{SECRETS_CHECK_SERVICE} is not handed {secret.name} (required)")
        if not any(f"${{{secret.name}" in text for text in others):
            problems.append(f"{secret.name} is checked but no service uses it")
    for name in sorted(REQUIRED_SERVICES - {SECRETS_CHECK_SERVICE}):
        if name in services and SECRETS_CHECK_SERVICE not in dependencies(services, name):
            problems.append(f"{name} can start before {SECRETS_CHECK_SERVICE}")
    for name, service in services.items():
        condition = dependencies(services, name).get(SECRETS_CHECK_SERVICE)
        if condition not in (None, "service_completed_successfully"):
            problems.append(f"{name} does not wait for the secrets check to succeed")
        if ALLOW_DEV_KEY_ENV in environment(service):
            problems.append(f"{name} runs in demo mode ({ALLOW_DEV_KEY_ENV})")
    return problems


def exposure_problems(doc: dict[str, Any]) -> list[str]:
    """Published ports on 127.0.0.1 by default; Redis with the password of the broker URL."""
    services = doc["services"]
    problems = []
    for name, service in services.items():
        for port in service.get("ports") or []:
            host_ip = port.get("host_ip") if isinstance(port, dict) else None
            text = compose_default(str(port)) if isinstance(port, str | int) else ""
            if text.count(":") == 2:  # host_ip:published:target
                host_ip = text.split(":")[0]
            if host_ip != "127.0.0.1":
                problems.append(f"{name}: port {port} is not published on 127.0.0.1 by default")
    redis = services.get("redis", {})
    command = (
        " ".join(redis.get("command") or [])
        if isinstance(redis.get("command"), list)
        else (redis.get("command") or "")
    )
    if '--requirepass "$${REDIS_PASSWORD}"' not in command:
        problems.append("redis: no --requirepass with REDIS_PASSWORD")
    if not str(environment(redis).get("REDIS_PASSWORD", "")).startswith("${REDIS_PASSWORD:?"):
        problems.append("redis: REDIS_PASSWORD is not handed to the container (required)")
    health = " ".join(redis.get("healthcheck", {}).get("test") or [])
    if "REDISCLI_AUTH=" not in health or "PONG" not in health:
        problems.append("redis: the health check does not authenticate (NOAUTH would pass)")
    for name in sorted(AIRFLOW_SERVICES & set(services)):
        url = str(environment(services[name]).get("AIRFLOW__CELERY__BROKER_URL", ""))
        if not url.startswith("redis://:${REDIS_PASSWORD:?"):
            problems.append(f"{name}: the broker URL carries no REDIS_PASSWORD")
    return problems


# --- the real files ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return load_compose()


def test_compose_file_validates_against_the_compose_specification(compose):
    assert schema_problems(compose) == []


def test_the_vendored_schema_is_a_valid_json_schema():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft201909Validator.check_schema(schema)
    assert schema["title"] == "Compose Specification"


def test_build_contexts_bind_mounts_and_env_files_exist(compose):
    assert path_problems(compose) == []


def test_every_service_reference_names_a_defined_service(compose):
    assert reference_problems(compose) == []


def test_every_variable_has_a_default_or_is_in_env_example(compose):
    assert variable_problems(compose) == []


def test_dockerfile_pins_the_locked_airflow_and_copies_what_exists():
    assert dockerfile_problems(DOCKERFILE.read_text(encoding="utf-8")) == []


def test_env_and_runtime_state_stay_out_of_git_and_the_build_context():
    assert git_ignored(".env")
    assert not git_ignored(".env.example")
    ignored = DOCKERIGNORE.read_text(encoding="utf-8").split()
    for entry in (".env", ".venv", "data", ".git", ".tools"):
        assert entry in ignored, f"{entry} is not in .dockerignore"


def test_the_stack_has_the_celery_deployment_services(compose):
    services = compose["services"]
    assert REQUIRED_SERVICES - set(services) == set()
    # `docker compose up` starts the whole Airflow stack; optional parts sit behind profiles.
    for name in REQUIRED_SERVICES:
        assert not services[name].get("profiles"), f"{name} must start without a profile"
    assert services[SANDBOX_SERVICE]["profiles"] == ["sandbox"]
    assert services["flower"]["profiles"] == ["flower"]
    for name in AIRFLOW_SERVICES:
        env = environment(services[name])
        assert env["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "false", name
        assert "build" in services[name], f"{name} must run the project image, built here"
    # Workers scale out: nothing pins one container.
    assert "container_name" not in services["airflow-worker"]
    for name in AIRFLOW_SERVICES - {"airflow-init"}:
        depends = services[name]["depends_on"]
        assert depends["airflow-init"]["condition"] == "service_completed_successfully", name


def test_airflow_containers_mount_the_project_where_their_settings_point(compose):
    for name in AIRFLOW_SERVICES:
        service = compose["services"][name]
        env = environment(service)
        targets = {m["target"]: m for m in volume_mounts(service)}
        project = env["PYTHONPATH"].split(":")[0]
        assert env["AIRFLOW__CORE__DAGS_FOLDER"] == f"{project}/dags", name
        for folder in MOUNTED_PROJECT_FOLDERS:
            mount = targets.get(f"{project}/{folder}")
            assert mount and Path(mount["source"]) == Path(folder), f"{name}: ./{folder} mount"
        data = targets.get(env["CAPDEV_DATA_DIR"])
        assert data and Path(data["source"]) == Path("data"), f"{name}: ./data mount"


def test_airflow_init_creates_the_pools_after_migrating(compose):
    script = "\n".join(compose["services"]["airflow-init"]["command"])
    migrate = script.find("airflow db migrate")
    pools = re.search(r"airflow pools import (\S+)", script)
    assert migrate >= 0 and pools and pools.start() > migrate
    # the file it imports is the project's dags/pools.json, through the dags mount
    env = environment(compose["services"]["airflow-init"])
    assert pools.group(1) == f"{env['AIRFLOW__CORE__DAGS_FOLDER']}/pools.json"
    assert (ROOT / "dags" / "pools.json").exists()


def sandbox_command_args(compose: dict[str, Any], subcommand: str) -> list[str]:
    """The arguments of `capdev-sandbox <subcommand>` in the sandbox service's script, with
    the container's variables (the service environment, Compose defaults applied) expanded."""
    service = compose["services"][SANDBOX_SERVICE]
    env = {k: compose_default(str(v)) for k, v in environment(service).items()}
    env["sandbox"] = f"{env['CAPDEV_DATA_DIR']}/sandbox"
    script = "\n".join(service["command"]).replace("$$", "$")
    line = next(line for line in script.splitlines() if f"capdev-sandbox {subcommand}" in line)
    words = shlex.split(re.sub(r"\$\{(\w+)\}", lambda m: env[m.group(1)], line))
    return words[words.index(subcommand) + 1 :]


def test_sandbox_service_command_is_accepted_by_the_sandbox_cli(compose):
    from sandbox.cli import build_parser as sandbox_parser
    from sandbox.servers.cli import build_parser as serve_parser

    serve = serve_parser().parse_args(sandbox_command_args(compose, "serve"))
    assert serve.host == "0.0.0.0"  # reachable from the other containers
    assert serve.port > 0  # fixed ports, which the connections name
    published = {str(p).rsplit(":", 1)[-1] for p in compose["services"][SANDBOX_SERVICE]["ports"]}
    assert published == {str(serve.port + i) for i in range(3)}
    generate = sandbox_parser().parse_args(["generate", *sandbox_command_args(compose, "generate")])
    assert generate.scale > 0


def test_example_connections_match_the_platforms_and_the_sandbox(compose):
    from ingestion.config import platforms
    from sandbox.generator.core import CREDENTIALS
    from sandbox.servers import PLATFORMS as SERVED
    from sandbox.servers.cli import build_parser as serve_parser

    defined, _ = parse_env_example()
    common_env = environment(compose["services"]["airflow-worker"])
    port = serve_parser().parse_args(sandbox_command_args(compose, "serve")).port
    api_platforms = {p.conn_id: code for code, p in platforms().items() if p.kind == "api"}
    for conn_id, code in api_platforms.items():
        var = f"AIRFLOW_CONN_{conn_id.upper()}"
        assert var in common_env, f"{var} is not passed to the Airflow containers"
        conn = json.loads(defined[var])
        url = urlsplit(conn["host"])
        assert url.hostname == SANDBOX_SERVICE, var
        assert url.port == port + SERVED.index(code), f"{var}: {code} is served on another port"
        creds = CREDENTIALS[code]
        assert conn["password"] == creds.get("token", creds.get("password")), var
        assert conn.get("login") == creds.get("username"), var
    alerts = json.loads(defined["AIRFLOW_CONN_CAPDEV_ALERTS"])
    assert urlsplit(alerts["extra"]["webhook_url"]).scheme == "https"
    assert "AIRFLOW_CONN_CAPDEV_ALERTS" in common_env


# --- each check catches a break ------------------------------------------------------------------


def _break(mutate) -> dict[str, Any]:
    doc = copy.deepcopy(load_compose())
    mutate(doc)
    return doc


def test_schema_check_rejects_an_invalid_compose_file():
    def misspelled_key(doc):
        doc["services"]["redis"]["healthchek"] = {"test": ["CMD", "true"]}

    def bad_condition(doc):
        doc["services"]["airflow-worker"]["depends_on"] = {"redis": {"condition": "healthy"}}

    assert schema_problems(_break(misspelled_key))
    assert schema_problems(_break(bad_condition))


def test_path_check_catches_missing_files():
    def missing_context(doc):
        doc["services"]["redis"]["build"] = {"context": "./no-such-folder"}

    def missing_bind_source(doc):
        doc["services"]["redis"]["volumes"] = [
            {"type": "bind", "source": "./no-such-folder", "target": "/x"}
        ]

    def missing_env_file(doc):
        doc["services"]["redis"]["env_file"] = ["./no-such.env"]

    def undeclared_volume(doc):
        doc["services"]["redis"]["volumes"] = ["redis-data:/data"]

    def created_but_not_ignored(doc):
        # Compose would create it, but as a folder git does not ignore: a missing source folder.
        doc["services"]["redis"]["volumes"] = [
            {
                "type": "bind",
                "source": "./no-such-folder",
                "target": "/x",
                "bind": {"create_host_path": True},
            }
        ]

    for mutate in (
        missing_context,
        missing_bind_source,
        missing_env_file,
        undeclared_volume,
        created_but_not_ignored,
    ):
        assert path_problems(_break(mutate)), mutate.__name__


def test_reference_check_catches_an_undefined_service():
    def ghost_dependency(doc):
        doc["services"]["airflow-worker"]["depends_on"] = {
            "ghost": {"condition": "service_started"}
        }

    def ghost_network_mode(doc):
        doc["services"]["redis"]["network_mode"] = "service:ghost"

    assert reference_problems(_break(ghost_dependency)) == [
        "airflow-worker: refers to undefined service 'ghost'"
    ]
    assert reference_problems(_break(ghost_network_mode))


def test_variable_check_catches_undocumented_and_unused_variables(tmp_path):
    def undocumented(doc):
        doc["services"]["redis"]["environment"] = {"X": "${CAPDEV_NOT_IN_ENV_EXAMPLE}"}

    def undocumented_pass_through(doc):
        doc["services"]["redis"]["environment"] = {"CAPDEV_NOT_IN_ENV_EXAMPLE": None}

    assert variable_problems(_break(undocumented))
    assert variable_problems(_break(undocumented_pass_through))
    # A default makes a variable optional; "$$" is a literal dollar, not a variable.
    fine = _break(lambda doc: doc["services"]["redis"].update(environment={"A": "${NEW:-1} $$X"}))
    assert variable_problems(fine) == []

    stale = tmp_path / ".env.example"
    stale.write_text(ENV_EXAMPLE.read_text(encoding="utf-8") + "CAPDEV_UNUSED=1\n")
    assert variable_problems(load_compose(), stale) == [
        ".env.example documents CAPDEV_UNUSED, which docker-compose.yml does not use"
    ]
    required_empty = tmp_path / "required-empty.env"
    required_empty.write_text(
        re.sub(r"(?m)^POSTGRES_PASSWORD=.*$", "POSTGRES_PASSWORD=", ENV_EXAMPLE.read_text())
    )
    assert variable_problems(load_compose(), required_empty)


def test_dockerfile_check_catches_a_version_drift_and_bad_copies():
    text = DOCKERFILE.read_text(encoding="utf-8")
    airflow = locked_version("apache-airflow")
    drifted = text.replace(f"apache/airflow:{airflow}-", "apache/airflow:2.10.5-")
    assert any("uv.lock has apache-airflow" in p for p in dockerfile_problems(drifted))
    other_python = text.replace("-python3.11", "-python3.12")
    assert dockerfile_problems(other_python)
    assert dockerfile_problems(text + "\nCOPY no-such-folder /opt/capdev/x\n")
    assert dockerfile_problems(text + "\nCOPY data /opt/capdev/data\n")  # .dockerignored
    unlocked = text.replace("--frozen", "")
    assert dockerfile_problems(unlocked)


# --- safe defaults: secrets, ports, Redis -------------------------------------------------------


def test_the_secrets_check_runs_first_and_sees_every_secret(compose):
    assert secrets_check_problems(compose) == []
    assert (ROOT / "ingestion" / "secrets.py").is_file()


def test_nothing_is_exposed_beyond_this_machine_by_default(compose):
    assert exposure_problems(compose) == []
    # the UI's address is the one setting that opens it
    ports = compose["services"]["airflow-apiserver"]["ports"]
    assert ports == ["${CAPDEV_BIND_ADDRESS:-127.0.0.1}:8080:8080"]


def _check_service_env(compose, values: dict[str, str]) -> dict[str, str]:
    """What the secrets check sees in its container, given these .env values."""
    env = environment(compose["services"][SECRETS_CHECK_SERVICE])
    return {name: resolve(str(value), values) for name, value in env.items()}


def test_every_placeholder_of_env_example_fails_the_check(compose):
    defined, _ = parse_env_example()
    problems = check_deployment_secrets(_check_service_env(compose, defined))
    for secret in DEPLOYMENT_SECRETS:
        mine = [p for p in problems if p.startswith(f"{secret.name} ")]
        assert len(mine) == 1, (secret.name, problems)
        assert "placeholder" in mine[0] and secret.generate in mine[0]
    assert len(problems) == len(DEPLOYMENT_SECRETS)


def _documented_command(name: str, lines: list[str]) -> str:
    """The command in the comment block right above ``NAME=`` in .env.example."""
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{name}="))
    block = []
    for line in reversed(lines[:at]):
        if not line.startswith("#"):
            break
        block.append(line)
    commands = [line.removeprefix("#").strip() for line in block if "python3 -c" in line]
    assert len(commands) == 1, f"{name}: one command to generate it, above its line"
    return commands[0]


def test_env_example_documents_a_working_command_for_each_secret(compose):
    lines = ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
    defined, _ = parse_env_example()
    generated = {}
    for secret in DEPLOYMENT_SECRETS:
        command = _documented_command(secret.name, lines)
        assert command == secret.generate, secret.name
        words = shlex.split(command)
        assert words[0] == "python3"
        done = subprocess.run(
            [sys.executable, *words[1:]], capture_output=True, text=True, check=True
        )
        generated[secret.name] = done.stdout.strip()
    assert check_deployment_secrets(_check_service_env(compose, {**defined, **generated})) == []
    # fresh values each time: a command that printed a constant would be a shared secret
    again = subprocess.run(
        [sys.executable, *shlex.split(DEPLOYMENT_SECRETS[0].generate)[1:]],
        capture_output=True,
        text=True,
        check=True,
    )
    assert again.stdout.strip() != generated[DEPLOYMENT_SECRETS[0].name]


def test_secrets_check_catches_a_break():
    def check_removed(doc):
        del doc["services"][SECRETS_CHECK_SERVICE]
        for service in doc["services"].values():
            (service.get("depends_on") or {}).pop(SECRETS_CHECK_SERVICE, None)

    def postgres_first(doc):
        del doc["services"]["postgres"]["depends_on"]

    def secret_not_checked(doc):
        del doc["services"][SECRETS_CHECK_SERVICE]["environment"]["REDIS_PASSWORD"]

    def only_started(doc):
        doc["services"]["redis"]["depends_on"] = {
            SECRETS_CHECK_SERVICE: {"condition": "service_started"}
        }

    def demo_mode(doc):
        doc["services"]["airflow-worker"]["environment"][ALLOW_DEV_KEY_ENV] = "1"

    def behind_a_profile(doc):
        doc["services"][SECRETS_CHECK_SERVICE]["profiles"] = ["checks"]

    for mutate in (
        check_removed,
        postgres_first,
        secret_not_checked,
        only_started,
        demo_mode,
        behind_a_profile,
    ):
        assert secrets_check_problems(_break(mutate)), mutate.__name__


def test_exposure_check_catches_a_break():
    def every_interface(doc):
        doc["services"]["airflow-apiserver"]["ports"] = ["8080:8080"]

    def flower_on_the_network(doc):
        doc["services"]["flower"]["ports"] = ["0.0.0.0:5555:5555"]

    def long_syntax_without_host_ip(doc):
        doc["services"]["flower"]["ports"] = [{"target": 5555, "published": "5555"}]

    def redis_without_password(doc):
        del doc["services"]["redis"]["command"]

    def broker_without_password(doc):
        doc["services"]["airflow-worker"]["environment"]["AIRFLOW__CELERY__BROKER_URL"] = (
            "redis://:@redis:6379/0"
        )

    def health_without_auth(doc):
        doc["services"]["redis"]["healthcheck"]["test"] = ["CMD", "redis-cli", "ping"]

    for mutate in (
        every_interface,
        flower_on_the_network,
        long_syntax_without_host_ip,
        redis_without_password,
        broker_without_password,
        health_without_auth,
    ):
        assert exposure_problems(_break(mutate)), mutate.__name__
