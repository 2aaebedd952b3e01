"""Small helpers shared by the generator modules: seeded random streams, dates, text folding,
deterministic JSON / Parquet / xlsx writing."""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import json
import random
import re
import unicodedata
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from anyascii import anyascii

AS_OF = date(2026, 10, 31)
"""The sandbox's "present": nothing is dated after this day."""
START = date(2018, 1, 1)
FIXED_DATETIME = datetime(2026, 10, 31, 23, 0, 0)
"""Fixed timestamp used wherever a file format wants a "created/modified" time."""
YEARS = tuple(range(START.year, AS_OF.year + 1))


def rng_for(seed: int, stream: str) -> random.Random:
    """An independent, reproducible random stream per purpose (string seeds hash with sha512)."""
    return random.Random(f"capdev-sandbox:{seed}:{stream}")


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """Drop accents and other marks from Latin text: 'Müller' -> 'Muller', 'Łukasz' -> 'Lukasz'."""
    out = []
    for ch in text:
        if ord(ch) < 128:
            out.append(ch)
            continue
        decomposed = unicodedata.normalize("NFKD", ch)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        if base and all(ord(c) < 128 for c in base):
            out.append(base)
        elif unicodedata.category(ch).startswith("L") and _is_latin(ch):
            out.append(anyascii(ch))
        else:
            out.append(ch)
    return "".join(out)


def _is_latin(ch: str) -> bool:
    try:
        return "LATIN" in unicodedata.name(ch)
    except ValueError:
        return False


@functools.lru_cache(maxsize=200_000)
def slug(text: str) -> str:
    """Lower-case ASCII identifier: letters and digits only."""
    return "".join(c for c in anyascii(text).lower() if c.isalnum())


def cp1252_safe(text: str) -> str:
    """Replace characters cp1252 cannot hold by their ASCII transliteration."""
    try:
        text.encode("cp1252")
        return text
    except UnicodeEncodeError:
        return "".join(_cp1252_char(c) for c in text)


def _cp1252_char(ch: str) -> str:
    try:
        ch.encode("cp1252")
        return ch
    except UnicodeEncodeError:
        return anyascii(ch)


def epoch(d: date | datetime, hour: int = 0, minute: int = 0, second: int = 0) -> int:
    """Unix seconds (UTC) of a date at a given time, or of a naive-UTC datetime."""
    if isinstance(d, datetime):
        dt = d if d.tzinfo else d.replace(tzinfo=UTC)
    else:
        dt = datetime(d.year, d.month, d.day, hour, minute, second, tzinfo=UTC)
    return int(dt.timestamp())


def iso_z(dt: datetime, millis: bool = False) -> str:
    """ISO 8601 in UTC with a Z suffix."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(UTC).replace(tzinfo=None)
    if millis:
        return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def random_date(rng: random.Random, start: date, end: date) -> date:
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(span, 0)))


def weighted_choice(rng: random.Random, weights: dict):
    """Pick a key of ``weights`` (insertion order matters for determinism)."""
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys], k=1)[0]


class Weighted:
    """A reusable weighted picker (precomputed cumulative weights; hot loops)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, weights: dict | None = None, items=None, values=None):
        if weights is not None:
            items, values = list(weights), list(weights.values())
        self.items = list(items)
        self.cum = list(itertools.accumulate(values))
        self.total = self.cum[-1]

    def pick(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def write_json(path: Path, obj) -> int:
    """Compact UTF-8 JSON (keys in insertion order); returns the number of bytes written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"
    path.write_bytes(data)
    return len(data)


def write_pretty_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
    path.write_bytes(text.encode("utf-8"))


ZIP_EPOCH = (2026, 10, 31, 0, 0, 0)
_CORE_STAMP = FIXED_DATETIME.strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_zip(data: bytes) -> bytes:
    """Rewrite a zip (xlsx) with fixed entry times and fixed document dates, so that identical
    content always gives identical bytes (openpyxl stamps the current time in both)."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            payload = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                core = payload.decode("utf-8")
                for tag in ("dcterms:created", "dcterms:modified"):
                    core = re.sub(
                        rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{_CORE_STAMP}\g<2>", core
                    )
                payload = core.encode("utf-8")
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o600 << 16
            dst.writestr(zi, payload)
    return out.getvalue()


def save_workbook(wb, path: Path, creator: str = "ITU") -> None:
    """Save an openpyxl workbook deterministically (fixed document properties and zip times)."""
    wb.properties.created = FIXED_DATETIME
    wb.properties.modified = FIXED_DATETIME
    wb.properties.creator = creator
    wb.properties.lastModifiedBy = creator
    buf = io.BytesIO()
    wb.save(buf)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(normalize_zip(buf.getvalue()))
