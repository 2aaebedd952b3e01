"""A day of the file drops: a corrected BR workbook re-sent under a new version, a corrected
regional office export re-sent under its own name."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from openpyxl import load_workbook

from ..offices import OFFICES
from ..render_regional import encode
from ..util import save_workbook
from .world import Day, World

VERSION = re.compile(r"^(?P<key>.+?)(?:_v(?P<n>\d+))?$")


def br_day(w: World, day: Day, log: dict[str, int]) -> None:
    """A corrected workbook re-sent: ``<seminar>_v<n+1>.xlsx``, one line gone, a name fixed."""
    rng = day.rng
    folder = w.out / "drops" / "br_seminars"
    latest: dict[str, tuple[int, Path]] = {}
    for path in sorted(folder.glob("*.*")):
        if path.name.endswith(".meta.csv"):
            continue
        m = VERSION.match(path.stem)
        key, n = m["key"], int(m["n"] or 1)
        if key not in latest or n > latest[key][0]:
            latest[key] = (n, path)
    books = sorted((key, n, p) for key, (n, p) in latest.items() if p.suffix == ".xlsx" and n < 9)
    key, n, path = rng.choice(books)
    wb = load_workbook(path)
    ws = wb["Participants"]
    rows = [
        r
        for r in range(1, ws.max_row + 1)
        if isinstance(ws.cell(r, 1).value, int | float) and ws.cell(r, 2).value
    ]
    if len(rows) < 3:
        return
    values = [[ws.cell(r, col).value for col in range(1, 10)] for r in rows]
    gone = rng.randrange(len(values))
    removed = values.pop(gone)
    fix = rng.randrange(len(values))
    record = f"{key}:{int(values[fix][0])}"
    person = w.persons.get(w.person_of("br_seminars", record) or "")
    if person:
        name = person["family_name"]
        values[fix][1] = name.upper() if str(values[fix][1]).isupper() else name
    for r in rows:
        for col in range(1, 10):
            ws.cell(r, col).value = None
    for r, line in zip(rows, values, strict=False):
        for col, value in enumerate(line, start=1):
            ws.cell(r, col).value = value
    save_workbook(wb, folder / f"{key}_v{n + 1}.xlsx", creator="ITU Radiocommunication Bureau")
    w.drop_participation("br_seminars", key, f"{key}:{int(removed[0])}")
    log["br_resent_workbooks"] += 1


def regional_day(w: World, day: Day, log: dict[str, int]) -> None:
    """A corrected export re-sent under its own name: a line removed, a score corrected."""
    rng = day.rng
    root = w.out / "drops" / "regional_offices"
    files = sorted(root.glob("*/*.csv"))
    path = rng.choice(files)
    office = OFFICES[path.parent.name]
    decoding = "utf-16" if office.encoding == "utf-16" else office.encoding
    text = path.read_bytes().decode(decoding)
    lines = list(csv.reader(io.StringIO(text, newline=""), delimiter=office.delimiter))
    header, data = lines[0], [line for line in lines[1:] if line]
    if len(data) < 3:
        return
    activity = f"{office.office}:{path.stem}"
    gone = rng.randrange(len(data))
    data.pop(gone)
    # truth: the line numbers after the removed one move up by one
    w.drop_participation("regional_offices", activity, f"{activity}:{gone + 1}")
    renumber = {f"{activity}:{n}": f"{activity}:{n - 1}" for n in range(gone + 2, len(data) + 2)}
    for p in w.participations:
        if p["platform"] == "regional_offices" and p["source_record_key"] in renumber:
            p["source_record_key"] = renumber[p["source_record_key"]]
    for r in w.records:
        if r["platform"] == "regional_offices" and r["source_record_key"] in renumber:
            r["source_record_key"] = renumber[r["source_record_key"]]
    column = list(office.columns).index("satisfaction")
    fix = rng.randrange(len(data))
    score = rng.randint(1, 5)
    data[fix][column] = str(score)
    p = w.participation("regional_offices", activity, f"{activity}:{fix + 1}")
    if p is not None:
        p["satisfaction_1_5"] = score
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=office.delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(data)
    path.write_bytes(encode(buf.getvalue(), office.encoding))
    log["regional_resent_exports"] += 1
