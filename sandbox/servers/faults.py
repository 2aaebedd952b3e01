"""Switchable, deterministic fault injection for the sandbox servers.

How a fault is decided
----------------------
Every request gets a *request key*: method + path + query string + request body (the body
matters for Moodle, whose POST requests all share one path). The server counts attempts per key.

* Only the **first attempt** of a key can draw a fault. Every later attempt of the same key (a
  client's retry) is served normally, so a fault never fires twice in a row for one request and a
  client that retries always succeeds on its next attempt.
* The first attempt draws a fault with probability ``error_rate + rate_limit_rate + slow_rate +
  truncate_rate`` (capped at 1); which fault is chosen is weighted by the rates. The draw is a hash
  of ``(seed, request key)``, not a random number: the same requests under the same seed give the
  same faults in every run.
* With ``guarantee_first`` (the default), the first fresh request a server sees while some rate is
  above zero always draws a fault, so a test that switches a scenario on is sure to meet it at
  least once, whatever its data.
* Cursors (TSB ``cursor``, LRS ``more``) expire for real after ``cursor_ttl_seconds`` (410 Gone).
  ``expired_cursor_rate`` also expires the first cursor presented in a listing (a listing is the
  resource plus its filters), at most once per listing, so that a client which restarts the
  listing from its watermark gets through on the second pass.
* ``timestamp_window`` makes the LRS filter ``since`` / ``until`` on the statement ``timestamp``
  and order by it, as some LRSs in wide use do against xAPI 1.0.3 (which says ``stored``): a
  client whose ``since`` is its ``max(stored)`` then never sees back-dated, late-synced
  statements. Not a transient fault: every statement query is answered that way.
* ``latency_seconds`` (plus up to ``latency_jitter_seconds``, drawn from the request key, so
  deterministic) holds every answer that long: a platform at real distance. Not a fault: every
  request pays it, retries included.
* ``max_in_flight`` is a rate-limit mode: a request arriving while that many are already being
  served is answered 429 with ``Retry-After: retry_after_seconds`` (as an HTTP date when
  ``retry_after_date``), whatever its attempt number. The server counts the requests it is
  serving and keeps the peak (``RunningServer.peak_in_flight``).
* ``reject_auth`` refuses every request as the platform refuses a bad token (Moodle:
  ``invalidtoken`` exception with HTTP 200; TSB and LRS: 401). It is not retried away: a client
  must stop with a clear error.

The rates are per server: start each server with its own :class:`FaultConfig`, or switch at run
time with ``RunningServer.set_faults``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from dataclasses import dataclass, field
from typing import Any, ClassVar

FAULT_KINDS = ("error", "rate_limit", "slow", "truncate")


@dataclass(frozen=True)
class FaultConfig:
    """Which faults a sandbox server injects, and how often (rates are 0..1)."""

    error_rate: float = 0.0
    """Share of first attempts answered 502 Bad Gateway or 503 Service Unavailable."""
    rate_limit_rate: float = 0.0
    """Share of first attempts answered 429 Too Many Requests with ``Retry-After``."""
    retry_after_seconds: int = 1
    slow_rate: float = 0.0
    """Share of first attempts held ``slow_seconds`` before the (normal) answer is sent."""
    slow_seconds: float = 3.0
    truncate_rate: float = 0.0
    """Share of first attempts whose 200 body is cut in half (``Content-Length`` matches the cut
    body, so the HTTP exchange is clean and only the JSON is broken)."""
    cursor_ttl_seconds: float | None = 900.0
    """Age after which a cursor / ``more`` token is refused with 410 Gone (None: never)."""
    expired_cursor_rate: float = 0.0
    """Share of listings whose first presented cursor is refused with 410 Gone (once each)."""
    reject_auth: bool = False
    """Refuse every request as with an invalid token."""
    timestamp_window: bool = False
    """LRS only: ``since`` / ``until`` filter, and results are ordered, on ``timestamp``
    instead of ``stored`` (a non-conforming LRS)."""
    consistency_lag_seconds: float = 0.0
    """LRS only: ``X-Experience-API-Consistent-Through`` lags this far behind the newest
    ``stored`` (an LRS still indexing); 0: consistent through now, or the newest ``stored`` if
    the data is dated later than the machine's clock."""
    latency_seconds: float = 0.0
    """Every answer is held this long (a platform far away)."""
    latency_jitter_seconds: float = 0.0
    """Plus up to this much more, drawn per request key (deterministic under the seed)."""
    max_in_flight: int | None = None
    """Rate-limit mode: more concurrent requests than this are answered 429 (None: no limit)."""
    retry_after_date: bool = False
    """Send ``Retry-After`` as an HTTP date instead of seconds."""
    seed: int = 0
    guarantee_first: bool = True
    """The first fresh request (and the first cursor) meets the fault when its rate is > 0."""

    SCENARIOS: ClassVar[dict[str, dict[str, Any]]] = {
        "none": {},
        "flaky_5xx": {"error_rate": 0.5},
        "rate_limited": {"rate_limit_rate": 0.5, "retry_after_seconds": 1},
        "slow": {"slow_rate": 0.25, "slow_seconds": 3.0},
        "truncated_json": {"truncate_rate": 0.5},
        "expired_cursor": {"expired_cursor_rate": 1.0},
        "bad_token": {"reject_auth": True},
        "timestamp_window": {"timestamp_window": True},
    }

    def __post_init__(self) -> None:
        for name in ("error_rate", "rate_limit_rate", "slow_rate", "truncate_rate"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value!r}")
        if not 0.0 <= self.expired_cursor_rate <= 1.0:
            raise ValueError(
                f"expired_cursor_rate must be between 0 and 1, got {self.expired_cursor_rate!r}"
            )
        if self.consistency_lag_seconds < 0:
            raise ValueError("consistency_lag_seconds must be >= 0")
        if self.latency_seconds < 0 or self.latency_jitter_seconds < 0:
            raise ValueError("latency_seconds and latency_jitter_seconds must be >= 0")
        if self.max_in_flight is not None and self.max_in_flight < 1:
            raise ValueError("max_in_flight must be >= 1 (or None)")
        if self.slow_seconds < 0 or self.retry_after_seconds < 0:
            raise ValueError("slow_seconds and retry_after_seconds must be >= 0")

    @classmethod
    def scenario(cls, name: str, **overrides: Any) -> FaultConfig:
        """A named scenario (``none``, ``flaky_5xx``, ``rate_limited``, ``slow``,
        ``truncated_json``, ``expired_cursor``, ``bad_token``, ``timestamp_window``), optionally
        with fields overridden (``FaultConfig.scenario("flaky_5xx", error_rate=1.0, seed=3)``)."""
        if name not in cls.SCENARIOS:
            raise ValueError(f"unknown fault scenario {name!r}; known: {', '.join(cls.SCENARIOS)}")
        return cls(**{**cls.SCENARIOS[name], **overrides})

    def replace(self, **changes: Any) -> FaultConfig:
        return dataclasses.replace(self, **changes)

    @property
    def rates(self) -> dict[str, float]:
        return {
            "error": self.error_rate,
            "rate_limit": self.rate_limit_rate,
            "slow": self.slow_rate,
            "truncate": self.truncate_rate,
        }


def unit_hash(*parts: object) -> float:
    """A deterministic number in [0, 1) from the parts."""
    digest = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class FaultState:
    """The mutable side of fault injection for one server: attempt counts and what fired."""

    config: FaultConfig = field(default_factory=FaultConfig)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _attempts: dict[str, int] = field(default_factory=dict, repr=False)
    _first_done: bool = False
    _listings_decided: set[str] = field(default_factory=set, repr=False)
    _first_expiry_done: bool = False

    def reset(self, config: FaultConfig | None = None) -> None:
        with self._lock:
            if config is not None:
                self.config = config
            self._attempts.clear()
            self._first_done = False
            self._listings_decided.clear()
            self._first_expiry_done = False

    def attempts(self, key: str) -> int:
        with self._lock:
            return self._attempts.get(key, 0)

    def decide(self, key: str) -> str | None:
        """The fault for this attempt of the request ``key`` (one of FAULT_KINDS), or None."""
        cfg = self.config
        with self._lock:
            n = self._attempts.get(key, 0)
            self._attempts[key] = n + 1
            if n > 0:
                return None
            rates = cfg.rates
            total = sum(rates.values())
            if total <= 0:
                return None
            forced = cfg.guarantee_first and not self._first_done
            self._first_done = True
        if not forced and unit_hash(cfg.seed, "fault", key) >= min(total, 1.0):
            return None
        pick = unit_hash(cfg.seed, "kind", key) * total
        chosen = None
        for kind, rate in rates.items():
            if rate <= 0:
                continue
            chosen = kind
            if pick < rate:
                break
            pick -= rate
        return chosen

    def error_status(self, key: str) -> int:
        return 502 if unit_hash(self.config.seed, "status", key) < 0.5 else 503

    def decide_cursor_expiry(self, listing: str) -> bool:
        """Whether the first cursor presented in ``listing`` is refused (once per listing)."""
        cfg = self.config
        if cfg.expired_cursor_rate <= 0:
            return False
        with self._lock:
            if listing in self._listings_decided:
                return False
            self._listings_decided.add(listing)
            forced = cfg.guarantee_first and not self._first_expiry_done
            fire = forced or unit_hash(cfg.seed, "expire", listing) < cfg.expired_cursor_rate
            if fire:
                self._first_expiry_done = True
            return fire
