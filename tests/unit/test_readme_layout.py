"""The README's "Layout" section is the tree as it is: every file and folder it names exists
where it says, and every top-level folder, DAG file and module of the pipeline is named."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# a name the layout gives: `cli.py`, `connectors/`, `platforms.yml`, `.ci/run`
NAME = re.compile(r"(?<![\w./<-])(\.?[\w-]+(?:/[\w.-]+)*(?:\.(?:py|yml|json)|/))(?=[\s,:)`]|$)")


def _layout() -> dict[str, str]:
    """The layout block, as its top-level entries (a line starting in column 0) and the text
    under each."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Layout", 1)[1].split("```", 2)[1]
    sections: dict[str, str] = {}
    current = ""
    for line in block.splitlines():
        if line and not line[0].isspace():
            current = line.split()[0]
            sections[current] = line[len(current) :]
        elif current:
            sections[current] += "\n" + line
    return sections


def _tracked_top_level() -> set[str]:
    files = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    return {f.split("/")[0] for f in files if "/" in f}


def test_every_name_in_the_layout_exists_under_its_folder():
    sections = _layout()
    assert "ingestion/" in sections and "dags/" in sections
    missing = []
    for entry, text in sections.items():
        base = ROOT / entry.rstrip("/")
        if entry == "data/" or not base.is_dir():
            assert entry == "data/" or base.exists(), entry  # data/ is made by the first run
            continue
        for name in NAME.findall(text):
            if name.startswith(("http", "capdev")) or "<" in name:
                continue
            if "/" in name.rstrip("/") and (ROOT / name.split("/")[0]).is_dir():
                found = (ROOT / name).exists()  # a path from the root: ingestion/platforms.yml
            else:
                want_dir = name.endswith("/")
                found = (ROOT / name).is_file() or any(  # a root file: docker-compose.yml
                    p.is_dir() == want_dir for p in base.rglob(name.rstrip("/"))
                )
            if not found:
                missing.append(f"{entry} {name}")
    assert missing == []


def test_every_folder_dag_and_pipeline_module_is_in_the_layout():
    sections = _layout()
    top = {entry.split("/")[0] for entry in sections}
    assert sorted(_tracked_top_level() - top) == []
    dags = sorted(p.name for p in (ROOT / "dags").glob("*.py"))
    assert [name for name in dags if name not in sections["dags/"]] == []
    package = ROOT / "ingestion"
    entries = sorted(
        p.name + ("/" if p.is_dir() else "")
        for p in package.iterdir()
        if p.name not in {"__init__.py", "__pycache__"} and p.suffix in {"", ".py", ".yml"}
    )
    text = sections["ingestion/"]
    assert [name for name in entries if not re.search(rf"(?<![\w/]){re.escape(name)}", text)] == []
