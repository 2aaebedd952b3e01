"""The repository stands on its own: every link in its Markdown (inline links and images,
reference definitions, HTML ``href``/``src``) resolves inside it, anchors included, and none
leaves it for another site."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP = {".git", ".venv", ".tools", "data", "node_modules", "target", ".pytest_cache"}
# [text](target "title") and ![alt](target); [label]: target; <a href="..."> and <img src="...">
INLINE = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.MULTILINE)
HTML = re.compile(r"<(?:a|img)\b[^>]*\b(?:href|src)=[\"']([^\"']+)[\"']", re.IGNORECASE)
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`[^`\n]*`")
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)
EXPLICIT_ANCHOR = re.compile(r"<a\s+(?:name|id)=[\"']([^\"']+)[\"']", re.IGNORECASE)
# a link may name the machine it runs on (the UIs the project starts), never another site
LOCAL_HOSTS = re.compile(r"^https?://(localhost|127\.0\.0\.1)(:\d+)?(/|$)")


def _markdown_files() -> list[Path]:
    return sorted(p for p in ROOT.rglob("*.md") if not SKIP & set(p.relative_to(ROOT).parts))


def _prose(path: Path) -> str:
    """The text without code blocks and code spans (a link there is an example, not a link)."""
    return CODE_SPAN.sub("", FENCE.sub("", path.read_text(encoding="utf-8")))


def _links(path: Path) -> list[str]:
    text = _prose(path)
    return INLINE.findall(text) + REFERENCE.findall(text) + HTML.findall(text)


def _slug(heading: str) -> str:
    """GitHub's anchor of a heading: link markup dropped, lower case, punctuation other than
    '-' and '_' removed, spaces as '-'."""
    text = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", heading).lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    """Every anchor a page offers (repeated headings get -1, -2... as on GitHub)."""
    anchors: set[str] = set()
    for heading in HEADING.findall(_prose(path)):
        slug, n = _slug(heading), 0
        while (slug if n == 0 else f"{slug}-{n}") in anchors:
            n += 1
        anchors.add(slug if n == 0 else f"{slug}-{n}")
    return anchors | set(EXPLICIT_ANCHOR.findall(path.read_text(encoding="utf-8")))


def _problem(page: Path, target: str, root: Path = ROOT) -> str | None:
    """Why a link of a page under ``root`` is broken, or None."""
    if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE):
        return None if LOCAL_HOSTS.match(target) else "points outside the repository"
    file_part, _, anchor = target.partition("#")
    resolved = (page.parent / file_part).resolve() if file_part else page
    if not resolved.is_relative_to(root):
        return "points outside the repository"
    if not resolved.exists():
        return "no such file"
    if anchor and resolved.suffix == ".md" and anchor not in _anchors(resolved):
        return f"no heading #{anchor} in {resolved.relative_to(root)}"
    return None


def test_every_markdown_link_stays_in_the_repository_and_resolves():
    files = _markdown_files()
    assert len(files) > 5  # the docs are there to check
    links = [(path, target) for path in files for target in _links(path)]
    assert len(links) > 20  # and the parser finds their links
    broken = [
        f"{path.relative_to(ROOT)} → {target}: {problem}"
        for path, target in links
        if (problem := _problem(path, target))
    ]
    assert broken == []


def test_the_link_checker_sees_images_anchors_and_escapes(tmp_path: Path):
    """The checker itself: an image, a reference definition, an HTML link and anchors are read;
    a link out of the tree, to another site, to a missing file or heading is refused."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "shot.png").write_bytes(b"")
    (root / "docs" / "runbook.md").write_text("# Runbook\n\n## Backfill\n", encoding="utf-8")
    page = root / "docs" / "page.md"
    page.write_text(
        "# A page\n\n## Second part\n\n"
        "![shot](shot.png) [ok](#second-part) [here](#a-page)\n"
        "[ref]: runbook.md#backfill\n"
        '<img src="nowhere.png"> [out](../../elsewhere/mission.md) [web](https://example.org/)\n'
        "[gone](#no-such-part) [ui](http://127.0.0.1:8088/) `[code](not-a-link.md)`\n",
        encoding="utf-8",
    )
    found = {target: _problem(page, target, root) for target in _links(page)}
    assert found == {
        "shot.png": None,
        "#second-part": None,
        "#a-page": None,
        "runbook.md#backfill": None,
        "nowhere.png": "no such file",
        "../../elsewhere/mission.md": "points outside the repository",
        "https://example.org/": "points outside the repository",
        "#no-such-part": "no heading #no-such-part in docs/page.md",
        "http://127.0.0.1:8088/": None,
    }


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
