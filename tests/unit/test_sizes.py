"""Sizes a reader can hold in mind: every Python module of the product at most 400 lines, every
function at most 80 (the sandbox generator's functions excepted: each renders one platform's
whole wire format), and every dbt model at most 150 lines. A file past its limit is named with
its size, so the fix starts from the test's message.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = ("ingestion", "dags", "sandbox", "dashboards")
MODULE_LINES = 400
FUNCTION_LINES = 80
MODEL_LINES = 150
# rendering a platform's wire format in one function reads better than in pieces
FUNCTIONS_EXEMPT = ROOT / "sandbox" / "generator"


def _python_files() -> list[Path]:
    return sorted(
        path
        for folder in PYTHON
        for path in (ROOT / folder).rglob("*.py")
        if not any(part.startswith(".") or part == "node_modules" for part in path.parts)
    )


def _lines(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def test_every_python_module_is_at_most_400_lines():
    files = _python_files()
    assert len(files) > 50  # the product's modules were found
    over = {str(p.relative_to(ROOT)): n for p in files if (n := _lines(p)) > MODULE_LINES}
    assert over == {}


def test_every_function_is_at_most_80_lines():
    over = {}
    for path in _python_files():
        if path.is_relative_to(FUNCTIONS_EXEMPT):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                size = node.end_lineno - node.lineno + 1
                if size > FUNCTION_LINES:
                    over[f"{path.relative_to(ROOT)}:{node.lineno} {node.name}"] = size
    assert over == {}


def test_every_dbt_model_is_at_most_150_lines():
    models = sorted((ROOT / "dbt_project" / "models").rglob("*.sql"))
    assert len(models) > 40
    over = {str(p.relative_to(ROOT)): n for p in models if (n := _lines(p)) > MODEL_LINES}
    assert over == {}
