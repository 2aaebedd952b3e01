"""The six regional offices' CSV exports, read through each office's mapping file.

Everything office-specific lives in ``ingestion/mappings/regional_offices/<office>.yml``
(delimiter, encoding, date format, and ``columns``: canonical column → the office's header);
the office is the name of the folder the file was dropped in. Adding a seventh office is a new
YAML file, nothing else. Optional mapping keys: ``optional`` (canonical columns that may be
absent from an export; by default every mapped column is required) and ``fallback_encodings``.

Encoding detection (files lie about their encoding; the one used is logged, with a warning when
it is not the declared one):

1. a byte-order mark decides: UTF-8-SIG, UTF-32 LE/BE, UTF-16 LE/BE;
2. no BOM but NUL bytes on every other position: UTF-16 LE/BE without BOM (a UTF-16
   declaration without either is not believed);
3. valid UTF-8 is UTF-8, whatever the declaration (valid UTF-8 is never an accident, while a
   single-byte code page decodes any bytes, as mojibake); pure ASCII is the declared encoding;
4. otherwise, mostly-UTF-8 text with a few invalid rows is read as UTF-8 row by row; else the
   file is in a single-byte code page, chosen among the declared one (if single-byte) and
   ``cp1252``, ``cp1251``, ``cp1256`` (plus the mapping's optional ``fallback_encodings``) by
   :func:`plausibility` (mojibake breaks words: mixed scripts or cases inside a word, Cyrillic or
   Arabic turned into runs of accented Latin letters); the declared one wins ties;
5. rows that still do not decode (bytes invalid in the chosen encoding, a UTF-8 row inside a
   cp1252 file) are read as well as possible and returned with ``_parse_error`` set.

Rows: the header is the first record (a few leading title/blank rows are skipped if the mapped
headers appear below them); each following record is one participant row. A record with the
wrong number of fields, or with undecodable bytes, is returned with ``_parse_error`` and
whatever could be read (never dropped); blank lines (also lines of empty fields) are skipped but
counted, so ``_row_number`` is the data row's position after the header. Dates are converted to
ISO ``YYYY-MM-DD`` with the declared ``date_format``; the raw text is kept in
``start_date_raw`` / ``end_date_raw``, and a date that is not one (``30/02/2024``,
``2024-13-45``, another format) stays null with ``_parse_error`` ``invalid_date: start_date
'30/02/2024' ...``, so validation quarantines the row. A row that repeats an earlier row exactly
(every field but the row number) is dropped and counted in ``duplicates_dropped``.

Rejected files (:class:`PlatformError`, the pipeline archives the file and records why): a mapped
column missing from the header (renamed or removed; the message names the office, the file and
the column; extra columns are ignored and logged), and a file that cannot be read to its end
(:func:`parse_csv`: a CSV syntax error such as a field over the size limit, an unbalanced
quote; :func:`utf16_out_of_step`: a UTF-16 file with a byte added or lost), with the line
number. Any other error while reading a file also becomes a
:class:`PlatformError`: a hostile file never raises another exception type.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from ingestion.connectors.base import EntityExtract, PlatformError, drop_exact_duplicates

log = logging.getLogger(__name__)

PLATFORM = "regional_offices"
MAPPINGS_DIR = Path(__file__).resolve().parents[1] / "mappings" / "regional_offices"

# The landed columns, in order; the ones the contract declares (the dbt source file of
# regional_offices; tests/unit/validation/test_contracts.py checks they agree).
LANDED_COLUMNS = (
    "office",
    "source_file",
    "activity_title",
    "activity_type",
    "start_date",
    "end_date",
    "city",
    "venue_country",
    "full_name",
    "first_name",
    "last_name",
    "name_latin",
    "email",
    "country",
    "organization",
    "gender",
    "satisfaction",
    "start_date_raw",
    "end_date_raw",
)
MAPPABLE = frozenset(LANDED_COLUMNS) - {"office", "source_file", "start_date_raw", "end_date_raw"}
DATE_COLUMNS = ("start_date", "end_date")
HEADER_SEARCH_ROWS = 10
# Code pages tried, by plausibility, when a file is not UTF-8 (Western, Cyrillic, Arabic
# Windows code pages: what Excel writes on the offices' machines); a mapping may add its own
# with ``fallback_encodings``.
FALLBACK_ENCODINGS = ("cp1252", "cp1251", "cp1256")
_SINGLE_BYTE_PREFIXES = ("cp125", "iso8859", "koi8", "mac-", "cp437", "cp850", "cp866")
REPLACEMENT = "\ufffd"
_LINE_BREAK = re.compile(rb"(\r\n|\n|\r)")
_LINE_BREAK_TEXT = re.compile(r"\r\n|\n|\r")  # what the csv module ends a line on


@dataclass(frozen=True)
class OfficeMapping:
    office: str
    delimiter: str
    encoding: str
    date_format: str
    columns: dict[str, str]  # canonical → header
    optional: frozenset[str]
    fallback_encodings: tuple[str, ...]
    path: Path


def _delimiter(value: Any) -> str:
    text = str(value)
    aliases = {"tab": "\t", "\\t": "\t", "comma": ",", "semicolon": ";", "pipe": "|"}
    text = aliases.get(text.lower(), text)
    if len(text) != 1:
        raise ValueError(f"delimiter must be one character, got {value!r}")
    return text


def load_mapping(office: str, mappings_dir: Path = MAPPINGS_DIR) -> OfficeMapping:
    path = Path(mappings_dir) / f"{office}.yml"
    if not path.is_file():
        raise PlatformError(
            f"no mapping file for office {office!r} (expected {path}); "
            "add one to declare the office's CSV format",
            platform=PLATFORM,
        )
    try:
        spec = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        columns = {str(k): str(v) for k, v in dict(spec["columns"]).items()}
        unknown = sorted(set(columns) - MAPPABLE)
        if unknown:
            raise ValueError(f"unknown canonical column(s) {unknown}; known: {sorted(MAPPABLE)}")
        for name in [spec["encoding"], *(spec.get("fallback_encodings") or ())]:
            codecs.lookup(str(name))
        mapping = OfficeMapping(
            office=str(spec.get("office") or office),
            delimiter=_delimiter(spec["delimiter"]),
            encoding=str(spec["encoding"]),
            date_format=str(spec["date_format"]),
            columns=columns,
            optional=frozenset(str(c) for c in spec.get("optional") or ()),
            fallback_encodings=tuple(
                dict.fromkeys([*(spec.get("fallback_encodings") or ()), *FALLBACK_ENCODINGS])
            ),
            path=path,
        )
    except (KeyError, TypeError, ValueError, LookupError, yaml.YAMLError) as exc:
        raise PlatformError(f"invalid mapping file {path}: {exc}", platform=PLATFORM) from exc
    return mapping


# --------------------------------------------------------------------------- encoding


@dataclass
class Decoded:
    text: str
    encoding: str
    line_errors: dict[int, str]  # 1-based physical line → why its bytes could not be read


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _norm_codec(name: str) -> str:
    return codecs.lookup(name).name


def _single_byte(codec: str) -> bool:
    return codec.startswith(_SINGLE_BYTE_PREFIXES)


def _utf16_without_bom(raw: bytes) -> str | None:
    """utf-16-le / utf-16-be when NUL bytes sit on every other position (ASCII-heavy text)."""
    sample = raw[:4096]
    if len(sample) < 4:
        return None
    even_nuls = sum(1 for b in sample[0::2] if b == 0)
    odd_nuls = sum(1 for b in sample[1::2] if b == 0)
    half = len(sample) / 2
    if odd_nuls > 0.3 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.3 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _lines(text: str) -> list[str]:
    """Physical lines as the csv module counts them (``\\n``, ``\\r\\n`` or a lone ``\\r``)."""
    return list(io.StringIO(text, newline=""))


def _replacement_lines(text: str, codec: str) -> dict[int, str]:
    return {
        number: f"undecodable bytes (file read as {codec})"
        for number, line in enumerate(_lines(text), start=1)
        if REPLACEMENT in line
    }


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# A run this long of U+XX00 characters is UTF-16 read one byte out of step, not text.
_OUT_OF_STEP_RUN = 12


def utf16_out_of_step(decoded: Decoded) -> int | None:
    """The first line of a UTF-16 text that reads as bytes out of step, or None.

    A byte added or lost in a UTF-16 file shifts everything after it by one byte: ASCII and
    Latin-1 text then decodes as U+XX00 characters (``A`` → U+4100) without line breaks, hiding
    every row after it in one garbled record. Real text, even CJK, never has a run of
    :data:`_OUT_OF_STEP_RUN` such characters.
    """
    if not decoded.encoding.startswith("utf-16"):
        return None
    for number, line in enumerate(_lines(decoded.text), start=1):
        run = 0
        for ch in line:
            code = ord(ch)
            run = run + 1 if code > 0xFF and code & 0xFF == 0 else 0
            if run >= _OUT_OF_STEP_RUN:
                return number
    return None


def decode_bytes(
    raw: bytes, declared: str, fallbacks: tuple[str, ...] = FALLBACK_ENCODINGS
) -> Decoded:
    """Decode a dropped file (module docstring, "Encoding detection")."""
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            text = raw.decode(codec, errors="replace").lstrip("\ufeff")
            label = _bom_label(bom)
            return Decoded(text, label, _replacement_lines(text, label))
    utf16 = _utf16_without_bom(raw)
    if utf16:
        text = raw.decode(utf16, errors="replace")
        return Decoded(text, utf16, _replacement_lines(text, utf16))

    declared_name = _norm_codec(declared)
    if raw.isascii():
        label = declared_name if not declared_name.startswith(("utf-16", "utf-32")) else "ascii"
        return Decoded(raw.decode("ascii"), label, {})
    if _is_utf8(raw):
        return Decoded(raw.decode("utf-8").lstrip("\ufeff"), "utf-8", {})
    single = _single_byte(declared_name)
    if not single and not declared_name.startswith(("utf-", "utf_")):
        try:  # another multi-byte code page (GB18030, Shift-JIS ...) as declared
            return Decoded(raw.decode(declared_name), declared_name, {})
        except UnicodeDecodeError:
            pass

    # Not UTF-8 as a whole: mostly UTF-8 with a few bad rows, or a single-byte code page.
    as_utf8 = raw.decode("utf-8", errors="replace")
    bad = as_utf8.count(REPLACEMENT)
    good = sum(1 for ch in as_utf8 if ord(ch) > 0x7F and ch != REPLACEMENT)
    if good > bad:
        return _by_line(raw, "utf-8")
    candidates = list(dict.fromkeys([declared_name] if single else []))
    candidates += [c for c in (_norm_codec(f) for f in fallbacks) if c not in candidates]
    best = max(
        candidates,
        key=lambda c: (plausibility(raw.decode(c, errors="replace")), -candidates.index(c)),
    )
    return _by_line(raw, best)


_COMMON_SYMBOLS = frozenset("\u00a0«»–—‘’‚“”„…•°ºª·©®€£§±×÷¿¡²³½¼¾µ¨´¸¯")


def plausibility(text: str) -> int:
    """How much a decoding looks like real text (higher is better).

    Mojibake breaks words: a decoding in the wrong code page mixes scripts inside a word
    (Latin + Cyrillic), mixes cases inside a word (``гНгП``: Arabic read as Cyrillic), or
    turns whole Cyrillic/Arabic words into strings of accented Latin letters (``Ñåðãåé``).
    Each word with non-ASCII letters scores +1 when coherent, -3 when not; odd symbols and
    undecodable bytes cost 2 and 3.
    """
    score = 0
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        score += 1 if _coherent(word) else -3
    for ch in text:
        if ord(ch) < 0x80 or ch.isalpha() or unicodedata.category(ch) == "Mn":
            continue
        if ch == REPLACEMENT:
            score -= 3
        elif ch not in _COMMON_SYMBOLS:
            score -= 2
    return score


_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _script(ch: str) -> str:
    try:
        return unicodedata.name(ch).split(" ")[0]
    except ValueError:
        return "?"


def _coherent(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    if not letters:
        return True
    scripts = {_script(ch) for ch in letters}
    if len(scripts) > 1:
        return False
    cased = [ch for ch in letters if ch.isupper() or ch.islower()]
    if cased:
        upper = [ch.isupper() for ch in cased]
        # lower, UPPER or Capitalized; a mixed-case word (gНгП) is not
        if any(upper[1:]) and not all(upper):
            return False
    if scripts == {"LATIN"}:
        accented = sum(1 for ch in letters if ord(ch) > 0x7F)
        # real words carry a few accents; mojibake of another script is all accents
        if accented > 1 and accented * 2 > len(letters):
            return False
    return True


def _by_line(raw: bytes, codec: str) -> Decoded:
    """Decode an ASCII-compatible file line by line; lines in another encoding are flagged.

    A line that is not valid ``codec`` is read with the other likely encoding (cp1252 for a
    UTF-8 file, UTF-8 for a single-byte one) and flagged; a non-ASCII line of a single-byte file
    that is valid UTF-8 is UTF-8 (mixed export) and flagged too. Either way the row is kept.
    """
    single_byte = _single_byte(codec)
    other = "utf-8" if single_byte else "cp1252"
    pieces = _LINE_BREAK.split(raw)  # [line, break, line, break, ..., line]
    out: list[str] = []
    errors: dict[int, str] = {}
    for number, start in enumerate(range(0, len(pieces), 2), start=1):
        line = pieces[start]
        brk = pieces[start + 1].decode("ascii") if start + 1 < len(pieces) else ""
        if single_byte and not line.isascii() and _is_utf8(line):
            out.append(line.decode("utf-8") + brk)
            errors[number] = f"mixed encodings: row is UTF-8 in a {codec} file (read as UTF-8)"
            continue
        try:
            out.append(line.decode(codec) + brk)
            continue
        except UnicodeDecodeError:
            pass
        try:
            out.append(line.decode(other) + brk)
            errors[number] = f"bytes not valid {codec} (row read as {other})"
        except UnicodeDecodeError:
            out.append(line.decode(codec, errors="replace") + brk)
            errors[number] = f"undecodable bytes (file read as {codec})"
    text = "".join(out).lstrip("\ufeff")
    return Decoded(text, codec, errors)


def _bom_label(bom: bytes) -> str:
    return {
        codecs.BOM_UTF8: "utf-8-sig",
        codecs.BOM_UTF16_LE: "utf-16-le (BOM)",
        codecs.BOM_UTF16_BE: "utf-16-be (BOM)",
        codecs.BOM_UTF32_LE: "utf-32-le (BOM)",
        codecs.BOM_UTF32_BE: "utf-32-be (BOM)",
    }[bom]


def _same_encoding(used: str, declared: str) -> bool:
    base = used.split(" ")[0]
    try:
        a, b = _norm_codec(base), _norm_codec(declared)
    except LookupError:
        return False
    family = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
    return family.get(a, a) == family.get(b, b)


# --------------------------------------------------------------------------- headers


def normalize_label(text: str) -> str:
    """Header comparison key: NFC, case-folded, whitespace collapsed, BOM/quotes stripped."""
    text = unicodedata.normalize("NFC", text.replace("\ufeff", ""))
    return " ".join(text.casefold().split()).strip("\"'")


def _find_header(rows: list[list[str]], mapping: OfficeMapping) -> tuple[int, dict[str, int]]:
    """(index of the header row, canonical → column index) — the best of the first rows."""
    wanted = {normalize_label(h): c for c, h in mapping.columns.items()}
    best_index, best_found = 0, {}
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found: dict[str, int] = {}
        for position, cell in enumerate(row):
            canonical = wanted.get(normalize_label(cell))
            if canonical and canonical not in found:
                found[canonical] = position
        if len(found) > len(best_found):
            best_index, best_found = index, found
        if len(found) == len(wanted):
            break
    return best_index, best_found


# --------------------------------------------------------------------------- reading


def read_drop(path: Path, mappings_dir: Path | None = None) -> list[EntityExtract]:
    """Read one regional-office export: one ``participants`` extract with the file's rows.

    Whatever goes wrong with the file's bytes surfaces as :class:`PlatformError` (the pipeline
    rejects the file with its message), never as another exception type.
    """
    path = Path(path)
    request = f"{path.parent.name}/{path.name}"
    try:
        return _read_drop(path, Path(mappings_dir) if mappings_dir else MAPPINGS_DIR)
    except PlatformError:
        raise
    except Exception as exc:  # a hostile file must be rejected, not crash the run
        log.exception("%s: %s: unexpected error while reading", PLATFORM, request)
        raise PlatformError(
            f"file could not be read ({type(exc).__name__}: {exc}); the file is rejected",
            platform=PLATFORM,
            request=request,
        ) from exc


# A line that cannot occur in an export: appended to detect a quote left open at end of file.
_END_SENTINEL = "\u2063capdev-end-of-file\u2063"


def parse_csv(
    text: str, delimiter: str, *, platform: str, request: str
) -> tuple[list[list[str]], list[range]]:
    """Every record of a decoded CSV and the physical lines (1-based) each one spans.

    A file that cannot be read to its end is rejected with :class:`PlatformError` naming the
    line: a CSV syntax error (e.g. a field over the csv module's size limit), a quote left open
    at the end of the file, or a quoted field that runs over several lines holding the delimiter
    (an unbalanced quote swallowing rows). A quoted line break in a field without the delimiter
    (an address on two lines) is still one field.
    """
    # The sentinel row must come back as its own record: if it is swallowed, a quote is open.
    tail = "" if not text or text.endswith(("\n", "\r")) else "\n"
    reader = csv.reader(
        io.StringIO(text + tail + _END_SENTINEL + "\n", newline=""), delimiter=delimiter
    )
    rows: list[list[str]] = []
    spans: list[range] = []
    last_line = 0
    try:
        for row in reader:
            rows.append(row)
            spans.append(range(last_line + 1, reader.line_num + 1))
            last_line = reader.line_num
    except csv.Error as exc:
        raise PlatformError(
            f"CSV syntax error at line {last_line + 1}: {exc}; the file cannot be read to its "
            "end and is rejected",
            platform=platform,
            request=request,
        ) from exc
    if rows and rows[-1] == [_END_SENTINEL]:
        rows.pop()
        spans.pop()
    else:
        opened = spans[-1].start if spans else 1
        raise PlatformError(
            f"unbalanced quote: the quoted field opened at line {opened} is never closed (the "
            "rest of the file would be one field); the file cannot be read to its end and is "
            "rejected",
            platform=platform,
            request=request,
        )
    for row, span in zip(rows, spans, strict=True):
        if len(span) < 2:
            continue
        for cell in row:
            lines = _LINE_BREAK_TEXT.split(cell)
            if len(lines) > 1 and any(delimiter in line for line in lines):
                raise PlatformError(
                    f"unbalanced quote at line {span.start}: a quoted field runs over lines "
                    f"{span.start}-{span.stop - 1} and holds what look like rows; the file "
                    "cannot be read row by row and is rejected",
                    platform=platform,
                    request=request,
                )
    return rows, spans


def _read_drop(path: Path, mappings_dir: Path) -> list[EntityExtract]:
    office = path.parent.name
    mapping = load_mapping(office, mappings_dir)
    source = f"{office}/{path.name}"
    raw = path.read_bytes()
    decoded = decode_bytes(raw, mapping.encoding, mapping.fallback_encodings)
    shifted = utf16_out_of_step(decoded)
    if shifted is not None:
        raise PlatformError(
            f"UTF-16 text out of step from line {shifted} (a byte added or lost): the rows "
            "after it cannot be read; the file is rejected",
            platform=PLATFORM,
            request=source,
        )
    message = "%s: %s: read as %s (declared %s)%s"
    extra = (
        f"; {len(decoded.line_errors)} line(s) not readable as such" if decoded.line_errors else ""
    )
    if _same_encoding(decoded.encoding, mapping.encoding) and not decoded.line_errors:
        log.info(message, PLATFORM, source, decoded.encoding, mapping.encoding, extra)
    else:
        log.warning(message, PLATFORM, source, decoded.encoding, mapping.encoding, extra)

    # (record, its physical lines) — a quoted field may span lines
    rows, spans = parse_csv(decoded.text, mapping.delimiter, platform=PLATFORM, request=source)
    if not any(any(cell.strip() for cell in row) for row in rows):
        log.warning("%s: %s: empty file", PLATFORM, source)
        return [EntityExtract("participants", [], [])]
    header_index, positions = _find_header(rows, mapping)
    header = rows[header_index]
    missing = [c for c in mapping.columns if c not in positions and c not in mapping.optional]
    if missing:
        details = []
        for canonical in missing:
            expected = mapping.columns[canonical]
            near = difflib.get_close_matches(expected, header, n=1, cutoff=0.5)
            hint = f" (closest header: {near[0]!r})" if near else ""
            details.append(f"{canonical} = {expected!r}{hint}")
        raise PlatformError(
            f"office {mapping.office!r}, file {path.name!r}: required column(s) missing from the "
            f"header: {'; '.join(details)}. Header found: {header!r}. The file is rejected; fix "
            f"the export or the mapping {mapping.path.name}",
            platform=PLATFORM,
            request=source,
        )
    used = set(positions.values())
    ignored = [cell for i, cell in enumerate(header) if i not in used and cell.strip()]
    if ignored:
        log.warning("%s: %s: extra column(s) ignored: %s", PLATFORM, source, ignored)
    if header_index:
        log.warning("%s: %s: %d row(s) above the header skipped", PLATFORM, source, header_index)

    width = len(header)
    records: list[dict[str, Any]] = []
    for index in range(header_index + 1, len(rows)):
        row = rows[index]
        number = index - header_index
        errors = []
        if not any(cell.strip() for cell in row):
            continue  # a blank line is not a participant row
        if index == len(rows) - 1 and not any(cell.replace("\ufffd", "").strip() for cell in row):
            continue  # a blank last line cut mid-character (a truncated file) holds no row either
        if len(row) != width and len(spans[index]) > 1:
            # a record over several lines with the wrong width: a quote swallowed a line break
            raise PlatformError(
                f"unbalanced quote at line {spans[index].start}: a record runs over lines "
                f"{spans[index].start}-{spans[index].stop - 1} with {len(row)} fields instead of "
                f"{width}; the file cannot be read row by row and is rejected",
                platform=PLATFORM,
                request=source,
            )
        if len(row) != width:
            errors.append(f"expected {width} fields, found {len(row)}")
        errors += [decoded.line_errors[n] for n in spans[index] if n in decoded.line_errors]
        record: dict[str, Any] = dict.fromkeys(LANDED_COLUMNS)
        record["office"] = mapping.office
        record["source_file"] = path.name
        for canonical, position in positions.items():
            value = row[position] if position < len(row) else None
            record[canonical] = value if value is not None and value.strip() else None
        for column in DATE_COLUMNS:
            raw_value = record[column]
            record[f"{column}_raw"] = raw_value
            record[column] = _iso_date(raw_value, mapping.date_format)
            if raw_value is not None and record[column] is None:
                # kept as raw text; the reason sends the row to quarantine (never NULL-accepted)
                errors.append(
                    f"invalid_date: {column} {raw_value.strip()!r} is not a date in the "
                    f"office's format {mapping.date_format}"
                )
        record["_source"] = source
        record["_row_number"] = number
        record["_parse_error"] = "; ".join(dict.fromkeys(errors)) or None
        records.append(record)
    records, dropped = drop_exact_duplicates(records)
    if dropped:
        log.warning(
            "%s: %s: %d exact duplicate row(s) dropped (rows %s)",
            PLATFORM,
            source,
            len(dropped),
            dropped,
        )
    bad = sum(1 for r in records if r["_parse_error"])
    log.info(
        "%s: %s: %d rows (%d with parse errors, %d duplicates dropped), header at line %d",
        PLATFORM,
        source,
        len(records),
        bad,
        len(dropped),
        header_index + 1,
    )
    return [EntityExtract("participants", records, [], duplicates_dropped=len(dropped))]


def _iso_date(value: str | None, date_format: str) -> str | None:
    if value is None:
        return None
    try:
        return datetime.strptime(value.strip(), date_format).date().isoformat()
    except ValueError:
        return None
