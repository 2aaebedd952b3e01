"""Deployment secrets: refuse missing, placeholder, development and malformed values.

One check, :func:`check_deployment_secrets`, used wherever the platform starts:

* ``docker compose up`` runs the service ``capdev-check-secrets`` (``python -m ingestion.secrets``)
  before Postgres, Redis or Airflow: an ``.env`` copied unchanged from ``.env.example`` stops
  there, with one line per secret to replace and the command that generates it;
* the pipeline asks :func:`pseudonym_key` for the pseudonymization key before the warehouse build
  (``ingestion.warehouse.build``) and identity resolution hash anyone: outside demo and test mode
  (``CAPDEV_ALLOW_DEV_KEY=1``) the public development key is refused.

``capdev check-secrets [--env-file .env]`` runs the same check by hand. See docs/privacy.md.
"""

from __future__ import annotations

import argparse
import base64
import os
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

PSEUDONYM_KEY_ENV = "CAPDEV_PSEUDONYM_KEY"
#: Demo and test mode: the sandbox demo, the test suite and the Makefile's demo/test targets set
#: it. Only then may the pipeline fall back to :data:`DEV_PSEUDONYM_KEY`.
ALLOW_DEV_KEY_ENV = "CAPDEV_ALLOW_DEV_KEY"
#: The development pseudonymization key: public (it is in this repository), so pseudonyms made
#: with it can be recomputed by anyone holding the platforms' record keys.
DEV_PSEUDONYM_KEY = "capdev-dev-only-pseudonym-key"

_HEX_32 = 'python3 -c "import secrets; print(secrets.token_hex(32))"'
_HEX_24 = 'python3 -c "import secrets; print(secrets.token_hex(24))"'
_FERNET = 'python3 -c "import base64, os; print(base64.urlsafe_b64encode(os.urandom(32)).decode())"'


@dataclass(frozen=True)
class Secret:
    """One secret of the deployment: its ``.env`` name and how to make a good one."""

    name: str
    generate: str  # one shell command that prints a good value
    min_length: int = 32
    fernet: bool = False  # Airflow's Fernet key(s): urlsafe base64 of 32 bytes, comma-separated
    in_url: bool = False  # goes into a connection URL: only characters that need no encoding


DEPLOYMENT_SECRETS: tuple[Secret, ...] = (
    Secret(PSEUDONYM_KEY_ENV, _HEX_32),
    Secret("AIRFLOW_FERNET_KEY", _FERNET, fernet=True),
    Secret("AIRFLOW_JWT_SECRET", _HEX_32),
    Secret("AIRFLOW_API_SECRET_KEY", _HEX_32),
    Secret("AIRFLOW_ADMIN_PASSWORD", _HEX_24, min_length=16),
    Secret("POSTGRES_PASSWORD", _HEX_24, min_length=16, in_url=True),
    Secret("REDIS_PASSWORD", _HEX_24, min_length=16, in_url=True),
    # the dashboards (Superset): signs its sessions; its two logins
    Secret("SUPERSET_SECRET_KEY", _HEX_32),
    Secret("SUPERSET_ADMIN_PASSWORD", _HEX_24, min_length=16),
    Secret("SUPERSET_MANAGER_PASSWORD", _HEX_24, min_length=16),
)
SECRETS_BY_NAME = {secret.name: secret for secret in DEPLOYMENT_SECRETS}

#: Values published somewhere (here, or in Airflow's reference docker-compose file): a value
#: anyone can look up is no secret.
KNOWN_VALUES = frozenset({DEV_PSEUDONYM_KEY, "airflow", "admin", "password", "secret", "redis"})
PLACEHOLDER = re.compile(r"change-?me", re.IGNORECASE)
URL_SAFE = re.compile(r"^[A-Za-z0-9._~-]+$")
FERNET_KEY = re.compile(r"^[A-Za-z0-9_+/-]{43}=$")  # 32 bytes in base64


class SecretsError(RuntimeError):
    """A secret the platform needs is missing, a placeholder, public, or malformed."""


def _fernet_problem(value: str) -> str | None:
    """Why ``value`` is not a Fernet key list (Airflow accepts ``new,old`` for key rotation)."""
    for key in value.split(","):
        key = key.strip()
        # what cryptography's Fernet accepts: 44 characters decoding to 32 bytes (it decodes with
        # urlsafe_b64decode, which takes '+' and '/' too); checked here without importing it
        raw = base64.urlsafe_b64decode(key) if FERNET_KEY.match(key) else b""
        if len(raw) != 32:
            return "is not a Fernet key (urlsafe base64 of 32 random bytes, 44 characters)"
    return None


def _problem(secret: Secret, value: str) -> str | None:
    """Why ``value`` will not do for ``secret``, or None."""
    if not value.strip():
        return "is not set"
    if PLACEHOLDER.search(value):
        return f"is still the placeholder of .env.example ({value!r})"
    if value == DEV_PSEUDONYM_KEY:
        return "is the public development key"
    if value.lower() in KNOWN_VALUES:
        return f"is a well-known default ({value!r})"
    if secret.fernet:
        return _fernet_problem(value)
    if len(value) < secret.min_length:
        return f"is too short ({len(value)} characters; at least {secret.min_length})"
    if secret.in_url and not URL_SAFE.match(value):
        return "has characters that a connection URL would need encoded: use letters and digits"
    return None


def check_deployment_secrets(
    env: Mapping[str, str], names: Iterable[str] | None = None
) -> list[str]:
    """One line per secret of ``env`` that will not do, each naming the variable, why, and the
    command that generates a good value; empty when all is well.

    ``names`` limits the check to some secrets (default: every one of :data:`DEPLOYMENT_SECRETS`).
    """
    problems = []
    for name in names or SECRETS_BY_NAME:
        secret = SECRETS_BY_NAME[name]
        why = _problem(secret, env.get(name) or "")
        if why:
            problems.append(f"{name} {why}. Generate one with: {secret.generate}")
    return problems


def dev_mode(env: Mapping[str, str] | None = None) -> bool:
    """Whether demo/test mode is on (``CAPDEV_ALLOW_DEV_KEY=1``)."""
    value = (os.environ if env is None else env).get(ALLOW_DEV_KEY_ENV, "")
    return value.strip().lower() in ("1", "true", "yes")


def pseudonym_key(env: Mapping[str, str] | None = None) -> str:
    """The secret of every keyed hash that pseudonymizes participants.

    In demo/test mode any value goes, and none means :data:`DEV_PSEUDONYM_KEY`. Otherwise the key
    must pass :func:`check_deployment_secrets`: a pipeline that silently hashed people with a
    public key would publish pseudonyms anyone can reverse by trying record keys.
    """
    env = os.environ if env is None else env
    value = env.get(PSEUDONYM_KEY_ENV) or ""
    if dev_mode(env):
        return value or DEV_PSEUDONYM_KEY
    problems = check_deployment_secrets(env, [PSEUDONYM_KEY_ENV])
    if problems:
        raise SecretsError(
            f"{problems[0]} Set {PSEUDONYM_KEY_ENV} to it (keep it: changing it changes every "
            f"pseudonym), or set {ALLOW_DEV_KEY_ENV}=1 for a demo or test with the development key."
        )
    return value


def read_env_file(path: Path) -> dict[str, str]:
    """``NAME=value`` lines of a Compose ``.env`` file (comments skipped, quotes removed)."""
    values: dict[str, str] = {}
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.split("=", 1)
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def main(argv: list[str] | None = None) -> int:
    """Exit status: 0 every secret is fine, 1 some are not (listed on standard error)."""
    parser = argparse.ArgumentParser(
        prog="capdev check-secrets",
        description="Check the deployment secrets (docker-compose .env) before starting.",
    )
    parser.add_argument(
        "--env-file", type=Path, help="check this .env file (default: the environment)"
    )
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    env = read_env_file(args.env_file) if args.env_file else dict(os.environ)
    problems = check_deployment_secrets(env)
    for problem in problems:
        print(f"secret: {problem}", file=sys.stderr)
    if problems:
        print(
            f"{len(problems)} secret(s) to set in .env before the platform starts "
            "(docs/privacy.md).",
            file=sys.stderr,
        )
        return 1
    print(f"all {len(DEPLOYMENT_SECRETS)} deployment secrets are set")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
