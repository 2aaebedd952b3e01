"""BR seminar workbooks: real .xlsx files (openpyxl) and legacy cp1252 CSVs written in tmp_path."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from connector_helpers import LINEAGE, columns_of
from openpyxl import Workbook

from ingestion.connectors import FILE_READERS, br_workbooks, list_drops
from ingestion.connectors.base import PlatformError

SEMINAR_COLUMNS = set(br_workbooks.SEMINAR_COLUMNS)
PARTICIPANT_COLUMNS = set(br_workbooks.PARTICIPANT_COLUMNS)

PEOPLE = [
    (1, "DUPONT", "Marie", "France", "ANFR", "marie.dupont@anfr.fr", "F", 15.5, "Oui"),
    (2, "Ivanov", "Sergey", "Russian Federation", "GRFC", "s.ivanov@grfc.ru", "M", "ABS", "Non"),
    (3, "Ali", "Mohamed", "Égypte", "NTRA", None, "H", 12, "Oui"),
]


def seminar_sheet(wb: Workbook, title: str = "Seminar") -> None:
    ws = wb.create_sheet(title)
    rows = [
        ("Seminar / Séminaire", "World Radiocommunication Seminar 2024"),
        ("Type", "WRS"),
        ("Dates", "14-18 March 2024"),
        ("Venue / Lieu", "Geneva"),
        ("Region / Région", "World"),
    ]
    for i, (key, value) in enumerate(rows, start=1):
        ws.cell(i, 1, key)
        ws.cell(i, 2, value)
        ws.merge_cells(start_row=i, start_column=2, end_row=i, end_column=4)


def merged_header_workbook(path: Path) -> Path:
    """Two title rows, a blank row, then a two-row header with merged cells."""
    wb = Workbook()
    wb.remove(wb.active)
    seminar_sheet(wb)
    ws = wb.create_sheet("Participants")
    ws["A1"] = "Séminaire mondial des radiocommunications 2024 / World Radiocommunication Seminar"
    ws.merge_cells("A1:I1")
    ws["A2"] = "Liste des participants / List of participants"
    ws.merge_cells("A2:I2")
    single = {
        "A": "N°",
        "D": "Pays / Country",
        "E": "Administration / Organization",
        "F": "E-mail",
        "G": "Sexe / Gender",
        "H": "Examen (/20)",
        "I": "Certificat",
    }
    for col, label in single.items():
        ws[f"{col}4"] = label
        ws.merge_cells(f"{col}4:{col}5")
    ws["B4"] = "Participant"
    ws.merge_cells("B4:C4")
    ws["B5"] = "Nom / Name"
    ws["C5"] = "Prénom / First name"
    for r, person in enumerate(PEOPLE, start=6):
        for c, value in enumerate(person, start=1):
            ws.cell(r, c, value)
    ws.cell(9, 1, 4)  # an unused, pre-numbered template line
    ws.cell(10, 1, 5)
    wb.save(path)
    return path


def bilingual_rows_workbook(path: Path) -> Path:
    """A French label row above an English one (not merged), sheet names in French."""
    wb = Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("Participants")
    ws["A1"] = "Séminaire régional des radiocommunications (RRS-Afrique)"
    french = ["N°", "Nom", "Prénom", "Pays", "Administration"]
    french += ["Courriel", "Sexe", "Examen", "Certificat"]
    english = "No.|Name|First name|Country|Organization|E-mail|Gender|Exam (/20)|Certificate"
    english = english.split("|")
    ws.append(french)
    ws.append(english)
    for person in PEOPLE:
        ws.append(list(person))
    ws.append(["Total: 3 participants"])  # a footer note in the N° column
    sem = wb.create_sheet("Séminaire")
    sem.append(["Séminaire", "Séminaire régional des radiocommunications pour l'Afrique"])
    sem.append(["Type", "RRS-Africa"])
    sem.append(["Dates", "du 14 au 18 mars 2024"])
    sem.append(["Lieu", "Dakar"])
    sem.append(["Région", "Afrique"])
    wb.save(path)
    return path


def test_registry():
    assert FILE_READERS["br_seminars"] is br_workbooks.read_drop


def test_merged_bilingual_header_below_title_rows(tmp_path):
    path = merged_header_workbook(tmp_path / "WRS-2024-Geneva.xlsx")
    seminars, participants = br_workbooks.read_drop(path)
    assert seminars.entity == "seminars" and participants.entity == "participants"
    [seminar] = seminars.records
    assert columns_of(seminars.records) == SEMINAR_COLUMNS | LINEAGE
    assert seminar == {
        "seminar_key": "WRS-2024-Geneva",
        "source_file": "WRS-2024-Geneva.xlsx",
        "seminar": "World Radiocommunication Seminar 2024",
        "type": "WRS",
        "dates": "14-18 March 2024",
        "venue": "Geneva",
        "region": "World",
        "_source": "WRS-2024-Geneva.xlsx",
        "_row_number": 1,
        "_parse_error": None,
    }
    records = participants.records
    assert columns_of(records) == PARTICIPANT_COLUMNS | LINEAGE
    assert len(records) == 3  # the pre-numbered empty lines are not participants
    first, second, third = records
    assert first["no"] == "1" and first["last_name"] == "DUPONT" and first["first_name"] == "Marie"
    assert first["exam"] == "15.5" and first["certificate"] == "Oui" and first["gender"] == "F"
    assert first["organization"] == "ANFR" and first["email"] == "marie.dupont@anfr.fr"
    assert second["exam"] == "ABS" and second["country"] == "Russian Federation"
    assert third["exam"] == "12" and third["email"] is None and third["country"] == "Égypte"
    assert [r["_row_number"] for r in records] == [1, 2, 3]
    assert {r["seminar_key"] for r in records} == {"WRS-2024-Geneva"}
    assert all(r["_parse_error"] is None for r in records)
    assert participants.pages == [] and seminars.pages == []


def test_french_row_above_english_row(tmp_path):
    path = bilingual_rows_workbook(tmp_path / "RRS-2024-AFR.xlsx")
    seminars, participants = br_workbooks.read_drop(path)
    [seminar] = seminars.records
    assert seminar["type"] == "RRS-Africa" and seminar["venue"] == "Dakar"
    assert seminar["dates"] == "du 14 au 18 mars 2024" and seminar["region"] == "Afrique"
    names = [(r["last_name"], r["first_name"]) for r in participants.records]
    # the English label row is not a participant; the footer note is kept for validation
    assert names[:3] == [("DUPONT", "Marie"), ("Ivanov", "Sergey"), ("Ali", "Mohamed")]
    assert len(names) == 4 and participants.records[3]["no"] == "Total: 3 participants"


def test_cell_text():
    assert br_workbooks.cell_text(15.0) == "15"
    assert br_workbooks.cell_text(14.25) == "14.25"
    assert br_workbooks.cell_text(datetime(2024, 3, 14)) == "2024-03-14"
    assert br_workbooks.cell_text("  ") is None
    assert br_workbooks.cell_text(None) is None


def test_label_matching():
    labels = br_workbooks.load_config().columns
    assert br_workbooks.match_label("Nom / Name", labels) == "last_name"
    assert br_workbooks.match_label("NOM", labels) == "last_name"
    assert br_workbooks.match_label("Prénom\nFirst name", labels) == "first_name"
    assert br_workbooks.match_label("Examen (/20)", labels) == "exam"
    assert br_workbooks.match_label("Nº", labels) == "no"
    assert br_workbooks.match_label("e-mail", labels) == "email"
    assert br_workbooks.match_label("Participant", labels) is None


@pytest.mark.parametrize(
    ("stem", "key", "rank"),
    [
        ("WRS-2024-Geneva", "WRS-2024-Geneva", 0),
        ("WRS-2024-Geneva_v2", "WRS-2024-Geneva", 2),
        ("WRS-2024-Geneva-v3", "WRS-2024-Geneva", 3),
        ("WRS-2024-Geneva (2)", "WRS-2024-Geneva", 2),
        ("WRS-2024-Geneva_resent", "WRS-2024-Geneva", 1),
        ("WRS-2024-Geneva_v2_corrected", "WRS-2024-Geneva", 2),
        ("RRS-2019-AMS_rev2", "RRS-2019-AMS", 2),
        ("RRS-2022-v2", "RRS-2022", 2),
    ],
)
def test_resend_suffix_rule(stem, key, rank):
    assert br_workbooks.split_resend(stem) == (key, rank)


def legacy_csv(path: Path, *, sidecar: bool = True, title_metadata: bool = False) -> Path:
    lines = []
    if title_metadata:
        lines += ["Type;RRS-Americas", "Dates;14/03/2016 - 18/03/2016", ""]
    lines += [
        "Liste des participants;;;;;;;;",
        "N°;Nom / Name;Prénom / First name;Pays / Country;Administration / Organization;"
        "E-mail;Sexe / Gender;Examen (/20);Certificat",
        "1;Núñez;José;Perú;MTC;jose@mtc.gob.pe;H;14;Oui",
        "2;Lefèvre;Zoë;Côte d'Ivoire;ARTCI;zoe@artci.ci;F;ABS;Non",
        "3;Short;Row;Chile",
        "4;Müller;Jürgen;Allemagne;BNetzA;j@bnetza.de;H;17,5;Oui",
    ]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    if sidecar:
        meta = [
            "Seminar / Séminaire;Séminaire régional des radiocommunications pour les Amériques",
            "Type;RRS-Americas",
            "Dates;14/03/2016 - 18/03/2016",
            "Venue / Lieu;Lima",
            "Region / Région;Americas",
        ]
        side = path.with_name(path.stem + ".meta.csv")
        side.write_bytes(("\r\n".join(meta) + "\r\n").encode("cp1252"))
    return path


def test_legacy_csv_with_sidecar(tmp_path):
    path = legacy_csv(tmp_path / "RRS-2016-AMS.csv")
    seminars, participants = br_workbooks.read_drop(path)
    [seminar] = seminars.records
    assert seminar["seminar"] == "Séminaire régional des radiocommunications pour les Amériques"
    assert seminar["venue"] == "Lima" and seminar["seminar_key"] == "RRS-2016-AMS"
    assert seminar["source_file"] == "RRS-2016-AMS.csv"
    # the sidecar travels as a raw page so landing archives it with the drop
    [page] = seminars.pages
    assert page.name == "RRS-2016-AMS.meta.csv"
    assert page.content == (tmp_path / "RRS-2016-AMS.meta.csv").read_bytes()
    records = participants.records
    assert [r["last_name"] for r in records] == ["Núñez", "Lefèvre", "Short", "Müller"]
    assert records[0]["country"] == "Perú" and records[3]["exam"] == "17,5"
    assert [r["_row_number"] for r in records] == [1, 2, 3, 4]
    assert records[2]["_parse_error"] == "expected 9 fields, found 4"
    assert [r["_parse_error"] for r in records if r["last_name"] != "Short"] == [None] * 3


def test_legacy_csv_metadata_in_title_rows(tmp_path):
    path = legacy_csv(tmp_path / "RRS-2016-AMS.csv", sidecar=False, title_metadata=True)
    seminars, participants = br_workbooks.read_drop(path)
    [seminar] = seminars.records
    assert seminar["type"] == "RRS-Americas" and seminar["dates"] == "14/03/2016 - 18/03/2016"
    assert seminar["venue"] is None
    assert seminars.pages == [] and len(participants.records) == 4


def test_legacy_csv_sent_as_utf8(tmp_path):
    path = tmp_path / "WRS-2012.csv"
    legacy_csv(path, sidecar=False)
    path.write_bytes(path.read_bytes().decode("cp1252").encode("utf-8"))
    _, participants = br_workbooks.read_drop(path)
    assert participants.records[0]["last_name"] == "Núñez"


def test_missing_required_column_rejects_the_file(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "Participants"
    ws.append(["N°", "Pays / Country", "E-mail", "Sexe / Gender", "Certificat"])
    ws.append([1, "France", "a@b.c", "F", "Oui"])
    path = tmp_path / "WRS-2020.xlsx"
    wb.save(path)
    with pytest.raises(PlatformError) as err:
        br_workbooks.read_drop(path)
    assert "last_name" in str(err.value) and "WRS-2020.xlsx" in str(err.value)


def test_no_header_and_bad_files_are_rejected(tmp_path):
    wb = Workbook()
    wb.active.append(["just", "some", "text"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(PlatformError, match="no header row"):
        br_workbooks.read_drop(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(PlatformError, match="not a readable .xlsx"):
        br_workbooks.read_drop(broken)


def test_list_drops_br_orders_resends_after_originals(tmp_path):
    inbox = tmp_path / "br"
    inbox.mkdir()
    names = [
        "WRS-2024-Geneva-v2.xlsx",
        "WRS-2024-Geneva.xlsx",
        "RRS-2016-AMS.csv",
        "RRS-2016-AMS.meta.csv",
        "~$WRS-2024-Geneva.xlsx",
        ".DS_Store",
        "WRS-2024-Geneva_v3.xlsx.part",
        "readme.txt",
    ]
    for name in names:
        (inbox / name).write_bytes(b"x")
    found = [p.name for p in list_drops(inbox, "br_seminars")]
    assert found == ["RRS-2016-AMS.csv", "WRS-2024-Geneva.xlsx", "WRS-2024-Geneva-v2.xlsx"]
