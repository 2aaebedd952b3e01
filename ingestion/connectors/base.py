"""What every connector shares: the connection settings, the units it hands to landing, errors.

Connectors never read Airflow: the DAG builds an :class:`ApiConnection` from its Airflow
connection and passes it in. A pull returns one :class:`EntityExtract` per entity; landing
archives the :class:`RawPage` bytes as they came and writes the records (plus lineage columns)
to Parquet.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import KW_ONLY, dataclass, field, fields
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

log = logging.getLogger(__name__)


def endpoint_url(address: str | None, schema: str | None = None, port: int | None = None) -> str:
    """An Airflow connection's address as a URL: kept whole when it has a scheme, else built
    as ``{schema or https}://{address}:{port}``; empty when there is no address."""
    if not address or "://" in address:
        return address or ""
    return f"{schema or 'https'}://{address}{f':{port}' if port else ''}"


# The settings a connection's extras may tune (the backoff values are for tests only).
TUNABLE_SETTINGS = frozenset(
    {
        "timeout",
        "max_retries",
        "page_size",
        "since_lookback_days",
        "max_in_flight",
        "courses_per_part",
        "pages_per_part",
        "events_per_part",
    }
)

# The settings that shape a pull's requests and parts: a checkpoint left by a pull with other
# values is not resumed (``ApiConnection.pull_settings``). Every ``*_per_part`` setting is one.
PULL_SHAPE_SETTINGS = ("page_size", "since_lookback_days")


@dataclass(frozen=True)
class ApiConnection:
    """How to reach one API platform (built by the DAG from an Airflow connection)."""

    base_url: str  # Moodle site root / TSB API root / LRS xAPI endpoint
    token: str | None = None
    username: str | None = None
    password: str | None = None
    timeout: float = 30.0
    max_retries: int = 5
    page_size: int = 500
    # Backoff between retries: backoff_base * 2**(attempt - 1), capped at backoff_max, plus
    # jitter. Tests use tiny values; production keeps the defaults.
    backoff_base: float = 1.0
    backoff_max: float = 60.0
    # A 429 whose Retry-After asks for longer than this is a permanent failure of this run
    # (the Airflow task retry comes back later) rather than a silent hour-long sleep.
    max_retry_after: float = 300.0
    # xAPI only: how far before the watermark ``since`` is sent. Some LRSs filter ``since`` on
    # the statement ``timestamp`` instead of ``stored``; the overlap brings back statements
    # that were stored late but back-dated (the client re-checks ``stored`` itself).
    since_lookback_days: float = 7.0
    # Requests one pull keeps in flight at once (a far platform answers in parallel what it
    # would answer one after another); 1 = strictly sequential.
    max_in_flight: int = 8
    # How much of a pull lands as one part (what a retried task does not pull again):
    # Academy: courses; gs_lrs: pages of statements; tsb_events: events whose registrations.
    courses_per_part: int = 25
    pages_per_part: int = 10
    events_per_part: int = 50

    @classmethod
    def with_settings(cls, base_url: str, settings: Mapping[str, Any], **credentials: Any):
        """A connection whose tunables (timeout, page size, requests in flight...) come from
        ``settings`` (an Airflow connection's extras) where given, else from the defaults above,
        so each default is written once."""
        tunable = {f.name: type(f.default) for f in fields(cls) if f.name in TUNABLE_SETTINGS}
        given = {name: kind(settings[name]) for name, kind in tunable.items() if name in settings}
        return cls(base_url=base_url, **credentials, **given)

    def pull_settings(self) -> dict[str, Any]:
        """What a pull's parts depend on: the server they come from (its URL without any
        credentials in it) and the settings that shape them (page size, look-back, every part
        size). Part of the key a resumed pull must match, whichever platform it is: parts of
        another server, or cut another way, are never resumed."""
        names = [f.name for f in fields(self) if f.name.endswith("_per_part")]
        shape = {name: getattr(self, name) for name in (*PULL_SHAPE_SETTINGS, *names)}
        return {"server": _without_credentials(self.base_url), **shape}

    def __repr__(self) -> str:  # never print secrets
        return (
            f"ApiConnection(base_url={self.base_url!r}, token={'***' if self.token else None}, "
            f"username={self.username!r}, password={'***' if self.password else None}, "
            f"timeout={self.timeout}, max_retries={self.max_retries}, page_size={self.page_size}, "
            f"max_in_flight={self.max_in_flight})"
        )


def _without_credentials(url: str) -> str:
    """``url`` without a user name, password or query (where a token could be), its path
    without a trailing slash."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))


@dataclass
class RawPage:
    """One unit archived byte-for-byte (an API response body)."""

    name: str  # archive file name, e.g. "0003.json"
    content: bytes
    source: str  # the request: function + arguments, or URL with query (no secrets!)


@dataclass
class EntityExtract:
    """What one pull (or one dropped file) yields for one entity.

    ``records`` carry the landed columns of docs/raw-zone.md plus ``_source``, ``_row_number``
    and ``_parse_error``; landing adds the other lineage columns.

    ``duplicates_dropped`` (file readers): data rows left out because they repeat an earlier row
    of the same file exactly (every data field equal; the row number does not count). For a
    dropped file, ``len(records) + duplicates_dropped`` is the number of data rows in the file
    (blank lines and unused template lines are not data rows), so after validation
    ``rows_accepted + rows_quarantined + duplicates_dropped`` = the rows in the file. A reader
    that cannot read a file to its end raises :class:`PlatformError` rather than return part.
    """

    entity: str
    records: list[dict[str, Any]]
    pages: list[RawPage] = field(default_factory=list)
    watermark_from: str | None = None
    watermark_to: str | None = None
    _: KW_ONLY  # what follows is named at every call: no positional slip between the two
    duplicates_dropped: int = 0
    # Reconciliation findings of the pull (already logged as warnings); empty when all agreed.
    warnings: list[str] = field(default_factory=list)


@dataclass
class PullPart:
    """One part of a pull that lands as it goes (``ingestion.raw.landing.land_pull``).

    ``extracts``: this part's records and pages, by entity (landing numbers the rows and names
    the pages, continuing the earlier parts). ``state``: JSON the connector resumes from once
    this part is landed. ``final``, on the last part only: per entity, the pull's
    ``watermark_from`` / ``watermark_to`` (and ``warnings``), the same keys as
    :class:`EntityExtract`.
    """

    key: str
    extracts: list[EntityExtract]
    state: dict[str, Any]
    final: dict[str, dict[str, Any]] | None = None


def collect_parts(parts: Iterable[PullPart], entities: Iterable[str]) -> list[EntityExtract]:
    """A whole pull held in memory (tests, the plain ``pull``): the parts joined per entity,
    rows numbered from 1 and pages named in order, as one landing of every part would."""
    joined = {e: EntityExtract(e, []) for e in entities}
    final: dict[str, dict[str, Any]] = {}
    for part in parts:
        for extract in part.extracts:
            target = joined[extract.entity]
            target.records.extend(extract.records)
            target.pages.extend(extract.pages)
            target.warnings.extend(extract.warnings)
        final = part.final or final
    for entity, extract in joined.items():
        for number, record in enumerate(extract.records, start=1):
            record["_row_number"] = number
            record.setdefault("_parse_error", None)
        for number, page in enumerate(extract.pages, start=1):
            page.name = page_name(number)
        ends = final.get(entity, {})
        extract.watermark_from = ends.get("watermark_from")
        extract.watermark_to = ends.get("watermark_to")
        extract.warnings.extend(ends.get("warnings") or [])
    return list(joined.values())


class StartOver(Exception):
    """Raised by a pull that cannot go on from where it is (a cursor lost on a platform whose
    order gives no bounded point to ask again from): whoever runs the pull discards what it
    landed and pulls again from the start, once (``landing.land_pull``, a connector's ``pull``).
    Nothing is lost: the new pull is an uninterrupted one."""


def pull_whole(
    start: Callable[[], Iterable[PullPart]], entities: Iterable[str]
) -> list[EntityExtract]:
    """A connector's plain ``pull``: its parts from ``start()`` collected in memory
    (:func:`collect_parts`); a pull that raises :class:`StartOver` is pulled again from the
    start, once, as ``landing.land_pull`` does."""
    try:
        return collect_parts(start(), entities)
    except StartOver as exc:
        log.warning("the pull starts over from the start (%s)", exc)
        return collect_parts(start(), entities)


class PlatformError(Exception):
    """A permanent failure: the message names the platform, the request and the reason."""

    def __init__(self, reason: str, *, platform: str | None = None, request: str | None = None):
        self.platform = platform
        self.request = request
        self.reason = reason
        parts = []
        if platform:
            parts.append(f"[{platform}]")
        if request:
            parts.append(f"{request}:")
        parts.append(reason)
        super().__init__(" ".join(parts))


class AuthError(PlatformError):
    """Bad credentials: raised at once, never retried."""


# --------------------------------------------------------------------------- helpers


def drop_exact_duplicates(
    records: list[dict[str, Any]], *, ignore: tuple[str, ...] = ("_row_number",)
) -> tuple[list[dict[str, Any]], list[int]]:
    """The records without exact repeats of an earlier one, and the dropped rows' numbers.

    Two records are exact duplicates when every field but those in ``ignore`` (the row number)
    is equal; the first occurrence is kept with its own row number.
    """
    seen: set[tuple[tuple[str, Any], ...]] = set()
    kept: list[dict[str, Any]] = []
    dropped: list[int] = []
    for record in records:
        key = tuple(sorted((k, v) for k, v in record.items() if k not in ignore))
        if key in seen:
            dropped.append(record.get("_row_number"))
            continue
        seen.add(key)
        kept.append(record)
    return kept, dropped


def to_json_text(value: Any) -> str | None:
    """Arrays and nested objects are landed as JSON text (None stays null)."""
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False)


def parse_iso(value: str) -> datetime:
    """An ISO 8601 timestamp as an aware UTC datetime (naive input is taken as UTC)."""
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def try_parse_iso(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        return parse_iso(value)
    except ValueError:
        return None


def iso_utc(moment: datetime) -> str:
    """``2024-03-14T09:00:00Z``; fractions kept as milliseconds or microseconds."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    micro = moment.microsecond
    spec = "seconds" if micro == 0 else "milliseconds" if micro % 1000 == 0 else "microseconds"
    return moment.astimezone(UTC).isoformat(timespec=spec).replace("+00:00", "Z")


def aware(moment: datetime) -> datetime:
    """``until`` as an aware UTC datetime (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def watermark_epoch(value: str | None) -> int | None:
    """A stored watermark as epoch seconds: accepts epoch text or ISO 8601."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    try:
        return int(float(text))
    except ValueError:
        return int(parse_iso(text).timestamp())


def page_name(number: int) -> str:
    return f"{number:04d}.json"
