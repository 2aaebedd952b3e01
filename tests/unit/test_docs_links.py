"""The repository stands on its own: every relative link in its Markdown resolves inside it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
SKIP = {".git", ".venv", ".tools", "data", "node_modules"}


def _markdown_files() -> list[Path]:
    return [p for p in ROOT.rglob("*.md") if not SKIP & set(p.relative_to(ROOT).parts)]


def test_every_relative_markdown_link_stays_in_the_repository_and_exists():
    files = _markdown_files()
    assert len(files) > 5  # the docs are there to check
    broken = []
    for path in files:
        for target in LINK.findall(path.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a URL or an anchor in the same page
            resolved = (path.parent / target.split("#")[0]).resolve()
            if not resolved.is_relative_to(ROOT) or not resolved.exists():
                broken.append(f"{path.relative_to(ROOT)} → {target}")
    assert broken == []


def test_no_merge_conflict_markers_are_committed():
    import subprocess

    tracked = subprocess.run(
        ["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True
    ).stdout.split(b"\0")
    marker = re.compile(rb"^(<{7}|>{7}) ", re.MULTILINE)
    found = []
    for name in filter(None, tracked):
        path = ROOT / name.decode()
        binary = path.suffix in {".woff2", ".png", ".parquet", ".xlsx"}
        if path.is_file() and not binary and marker.search(path.read_bytes()):
            found.append(name.decode())
    assert found == []
