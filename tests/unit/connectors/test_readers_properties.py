"""Property-based tests of the file readers (hypothesis) on files built from the contract.

Files are written from the office mappings (``ingestion/mappings/regional_offices/*.yml``),
``ingestion/mappings/br_seminars.yml`` and docs/platforms.md, never by the sandbox generator.
For every generated file the reader either returns extracts whose rows account for every data
row of the file — ``len(records) + duplicates_dropped`` = data rows, blank lines and unused
template lines aside — or raises :class:`PlatformError` with a reason. Any other exception, or a
short read that balances, fails the test.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from ingestion.connectors import br_workbooks, regional_csv
from ingestion.connectors.base import EntityExtract, PlatformError

MAPPINGS = {
    path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
    for path in sorted(regional_csv.MAPPINGS_DIR.glob("*.yml"))
}
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# How a file's text becomes bytes: (label, encoder). "latin-1" is always mislabelled (no mapping
# declares it); the UTF-16 ones are what Excel's "Unicode text" writes.
ENCODERS = {
    "utf-8": lambda text: text.encode("utf-8"),
    "utf-8-sig": lambda text: codecs.BOM_UTF8 + text.encode("utf-8"),
    "cp1252": lambda text: text.encode("cp1252"),
    "latin-1": lambda text: text.encode("latin-1"),
    "utf-16-le": lambda text: codecs.BOM_UTF16_LE + text.encode("utf-16-le"),
    "utf-16-be": lambda text: codecs.BOM_UTF16_BE + text.encode("utf-16-be"),
}
UTF16 = ("utf-16-le", "utf-16-be")
LINE_BREAKS = re.compile(r"\r\n|\r|\n")
SINGLE_BYTE = ("cp1252", "latin-1")

LATIN_NAMES = ["Amina Diallo", "José Núñez", "Zoë Müller-Lefèvre", "Olav Ørsted", "Ana Peña"]
OTHER_NAMES = ["Сергей Иванов", "محمد علي", "Ольга Петрова", "Айгуль Нурланова", "王 一丁"]
TITLES = [
    "Spectrum management",
    "Atelier; gestion du spectre",  # the ';' delimiter inside a value: quoted
    'Workshop "5G", Dakar',  # quotes and ',' inside a value: quoted, quotes doubled
    "Cybersécurité\tbasics",  # a tab inside a value
]
ORGANIZATIONS = ["ANRT", "Ministère des TIC", "ARCEP\nBP 1234"]  # an address on two lines


def encodable(text: str, label: str) -> bool:
    try:
        ENCODERS[label](text)
    except UnicodeEncodeError:
        return False
    return True


def bad_date(fmt: str, kind: int) -> str:
    """An impossible date written in the office's own format (or free text)."""
    if kind == 0:
        return fmt.replace("%d", "30").replace("%m", "02").replace("%Y", "2024")  # 30 February
    if kind == 1:
        return fmt.replace("%d", "45").replace("%m", "13").replace("%Y", "2024")
    return "30 February 2024"


@dataclass
class Export:
    """A generated regional export: its text per record, and what each record is."""

    office: str
    encoding: str
    delimiter: str
    chunks: list[str]  # serialized records, line break included, in file order
    kinds: list[str]  # "title", "header", "data", "blank"
    data_rows: list[tuple[str, ...]]  # the data rows' values, in order
    bad_dates: set[int]  # positions in data_rows with an impossible start date
    line_break: str

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    @property
    def duplicates(self) -> int:
        return len(self.data_rows) - len(set(self.data_rows))

    def encode(self) -> bytes:
        return ENCODERS[self.encoding](self.text)

    def offsets(self) -> list[int]:
        """Byte offset where each record starts in :meth:`encode`'s output."""
        empty = len(ENCODERS[self.encoding](""))  # the BOM
        out, text = [], ""
        for chunk in self.chunks:
            out.append(len(ENCODERS[self.encoding](text)) if text else empty)
            text += chunk
        return out


ROW_KINDS = ["data", "data", "data", "dup", "bad_date", "blank", "template"]


@st.composite
def exports(draw: st.DrawFn) -> Export:
    office = draw(st.sampled_from(sorted(MAPPINGS)))
    spec = MAPPINGS[office]
    columns: dict[str, str] = spec["columns"]
    header = list(columns.values())
    labels = [e for e in ENCODERS if encodable("".join(header), e)]
    encoding = draw(st.sampled_from(labels))
    names = LATIN_NAMES + ([] if encoding in SINGLE_BYTE else OTHER_NAMES)
    delimiter = regional_csv._delimiter(spec["delimiter"])
    line_break = draw(st.sampled_from(["\r\n", "\n"]))
    fmt = spec["date_format"]

    def serialize(cells: list[str]) -> str:
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=delimiter, lineterminator=line_break).writerow(cells)
        return buffer.getvalue()

    chunks, kinds = [], []
    for _ in range(draw(st.integers(0, 2))):  # title rows above the header
        chunks.append(serialize([f"ITU Regional Office ({office}) export"]))
        kinds.append("title")
    chunks.append(serialize(header))
    kinds.append("header")
    data_rows: list[tuple[str, ...]] = []
    bad_dates: set[int] = set()
    for number, kind in enumerate(draw(st.lists(st.sampled_from(ROW_KINDS), max_size=10))):
        if kind == "blank":
            chunks.append(line_break)
            kinds.append("blank")
            continue
        if kind == "template":  # a line of empty fields, as spreadsheets export unused rows
            chunks.append(delimiter * (len(header) - 1) + line_break)
            kinds.append("blank")
            continue
        if kind == "dup" and data_rows:
            row = draw(st.sampled_from(data_rows))
        else:
            start = date(2015, 1, 1) + timedelta(days=draw(st.integers(0, 3650)))
            name = draw(st.sampled_from(names))
            first, _, last = name.partition(" ")
            values = {
                "activity_title": draw(st.sampled_from(TITLES)),
                "activity_type": "workshop",
                "start_date": start.strftime(fmt),
                "end_date": (start + timedelta(days=4)).strftime(fmt),
                "city": "Dakar",
                "venue_country": "Sénégal",
                "full_name": name,
                "first_name": first,
                "last_name": last,
                "name_latin": "Transliterated Name",
                "email": f"person{number}@example.org",
                "country": "Sénégal",
                "organization": draw(st.sampled_from(ORGANIZATIONS)),
                "gender": draw(st.sampled_from(["F", "M", ""])),
                "satisfaction": str(draw(st.integers(1, 5))),
            }
            if kind == "bad_date":
                values["start_date"] = bad_date(fmt, draw(st.integers(0, 2)))
            row = tuple(values[c] for c in columns)
        if row[list(columns).index("start_date")] in {bad_date(fmt, k) for k in range(3)}:
            bad_dates.add(len(data_rows))
        data_rows.append(row)
        chunks.append(serialize(list(row)))
        kinds.append("data")
    return Export(office, encoding, delimiter, chunks, kinds, data_rows, bad_dates, line_break)


def write(tmp_path: Path, office: str, data: bytes, name: str = "export.csv") -> Path:
    folder = tmp_path / office
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def read_or_reject(reader: Any, path: Path) -> list[EntityExtract] | None:
    """The extracts, or None when the file was rejected with a reason; anything else fails."""
    try:
        return reader(path)
    except PlatformError as exc:
        assert exc.reason.strip(), "a rejection must say why"
        return None


def accounted(extract: EntityExtract) -> int:
    return len(extract.records) + extract.duplicates_dropped


def new_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("drop")


# --------------------------------------------------------------------------- regional CSV


@SETTINGS
@given(export=exports())
def test_a_well_formed_export_is_read_whole(tmp_path_factory, export):
    path = write(new_dir(tmp_path_factory), export.office, export.encode())
    [extract] = regional_csv.read_drop(path)  # a well-formed file is never rejected
    assert accounted(extract) == len(export.data_rows)
    assert extract.duplicates_dropped == export.duplicates
    records = extract.records
    assert len({r["_row_number"] for r in records}) == len(records)
    columns = list(MAPPINGS[export.office]["columns"])
    unique = list(dict.fromkeys(export.data_rows))  # first occurrences, in file order
    assert [r["email"] for r in records] == [row[columns.index("email")] for row in unique]
    bad = {export.data_rows[i] for i in export.bad_dates}
    for record, row in zip(records, unique, strict=True):
        if row in bad:  # quarantined with the reason, never a silent NULL
            assert record["start_date"] is None
            assert record["_parse_error"].startswith("invalid_date: start_date")
            assert record["start_date_raw"] == row[columns.index("start_date")]
        else:
            assert record["_parse_error"] is None, record["_parse_error"]
            assert record["start_date"] is not None
        if export.encoding not in SINGLE_BYTE:  # a code page guess may differ; Unicode may not
            landed = {  # dates land as ISO, their text as *_raw
                f"{c}_raw" if c in regional_csv.DATE_COLUMNS else c: v or None
                for c, v in zip(columns, row, strict=True)
            }
            assert {c: record[c] for c in landed} == landed


@SETTINGS
@given(export=exports(), cut=st.floats(0, 1, exclude_max=True))
def test_a_truncated_export_is_rejected_or_read_to_its_cut(tmp_path_factory, export, cut):
    data = export.encode()
    position = int(cut * len(data))  # in UTF-16 possibly half a code unit
    path = write(new_dir(tmp_path_factory), export.office, data[:position])
    extracts = read_or_reject(regional_csv.read_drop, path)
    if extracts is None:
        return
    [extract] = extracts
    started = sum(
        1
        for kind, offset in zip(export.kinds, export.offsets(), strict=True)
        if kind == "data" and offset < position
    )
    assert accounted(extract) == started


@SETTINGS
@given(export=exports(), data=st.data())
def test_garbage_bytes_in_a_row_are_rejected_or_flagged_never_lose_rows(
    tmp_path_factory, export, data
):
    rows = [i for i, kind in enumerate(export.kinds) if kind == "data"]
    if not rows:
        return
    encoded = export.encode()
    offsets = export.offsets() + [len(encoded)]
    record = data.draw(st.sampled_from(rows))
    chunk = export.chunks[record]
    terminator = len(ENCODERS[export.encoding]("x" + export.line_break)) - len(
        ENCODERS[export.encoding]("x")
    )
    # inside the record, before its line break
    position = data.draw(st.integers(offsets[record] + 1, offsets[record + 1] - terminator))
    # any bytes, any length: in UTF-16 an odd count puts the rest of the file out of step
    garbage = data.draw(st.binary(min_size=1, max_size=16))
    hostile = encoded[:position] + garbage + encoded[position:]
    path = write(new_dir(tmp_path_factory), export.office, hostile)
    extracts = read_or_reject(regional_csv.read_drop, path)
    if extracts is None:
        return
    [extract] = extracts
    # every row is still there; a line break in the garbage may split the row it fell in, and
    # a quote in it may end a quoted field early, turning the line break inside into a row end
    breaks = garbage.count(b"\n") + garbage.count(b"\r")  # each new line break needs one
    splits = breaks + len(LINE_BREAKS.findall(chunk)) - 1
    assert len(export.data_rows) <= accounted(extract) <= len(export.data_rows) + splits


@SETTINGS
@given(export=exports(), data=st.data())
def test_an_unbalanced_quote_is_rejected_or_stays_in_its_row(tmp_path_factory, export, data):
    rows = [i for i, kind in enumerate(export.kinds) if kind == "data"]
    if not rows:
        return
    record = data.draw(st.sampled_from(rows))
    chunk = export.chunks[record]
    starts = [i + 1 for i, ch in enumerate(chunk) if ch == export.delimiter]
    at = data.draw(st.sampled_from(starts or [0]))
    chunks = list(export.chunks)
    chunks[record] = chunk[:at] + '"' + chunk[at:]  # a quote opening a field, never closed
    hostile = ENCODERS[export.encoding]("".join(chunks))
    path = write(new_dir(tmp_path_factory), export.office, hostile)
    extracts = read_or_reject(regional_csv.read_drop, path)
    if extracts is None:
        return
    [extract] = extracts
    # no row swallowed; a line break inside a quoted field of that row may become a row end
    splits = len(LINE_BREAKS.findall(chunk)) - 1
    assert len(export.data_rows) <= accounted(extract) <= len(export.data_rows) + splits


@SETTINGS
@given(export=exports(), delimiter=st.sampled_from([",", ";", "\t", "|"]))
def test_an_export_with_another_delimiter_is_rejected(tmp_path_factory, export, delimiter):
    if delimiter == export.delimiter:
        return
    text = export.text
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=export.delimiter))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=export.line_break).writerows(rows)
    path = write(
        new_dir(tmp_path_factory), export.office, ENCODERS[export.encoding](buffer.getvalue())
    )
    with pytest.raises(PlatformError, match="required column"):
        regional_csv.read_drop(path)


@SETTINGS
@given(blob=st.binary(max_size=2048), office=st.sampled_from(sorted(MAPPINGS)))
def test_a_binary_file_named_csv_is_rejected(tmp_path_factory, blob, office):
    path = write(new_dir(tmp_path_factory), office, blob)
    extracts = read_or_reject(regional_csv.read_drop, path)
    if extracts is not None:  # only bytes that decode to nothing but blanks are "empty"
        assert extracts[0].records == []


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_a_utf16_file_out_of_step_is_rejected(tmp_path, encoding):
    spec = MAPPINGS["asia_pacific"]
    row = ["Spectrum", "workshop", "04/03/2024", "08/03/2024", "Bangkok", "Thailand"]
    lines = ["\t".join(spec["columns"].values())]
    lines += ["\t".join([*row, f"Name{i}", "B", "a@x.org", "Thailand", "NBTC", "F", "4"])
              for i in range(6)]  # fmt: skip
    data = ENCODERS[encoding]("\r\n".join(lines) + "\r\n")
    middle = len(data) // 2 | 1  # an odd offset: one byte added there
    path = write(tmp_path, "asia_pacific", data[:middle] + b"\x41" + data[middle:], "u.txt")
    with pytest.raises(PlatformError, match="UTF-16 text out of step from line"):
        regional_csv.read_drop(path)
    path = write(tmp_path, "asia_pacific", data, "whole.txt")  # the same file intact
    assert len(regional_csv.read_drop(path)[0].records) == 6


def test_a_field_over_the_csv_limit_rejects_the_file_with_its_line(tmp_path):
    spec = MAPPINGS["europe"]
    header = ",".join(spec["columns"].values())
    huge = "x" * (csv.field_size_limit() + 10)
    row = ",".join(["Spectrum", "workshop", "2024-03-04", "2024-03-08"] + ["v"] * 9)
    text = "\n".join([header, row, row.replace("Spectrum", huge), row]) + "\n"
    path = write(tmp_path, "europe", text.encode())
    with pytest.raises(PlatformError, match="line 3.*field larger than field limit"):
        regional_csv.read_drop(path)


def test_a_legacy_br_csv_with_an_unbalanced_quote_is_rejected(tmp_path):
    lines = [
        ";".join(BR_HEADER),
        "1;Diallo;Amina;Sénégal;ARTP;a@x.sn;F;12;Oui",
        '2;"Ndiaye;Awa;Sénégal;ARTP;b@x.sn;F;14;Oui',
        "3;Ba;Oumar;Sénégal;ARTP;c@x.sn;M;ABS;Non",
    ]
    path = tmp_path / "RRS-2016.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    with pytest.raises(PlatformError, match="opened at line 3 is never closed"):
        br_workbooks.read_drop(path)
    lines[3] = '3;Ba";Oumar;Sénégal;ARTP;c@x.sn;M;ABS;Non'  # closed a line later
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1252"))
    with pytest.raises(PlatformError, match="unbalanced quote at line 3"):
        br_workbooks.read_drop(path)


def test_an_unbalanced_quote_rejects_the_file_with_its_line(tmp_path):
    header = ",".join(MAPPINGS["europe"]["columns"].values())
    row = ",".join(["Spectrum", "workshop", "2024-03-04", "2024-03-08"] + ["v"] * 9)
    lines = [header, row, row.replace("Spectrum", '"Spectrum'), row, row]
    path = write(tmp_path, "europe", ("\n".join(lines) + "\n").encode())
    with pytest.raises(PlatformError, match="unbalanced quote: .* opened at line 3"):
        regional_csv.read_drop(path)
    lines[4] = row.replace("v,v", 'v,"v', 1)  # closed two rows later: rows swallowed
    path = write(tmp_path, "europe", ("\n".join(lines) + "\n").encode())
    with pytest.raises(PlatformError, match="unbalanced quote at line 3"):
        regional_csv.read_drop(path)


def test_exact_duplicates_are_landed_once_and_counted(tmp_path):
    header = ",".join(MAPPINGS["europe"]["columns"].values())
    rows = [
        ",".join(["Spectrum", "workshop", "2024-03-04", "2024-03-08"] + [f"p{i}"] * 9)
        for i in range(5)
    ]
    lines = [header, *rows, rows[2]]  # 6 participations for 5 people
    path = write(tmp_path, "europe", ("\n".join(lines) + "\n").encode())
    [extract] = regional_csv.read_drop(path)
    assert len(extract.records) == 5 and extract.duplicates_dropped == 1
    assert [r["_row_number"] for r in extract.records] == [1, 2, 3, 4, 5]
    # same person, different content: both kept (validation decides), nothing dropped
    lines[-1] = rows[2].replace("2024-03-08", "2024-03-09")
    path = write(tmp_path, "europe", ("\n".join(lines) + "\n").encode())
    [extract] = regional_csv.read_drop(path)
    assert len(extract.records) == 6 and extract.duplicates_dropped == 0


@pytest.mark.parametrize("name", ["a" * 196 + ".csv", "é" * 196 + ".csv"])
def test_a_200_character_file_name_is_read_or_rejected(tmp_path, name):
    header = ",".join(MAPPINGS["europe"]["columns"].values())
    row = ",".join(["Spectrum", "workshop", "2024-03-04", "2024-03-08"] + ["v"] * 9)
    folder = tmp_path / "europe"
    folder.mkdir()
    path = folder / name
    try:  # 196 "é" are 392 bytes: over most file systems' 255-byte limit
        path.write_bytes(f"{header}\n{row}\n".encode())
    except OSError:
        with pytest.raises(PlatformError, match="could not be read"):
            regional_csv.read_drop(path)
        with pytest.raises(PlatformError, match="could not be read"):
            br_workbooks.read_drop(path)
        return
    [extract] = regional_csv.read_drop(path)
    assert len(extract.records) == 1 and extract.records[0]["source_file"] == name


# --------------------------------------------------------------------------- BR workbooks

BR_HEADER = [
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
BR_KINDS = ["person", "person", "person", "dup", "template", "blank", "formula"]


@dataclass
class Seminar:
    rows: list[list[Any]]  # title rows, the header, participant / blank / template rows
    data: list[tuple[Any, ...]]  # the participant rows, in order

    def duplicates(self, *, workbook: bool) -> int:
        """Rows repeating an earlier one. In a workbook a row with a formula without a cached
        value is never an exact duplicate: its value is unknown (it is flagged instead)."""
        rows = [r for r in self.data if not (workbook and is_formula(r[7]))]
        return len(rows) - len(set(rows))

    def formulas(self) -> int:
        return sum(1 for r in self.data if is_formula(r[7]))


def is_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith("=")


@st.composite
def seminars(draw: st.DrawFn) -> Seminar:
    """A participant sheet: 0-3 title rows, the bilingual header, then participants (some with a
    formula without a cached value in ``Examen``), exact duplicates, blank and template lines."""
    rows: list[list[Any]] = [["Liste des participants"]] * draw(st.integers(0, 3))
    rows.append(BR_HEADER)
    people: list[list[Any]] = []
    for number, kind in enumerate(draw(st.lists(st.sampled_from(BR_KINDS), max_size=10)), 1):
        if kind == "blank":
            rows.append([None] * len(BR_HEADER))
        elif kind == "template":  # an unused, pre-numbered line
            rows.append([number])
        elif kind == "dup" and people:
            rows.append(list(draw(st.sampled_from(people))))
        else:
            name = draw(st.sampled_from(LATIN_NAMES + OTHER_NAMES))
            first, _, last = name.partition(" ")
            exam: Any = draw(st.sampled_from([15.5, 12, "ABS", 20]))
            if kind == "formula":
                exam = f"=ROUND({number}*2,0)"  # openpyxl writes no cached value
            row = [number, last, first, "Sénégal", "ARTP", f"p{number}@x.sn", "F", exam, "Oui"]
            rows.append(row)
            people.append(row)
    header = rows.index(BR_HEADER)
    data = [tuple(r) for r in rows[header + 1 :] if len(r) > 1 and r[1] is not None]
    return Seminar(rows, data)


def save_workbook(path: Path, rows: list[list[Any]]) -> Path:
    wb = Workbook()
    info = wb.active
    info.title = "Seminar"
    for pair in [
        ("Seminar / Séminaire", "WRS 2024"),
        ("Type", "WRS"),
        ("Dates", "14-18 March 2024"),
    ]:
        info.append(pair)
    sheet = wb.create_sheet("Participants")
    for row in rows:
        sheet.append(row)
    wb.save(path)
    return path


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seminar=seminars())
def test_a_workbook_is_read_whole_with_formulas_flagged(tmp_path_factory, seminar):
    path = save_workbook(new_dir(tmp_path_factory) / "WRS-2024.xlsx", seminar.rows)
    seminars_extract, participants = br_workbooks.read_drop(path)
    assert accounted(participants) == len(seminar.data)
    assert participants.duplicates_dropped == seminar.duplicates(workbook=True)
    flagged = [r for r in participants.records if r["_parse_error"]]
    assert len(flagged) == seminar.formulas()
    for record in flagged:  # never a silent NULL: the row carries why
        assert record["exam"] is None and "formula without a cached value" in record["_parse_error"]
    assert seminars_extract.records[0]["_parse_error"] is None


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cut=st.floats(0, 1, exclude_max=True), garbage=st.binary(min_size=1, max_size=64))
def test_a_truncated_or_corrupted_workbook_is_rejected(tmp_path_factory, cut, garbage):
    folder = new_dir(tmp_path_factory)
    rows = [BR_HEADER, [1, "Diallo", "Amina", "Sénégal", "ARTP", "a@x.sn", "F", 12, "Oui"]]
    whole = save_workbook(folder / "WRS-2024.xlsx", rows).read_bytes()
    position = int(cut * len(whole))
    truncated = folder / "WRS-2024_v2.xlsx"
    truncated.write_bytes(whole[:position])
    if position == 0:  # a zero-byte drop is "empty", not an error
        assert accounted(br_workbooks.read_drop(truncated)[1]) == 0
    else:  # the zip directory is at the end: a cut workbook is never read in part
        with pytest.raises(PlatformError, match="not a readable .xlsx"):
            br_workbooks.read_drop(truncated)
    corrupted = folder / "WRS-2024_v3.xlsx"
    corrupted.write_bytes(whole[:position] + garbage + whole[position + len(garbage) :])
    extracts = read_or_reject(br_workbooks.read_drop, corrupted)
    if extracts is not None:  # the garbage hit a part the reader does not need
        assert accounted(extracts[1]) == 1


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01binary\xff\xfe" * 50, b"PK\x03\x04" + b"\x00" * 100, "Nom;Prénom\n".encode()],
)
def test_a_file_that_is_not_a_workbook_is_rejected(tmp_path, content):
    path = tmp_path / "WRS-2024.xlsx"
    path.write_bytes(content)
    with pytest.raises(PlatformError, match="not a readable .xlsx"):
        br_workbooks.read_drop(path)


def test_a_zip_without_a_workbook_is_rejected(tmp_path):
    path = tmp_path / "WRS-2024.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(PlatformError, match="not a readable .xlsx"):
        br_workbooks.read_drop(path)


def test_formula_on_the_seminar_sheet_flags_the_seminar_row(tmp_path):
    wb = Workbook()
    info = wb.active
    info.title = "Seminar"
    info.append(["Dates", '=TEXT(TODAY(),"d mmmm yyyy")'])
    sheet = wb.create_sheet("Participants")
    sheet.append(BR_HEADER)
    sheet.append([1, "Diallo", "Amina", "Sénégal", "ARTP", "a@x.sn", "F", 12, "Oui"])
    wb.save(tmp_path / "WRS-2024.xlsx")
    seminar, participants = br_workbooks.read_drop(tmp_path / "WRS-2024.xlsx")
    assert "formula without a cached value in B1" in seminar.records[0]["_parse_error"]
    assert participants.records[0]["_parse_error"] is None


@SETTINGS
@given(seminar=seminars(), cut=st.floats(0, 1), quote_at=st.floats(0, 1, exclude_max=True))
def test_a_legacy_csv_is_read_whole_or_rejected(tmp_path_factory, seminar, cut, quote_at):
    # a legacy CSV has no formulas: those rows are plain values here (the text "=ROUND(...)")
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";", lineterminator="\r\n").writerows(
        [["" if v is None else v for v in row] for row in seminar.rows]
    )
    text = buffer.getvalue()
    encoder = "cp1252" if encodable(text, "cp1252") else "utf-8"
    raw = ENCODERS[encoder](text)
    folder = new_dir(tmp_path_factory)
    (folder / "RRS-2016.csv").write_bytes(raw)
    [_, participants] = br_workbooks.read_drop(folder / "RRS-2016.csv")
    assert accounted(participants) == len(seminar.data)
    assert participants.duplicates_dropped == seminar.duplicates(workbook=False)
    assert all(r["_parse_error"] is None for r in participants.records)
    # the same file cut anywhere: rejected, or no more rows than it had
    (folder / "RRS-2016_v2.csv").write_bytes(raw[: int(cut * len(raw))])
    extracts = read_or_reject(br_workbooks.read_drop, folder / "RRS-2016_v2.csv")
    if extracts is not None:
        assert accounted(extracts[1]) <= len(seminar.data)
    # a quote opening a field somewhere after the header, never closed on its line
    header_end = text.index("\r\n", text.index("Nom / Name")) + 2
    fields = [i + 1 for i, ch in enumerate(text) if ch == ";" and i > header_end]
    if fields:
        at = fields[int(quote_at * len(fields))]
        quoted = ENCODERS[encoder](text[:at] + '"' + text[at:])
        (folder / "RRS-2016_v3.csv").write_bytes(quoted)
        extracts = read_or_reject(br_workbooks.read_drop, folder / "RRS-2016_v3.csv")
        if extracts is not None:  # closed on the same line: no row swallowed
            assert accounted(extracts[1]) == len(seminar.data)


MONTHS = {
    "en": ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"],
    "fr": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
           "octobre", "novembre", "décembre"],
}  # fmt: skip


def seminar_dates(start: date, end: date, style: int) -> str:
    """``Dates`` in the three forms of docs/platforms.md (§3)."""
    if style == 0:
        return f"{start.day}-{end.day} {MONTHS['en'][end.month - 1]} {end.year}"
    if style == 1:
        return f"{start:%d/%m/%Y} - {end:%d/%m/%Y}"
    return f"du {start.day} au {end.day} {MONTHS['fr'][end.month - 1]} {end.year}"


@SETTINGS
@given(
    start=st.dates(date(2000, 1, 1), date(2030, 12, 20)),
    length=st.integers(0, 5),
    style=st.integers(0, 2),
)
def test_seminar_dates_in_the_contract_forms_are_dates(start, length, style):
    end = start + timedelta(days=length)
    if end.month != start.month:  # the short forms name one month
        start = end.replace(day=1)
    assert br_workbooks.seminar_dates_problem(seminar_dates(start, end, style)) is None


@pytest.mark.parametrize(
    "text",
    ["30 February 2024", "du 30 au 31 février 2023", "31/04/2024 - 02/05/2024", "2024-13-45"],
)
def test_an_impossible_seminar_date_flags_the_seminar_row(tmp_path, text):
    wb = Workbook()
    info = wb.active
    info.title = "Seminar"
    info.append(["Seminar / Séminaire", "WRS 2024"])
    info.append(["Dates", text])
    sheet = wb.create_sheet("Participants")
    sheet.append(BR_HEADER)
    sheet.append([1, "Diallo", "Amina", "Sénégal", "ARTP", "a@x.sn", "F", 12, "Oui"])
    wb.save(tmp_path / "WRS-2024.xlsx")
    seminar, participants = br_workbooks.read_drop(tmp_path / "WRS-2024.xlsx")
    assert seminar.records[0]["dates"] == text  # the raw text is kept
    assert seminar.records[0]["_parse_error"].startswith(f"invalid_date: dates {text!r}")
    assert participants.records[0]["_parse_error"] is None
