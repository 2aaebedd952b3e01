"""Which dropped files a file-drop platform's run processes, in a stable order."""

from __future__ import annotations

from pathlib import Path

from ingestion.connectors import br_workbooks

DATA_SUFFIXES = {
    "br_seminars": (".xlsx", ".xlsm", ".csv"),
    "regional_offices": (".csv", ".txt", ".tsv"),
}
PARTIAL_SUFFIXES = (".part", ".partial", ".tmp", ".temp", ".crdownload", ".download", ".filepart")


def is_ignored(path: Path) -> bool:
    """Hidden files, office lock files (``~$x.xlsx``) and files still being written."""
    name = path.name
    lowered = name.lower()
    return name.startswith((".", "~")) or lowered.endswith(PARTIAL_SUFFIXES)


def list_drops(inbox: Path, platform: str) -> list[Path]:
    """The dropped files to process, in a stable order.

    * ``br_seminars``: ``*.xlsx`` / legacy ``*.csv`` anywhere under the inbox, without metadata
      sidecars (they are read with their CSV); ordered by seminar key, then re-send rank (the
      original before ``_v2`` before ``_v3``), then name, so the latest re-send comes last.
    * ``regional_offices``: ``<inbox>/<office>/*.csv`` (also ``.txt`` / ``.tsv``: Excel's
      "Unicode text"); ordered by office, then file name.

    Hidden, lock and partial files are ignored; so is anything that is not a data file.
    """
    inbox = Path(inbox)
    if platform not in DATA_SUFFIXES:
        raise ValueError(f"{platform!r} is not a file-drop platform")
    if not inbox.is_dir():
        return []
    suffixes = DATA_SUFFIXES[platform]
    if platform == "regional_offices":
        files = [
            f
            for office in inbox.iterdir()
            if office.is_dir() and not office.name.startswith(".")
            for f in office.iterdir()
        ]
    else:
        files = list(inbox.rglob("*"))
    found = [
        f
        for f in files
        if f.is_file()
        and f.suffix.lower() in suffixes
        and not is_ignored(f)
        and not any(p.startswith(".") for p in f.relative_to(inbox).parts)
    ]
    if platform == "br_seminars":
        found = [f for f in found if not br_workbooks.is_sidecar(f)]
        return sorted(
            found,
            key=lambda f: (
                br_workbooks.seminar_key(f),
                br_workbooks.resend_rank(f),
                str(f.relative_to(inbox)),
            ),
        )
    return sorted(found, key=lambda f: (f.parent.name, f.name))
