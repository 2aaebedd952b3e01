"""Regional-office CSV exports: real files written in tmp_path in each office's declared format
(and in formats that lie about themselves), read through the real mapping files."""

from __future__ import annotations

import codecs
import csv
import io
import logging
from datetime import date
from pathlib import Path

import pytest
import yaml
from connector_helpers import LINEAGE, columns_of

from ingestion.connectors import FILE_READERS, list_drops, regional_csv
from ingestion.connectors.base import PlatformError

OFFICES = ("africa", "americas", "arab_states", "asia_pacific", "cis", "europe")
LANDED = set(regional_csv.LANDED_COLUMNS)

PEOPLE = {
    "default": [
        ("Amina", "Diallo", "Amina Diallo", None),
        ("José", "Núñez", "José Núñez", None),
        ("Zoë", "Müller-Lefèvre", "Zoë Müller-Lefèvre", None),
    ],
    "arab_states": [
        ("محمد", "علي", "محمد علي", "Mohamed Ali"),
        ("فاطمة", "حسن", "فاطمة حسن", "Fatma Hassan"),
        ("Omar", "Khaled", "Omar Khaled", "Omar Khaled"),
    ],
    "cis": [
        ("Сергей", "Иванов", "Иванов Сергей", "Ivanov Sergey"),
        ("Ольга", "Петрова", "Петрова Ольга", "Petrova Olga"),
        ("Айгуль", "Нурланова", "Нурланова Айгуль", "Nurlanova Aigul"),
    ],
}


def mapping(office: str) -> dict:
    path = regional_csv.MAPPINGS_DIR / f"{office}.yml"
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def canonical_rows(office: str) -> list[dict[str, str]]:
    rows = []
    for i, (first, last, full, latin) in enumerate(PEOPLE.get(office, PEOPLE["default"])):
        rows.append(
            {
                "activity_title": "Atelier régional sur la gestion du spectre",
                "activity_type": "workshop",
                "start_date": date(2024, 3, 4 + i),
                "end_date": date(2024, 3, 14 + i),
                "city": "Dakar",
                "venue_country": "Sénégal",
                "full_name": full,
                "first_name": first,
                "last_name": last,
                "name_latin": latin or "",
                "email": f"person{i}@example.org",
                "country": "Côte d'Ivoire",
                "organization": "ARTP",
                "gender": "F",
                "satisfaction": str(3 + i % 3),
            }
        )
    return rows


def export_text(office: str, rows=None, spec=None) -> str:
    spec = spec or mapping(office)
    columns = spec["columns"]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=spec["delimiter"], lineterminator="\r\n")
    writer.writerow(columns.values())
    for row in rows if rows is not None else canonical_rows(office):
        values = []
        for canonical in columns:
            value = row[canonical]
            if isinstance(value, date):
                value = value.strftime(spec["date_format"])
            values.append(value)
        writer.writerow(values)
    return out.getvalue()


def write(tmp_path: Path, office: str, name: str, data: bytes) -> Path:
    folder = tmp_path / "inbox" / office
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def encode_declared(office: str, text: str) -> bytes:
    encoding = mapping(office)["encoding"]
    if office in ("africa",):  # cp1252 cannot hold every test name
        text = text.encode("cp1252", errors="replace").decode("cp1252")
    return text.encode(encoding)


def test_registry():
    assert FILE_READERS["regional_offices"] is regional_csv.read_drop


@pytest.mark.parametrize("office", OFFICES)
def test_each_office_format_in_its_declared_encoding(tmp_path, office):
    path = write(tmp_path, office, "export_2024.csv", encode_declared(office, export_text(office)))
    [extract] = regional_csv.read_drop(path)
    assert extract.entity == "participants" and extract.pages == []
    records = extract.records
    assert len(records) == 3
    assert columns_of(records) == LANDED | LINEAGE
    expected = canonical_rows(office)
    spec = mapping(office)
    for i, (record, want) in enumerate(zip(records, expected, strict=True), start=1):
        assert record["office"] == office
        assert record["source_file"] == "export_2024.csv"
        assert record["_source"] == f"{office}/export_2024.csv"
        assert record["_row_number"] == i
        assert record["_parse_error"] is None
        assert record["start_date"] == want["start_date"].isoformat()
        assert record["end_date"] == want["end_date"].isoformat()
        assert record["start_date_raw"] == want["start_date"].strftime(spec["date_format"])
        assert record["email"] == want["email"]
        assert record["satisfaction"] == want["satisfaction"]
        for canonical in ("full_name", "first_name", "last_name", "name_latin"):
            if canonical in spec["columns"]:
                if office != "africa":
                    assert record[canonical] == (want[canonical] or None)
            else:
                assert record[canonical] is None
        if office != "africa":
            assert record["venue_country"] == "Sénégal"
            assert record["activity_title"] == want["activity_title"]


def test_americas_dates_are_month_first(tmp_path):
    text = export_text("americas")
    assert "03/04/2024" in text  # 4 March 2024 written mm/dd/yyyy
    [extract] = regional_csv.read_drop(
        write(tmp_path, "americas", "a.csv", text.encode("utf-8-sig"))
    )
    assert extract.records[0]["start_date"] == "2024-03-04"


@pytest.mark.parametrize(
    ("office", "encoder", "label"),
    [
        ("africa", lambda t: t.encode("utf-8"), "utf-8"),  # declared cp1252, sent as UTF-8
        ("africa", lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), "utf-8-sig"),
        ("europe", lambda t: t.encode("cp1252"), "cp1252"),  # declared UTF-8, sent as cp1252
        ("europe", lambda t: t.encode("utf-16"), "utf-16-le (BOM)"),  # Excel "Unicode text"
        ("americas", lambda t: t.encode("utf-8"), "utf-8"),  # BOM missing
        ("asia_pacific", lambda t: t.encode("utf-16-le"), "utf-16-le"),  # no BOM
        ("asia_pacific", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), "utf-16-be (BOM)"),
        ("asia_pacific", lambda t: t.encode("utf-8"), "utf-8"),  # declared UTF-16, sent as UTF-8
        ("cis", lambda t: t.encode("utf-16"), "utf-16-le (BOM)"),
    ],
)
def test_files_that_lie_about_their_encoding(tmp_path, caplog, office, encoder, label):
    rows = canonical_rows(office)
    if office in ("africa", "europe"):
        for row in rows:
            for key, value in row.items():
                if isinstance(value, str):
                    row[key] = value.encode("cp1252", errors="replace").decode("cp1252")
    text = export_text(office, rows)
    path = write(tmp_path, office, "lying.csv", encoder(text))
    with caplog.at_level(logging.INFO, logger="ingestion.connectors.regional_csv"):
        [extract] = regional_csv.read_drop(path)
    assert f"read as {label}" in caplog.text
    assert [r["_parse_error"] for r in extract.records] == [None] * 3
    name_column = "full_name" if "full_name" in mapping(office)["columns"] else "last_name"
    assert [r[name_column] for r in extract.records] == [r[name_column] for r in rows]


def test_decode_bytes_prefers_valid_utf8_over_a_single_byte_declaration():
    assert regional_csv.decode_bytes("Zoë;Müller".encode(), "cp1252").text == "Zoë;Müller"
    assert regional_csv.decode_bytes("Zoë;Müller".encode("cp1252"), "cp1252").text == "Zoë;Müller"
    decoded = regional_csv.decode_bytes("Zoë".encode("cp1252"), "utf-8")
    assert decoded.text == "Zoë" and decoded.encoding == "cp1252"


def test_malformed_rows_are_kept_with_a_parse_error(tmp_path):
    spec = mapping("europe")
    good = export_text("europe").splitlines()
    header, rows = good[0], good[1:]
    width = len(spec["columns"])
    short = ",".join(["Short row", "workshop", "2024-01-01"])
    long = rows[0] + ",unexpected,extra"
    bad_bytes = rows[1].replace("Núñez", "N\udcfa\udcf1ez")
    lines = [header, rows[0], short, "", long, bad_bytes, rows[2]]
    data = "\r\n".join(lines).encode("utf-8", errors="surrogateescape") + b"\r\n"
    path = write(tmp_path, "europe", "broken.csv", data)
    [extract] = regional_csv.read_drop(path)
    by_row = {r["_row_number"]: r for r in extract.records}
    assert sorted(by_row) == [1, 2, 4, 5, 6]  # line 3 is blank: skipped, still counted
    assert by_row[1]["_parse_error"] is None and by_row[6]["_parse_error"] is None
    assert by_row[2]["_parse_error"] == f"expected {width} fields, found 3"
    assert by_row[2]["activity_title"] == "Short row"  # what was readable is kept
    assert by_row[2]["start_date"] == "2024-01-01" and by_row[2]["email"] is None
    assert by_row[4]["_parse_error"] == f"expected {width} fields, found {width + 2}"
    assert "cp1252" in by_row[5]["_parse_error"]  # invalid UTF-8 bytes in that row
    assert by_row[5]["last_name"] == "Núñez"  # readable as cp1252, but flagged
    assert by_row[6]["last_name"] == "Müller-Lefèvre"  # the rest of the file stays UTF-8


def test_undecodable_bytes_in_a_utf16_file(tmp_path):
    text = export_text("asia_pacific")
    data = bytearray(text.encode("utf-16"))
    # an unpaired surrogate in the second data row
    second_row = text.index("\n", text.index("\n") + 1) + 1
    offset = 2 + 2 * (second_row + 3)
    data[offset : offset + 2] = b"\x00\xd8"
    [extract] = regional_csv.read_drop(write(tmp_path, "asia_pacific", "u16.txt", bytes(data)))
    errors = [r["_parse_error"] for r in extract.records]
    assert errors[0] is None and errors[2] is None
    assert "undecodable" in errors[1]


@pytest.mark.parametrize(
    ("office", "good", "bad"),
    [
        ("africa", "04/03/2024", "4 mars 2024"),  # another format
        ("africa", "04/03/2024", "30/02/2024"),  # 30 February
        ("europe", "2024-03-04", "2024-13-45"),
        ("americas", "03/04/2024", "02/30/2024"),  # mm/dd/yyyy: 30 February again
    ],
)
def test_an_invalid_date_is_kept_raw_and_flagged_invalid_date(tmp_path, office, good, bad):
    text = export_text(office).replace(good, bad, 1)
    encoding = mapping(office)["encoding"]
    [extract] = regional_csv.read_drop(write(tmp_path, office, "d.csv", text.encode(encoding)))
    first, second = extract.records[0], extract.records[1]
    assert first["start_date"] is None and first["start_date_raw"] == bad
    # never NULL-accepted: the reason sends the row to quarantine
    assert first["_parse_error"].startswith(f"invalid_date: start_date '{bad}'")
    assert second["_parse_error"] is None and second["start_date"] is not None


def test_renamed_column_rejects_the_file(tmp_path):
    text = export_text("africa").replace("Courriel", "Adresse e-mail")
    path = write(tmp_path, "africa", "renamed.csv", text.encode("cp1252"))
    with pytest.raises(PlatformError) as err:
        regional_csv.read_drop(path)
    message = str(err.value)
    assert "africa" in message and "renamed.csv" in message
    assert "email" in message and "Courriel" in message
    assert "Adresse e-mail" in message  # the closest header is named


def test_extra_columns_are_ignored_and_logged(tmp_path, caplog):
    text = export_text("europe")
    lines = [line + ",note" for line in text.splitlines()]
    lines[0] = lines[0].rsplit(",", 1)[0] + ",Remarks"
    path = write(tmp_path, "europe", "extra.csv", "\n".join(lines).encode("utf-8"))
    with caplog.at_level(logging.WARNING):
        [extract] = regional_csv.read_drop(path)
    assert len(extract.records) == 3
    assert all(r["_parse_error"] is None for r in extract.records)
    assert "Remarks" in caplog.text


def test_header_found_below_title_rows_and_case_insensitive(tmp_path):
    text = export_text("europe")
    header, rest = text.split("\r\n", 1)
    text = "ITU Regional Office for Europe,,\r\n\r\n" + header.upper() + "\r\n" + rest
    [extract] = regional_csv.read_drop(write(tmp_path, "europe", "t.csv", text.encode("utf-8")))
    assert len(extract.records) == 3 and extract.records[0]["_row_number"] == 1


def test_a_seventh_office_is_a_yaml_file(tmp_path):
    mappings = tmp_path / "mappings"
    mappings.mkdir()
    spec = {
        "office": "pacific_islands",
        "delimiter": "|",
        "encoding": "utf-8",
        "date_format": "%d %b %Y",
        "columns": {
            "activity_title": "Event",
            "start_date": "From",
            "end_date": "To",
            "full_name": "Participant",
            "country": "Economy",
        },
        "optional": ["country"],
    }
    (mappings / "pacific_islands.yml").write_text(yaml.safe_dump(spec), encoding="utf-8")
    text = "Event|From|To|Participant\nSpectrum|04 Mar 2024|08 Mar 2024|Sione Tonga\n"
    path = write(tmp_path, "pacific_islands", "x.csv", text.encode())
    [extract] = regional_csv.read_drop(path, mappings_dir=mappings)
    [record] = extract.records
    assert record["office"] == "pacific_islands" and record["full_name"] == "Sione Tonga"
    assert record["start_date"] == "2024-03-04" and record["country"] is None


def test_unknown_office_is_a_clear_error(tmp_path):
    path = write(tmp_path, "antarctica", "x.csv", b"a,b\n1,2\n")
    with pytest.raises(PlatformError, match="no mapping file for office 'antarctica'"):
        regional_csv.read_drop(path)


def test_list_drops_regional(tmp_path):
    inbox = tmp_path / "inbox"
    for office, name in [
        ("europe", "b.csv"),
        ("africa", "z.csv"),
        ("europe", "a.csv"),
        ("europe", ".hidden.csv"),
        ("europe", "c.csv.part"),
        ("europe", "notes.pdf"),
        ("asia_pacific", "export.txt"),
        (".trash", "old.csv"),
    ]:
        write(tmp_path, office, name, b"x")
    found = [p.relative_to(inbox).as_posix() for p in list_drops(inbox, "regional_offices")]
    assert found == ["africa/z.csv", "asia_pacific/export.txt", "europe/a.csv", "europe/b.csv"]
    assert list_drops(tmp_path / "missing", "regional_offices") == []


def test_a_utf8_row_in_a_cp1252_file_is_read_and_flagged(tmp_path):
    lines = export_text("africa").split("\r\n")
    data = b"\r".join(  # old Mac line breaks on top of the mixed encodings
        line.encode("utf-8" if i == 2 else "cp1252", errors="replace")
        for i, line in enumerate(lines)
    )
    [extract] = regional_csv.read_drop(write(tmp_path, "africa", "mixed.csv", data))
    assert [r["full_name"] for r in extract.records] == [
        "Amina Diallo",
        "José Núñez",
        "Zoë Müller-Lefèvre",
    ]
    errors = [r["_parse_error"] for r in extract.records]
    assert errors[0] is None and errors[2] is None
    assert "mixed encodings" in errors[1]
