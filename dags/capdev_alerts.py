"""Alerts for the project's DAGs: a failed task, and a nightly load unfinished by morning.

Channels, each optional and independent (see docs/operations.md, "Alerts"):

* webhook — the Airflow connection ``capdev_alerts``: ``extra.webhook_url``, else a URL built
  from its host, schema and port; no such connection turns the channel off;
* e-mail — the addresses in ``CAPDEV_ALERT_EMAILS`` (environment variable, else the Airflow
  Variable of that name; comma-separated), sent with Airflow's ``[email]``/``[smtp]`` settings.

``on_failure_callback`` is in ``capdev_defaults.DEFAULT_ARGS``; ``morning_deadline(schedule)``
is the DAG-level deadline. Neither ever raises: a channel that fails is logged and the others
still run. Only the standard library is imported at module level (DAG files import this at
parse time); the message itself is built by :mod:`ingestion.alerts`.
"""

from __future__ import annotations

import asyncio
import html
import json
import logging
import os
import re
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

if TYPE_CHECKING:
    from airflow.sdk import DeadlineAlert

    from ingestion.alerts import Alert

log = logging.getLogger(__name__)

ALERT_CONN_ID = "capdev_alerts"
ALERT_EMAILS = "CAPDEV_ALERT_EMAILS"
WEBHOOK_TIMEOUT = 10.0
# The nightly loads are due by this time (UTC) on the morning after their logical date.
MORNING = time(6, 0)
# The path the triggerer imports the deadline callback by. The triggerer does not put the DAGs
# folder on sys.path (the DAG processor and the workers do); it has the project root, as every
# Airflow process running these DAGs must (they import ``ingestion``), so ``dags.`` resolves.
DEADLINE_CALLBACK = "dags.capdev_alerts.deadline_missed"
# Runs that replay past nights: their deadline has passed before they start, so a deadline alert
# would only be noise (their failures still alert).
NO_DEADLINE_ALERT_RUN_TYPES = frozenset({"manual", "backfill"})


# --- channels ---------------------------------------------------------------------------------


def webhook_url(conn_id: str = ALERT_CONN_ID) -> tuple[str, float] | None:
    """The webhook URL and timeout from the connection, or ``None`` when it is not defined.

    ``extra.webhook_url`` wins; else the host, taken as a whole URL if it has a scheme, or built
    as ``{schema or https}://{host}:{port}`` (the convention of ``api_connection``).
    """
    from airflow.sdk import BaseHook
    from airflow.sdk.exceptions import AirflowNotFoundException

    from ingestion.connectors.base import endpoint_url

    try:
        conn = BaseHook.get_connection(conn_id)
    except AirflowNotFoundException:
        return None
    extra = conn.extra_dejson or {}
    url = endpoint_url(extra.get("webhook_url") or conn.host, conn.schema, conn.port)
    if not url:
        return None
    return url, float(extra.get("timeout", WEBHOOK_TIMEOUT))


def alert_emails() -> list[str]:
    """Recipients: ``CAPDEV_ALERT_EMAILS`` from the environment, else the Airflow Variable."""
    raw = os.environ.get(ALERT_EMAILS)
    if raw is None:
        from airflow.sdk import Variable

        raw = Variable.get(ALERT_EMAILS, default=None)
    return [address for address in re.split(r"\s*[,;]\s*", raw or "") if address]


def send_email(to: list[str], alert: Alert) -> None:
    """E-mail the alert through Airflow's e-mail backend (``[email]`` and ``[smtp]`` settings)."""
    from airflow.providers.smtp.utils.emailer import send_email as airflow_send_email

    from ingestion.alerts import format_subject, format_text

    body = (
        f"<pre>{html.escape(format_text(alert))}</pre>\n"
        f'<p><a href="{html.escape(alert.log_url, quote=True)}">Open in Airflow</a></p>'
    )
    airflow_send_email(to=to, subject=format_subject(alert), html_content=body)


def send_alert(alert: Alert) -> dict[str, str]:
    """Send the alert to every configured channel; never raises.

    Returns each channel's outcome (``sent``, ``off`` or ``failed: …``), also logged.
    """
    from ingestion.alerts import post_webhook

    outcome: dict[str, str] = {}
    try:
        target = webhook_url()
        if target is None:
            outcome["webhook"] = "off"
            log.info("No %r connection: the webhook alert channel is off", ALERT_CONN_ID)
        else:
            post_webhook(target[0], alert, timeout=target[1])
            outcome["webhook"] = "sent"
    except Exception as exc:
        outcome["webhook"] = f"failed: {exc}"
        log.exception("The webhook alert for %s could not be sent", alert.dag_id)
    try:
        to = alert_emails()
        if not to:
            outcome["email"] = "off"
            log.info("%s is empty: the e-mail alert channel is off", ALERT_EMAILS)
        else:
            send_email(to, alert)
            outcome["email"] = "sent"
    except Exception as exc:
        outcome["email"] = f"failed: {exc}"
        log.exception("The e-mail alert for %s could not be sent", alert.dag_id)
    log.info("Alert %s for %s: %s", alert.kind, alert.dag_id, outcome)
    return outcome


# --- a failed task ----------------------------------------------------------------------------


def _exception_text(exception: Any) -> str | None:
    if exception is None:
        return None
    if isinstance(exception, BaseException):
        return f"{type(exception).__name__}: {exception}"
    return str(exception)


def failure_alert(context: Any) -> Alert:
    """The ``task_failed`` alert for a task callback's Airflow context."""
    from ingestion.alerts import Alert

    ti = context["ti"]
    dag_run = context.get("dag_run")
    # Asset-triggered runs have no logical date: the time the run was due stands for it.
    logical_date = getattr(dag_run, "logical_date", None) or getattr(dag_run, "run_after", None)
    try:
        log_url = ti.log_url
    except Exception:  # the link is a convenience; the alert goes without it
        log_url = ""
    return Alert(
        kind="task_failed",
        dag_id=ti.dag_id,
        task_id=ti.task_id,
        run_id=ti.run_id,
        logical_date=logical_date,
        try_number=ti.try_number,
        log_url=log_url,
        exception=_exception_text(context.get("exception")),
    )


def on_failure_callback(context: Any) -> None:
    """Task ``on_failure_callback``: report the failed task to the alert channels."""
    try:
        alert = failure_alert(context)
    except Exception:
        log.exception("Could not build the failure alert")
        return
    send_alert(alert)


# --- a load not finished by morning -----------------------------------------------------------


def _as_datetime(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


def _run_url(dag_id: str, run_id: str) -> str:
    from airflow.sdk.configuration import conf

    base_url = conf.get("api", "base_url", fallback="http://localhost:8080/")
    return f"{base_url.rstrip('/')}/dags/{dag_id}/runs/{quote(run_id)}"


def deadline_alert(context: dict[str, Any]) -> Alert:
    """The ``deadline_missed`` alert for the context a deadline callback receives.

    That context is ``{"dag_run": <the run as the REST API shows it>, "deadline": {"id": ...,
    "deadline_time": ...}}``.
    """
    from ingestion.alerts import Alert

    run = context.get("dag_run") or {}
    dag_id = run.get("dag_id", "?")
    run_id = run.get("dag_run_id") or run.get("run_id") or "?"
    try:
        log_url = _run_url(dag_id, run_id)
    except Exception:
        log_url = ""
    return Alert(
        kind="deadline_missed",
        dag_id=dag_id,
        run_id=run_id,
        logical_date=_as_datetime(run.get("logical_date") or run.get("run_after")),
        log_url=log_url,
        deadline=_as_datetime((context.get("deadline") or {}).get("deadline_time")),
    )


async def deadline_missed(context: dict[str, Any] | None = None, **kwargs: Any) -> str:
    """Deadline callback, run by the triggerer: report the unfinished run to the alert channels.

    Manual and backfill runs are left out (``NO_DEADLINE_ALERT_RUN_TYPES``). The channels block
    (HTTP, SMTP, connection look-ups), so they run in a worker thread and leave the triggerer's
    event loop free. Returns the channels' outcomes as a JSON object in a string: the triggerer
    stores it in the callback's ``output``, a text column (on PostgreSQL a dict cannot be stored
    there, and the triggerer crashed on it).
    """
    run_type = ((context or {}).get("dag_run") or {}).get("run_type")
    if run_type in NO_DEADLINE_ALERT_RUN_TYPES:
        log.info("Deadline missed by a %s run: no alert (replays of past nights)", run_type)
        return json.dumps({"skipped": f"{run_type} run"})
    try:
        alert = deadline_alert(context or {})
    except Exception:
        log.exception("Could not build the deadline alert")
        return json.dumps({"failed": "could not build the alert"})
    return json.dumps(await asyncio.to_thread(send_alert, alert))


def _daily_fire_time(schedule: str) -> datetime:
    """The time of day (on a reference day, UTC) a once-a-day cron schedule fires."""
    from croniter import croniter

    day = datetime(2026, 1, 5, tzinfo=UTC)
    runs = croniter(schedule, day - timedelta(microseconds=1))
    first, second, third = (runs.get_next(datetime) for _ in range(3))
    if not (first.date() == day.date() and second - first == third - second == timedelta(days=1)):
        raise ValueError(f"morning_deadline needs a once-a-day cron schedule, not {schedule!r}")
    return first


def morning_deadline(schedule: str, by: time = MORNING) -> DeadlineAlert:
    """A deadline alert for a nightly DAG on ``schedule`` (a once-a-day cron, UTC) due by ``by``.

    The deadline is the first ``by`` (UTC) after the run's scheduled time, as an interval from
    the run's logical date: for ``"0 1 * * *"`` and 06:00, five hours after the logical date.
    A run still unfinished then sends a ``deadline_missed`` alert through the alert channels.
    """
    from airflow.sdk import AsyncCallback, DeadlineAlert, DeadlineReference
    from airflow.sdk.configuration import conf

    fires = _daily_fire_time(schedule)
    due = datetime.combine(fires.date(), by, tzinfo=UTC)
    if due <= fires:
        due += timedelta(days=1)
    interval = due - fires
    # With data-interval timetables the logical date is the start of the interval: a day earlier.
    if conf.getboolean("scheduler", "create_cron_data_intervals", fallback=False):
        interval += timedelta(days=1)
    return DeadlineAlert(
        reference=DeadlineReference.DAGRUN_LOGICAL_DATE,
        interval=interval,
        callback=AsyncCallback(DEADLINE_CALLBACK),
        name=f"not finished by {by:%H:%M} UTC",
    )
