"""``capdev identity review``: clerical review of identity resolution's uncertain pairs.

1. ``capdev identity review`` writes the pairs of the review band (``private.identity_review_pairs``
   of the build file, never the published warehouse) to a CSV under ``<data>/review/``, readable
   by the pipeline's user only: published record keys, probability, comparison levels, who the
   two records are (names, e-mails, organisations, platform keys) and empty columns for the
   decision (``must_link`` / ``cannot_link``), the reviewer, the date and a note.
2. A reviewer fills in the decisions (any row left without one is skipped).
3. ``capdev identity review --apply FILE`` appends the decided rows to the seed
   ``dbt_project/seeds/identity_decisions.csv``: published keys, decision, reviewer, date, note,
   and nothing personal (a note quoting the row's name, e-mail or platform key is refused: the
   seed is in the repository). The next build applies them.

Decisions whose keys no longer name a record (the last build's ``int_identity_decisions``) are
listed on every run: they are ignored by the build, never fatal.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb

from ingestion import config
from ingestion.publish.scan import EMAIL_REGEX
from ingestion.raw.files import write_bytes_atomic
from ingestion.warehouse.build import DBT_PROJECT_DIR, build_file
from ingestion.warehouse.identity.decisions import DECISIONS

REVIEW_PAIRS = "private.identity_review_pairs"
DECISIONS_MODEL = "intermediate.int_identity_decisions"
SEED_COLUMNS = (
    "participant_record_key_a",
    "participant_record_key_b",
    "decision",
    "reviewer",
    "decided_on",
    "note",
)
#: The columns a reviewer fills in, after the pair's own.
DECISION_COLUMNS = ("decision", "reviewer", "decided_on", "note")
#: The row's personal values a note may not quote.
_PERSONAL_COLUMNS = (
    "full_name_a",
    "full_name_b",
    "email_a",
    "email_b",
    "source_record_key_a",
    "source_record_key_b",
    "account_key_a",
    "account_key_b",
)
_KEY = re.compile(r"^[0-9a-f]{64}$")


def seed_file() -> Path:
    """The seed the reviewed decisions go into (in the repository: no personal value)."""
    return DBT_PROJECT_DIR / "seeds" / "identity_decisions.csv"


def default_review_file(today: date | None = None) -> Path:
    """Where the review CSV goes unless told: ``<data>/review/identity_review_<date>.csv``."""
    return config.review_dir() / f"identity_review_{(today or date.today()).isoformat()}.csv"


def export_review(out: Path, build: Path | None = None) -> int:
    """Write the review band's pairs, from the build file's private tier, to ``out`` (0600, in a
    0700 folder). Returns the number of pairs."""
    build = build or build_file()
    if not build.exists():
        raise FileNotFoundError(f"no build file at {build}: run a build first")
    with duckdb.connect(str(build), read_only=True) as con:
        # most uncertain first: the pairs a reviewer's time is best spent on
        result = con.execute(
            f"select * from {REVIEW_PAIRS} "
            "order by distance_to_threshold, participant_record_key_a, participant_record_key_b"
        )
        columns = [d[0] for d in result.description]
        rows = result.fetchall()
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow([*columns, *DECISION_COLUMNS])
    for row in rows:
        writer.writerow([*("" if v is None else v for v in row), *("" for _ in DECISION_COLUMNS)])
    write_bytes_atomic(text.getvalue().encode("utf-8"), out)
    return len(rows)


def stale_decisions(build: Path | None = None) -> list[tuple[str, str, str]]:
    """Decisions of the last build whose keys name no record: (key a, key b, decision)."""
    build = build or build_file()
    if not build.exists():
        return []
    with duckdb.connect(str(build), read_only=True) as con:
        try:
            return con.execute(
                f"select participant_record_key_a, participant_record_key_b, decision "
                f"from {DECISIONS_MODEL} where not keys_found order by 1, 2"
            ).fetchall()
        except duckdb.CatalogException:  # a build from before decisions existed
            return []


class ReviewError(ValueError):
    """The reviewed CSV cannot be applied (nothing was written to the seed)."""


@dataclass
class Applied:
    """What ``--apply`` did."""

    appended: list[tuple[str, ...]] = field(default_factory=list)
    already: int = 0
    undecided: int = 0


def _quotes_personal_value(note: str, row: dict[str, str]) -> bool:
    """The note quotes one of the row's personal values (a name word, an e-mail, a key)."""
    lowered = note.lower()
    if re.search(EMAIL_REGEX, note):
        return True
    words = set(re.findall(r"\w+", lowered))
    for column in _PERSONAL_COLUMNS:
        value = (row.get(column) or "").strip().lower()
        if not value:
            continue
        if column.startswith("full_name"):
            if any(len(w) >= 3 and w in words for w in re.findall(r"\w+", value)):
                return True
        elif value in lowered:
            return True
    return False


def _decided_rows(
    reviewed: Path, reviewer: str | None, today: date
) -> tuple[list[tuple[str, ...]], int]:
    """The seed rows of a reviewed CSV's decided rows, checked; and the undecided count."""
    rows, undecided, problems = [], 0, []
    with reviewed.open(newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            decision = (row.get("decision") or "").strip().lower().replace("-", "_")
            if not decision:
                undecided += 1
                continue
            key_a = (row.get("participant_record_key_a") or "").strip()
            key_b = (row.get("participant_record_key_b") or "").strip()
            who = (row.get("reviewer") or "").strip() or (reviewer or "")
            when = (row.get("decided_on") or "").strip() or today.isoformat()
            note = (row.get("note") or "").strip()
            if decision not in DECISIONS:
                problems.append(f"line {line}: decision must be one of {', '.join(DECISIONS)}")
            if not (_KEY.match(key_a) and _KEY.match(key_b)) or key_a == key_b:
                problems.append(f"line {line}: two different published record keys are needed")
            if not who:
                problems.append(f"line {line}: no reviewer (fill the column or pass --reviewer)")
            try:
                date.fromisoformat(when)
            except ValueError:
                problems.append(f"line {line}: decided_on is not a date (YYYY-MM-DD)")
            if note and _quotes_personal_value(note, row):
                problems.append(f"line {line}: the note quotes a personal value; reword it")
            rows.append((key_a, key_b, decision, who, when, note))
    if problems:
        raise ReviewError("\n".join(problems))
    return rows, undecided


def apply_review(
    reviewed: Path,
    seed: Path | None = None,
    reviewer: str | None = None,
    today: date | None = None,
) -> Applied:
    """Append the decided rows of a reviewed CSV to the decisions seed (rows already there are
    skipped). All rows are checked first: a problem anywhere raises :class:`ReviewError` and
    nothing is written."""
    seed = seed or seed_file()
    rows, undecided = _decided_rows(reviewed, reviewer, today or date.today())
    with seed.open(newline="", encoding="utf-8") as handle:
        existing = {tuple(r) for r in list(csv.reader(handle))[1:]}
    result = Applied(undecided=undecided)
    for row in rows:
        if row in existing:
            result.already += 1
        else:
            existing.add(row)
            result.appended.append(row)
    if result.appended:
        text = seed.read_text(encoding="utf-8")
        with seed.open("a", newline="", encoding="utf-8") as handle:
            if text and not text.endswith("\n"):
                handle.write("\n")
            csv.writer(handle, lineterminator="\n").writerows(result.appended)
    return result


def main(argv: list[str]) -> int:
    """``capdev identity review [--out FILE] | --apply FILE [--reviewer NAME]``."""
    parser = argparse.ArgumentParser(
        prog="capdev identity review",
        description="Export identity pairs for clerical review, or apply the reviewed decisions.",
    )
    parser.add_argument("--out", type=Path, help="CSV to write (default: <data>/review/...)")
    parser.add_argument("--apply", type=Path, metavar="FILE", help="a reviewed CSV to apply")
    parser.add_argument("--reviewer", help="reviewer for rows that leave the column empty")
    parser.add_argument("--seed", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for key_a, key_b, decision in stale_decisions():
        print(f"stale decision (a key names no record, ignored): {decision} {key_a} {key_b}")
    if args.apply:
        try:
            applied = apply_review(args.apply, seed=args.seed, reviewer=args.reviewer)
        except (ReviewError, FileNotFoundError) as error:
            print(f"capdev identity review: {error}", file=sys.stderr)
            return 1
        print(
            f"{len(applied.appended)} decisions appended to {args.seed or seed_file()} "
            f"({applied.already} already there, {applied.undecided} rows undecided); "
            "the next build applies them"
        )
        return 0
    out = args.out or default_review_file()
    try:
        n = export_review(out)
    except FileNotFoundError as error:
        print(f"capdev identity review: {error}", file=sys.stderr)
        return 1
    print(f"{n} pairs to review written to {out} (private: names and e-mails)")
    return 0
