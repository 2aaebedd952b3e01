"""Every tunable of the dbt project is a declared var, with its comment, in one place.

A ``var('name', default)`` in a model keeps a number out of ``dbt_project.yml``: the Python
that reads the same var there (``config.dbt_var``) would not see it, and a reader looking for
the project's knobs would not find it (issue 19).
"""

from __future__ import annotations

import re

import yaml

from ingestion import config

DBT = config.PROJECT_ROOT / "dbt_project"
# var('name') or var("name", ...): the name and whether a default follows it
VAR_CALL = re.compile(r"""\bvar\(\s*['"](\w+)['"]\s*(,)?""")


def _var_calls() -> list[tuple[str, str, bool]]:
    calls = []
    for path in sorted([*DBT.glob("models/**/*.sql"), *DBT.glob("macros/**/*.sql")]):
        for match in VAR_CALL.finditer(path.read_text(encoding="utf-8")):
            calls.append((str(path.relative_to(DBT)), match.group(1), bool(match.group(2))))
    return calls


def test_models_read_only_declared_vars_without_defaults():
    declared = yaml.safe_load((DBT / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]
    calls = _var_calls()
    assert calls, "no var() found: the pattern no longer matches the models"
    undeclared = sorted({f"{where}: {name}" for where, name, _ in calls if name not in declared})
    defaulted = sorted({f"{where}: {name}" for where, name, default in calls if default})
    assert undeclared == [], "declare these vars in dbt_project.yml"
    assert defaulted == [], "the default belongs in dbt_project.yml, not in the model"


def test_every_declared_var_has_a_comment():
    lines = (DBT / "dbt_project.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("vars:")
    uncommented = []
    for i in range(start + 1, len(lines)):
        line = lines[i]
        if line and not line.startswith(" "):
            break  # the end of the vars block
        key = re.match(r"^  (\w+):", line)
        if not key:
            continue
        # the comment is the line(s) just above, or above the previous var of a group
        j = i - 1
        while j > start and re.match(r"^  \w+:", lines[j]):
            j -= 1
        if not lines[j].strip().startswith("#"):
            uncommented.append(key.group(1))
    assert uncommented == [], "say in a comment what each var is for"
