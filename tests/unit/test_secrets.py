"""The deployment secrets check (ingestion/secrets.py) and the pseudonymization key guard."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest

from ingestion import secrets
from ingestion.secrets import (
    ALLOW_DEV_KEY_ENV,
    DEPLOYMENT_SECRETS,
    DEV_PSEUDONYM_KEY,
    PSEUDONYM_KEY_ENV,
    SecretsError,
    check_deployment_secrets,
    pseudonym_key,
)

FERNET = base64.urlsafe_b64encode(bytes(range(32))).decode()
GOOD = {
    "CAPDEV_PSEUDONYM_KEY": "3f" * 32,
    "AIRFLOW_FERNET_KEY": FERNET,
    "AIRFLOW_JWT_SECRET": "a1" * 32,
    "AIRFLOW_API_SECRET_KEY": "b2" * 32,
    "AIRFLOW_ADMIN_PASSWORD": "c3" * 12,
    "POSTGRES_PASSWORD": "d4" * 12,
    "REDIS_PASSWORD": "e5" * 12,
    "SUPERSET_SECRET_KEY": "f6" * 32,
    "SUPERSET_ADMIN_PASSWORD": "a7" * 12,
    "SUPERSET_MANAGER_PASSWORD": "b8" * 12,
}


def _only(name: str, value: str | None) -> list[str]:
    """The problems of GOOD with one secret changed (None: removed)."""
    env = {k: v for k, v in GOOD.items() if k != name}
    if value is not None:
        env[name] = value
    return check_deployment_secrets(env)


def test_good_secrets_pass():
    assert check_deployment_secrets(GOOD) == []
    assert {s.name for s in DEPLOYMENT_SECRETS} == set(GOOD)


@pytest.mark.parametrize("name", sorted(GOOD))
@pytest.mark.parametrize(
    ("value", "why"),
    [
        (None, "is not set"),
        ("", "is not set"),
        ("   ", "is not set"),
        ("change-me-please-0123456789abcdef0123456789", "placeholder"),
        ("CHANGEME0123456789abcdef0123456789abcdef", "placeholder"),
        (DEV_PSEUDONYM_KEY, "development key"),
        ("airflow", "well-known default"),
    ],
)
def test_each_secret_refuses_missing_placeholder_and_public_values(name, value, why):
    problems = _only(name, value)
    assert len(problems) == 1, problems
    problem = problems[0]
    assert problem.startswith(f"{name} ") and why in problem
    assert secrets.SECRETS_BY_NAME[name].generate in problem


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CAPDEV_PSEUDONYM_KEY", "x" * 31),
        ("AIRFLOW_JWT_SECRET", "s3cr3t"),
        ("AIRFLOW_ADMIN_PASSWORD", "x" * 15),
        ("REDIS_PASSWORD", "x" * 15),
    ],
)
def test_short_secrets_are_refused_without_echoing_them(name, value):
    (problem,) = _only(name, value)
    assert "too short" in problem and value not in problem


@pytest.mark.parametrize("name", ["POSTGRES_PASSWORD", "REDIS_PASSWORD"])
def test_passwords_in_urls_must_need_no_encoding(name):
    (problem,) = _only(name, "p@ss/word:with#chars")
    assert "connection URL" in problem
    assert _only("AIRFLOW_ADMIN_PASSWORD", "p@ss/word:with#chars") == []  # not in a URL


@pytest.mark.parametrize(
    "value",
    [
        "not-a-fernet-key-but-long-enough-0123456789abcdef",
        base64.urlsafe_b64encode(bytes(31)).decode(),  # 31 bytes
        base64.urlsafe_b64encode(bytes(33)).decode(),  # 33 bytes
        FERNET[:-2] + "!=",  # not base64
        FERNET[:-1],  # padding cut
        f"{FERNET},broken",  # rotation list with a bad old key
    ],
)
def test_malformed_fernet_keys_are_refused(value):
    from cryptography.fernet import Fernet

    (problem,) = _only("AIRFLOW_FERNET_KEY", value)
    assert "not a Fernet key" in problem
    with pytest.raises(ValueError):  # and Airflow's Fernet would refuse it too
        for key in value.split(","):
            Fernet(key)


def test_fernet_keys_that_fernet_accepts_pass():
    from cryptography.fernet import Fernet

    other = base64.urlsafe_b64encode(bytes(range(32, 64))).decode()
    standard = base64.b64encode(bytes([0xFB, 0xFF] * 16)).decode()  # + and /: Fernet takes it
    for value in (Fernet.generate_key().decode(), f"{FERNET},{other}", standard):
        assert _only("AIRFLOW_FERNET_KEY", value) == [], value
        for key in value.split(","):
            Fernet(key)  # the real thing agrees


def test_a_check_limited_to_some_names_looks_at_those_only():
    assert (
        check_deployment_secrets({PSEUDONYM_KEY_ENV: GOOD[PSEUDONYM_KEY_ENV]}, [PSEUDONYM_KEY_ENV])
        == []
    )
    assert len(check_deployment_secrets({})) == len(DEPLOYMENT_SECRETS)


# --- the pipeline's key ---------------------------------------------------------------------------


@pytest.mark.parametrize("value", [None, "", DEV_PSEUDONYM_KEY, "change-me-pseudonym-key", "x" * 8])
def test_outside_demo_mode_the_pipeline_refuses_a_missing_or_public_key(value):
    env = {} if value is None else {PSEUDONYM_KEY_ENV: value}
    with pytest.raises(SecretsError) as raised:
        pseudonym_key(env)
    message = str(raised.value)
    assert PSEUDONYM_KEY_ENV in message and ALLOW_DEV_KEY_ENV in message
    assert "secrets.token_hex(32)" in message  # how to generate one


def test_demo_mode_allows_the_development_key_and_a_real_key_always_passes():
    assert pseudonym_key({ALLOW_DEV_KEY_ENV: "1"}) == DEV_PSEUDONYM_KEY
    assert pseudonym_key({ALLOW_DEV_KEY_ENV: "true", PSEUDONYM_KEY_ENV: "k"}) == "k"
    for off in ("0", "", "no"):
        with pytest.raises(SecretsError):
            pseudonym_key({ALLOW_DEV_KEY_ENV: off})
    real = GOOD[PSEUDONYM_KEY_ENV]
    assert pseudonym_key({PSEUDONYM_KEY_ENV: real}) == real


def test_the_build_and_identity_resolution_refuse_the_development_key(monkeypatch):
    from ingestion.warehouse import identity
    from ingestion.warehouse.build import dbt_env

    monkeypatch.delenv(ALLOW_DEV_KEY_ENV)  # tests/conftest.py switches demo/test mode on
    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    with pytest.raises(SecretsError, match=PSEUDONYM_KEY_ENV):
        dbt_env()
    with pytest.raises(SecretsError, match=PSEUDONYM_KEY_ENV):
        identity.participant_key_for("academy:1")
    monkeypatch.setenv(PSEUDONYM_KEY_ENV, GOOD[PSEUDONYM_KEY_ENV])
    assert dbt_env()[PSEUDONYM_KEY_ENV] == GOOD[PSEUDONYM_KEY_ENV]


def test_in_test_mode_dbt_is_handed_the_development_key_explicitly(monkeypatch):
    from ingestion.warehouse.build import dbt_env

    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    env = dbt_env()
    assert env[PSEUDONYM_KEY_ENV] == DEV_PSEUDONYM_KEY and env[ALLOW_DEV_KEY_ENV] == "1"


# --- capdev check-secrets ---------------------------------------------------------------------


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if k not in GOOD and k != ALLOW_DEV_KEY_ENV}
    return subprocess.run(
        [sys.executable, "-m", "ingestion.secrets", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_command_checks_the_environment():
    done = _run([], GOOD)
    assert done.returncode == 0, done.stderr
    assert f"all {len(GOOD)} deployment secrets are set" in done.stdout
    done = _run([], {**GOOD, "REDIS_PASSWORD": "change-me-redis-password"})
    assert done.returncode == 1
    assert done.stderr.startswith("secret: REDIS_PASSWORD is still the placeholder")
    assert "Traceback" not in done.stderr


def test_the_command_checks_an_env_file(tmp_path):
    env_file = tmp_path / ".env"
    lines = [f"{k}='{v}'" if i % 2 else f"{k}={v}" for i, (k, v) in enumerate(GOOD.items())]
    env_file.write_text("# comment\n\n" + "\n".join(lines) + "\n")
    assert _run(["--env-file", str(env_file)], {}).returncode == 0
    env_file.write_text(env_file.read_text().replace(GOOD["POSTGRES_PASSWORD"], "airflow"))
    done = _run(["--env-file", str(env_file)], GOOD)  # the file, not the environment
    assert done.returncode == 1 and "POSTGRES_PASSWORD is a well-known default" in done.stderr


def test_the_sandbox_commands_switch_demo_mode_on(monkeypatch):
    from sandbox import cli

    monkeypatch.delenv(ALLOW_DEV_KEY_ENV)
    monkeypatch.delenv(PSEUDONYM_KEY_ENV, raising=False)
    with pytest.raises(SecretsError):
        pseudonym_key()
    cli._demo_mode()  # what capdev-sandbox demo / airflow / bench do first
    assert pseudonym_key() == DEV_PSEUDONYM_KEY
