"""Which files of a file-drop platform's inbox a run lands, which travel with them, which not.

Every file found in an inbox ends with a manifest record: a data file is landed (or rejected),
a companion (a BR metadata sidecar) travels with its data file, and anything else is *ignored*
with the reason, archived and alerted, never skipped in silence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ingestion.connectors import br_workbooks

DATA_SUFFIXES = {
    "br_seminars": (".xlsx", ".xlsm", ".csv"),
    "regional_offices": (".csv", ".txt", ".tsv"),
}
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart")
# The reason given to a file still being written: it stays in the inbox for a later run.
WAITING = "still being written"


@dataclass
class InboxScan:
    """What a run makes of an inbox."""

    drops: list[Path] = field(default_factory=list)  # data files, in processing order
    companions: dict[Path, list[Path]] = field(default_factory=dict)  # drop -> its sidecars
    ignored: list[tuple[Path, str]] = field(default_factory=list)  # (file, why)


def _why_ignored(path: Path, inbox: Path, platform: str) -> str | None:
    """Why a file is not a data file of this platform (None: it is one)."""
    name = path.name
    parts = path.relative_to(inbox).parts
    if name.lower().endswith(PARTIAL_SUFFIXES):
        return f"{WAITING} (a partial download or temporary file); left in the inbox"
    if any(p.startswith(".") for p in parts):
        return "a hidden file"
    if name.startswith("~"):
        return "an office lock file"
    if path.suffix.lower() not in DATA_SUFFIXES[platform]:
        allowed = ", ".join(DATA_SUFFIXES[platform])
        found = path.suffix or "no extension"
        return f"not a data file of {platform} ({found}; expected {allowed})"
    if platform == "regional_offices" and len(parts) != 2:
        return "not in an office folder (<inbox>/<office>/<file>)"
    return None


def scan_inbox(inbox: Path, platform: str) -> InboxScan:
    """Sort every file of an inbox into drops (in a stable order), companions and ignored.

    * ``br_seminars``: ``*.xlsx`` / legacy ``*.csv`` anywhere under the inbox, their metadata
      sidecars as companions; ordered by seminar key, then re-send rank (the original before
      ``_v2`` before ``_v3``), then name, so the latest re-send comes last.
    * ``regional_offices``: ``<inbox>/<office>/*.csv`` (also ``.txt`` / ``.tsv``: Excel's
      "Unicode text"); ordered by office, then file name.
    """
    inbox = Path(inbox)
    if platform not in DATA_SUFFIXES:
        raise ValueError(f"{platform!r} is not a file-drop platform")
    scan = InboxScan()
    if not inbox.is_dir():
        return scan
    sidecars: list[Path] = []
    for path in sorted(p for p in inbox.rglob("*") if p.is_file()):
        reason = _why_ignored(path, inbox, platform)
        if reason is None and platform == "br_seminars" and br_workbooks.is_sidecar(path):
            sidecars.append(path)
        elif reason is None:
            scan.drops.append(path)
        else:
            scan.ignored.append((path, reason))
    stems = {(p.parent, p.stem): p for p in scan.drops}
    for sidecar in sidecars:
        owner = stems.get((sidecar.parent, br_workbooks.sidecar_stem(sidecar)))
        if owner is None:
            scan.ignored.append((sidecar, "a metadata sidecar without its data file"))
        else:
            scan.companions.setdefault(owner, []).append(sidecar)
    if platform == "br_seminars":
        scan.drops.sort(
            key=lambda f: (
                br_workbooks.seminar_key(f),
                br_workbooks.resend_rank(f),
                str(f.relative_to(inbox)),
            )
        )
    else:
        scan.drops.sort(key=lambda f: (f.parent.name, f.name))
    return scan


def list_drops(inbox: Path, platform: str) -> list[Path]:
    """The data files a run lands, in processing order (see :func:`scan_inbox`)."""
    return scan_inbox(inbox, platform).drops
