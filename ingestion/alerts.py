"""Alerts about the nightly load: what failed or ran late, as text and as a webhook message.

Free of Airflow: ``dags/capdev_alerts.py`` builds an :class:`Alert` from an Airflow context and
chooses the channels (webhook, e-mail); this module only formats and posts.

```python
alert = Alert(kind="task_failed", dag_id="ingest_academy", task_id="extract_and_land", ...)
print(format_text(alert))            # subject line, blank line, body
post_webhook(url, alert, timeout=10)  # JSON POST; WebhookError on a non-2xx answer
```

The webhook payload carries every field of the alert plus ``text`` (the formatted message), so a
Slack or Teams incoming webhook shows a readable message and any other receiver gets the fields.
"""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx

log = logging.getLogger(__name__)
# httpx logs each request's URL at INFO; a webhook URL is a secret (Slack and Teams put the token
# in the path), so keep httpx to warnings.
logging.getLogger("httpx").setLevel(logging.WARNING)

AlertKind = Literal["task_failed", "deadline_missed"]

# Exception text beyond this is cut in messages: the log link has the full traceback.
MAX_EXCEPTION_CHARS = 2000


class WebhookError(RuntimeError):
    """The webhook did not accept the alert (network error or a non-2xx answer)."""


@dataclass(frozen=True)
class Alert:
    """One alert: a failed task, or a DAG run still unfinished at its deadline.

    ``logical_date`` is the run's logical date, or the date the run was due (``run_after``) when it
    has none (asset-triggered runs). ``task_id``, ``try_number`` and ``exception`` are ``None``
    for a missed deadline; ``deadline`` is ``None`` for a failed task.
    """

    kind: AlertKind
    dag_id: str
    run_id: str
    logical_date: datetime | None
    log_url: str
    task_id: str | None = None
    try_number: int | None = None
    exception: str | None = None
    deadline: datetime | None = None

    def to_payload(self) -> dict[str, Any]:
        """The alert as JSON-ready fields (dates in ISO 8601) plus ``text``, the message."""
        payload: dict[str, Any] = {
            key: value.isoformat() if isinstance(value, datetime) else value
            for key, value in asdict(self).items()
        }
        payload["exception"] = _clip(self.exception)
        payload["text"] = format_text(self)
        return payload


def _clip(text: str | None) -> str | None:
    if text is None or len(text) <= MAX_EXCEPTION_CHARS:
        return text
    return text[:MAX_EXCEPTION_CHARS] + " […]"


def _when(value: datetime | None) -> str:
    return value.isoformat() if value is not None else "(none)"


def format_subject(alert: Alert) -> str:
    """One line naming what went wrong, where and for which run."""
    if alert.kind == "deadline_missed":
        return (
            f"[capdev] Deadline missed: {alert.dag_id} run of {_when(alert.logical_date)} "
            f"not finished by {_when(alert.deadline)}"
        )
    return (
        f"[capdev] Task failed: {alert.dag_id}.{alert.task_id} "
        f"(run of {_when(alert.logical_date)}, try {alert.try_number})"
    )


def format_text(alert: Alert) -> str:
    """The whole message: the subject line, a blank line, then one ``field: value`` per line."""
    lines = [
        format_subject(alert),
        "",
        f"DAG: {alert.dag_id}",
    ]
    if alert.task_id is not None:
        lines.append(f"Task: {alert.task_id}")
    lines += [
        f"Logical date: {_when(alert.logical_date)}",
        f"Run: {alert.run_id}",
    ]
    if alert.try_number is not None:
        lines.append(f"Try: {alert.try_number}")
    if alert.deadline is not None:
        lines.append(f"Deadline: {_when(alert.deadline)}")
    lines.append(f"Log: {alert.log_url}")
    if alert.exception:
        lines += ["", "Error:", _clip(alert.exception) or ""]
    return "\n".join(lines)


def _where(url: str) -> str:
    """The URL without its path or query (where webhook tokens live), for messages and logs."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.netloc else "(no host)"


def post_webhook(url: str, alert: Alert, timeout: float = 10.0) -> None:
    """POST the alert as JSON to an incoming-webhook URL.

    Raises :class:`WebhookError` when the request fails or the answer is not 2xx; the message
    names the host only, never the URL's path (the secret part of a webhook URL).
    """
    try:
        response = httpx.post(url, json=alert.to_payload(), timeout=timeout)
    except httpx.HTTPError as exc:
        raise WebhookError(
            f"webhook at {_where(url)}: {type(exc).__name__}: {str(exc) or 'no answer'}"
        ) from None
    if not response.is_success:
        raise WebhookError(
            f"webhook at {_where(url)} answered {response.status_code}: {response.text[:200]!r}"
        )
    log.info("Alert %s for %s sent to the webhook at %s", alert.kind, alert.dag_id, _where(url))
