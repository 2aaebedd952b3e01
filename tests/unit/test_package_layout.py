"""The pipeline package's shape: stages that never reach back, no Airflow, no sandbox.

Read from the source with :mod:`ast` (nothing is imported), so a test fails on the line that
breaks a rule rather than on a side effect of importing it.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ingestion"


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; ``from x import y`` counts ``x`` and
    ``x.y``, so importing a submodule by ``from package import module`` is seen)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _graph() -> dict[str, set[str]]:
    """Module → the project modules it imports. A package's ``__init__`` re-exporting its own
    submodules is not an edge between modules (importing a submodule always runs it)."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {
            i
            for i in _imports(path)
            if i in modules
            and i != name
            and not i.startswith(f"{name}.")
            and not name.startswith(f"{i}.")
        }
        for name, path in modules.items()
    }


def test_the_pipeline_never_imports_airflow_or_the_sandbox():
    offenders = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in PACKAGE.rglob("*.py")
        for name in _imports(path)
        if name.split(".")[0] in ("airflow", "sandbox")
    ]
    assert offenders == []


def test_no_import_cycle_between_the_pipeline_modules():
    graph = _graph()
    assert "ingestion.raw.ingest" in graph and graph["ingestion.raw.ingest"]  # the graph is real
    cycles: list[list[str]] = []

    def visit(node: str, path: list[str]) -> None:
        for nxt in sorted(graph[node]):
            if nxt in path:
                cycles.append([*path[path.index(nxt) :], nxt])
            elif len(path) < 12:
                visit(nxt, [*path, nxt])

    for start in sorted(graph):
        visit(start, [start])
    assert cycles == []


def test_stages_do_not_reach_forward_into_later_stages():
    """connectors → raw → warehouse → publish: an earlier stage never imports a later one."""
    order = ["connectors", "raw", "warehouse", "publish"]
    offenders = []
    for name, targets in _graph().items():
        stage = name.split(".")[1] if name.count(".") >= 1 else ""
        if stage not in order:
            continue
        for target in targets:
            other = target.split(".")[1] if target.count(".") else ""
            if other in order and order.index(other) > order.index(stage):
                offenders.append(f"{name} → {target}")
    assert offenders == []


def test_the_wheel_ships_only_the_pipeline():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["tool"]["hatch"]["build"]["targets"]["wheel"]["packages"] == ["ingestion"]


def test_only_the_batch_module_writes_manifest_records():
    """One owner for a batch's state: ingestion/raw/batch/transitions.py is the only caller of
    write_record."""
    callers = sorted(
        str(path.relative_to(ROOT))
        for path in PACKAGE.rglob("*.py")
        if any(
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "write_record"
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        )
    )
    assert callers == ["ingestion/raw/batch/transitions.py"]
