"""Alerts through real Airflow: a failing task's callback, the morning deadline, the channels.

A probe DAG (one task that raises, ``on_failure_callback`` and ``morning_deadline`` as the
project's DAGs use them) runs once with ``airflow dags test``, its channels pointed at local
receivers: a webhook endpoint and an SMTP server. Nothing leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from alert_receiver import SmtpReceiver, WebhookReceiver, wait_for

ROOT = Path(__file__).resolve().parents[2]
DAG_ID = "capdev_alert_probe"
TASK_ID = "pull_platform"
SCHEDULE = "0 1 * * *"
LOGICAL_DATE = datetime(2026, 10, 14, 1, 0, tzinfo=UTC)
ERROR = "the academy API answered 503 three times"
EMAILS = ["ops@capdev.example", "data-team@capdev.example"]

# Connections and Variables not set in the environment are looked up in the metadata database.
pytestmark = pytest.mark.usefixtures("airflow_db")

PROBE_DAG = f'''
import pendulum
from airflow.sdk import dag, task
from capdev_alerts import morning_deadline, on_failure_callback


@dag(
    dag_id="{DAG_ID}",
    schedule="{SCHEDULE}",
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    default_args={{"retries": 0, "on_failure_callback": on_failure_callback}},
    deadline=morning_deadline("{SCHEDULE}"),
)
def probe():
    @task(task_id="{TASK_ID}")
    def pull_platform():
        raise RuntimeError("{ERROR}")

    pull_platform()


probe()
'''


def _conn(url: str) -> str:
    return json.dumps({"conn_type": "http", "extra": {"webhook_url": url}})


@pytest.fixture(scope="module")
def probe_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("alert_dags")
    (folder / "alert_probe.py").write_text(PROBE_DAG)
    return folder


@pytest.fixture(scope="module")
def failed_run(airflow_db, probe_folder):
    """``airflow dags test`` of the probe DAG: what the webhook and the SMTP server received."""
    with WebhookReceiver() as hook, SmtpReceiver() as smtp:
        env = {
            **os.environ,
            "AIRFLOW__CORE__DAGS_FOLDER": str(probe_folder),
            # The probe lives outside dags/, so the shared modules come from PYTHONPATH.
            "PYTHONPATH": os.pathsep.join([str(ROOT / "dags"), str(ROOT)]),
            "AIRFLOW_CONN_CAPDEV_ALERTS": _conn(hook.url),
            "CAPDEV_ALERT_EMAILS": ", ".join(EMAILS),
            "AIRFLOW__SMTP__SMTP_HOST": smtp.host,
            "AIRFLOW__SMTP__SMTP_PORT": str(smtp.port),
            "AIRFLOW__SMTP__SMTP_STARTTLS": "False",
            "AIRFLOW__SMTP__SMTP_SSL": "False",
            "AIRFLOW__SMTP__SMTP_MAIL_FROM": "airflow@capdev.example",
        }
        proc = subprocess.run(
            [
                str(Path(sys.executable).with_name("airflow")),
                *("dags", "test", DAG_ID, LOGICAL_DATE.isoformat()),
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        wait_for(lambda: hook.posts and smtp.messages, timeout=5)
    return SimpleNamespace(
        output=proc.stdout + proc.stderr,
        posts=list(hook.posts),
        messages=list(smtp.messages),
        envelopes=list(smtp.envelopes),
    )


def test_the_probe_run_fails_as_it_should(failed_run):
    assert "state=failed" in failed_run.output, failed_run.output[-3000:]
    assert ERROR in failed_run.output


def test_a_failing_task_posts_one_alert_with_the_right_fields(failed_run):
    assert len(failed_run.posts) == 1, failed_run.output[-3000:]
    alert = failed_run.posts[0]["json"]
    assert alert["kind"] == "task_failed"
    assert alert["dag_id"] == DAG_ID
    assert alert["task_id"] == TASK_ID
    assert alert["logical_date"] == LOGICAL_DATE.isoformat()
    assert alert["run_id"].startswith("manual__")
    assert alert["try_number"] == 1
    assert f"/dags/{DAG_ID}/runs/" in alert["log_url"]
    assert f"/tasks/{TASK_ID}" in alert["log_url"]
    assert alert["exception"] == f"RuntimeError: {ERROR}"
    assert alert["text"].startswith(f"[capdev] Task failed: {DAG_ID}.{TASK_ID}")


def test_a_failing_task_emails_the_alert_through_airflows_smtp_settings(failed_run):
    assert len(failed_run.messages) == 1, failed_run.output[-3000:]
    message = failed_run.messages[0]
    assert message["Subject"].startswith(f"[capdev] Task failed: {DAG_ID}.{TASK_ID}")
    assert LOGICAL_DATE.isoformat() in message["Subject"]
    assert message["From"] == "airflow@capdev.example"
    assert sorted(failed_run.envelopes[0]["to"]) == sorted(f"<{a}>" for a in EMAILS)
    body = message.get_body(("html",)).get_content()
    assert ERROR in body
    assert f"/dags/{DAG_ID}/runs/" in body


# --- the morning deadline ---------------------------------------------------------------------


def test_morning_deadline_intervals_reach_six_in_the_morning():
    from capdev_alerts import DEADLINE_CALLBACK, morning_deadline

    assert morning_deadline("0 1 * * *").interval == timedelta(hours=5)
    assert morning_deadline("30 3 * * *").interval == timedelta(hours=2, minutes=30)
    assert morning_deadline("@daily").interval == timedelta(hours=6)
    assert morning_deadline("0 1 * * *", by=time(7, 30)).interval == timedelta(hours=6, minutes=30)
    assert morning_deadline("0 22 * * *").interval == timedelta(hours=8)  # 06:00 the next day
    alert = morning_deadline("0 2 * * *")
    assert alert.callback.path == DEADLINE_CALLBACK
    assert type(alert.reference).__name__ == "DagRunLogicalDateDeadline"


def test_morning_deadline_refuses_a_schedule_that_is_not_daily():
    from capdev_alerts import morning_deadline

    with pytest.raises(ValueError, match="once-a-day"):
        morning_deadline("0 * * * *")


def test_the_deadline_survives_dag_serialization(probe_folder):
    from airflow.dag_processing.dagbag import DagBag
    from airflow.serialization.serialized_objects import DagSerialization
    from capdev_alerts import DEADLINE_CALLBACK

    dagbag = DagBag(dag_folder=str(probe_folder))
    assert dagbag.import_errors == {}
    dag = dagbag.dags[DAG_ID]
    data = json.loads(json.dumps(DagSerialization.to_dict(dag)))
    text = json.dumps(data["dag"]["deadline"])
    assert DEADLINE_CALLBACK in text and "DagRunLogicalDateDeadline" in text
    restored = DagSerialization.from_dict(data)
    # what the scheduler reads back carries the deadline (the text checks above name its parts)
    assert restored.deadline is not None


def test_the_triggerer_can_import_the_callback_without_the_dags_folder(tmp_path):
    """The triggerer imports the callback by path; it has the project root, not dags/."""
    from capdev_alerts import DEADLINE_CALLBACK

    module, name = DEADLINE_CALLBACK.rsplit(".", 1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    code = (
        "import importlib, inspect; "
        f"f = getattr(importlib.import_module({module!r}), {name!r}); "
        "assert inspect.iscoroutinefunction(f); print('ok')"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert proc.stdout.strip() == "ok", proc.stderr


def test_the_test_run_got_a_deadline_at_six(failed_run):
    from airflow.models import DagRun
    from airflow.models.deadline import Deadline
    from airflow.utils.session import create_session
    from sqlalchemy import select

    with create_session() as session:
        deadlines = session.scalars(
            select(Deadline).join(DagRun).where(DagRun.dag_id == DAG_ID)
        ).all()
        times = [d.deadline_time.astimezone(UTC) for d in deadlines]
    assert datetime(2026, 10, 14, 6, 0, tzinfo=UTC) in times


def _run_trigger(trigger) -> list[dict]:
    async def collect():
        return [event.payload async for event in trigger.run()]

    return asyncio.run(collect())


def test_a_missed_deadline_posts_through_the_triggerer_path(failed_run, monkeypatch):
    """A scheduled run misses its deadline: the scheduler's ``handle_miss`` queues the callback,
    the trigger the triggerer would run calls it, and the webhook gets a ``deadline_missed``."""
    from airflow.models.deadline import Deadline
    from airflow.models.serialized_dag import SerializedDagModel
    from airflow.models.trigger import Trigger
    from airflow.utils.session import create_session
    from airflow.utils.state import DagRunState
    from airflow.utils.types import DagRunTriggeredByType, DagRunType
    from sqlalchemy import select

    logical_date = datetime(2026, 10, 20, 1, 0, tzinfo=UTC)
    monkeypatch.delenv("CAPDEV_ALERT_EMAILS", raising=False)
    monkeypatch.setenv("AIRFLOW_VAR_CAPDEV_ALERT_EMAILS", "")
    with WebhookReceiver() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", _conn(hook.url))
        with create_session() as session:
            dag = SerializedDagModel.get_dag(DAG_ID, session=session)
            run = dag.create_dagrun(
                run_id=f"scheduled__{logical_date.isoformat()}",
                logical_date=logical_date,
                data_interval=(logical_date, logical_date),
                run_after=logical_date,
                run_type=DagRunType.SCHEDULED,
                triggered_by=DagRunTriggeredByType.TEST,
                state=DagRunState.RUNNING,
                session=session,
            )
            session.flush()
            deadline = session.scalar(select(Deadline).where(Deadline.dagrun_id == run.id))
            assert deadline.deadline_time.astimezone(UTC) == datetime(2026, 10, 20, 6, tzinfo=UTC)
            deadline.handle_miss(session)
            session.flush()
            row = session.get(Trigger, deadline.callback.trigger_id)
            trigger = _import(row.classpath)(**row.kwargs)
        events = _run_trigger(trigger)
    assert events[-1]["state"] == "success", events
    # the triggerer stores the body in the callback's text column: a JSON string
    assert json.loads(events[-1]["body"]) == {"webhook": "sent", "email": "off"}
    assert len(hook.posts) == 1
    alert = hook.posts[0]["json"]
    assert alert["kind"] == "deadline_missed"
    assert alert["dag_id"] == DAG_ID
    assert alert["run_id"] == f"scheduled__{logical_date.isoformat()}"
    assert alert["logical_date"] == logical_date.isoformat()
    assert datetime.fromisoformat(alert["deadline"]) == datetime(2026, 10, 20, 6, tzinfo=UTC)
    assert alert["task_id"] is None and alert["exception"] is None
    assert f"/dags/{DAG_ID}/runs/scheduled__" in alert["log_url"]
    assert alert["text"].startswith(f"[capdev] Deadline missed: {DAG_ID} run of 2026-10-20")


def _import(path: str):
    from airflow._shared.module_loading import import_string

    return import_string(path)


def _deadline_context(run_type: str) -> dict:
    """The context ``Deadline.handle_miss`` gives a callback (the run as the REST API shows it)."""
    return {
        "dag_run": {
            "dag_run_id": "scheduled__2026-10-21T01:00:00+00:00",
            "dag_id": "ingest_academy",
            "logical_date": "2026-10-21T01:00:00Z",
            "queued_at": "2026-10-21T01:00:02Z",
            "run_after": "2026-10-21T01:00:00Z",
            "run_type": run_type,
            "state": "running",
        },
        "deadline": {"id": "0193", "deadline_time": datetime(2026, 10, 21, 6, tzinfo=UTC)},
    }


def test_the_deadline_callback_called_directly_posts_a_deadline_missed_alert(monkeypatch):
    from capdev_alerts import deadline_missed

    monkeypatch.delenv("CAPDEV_ALERT_EMAILS", raising=False)
    monkeypatch.setenv("AIRFLOW_VAR_CAPDEV_ALERT_EMAILS", "")
    with WebhookReceiver() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", _conn(hook.url))
        outcome = asyncio.run(deadline_missed(context=_deadline_context("scheduled")))
    # a string: the triggerer stores it in a text column (a dict fails on PostgreSQL)
    assert json.loads(outcome) == {"webhook": "sent", "email": "off"}
    alert = hook.posts[0]["json"]
    assert alert["kind"] == "deadline_missed"
    assert alert["dag_id"] == "ingest_academy"
    assert alert["logical_date"] == "2026-10-21T01:00:00+00:00"
    assert alert["deadline"] == "2026-10-21T06:00:00+00:00"


@pytest.mark.parametrize("run_type", ["manual", "backfill"])
def test_replays_of_past_nights_raise_no_deadline_alert(monkeypatch, run_type):
    from capdev_alerts import deadline_missed

    with WebhookReceiver() as hook:
        monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", _conn(hook.url))
        outcome = asyncio.run(deadline_missed(context=_deadline_context(run_type)))
    assert json.loads(outcome) == {"skipped": f"{run_type} run"}
    assert hook.posts == []


# --- channels ---------------------------------------------------------------------------------


def _alert():
    from ingestion.alerts import Alert

    return Alert(
        kind="task_failed",
        dag_id="ingest_academy",
        task_id="extract_and_land",
        run_id="r1",
        logical_date=LOGICAL_DATE,
        try_number=3,
        log_url="http://airflow.example/log",
        exception="RuntimeError: boom",
    )


def test_the_webhook_url_can_be_built_from_host_schema_and_port(monkeypatch):
    from capdev_alerts import webhook_url

    conn = {"conn_type": "http", "host": "127.0.0.1", "schema": "http", "port": 9999}
    monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", json.dumps(conn))
    assert webhook_url() == ("http://127.0.0.1:9999", 10.0)
    conn = {"conn_type": "http", "host": "https://hooks.example.org/T/B/x", "extra": {"timeout": 3}}
    monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", json.dumps(conn))
    assert webhook_url() == ("https://hooks.example.org/T/B/x", 3.0)


def test_no_connection_and_no_addresses_turn_the_channels_off(monkeypatch):
    from capdev_alerts import send_alert

    monkeypatch.delenv("AIRFLOW_CONN_CAPDEV_ALERTS", raising=False)
    monkeypatch.delenv("CAPDEV_ALERT_EMAILS", raising=False)
    monkeypatch.setenv("AIRFLOW_VAR_CAPDEV_ALERT_EMAILS", "")
    assert send_alert(_alert()) == {"webhook": "off", "email": "off"}


def test_the_addresses_can_come_from_the_airflow_variable(monkeypatch):
    from capdev_alerts import alert_emails

    monkeypatch.delenv("CAPDEV_ALERT_EMAILS", raising=False)
    monkeypatch.setenv("AIRFLOW_VAR_CAPDEV_ALERT_EMAILS", "a@x.example; b@x.example")
    assert alert_emails() == ["a@x.example", "b@x.example"]


def test_a_failing_channel_is_logged_and_the_other_still_sends(monkeypatch):
    from capdev_alerts import send_alert

    with WebhookReceiver(status=500) as hook, SmtpReceiver() as smtp:
        monkeypatch.setenv("AIRFLOW_CONN_CAPDEV_ALERTS", _conn(hook.url))
        monkeypatch.setenv("CAPDEV_ALERT_EMAILS", "ops@capdev.example")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_HOST", smtp.host)
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_PORT", str(smtp.port))
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_STARTTLS", "False")
        monkeypatch.setenv("AIRFLOW__SMTP__SMTP_SSL", "False")
        outcome = send_alert(_alert())
        assert wait_for(lambda: smtp.messages, timeout=5)
    assert outcome["webhook"].startswith("failed: webhook at http://127.0.0.1")
    assert "answered 500" in outcome["webhook"]
    assert outcome["email"] == "sent"
    assert smtp.messages[0]["Subject"].startswith(
        "[capdev] Task failed: ingest_academy.extract_and_land"
    )


def test_the_callback_never_raises_on_a_context_it_cannot_read(caplog):
    from capdev_alerts import on_failure_callback

    with caplog.at_level("ERROR"):
        on_failure_callback({})  # a broken context must not turn the callback into a new failure
    # ... and the failure to build the alert is itself logged, not swallowed
    assert any("Could not build the failure alert" in r.getMessage() for r in caplog.records)
