"""The bad-input catalogue: each named file fault produces what it says."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sandbox.generator import generate
from sandbox.generator.file_faults import FILE_FAULTS, apply_file_fault
from sandbox.generator.offices import OFFICES


@pytest.fixture(scope="module")
def drops(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("faults-src")
    generate(out, seed=3, scale=0.02)
    return out / "drops"


def _first(drops: Path, office: str) -> Path:
    return sorted((drops / "regional_offices" / office).glob("*.csv"))[0]


def _rows(path: Path, office: str, encoding: str | None = None) -> list[list[str]]:
    fmt = OFFICES[office]
    text = path.read_bytes().decode(encoding or fmt.encoding)
    return list(csv.reader(io.StringIO(text), delimiter=fmt.delimiter))


def test_catalogue_names():
    assert set(FILE_FAULTS) >= {
        "malformed_rows",
        "wrong_encoding",
        "renamed_column",
        "missing_column",
        "extra_column",
        "empty_file",
        "duplicate_resent",
    }
    with pytest.raises(KeyError):
        apply_file_fault("no_such_fault", "x.csv", ".")


def test_malformed_rows(drops, tmp_path):
    src = _first(drops, "africa")
    out = apply_file_fault("malformed_rows", src, tmp_path)
    assert out.name == src.name and out.parent == tmp_path
    rows = _rows(out, "africa")
    width = len(rows[0])
    assert len(rows[2]) == width + 1  # data row 2
    assert len(rows[min(5, len(rows) - 1)]) == width - 2  # data row 5
    others = [r for i, r in enumerate(rows) if i not in (0, 2, min(5, len(rows) - 1))]
    assert all(len(r) == width for r in others)
    assert len(rows) == len(_rows(src, "africa"))


@pytest.mark.parametrize("office", ["americas", "cis", "africa", "asia_pacific"])
def test_wrong_encoding(drops, tmp_path, office):
    src = _first(drops, office)
    declared = OFFICES[office].encoding
    original = src.read_bytes().decode(declared)
    data = apply_file_fault("wrong_encoding", src, tmp_path).read_bytes()
    if declared == "cp1252":
        assert data.decode("utf-8") == original  # UTF-8 bytes in a cp1252 drop
        assert data.decode("cp1252", errors="replace") != original
    else:
        # undecodable, or (a UTF-16 read of single-byte text) garbage
        assert data.decode(declared, errors="replace") != original
        decoded = [data.decode(cp) for cp in ("cp1252", "cp1251", "cp1256")]
        assert any(d.splitlines()[0] == original.splitlines()[0] for d in decoded)
        assert all(len(d) == len(original) for d in decoded)


def test_renamed_missing_extra_columns_keep_the_office_format(drops, tmp_path):
    src = _first(drops, "asia_pacific")  # UTF-16 with BOM, tab-separated
    base = _rows(src, "asia_pacific")
    email = base[0].index("E-mail")

    renamed = apply_file_fault("renamed_column", src, tmp_path / "r")
    assert renamed.read_bytes().startswith(b"\xff\xfe")
    rows = _rows(renamed, "asia_pacific")
    assert rows[0][email] == "Email address" and rows[1:] == base[1:]

    missing = _rows(apply_file_fault("missing_column", src, tmp_path / "m"), "asia_pacific")
    assert "E-mail" not in missing[0] and len(missing) == len(base)
    assert all(len(r) == len(base[0]) - 1 for r in missing)

    extra = _rows(apply_file_fault("extra_column", src, tmp_path / "e"), "asia_pacific")
    assert extra[0][-1] == "Remarks / Observations"
    assert all(len(r) == len(base[0]) + 1 for r in extra)


def test_empty_header_only_and_duplicate(drops, tmp_path):
    src = _first(drops, "europe")
    assert apply_file_fault("empty_file", src, tmp_path / "z").stat().st_size == 0
    header_only = _rows(apply_file_fault("header_only", src, tmp_path / "h"), "europe")
    assert header_only == [_rows(src, "europe")[0]]
    dup = apply_file_fault("duplicate_resent", src, tmp_path / "d")
    assert dup.name == f"{src.stem}_resent.csv" and dup.read_bytes() == src.read_bytes()
    assert src.read_bytes() == (drops / "regional_offices" / "europe" / src.name).read_bytes()


def _header_and_rows(path: Path) -> tuple[list, int]:
    ws = load_workbook(path)["Participants"]
    values = list(ws.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(values) if r[0] == "N°")
    labels = [v for r in values[header_at : header_at + 2] for v in r if isinstance(v, str)]
    data = [r for r in values[header_at + 1 :] if isinstance(r[0], int)]
    return labels, len(data)


def test_workbook_faults(drops, tmp_path):
    src = sorted((drops / "br_seminars").glob("*.xlsx"))[0]
    labels, n = _header_and_rows(src)
    assert "E-mail" in labels and n > 0

    labels_r, n_r = _header_and_rows(apply_file_fault("renamed_column", src, tmp_path / "r"))
    assert "Email address" in labels_r and "E-mail" not in labels_r and n_r == n

    out = apply_file_fault("missing_column", src, tmp_path / "m")
    labels_m, n_m = _header_and_rows(out)
    assert "E-mail" not in labels_m and "Sexe / Gender" in labels_m and n_m == n
    ws = load_workbook(out)["Participants"]
    assert ws.max_column == 8

    labels_e, _ = _header_and_rows(apply_file_fault("extra_column", src, tmp_path / "e"))
    assert "Remarks / Observations" in labels_e

    _, n_h = _header_and_rows(apply_file_fault("header_only", src, tmp_path / "h"))
    assert n_h == 0
    with pytest.raises(ValueError):
        apply_file_fault("malformed_rows", src, tmp_path / "x")


def test_legacy_br_csv(drops, tmp_path):
    src = sorted((drops / "br_seminars").glob("*.csv"))
    src = [p for p in src if not p.name.endswith(".meta.csv")][0]
    out = apply_file_fault("missing_column", src, tmp_path)
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("cp1252")), delimiter=";"))
    assert rows[0][0] == "N°" and "E-mail" not in rows[0]
