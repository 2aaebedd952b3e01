"""BR seminar drops: one workbook per seminar (legacy years: a cp1252 ';' CSV), re-sent
corrected versions included."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import geo
from .activity import Activity
from .population import Person
from .records import RecordMaker, typo
from .util import cp1252_safe, rng_for, save_workbook

LEGACY_LAST_YEAR = 2019
HEADERS = [
    "N°",
    "Nom / Name",
    "Prénom / First name",
    "Pays / Country",
    "Administration / Organization",
    "E-mail",
    "Sexe / Gender",
    "Examen (/20)",
    "Certificat",
]
SEMINAR_KEYS = ["Seminar / Séminaire", "Type", "Dates", "Venue / Lieu", "Region / Région"]
TITLE_ROWS = [
    "UNION INTERNATIONALE DES TÉLÉCOMMUNICATIONS / INTERNATIONAL TELECOMMUNICATION UNION",
    "Bureau des radiocommunications / Radiocommunication Bureau",
    "Liste des participants / List of participants",
]
MONTHS_EN = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
MONTHS_FR = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]


def dates_text(style: int, s: date, e: date) -> str:
    """Free-text seminar dates: '14-18 March 2024', '14/03/2024 - 18/03/2024',
    'du 14 au 18 mars 2024' (and cross-month forms)."""
    if style == 1:
        return f"{s:%d/%m/%Y} - {e:%d/%m/%Y}"
    if style == 0:
        if s.month == e.month and s.year == e.year:
            return f"{s.day}-{e.day} {MONTHS_EN[s.month - 1]} {s.year}"
        if s.year == e.year:
            return f"{s.day} {MONTHS_EN[s.month - 1]} - {e.day} {MONTHS_EN[e.month - 1]} {e.year}"
        return (
            f"{s.day} {MONTHS_EN[s.month - 1]} {s.year} - {e.day} {MONTHS_EN[e.month - 1]} {e.year}"
        )
    if s.month == e.month and s.year == e.year:
        return f"du {s.day} au {e.day} {MONTHS_FR[s.month - 1]} {s.year}"
    if s.year == e.year:
        return f"du {s.day} {MONTHS_FR[s.month - 1]} au {e.day} {MONTHS_FR[e.month - 1]} {e.year}"
    return (
        f"du {s.day} {MONTHS_FR[s.month - 1]} {s.year} au {e.day} {MONTHS_FR[e.month - 1]} {e.year}"
    )


def _region_cell(rng, region: str | None) -> str:
    if region is None:
        return rng.choice(("World / Monde", "Global", "Mondial"))
    fr = geo.REGION_NAMES_FR[region]
    return rng.choice((f"{region} / {fr}", f"{region} / {fr}", region, fr))


def _meta(rng, a: Activity) -> list[tuple[str, str]]:
    c = geo.COUNTRIES[a.country]
    fr_city = geo.city_label(a.city, "fr")
    venue = f"{a.city}, {c.en}" if rng.random() < 0.5 else f"{fr_city}, {c.fr}"
    kind = "WRS" if a.extra["kind"] == "WRS" else f"RRS-{geo.REGION_CODES[a.region]}"
    style = rng.choice((0, 0, 1, 2)) if a.language != "fr" else rng.choice((1, 2, 2))
    return [
        ("Seminar / Séminaire", a.title),
        ("Type", kind),
        ("Dates", dates_text(style, a.start, a.end)),
        ("Venue / Lieu", venue),
        ("Region / Région", _region_cell(rng, a.region)),
    ]


def _write_xlsx(path: Path, meta, rows, layout: int) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "Seminar"
    for k, v in meta:
        ws.append([k, v])
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 80
    ps = wb.create_sheet("Participants")
    ncol = len(HEADERS)
    bold = Font(bold=True)
    n_titles = layout  # 1, 2 or 3 title rows (layout 3 also has a two-row header)
    titles = TITLE_ROWS[: n_titles - 1] + [f"{TITLE_ROWS[2]} – {meta[0][1]}"]
    for i, text in enumerate(titles):
        ps.cell(row=i + 1, column=1, value=text).font = bold
        ps.merge_cells(start_row=i + 1, start_column=1, end_row=i + 1, end_column=ncol)
    hr = n_titles + 1
    if layout == 3:  # two-row header with merged group labels
        single = {
            1: "N°",
            4: "Pays / Country",
            5: "Administration / Organization",
            6: "E-mail",
            7: "Sexe / Gender",
        }
        for col, text in single.items():
            ps.cell(row=hr, column=col, value=text).font = bold
            ps.merge_cells(start_row=hr, start_column=col, end_row=hr + 1, end_column=col)
        ps.cell(row=hr, column=2, value="Participant").font = bold
        ps.merge_cells(start_row=hr, start_column=2, end_row=hr, end_column=3)
        ps.cell(row=hr, column=8, value="Résultats / Results").font = bold
        ps.merge_cells(start_row=hr, start_column=8, end_row=hr, end_column=9)
        for col, text in ((2, HEADERS[1]), (3, HEADERS[2]), (8, HEADERS[7]), (9, HEADERS[8])):
            ps.cell(row=hr + 1, column=col, value=text).font = bold
        first = hr + 2
    else:
        for col, text in enumerate(HEADERS, start=1):
            c = ps.cell(row=hr, column=col, value=text)
            c.font = bold
            c.alignment = Alignment(wrap_text=True)
        first = hr + 1
    for i, row in enumerate(rows):
        for col, v in enumerate(row, start=1):
            ps.cell(row=first + i, column=col, value=v)
    save_workbook(wb, path, creator="ITU Radiocommunication Bureau")


SIDECAR_SUFFIX = ".meta.csv"


def _csv_bytes(rows) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    for row in rows:
        out = []
        for v in row:
            if isinstance(v, float):
                v = f"{v:g}".replace(".", ",")  # French decimal comma
            out.append("" if v is None else str(v))
        w.writerow(out)
    return cp1252_safe(buf.getvalue()).encode("cp1252")


def _write_csv(path: Path, meta, rows) -> Path:
    """Legacy drop: the participant list (header first) and, next to it, a sidecar
    ``<stem>.meta.csv`` with the Seminar sheet's key;value rows (cp1252, ';')."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_csv_bytes([HEADERS, *rows]))
    sidecar = path.with_name(path.stem + SIDECAR_SUFFIX)
    sidecar.write_bytes(_csv_bytes([list(kv) for kv in meta]))
    return sidecar


def render(seed: int, out: Path, activities: list[Activity], people: list[Person]) -> dict:
    rng = rng_for(seed, "render:br")
    maker = RecordMaker(seed, "br_seminars")
    base = out / "drops" / "br_seminars"
    base.mkdir(parents=True, exist_ok=True)
    seminars = sorted(activities, key=lambda a: a.source_key)
    n_resend = max(1, round(0.08 * len(seminars)))
    resend = set(rng.sample(range(len(seminars)), min(n_resend, len(seminars))))
    records, participations = [], []
    files = xlsx_files = csv_files = sidecars = rows_all = rows_latest = 0
    for i, a in enumerate(seminars):
        legacy = a.start.year <= LEGACY_LAST_YEAR
        meta = _meta(rng, a)
        fr_countries = rng.random() < (0.6 if a.language == "fr" else 0.35)
        upper = rng.random() < 0.6
        mf = rng.random() < 0.5  # M/F instead of H/F
        yes_no = rng.random() < 0.4
        layout = rng.choice((1, 2, 3))
        entries = []
        for pid in a.participants:
            person = people[pid]
            rv = maker.make(person)
            absent = rng.random() < 0.08
            exam = None if absent else max(0.0, min(20.0, round(rng.gauss(13, 3) * 2) / 2))
            passed = exam is not None and exam >= 10
            cert = passed and rng.random() < 0.97
            if rv.country is None:
                country = ""
            else:
                country = geo.country_label(rv.country, "fr" if fr_countries else "en", rng, 0.12)
            org = rv.org.acronym if rng.random() < 0.4 else rv.org.name
            g = {"F": "F", "M": "M" if mf else "H", "X": "X", None: ""}[rv.gender]
            entries.append(
                {
                    "person": person,
                    "family": rv.family.upper() if upper else rv.family,
                    "given": rv.given,
                    "country": country,
                    "org": org,
                    "email": rv.email or "",
                    "gender": g,
                    "exam": "ABS" if exam is None else (int(exam) if exam == int(exam) else exam),
                    "cert": ("Yes" if cert else "No") if yes_no else ("Oui" if cert else "Non"),
                    "truth": (exam, passed, cert),
                }
            )
        if rng.random() < 0.5:
            entries.sort(key=lambda e: (e["country"], e["family"], e["given"]))
        versions = [entries]
        if i in resend:
            # earlier, faulty versions: late registrations missing, typos, exam not yet entered
            n_versions = 3 if rng.random() < 0.15 else 2
            prev = entries
            for _ in range(n_versions - 1):
                drop = set(rng.sample(range(len(prev)), k=min(len(prev) - 1, rng.randint(1, 3))))
                faulty = []
                for j, e in enumerate(prev):
                    if j in drop:
                        continue
                    e2 = dict(e)
                    if rng.random() < 0.05:
                        e2["family"] = typo(rng, e2["family"])
                    if rng.random() < 0.05:
                        e2["exam"] = "ABS"
                    faulty.append(e2)
                versions.insert(0, faulty)
                prev = faulty
        ext = "csv" if legacy else "xlsx"
        for v, entries_v in enumerate(versions, start=1):
            rows = [
                [
                    n,
                    e["family"],
                    e["given"],
                    e["country"],
                    e["org"],
                    e["email"],
                    e["gender"],
                    e["exam"],
                    e["cert"],
                ]
                for n, e in enumerate(entries_v, start=1)
            ]
            stem = a.source_key if v == 1 else f"{a.source_key}_v{v}"
            path = base / f"{stem}.{ext}"
            if legacy:
                _write_csv(path, meta, rows)
                csv_files += 1
                sidecars += 1
            else:
                _write_xlsx(path, meta, rows, layout)
                xlsx_files += 1
            files += 1
            rows_all += len(rows)
        latest = versions[-1]
        rows_latest += len(latest)
        for n, e in enumerate(latest, start=1):
            key = f"{a.source_key}:{n}"
            person = e["person"]
            exam, passed, cert = e["truth"]
            records.append(
                {"platform": "br_seminars", "source_record_key": key, "person_id": person.person_id}
            )
            participations.append(
                {
                    "platform": "br_seminars",
                    "source_activity_key": a.source_key,
                    "source_record_key": key,
                    "person_id": person.person_id,
                    "registered": True,
                    "attended": True,
                    "completed": None,
                    "passed": passed,
                    "certified": cert,
                    "score_0_100": None if exam is None else round(exam * 5, 2),
                    "satisfaction_1_5": None,
                }
            )
    counts = {
        "activities": len(seminars),
        "participant_records": len(records),
        "participations": len(participations),
        "files": files,
        "xlsx_files": xlsx_files,
        "csv_files": csv_files,
        "sidecar_files": sidecars,
        "seminars": len(seminars),
        "resent_seminars": len(resend),
        "participants_rows_all_files": rows_all,
        "participants_rows_latest": rows_latest,
    }
    return {"records": records, "participations": participations, "counts": counts}
