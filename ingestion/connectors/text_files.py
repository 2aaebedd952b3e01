"""Reading a dropped text file, shared by the file connectors (regional offices' CSV exports, BR
legacy seminar CSVs): the encoding detection and the CSV parse that rejects a file it cannot
read to its end.

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

Rejected files (:class:`~ingestion.connectors.base.PlatformError`): :func:`parse_csv` when a
file cannot be read to its end (a CSV syntax error, an unbalanced quote), and, as the readers
check it, :func:`utf16_out_of_step` (a UTF-16 file with a byte added or lost), with the line.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass

from ingestion.connectors.base import PlatformError

# Code pages tried, by plausibility, when a file is not UTF-8 (Western, Cyrillic, Arabic
# Windows code pages: what Excel writes on the offices' machines); a mapping may add its own
# with ``fallback_encodings``.
FALLBACK_ENCODINGS = ("cp1252", "cp1251", "cp1256")
_SINGLE_BYTE_PREFIXES = ("cp125", "iso8859", "koi8", "mac-", "cp437", "cp850", "cp866")
REPLACEMENT = "\ufffd"
_LINE_BREAK = re.compile(rb"(\r\n|\n|\r)")
_LINE_BREAK_TEXT = re.compile(r"\r\n|\n|\r")  # what the csv module ends a line on


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


def reject_out_of_step(decoded: Decoded, *, platform: str, request: str) -> None:
    """Reject the file (:class:`PlatformError`) when its UTF-16 text is out of step
    (:func:`utf16_out_of_step`): no row after the shift can be read."""
    shifted = utf16_out_of_step(decoded)
    if shifted is not None:
        raise PlatformError(
            f"UTF-16 text out of step from line {shifted} (a byte added or lost): the rows "
            "after it cannot be read; the file is rejected",
            platform=platform,
            request=request,
        )


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


def same_encoding(used: str, declared: str) -> bool:
    base = used.split(" ")[0]
    try:
        a, b = _norm_codec(base), _norm_codec(declared)
    except LookupError:
        return False
    family = {"utf-8-sig": "utf-8", "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
    return family.get(a, a) == family.get(b, b)


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
