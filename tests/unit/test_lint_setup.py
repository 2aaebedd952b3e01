"""The repository lints itself: pre-commit hooks that need nothing but the locked environment,
and CI that lints before it tests. Read from the files (pre-commit itself is not locked)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _hooks() -> dict[str, dict]:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [repo["repo"] for repo in config["repos"]] == ["local"]  # no hook repository fetched
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def test_every_hook_runs_a_tool_of_the_locked_environment():
    hooks = _hooks()
    assert {"ruff-check", "ruff-format", "sqlfluff-lint"} <= set(hooks)
    for hook in hooks.values():
        assert re.match(r"^(env (\w+=\S+ )+)?uv run --frozen ", hook["entry"]), hook["id"]


def test_sqlfluff_hook_sees_every_model_and_snapshot_and_nothing_else():
    pattern = re.compile(_hooks()["sqlfluff-lint"]["files"])
    sql = [
        p.relative_to(ROOT).as_posix()
        for folder in ("models", "snapshots")
        for p in (ROOT / "dbt_project" / folder).rglob("*.sql")
    ]
    assert sql and all(pattern.search(path) for path in sql)
    assert not pattern.search("dbt_project/macros/text.sql")
    assert not pattern.search("dbt_project/seeds/countries.csv")


def test_ci_lints_before_it_tests():
    steps = [
        line.strip()
        for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
        if line.strip().startswith("make ")
    ]
    assert steps == ["make lint", "make test"]
