"""A catalogue of named, reusable bad-input scenarios for the file drops.

``apply_file_fault(name, src_file, dst_dir) -> Path`` writes a faulty copy of a generated drop
file (regional-office CSV export, BR legacy CSV, BR workbook) into ``dst_dir`` and returns its
path. The source file is never modified (unless ``dst_dir`` is its own folder and the fault
keeps the file name). See sandbox/README.md, "Bad input catalogue".
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from pathlib import Path

from .offices import OFFICES
from .util import save_workbook

FILE_FAULTS: dict[str, str] = {
    "malformed_rows": "CSV: data row 2 gets one extra field and data row 5 loses its last two "
    "fields (1-based data rows; the last data row stands in for row 5 in shorter files).",
    "wrong_encoding": "CSV: the text is re-encoded in another code page than the declared one "
    "(UTF-8/UTF-16 files become cp1252, cp1251 or cp1256, whichever holds most of the text, "
    "other characters becoming '?'; cp1252 files become UTF-8). Rows are otherwise unchanged.",
    "renamed_column": "The e-mail column's header becomes 'Email address'.",
    "missing_column": "The e-mail column is removed (header and every row).",
    "extra_column": "A 'Remarks / Observations' column is appended (a few rows have text).",
    "empty_file": "A zero-byte file with the same name.",
    "header_only": "CSV: the header (and BR '#' metadata lines) without any data row; "
    "workbook: the Participants sheet keeps its title and header rows only.",
    "duplicate_resent": "Identical bytes re-sent under another name: '<stem>_resent<suffix>'.",
}

EMAIL_HEADER = re.compile(r"mail|courriel|correo|почта", re.IGNORECASE)
RENAMED = "Email address"
EXTRA = "Remarks / Observations"
MALFORMED_ROWS = (2, 5)


def csv_format(path: Path) -> tuple[str, str]:
    """(encoding, delimiter) of a generated CSV drop, from where it sits; sniffed otherwise."""
    parent = path.parent.name
    if parent in OFFICES:
        o = OFFICES[parent]
        return o.encoding, o.delimiter
    if parent == "br_seminars":
        return "cp1252", ";"
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        enc = "utf-16"
    elif data.startswith(b"\xef\xbb\xbf"):
        enc = "utf-8-sig"
    else:
        try:
            data.decode("utf-8")
            enc = "utf-8"
        except UnicodeDecodeError:
            enc = "cp1252"
    first = data.decode(enc, errors="replace").splitlines()[0] if data else ","
    delim = max(",;\t", key=first.count)
    return enc, delim


def _decode(data: bytes, enc: str) -> str:
    return data.decode("utf-16" if enc == "utf-16" else enc)


def _encode(text: str, enc: str) -> bytes:
    if enc == "utf-16":
        return b"\xff\xfe" + text.encode("utf-16-le")
    return text.encode(enc)


def _read_csv(path: Path, enc: str, delim: str) -> tuple[list[str], list[list[str]]]:
    text = _decode(path.read_bytes(), enc)
    lines = text.splitlines()
    meta = []
    while lines and lines[0].startswith("#"):
        meta.append(lines.pop(0))
    rows = list(csv.reader(lines, delimiter=delim))
    return meta, rows


def _write_csv(path: Path, meta: list[str], rows: list[list[str]], enc: str, delim: str) -> None:
    buf = io.StringIO()
    for line in meta:
        buf.write(line + "\r\n")
    csv.writer(buf, delimiter=delim, lineterminator="\r\n").writerows(rows)
    path.write_bytes(_encode(buf.getvalue(), enc))


def _unencodable(text: str, codepage: str) -> int:
    return sum(1 for ch in set(text) if not _fits(ch, codepage))


def _fits(ch: str, codepage: str) -> bool:
    try:
        ch.encode(codepage)
        return True
    except UnicodeEncodeError:
        return False


def _email_col(header: list[str]) -> int:
    for i, h in enumerate(header):
        if EMAIL_HEADER.search(h or ""):
            return i
    return len(header) - 1


def apply_file_fault(
    name: str,
    src_file: Path | str,
    dst_dir: Path | str,
    *,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> Path:
    """Write ``src_file`` with fault ``name`` (a key of FILE_FAULTS) into ``dst_dir``."""
    if name not in FILE_FAULTS:
        raise KeyError(f"unknown file fault {name!r}; known: {', '.join(FILE_FAULTS)}")
    src = Path(src_file)
    dst_dir = Path(dst_dir)
    dst_dir.mkdir(parents=True, exist_ok=True)
    if name == "duplicate_resent":
        dst = dst_dir / f"{src.stem}_resent{src.suffix}"
        shutil.copyfile(src, dst)
        return dst
    dst = dst_dir / src.name
    if name == "empty_file":
        dst.write_bytes(b"")
        return dst
    if src.suffix.lower() == ".xlsx":
        return _xlsx_fault(name, src, dst)

    enc, delim = csv_format(src)
    enc = encoding or enc
    delim = delimiter or delim
    meta, rows = _read_csv(src, enc, delim)
    header, data = rows[0], rows[1:]
    if name == "wrong_encoding":
        text = _decode(src.read_bytes(), enc)
        if text.isascii():
            raise ValueError(f"{src.name} is pure ASCII: no encoding fault can show")
        if enc == "cp1252":
            out = text.encode("utf-8")
        else:
            # the Windows code page that holds most of the text (what Excel would have used)
            target = min(("cp1252", "cp1251", "cp1256"), key=lambda cp: _unencodable(text, cp))
            out = text.encode(target, errors="replace")
        dst.write_bytes(out)
        return dst
    if name == "malformed_rows":
        if len(data) < 2:
            raise ValueError(f"{src.name} has fewer than 2 data rows")
        a, b = MALFORMED_ROWS
        data[a - 1] = data[a - 1] + ["EXTRA"]
        j = min(b, len(data)) - 1
        data[j] = data[j][:-2]
    elif name == "renamed_column":
        header[_email_col(header)] = RENAMED
    elif name == "missing_column":
        col = _email_col(header)
        header = header[:col] + header[col + 1 :]
        data = [r[:col] + r[col + 1 :] for r in data]
    elif name == "extra_column":
        header = header + [EXTRA]
        data = [r + (["to be confirmed" if i % 7 == 3 else ""]) for i, r in enumerate(data)]
    elif name == "header_only":
        data = []
    _write_csv(dst, meta, [header, *data], enc, delim)
    return dst


def _participants_header(ws) -> tuple[int, int, dict[str, int]]:
    """(first header row, last header row, {header text: column})."""
    first = last = None
    for row in ws.iter_rows(min_col=1, max_col=1):
        if row[0].value == "N°":
            first = row[0].row
            break
    if first is None:
        raise ValueError("no 'N°' header row in the Participants sheet")
    last = first
    nxt = ws.cell(row=first + 1, column=1).value
    if nxt is None or not isinstance(nxt, int):  # two-row header
        last = first + 1
    cols: dict[str, int] = {}
    for r in range(first, last + 1):
        for c in range(1, ws.max_column + 1):
            v = ws.cell(row=r, column=c).value
            if isinstance(v, str):
                cols[v] = c
    return first, last, cols


def _xlsx_fault(name: str, src: Path, dst: Path) -> Path:
    from openpyxl import load_workbook

    if name in ("malformed_rows", "wrong_encoding"):
        raise ValueError(f"{name} applies to CSV files, not workbooks")
    wb = load_workbook(src)
    ws = wb["Participants"]
    first, last, cols = _participants_header(ws)
    email_col = next((c for h, c in cols.items() if EMAIL_HEADER.search(h)), None)
    if name == "renamed_column":
        for r in range(first, last + 1):
            if ws.cell(row=r, column=email_col).value:
                ws.cell(row=r, column=email_col).value = RENAMED
                break
    elif name == "missing_column":
        merged = [m.bounds for m in ws.merged_cells.ranges]
        for m in list(ws.merged_cells.ranges):
            ws.unmerge_cells(str(m))
        ws.delete_cols(email_col)
        for min_col, min_row, max_col, max_row in merged:
            if min_col > email_col:
                min_col, max_col = min_col - 1, max_col - 1
            elif max_col >= email_col:
                max_col -= 1
            if max_col < min_col or (min_col == max_col and min_row == max_row):
                continue
            ws.merge_cells(
                start_row=min_row, start_column=min_col, end_row=max_row, end_column=max_col
            )
    elif name == "extra_column":
        col = ws.max_column + 1
        ws.cell(row=last, column=col, value=EXTRA)
        for i, r in enumerate(range(last + 1, ws.max_row + 1)):
            if i % 7 == 3:
                ws.cell(row=r, column=col, value="to be confirmed")
    elif name == "header_only" and ws.max_row > last:
        ws.delete_rows(last + 1, ws.max_row - last)
    save_workbook(wb, dst, creator="ITU Radiocommunication Bureau")
    return dst
