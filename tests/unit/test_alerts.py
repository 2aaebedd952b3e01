"""ingestion.alerts: the message text, and the webhook POST against a real local receiver."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from alert_receiver import WebhookReceiver

from ingestion.alerts import MAX_EXCEPTION_CHARS, Alert, WebhookError, format_text, post_webhook

FAILED = Alert(
    kind="task_failed",
    dag_id="ingest_academy",
    task_id="extract_and_land",
    run_id="scheduled__2026-11-28T01:00:00+00:00",
    logical_date=datetime(2026, 11, 28, 1, 0, tzinfo=UTC),
    try_number=3,
    log_url="http://airflow.example/dags/ingest_academy/runs/x/tasks/extract_and_land?try_number=3",
    exception="PlatformError: academy answered 503 three times",
)

LATE = Alert(
    kind="deadline_missed",
    dag_id="ingest_gs_lrs",
    run_id="scheduled__2026-11-28T02:30:00+00:00",
    logical_date=datetime(2026, 11, 28, 2, 30, tzinfo=UTC),
    log_url="http://airflow.example/dags/ingest_gs_lrs/runs/x",
    deadline=datetime(2026, 11, 28, 6, 0, tzinfo=UTC),
)


@pytest.fixture
def receiver():
    with WebhookReceiver() as hook:
        yield hook


def test_failed_task_text_names_dag_task_date_try_log_and_error():
    subject, blank, *body = format_text(FAILED).splitlines()
    assert subject == (
        "[capdev] Task failed: ingest_academy.extract_and_land "
        "(run of 2026-11-28T01:00:00+00:00, try 3)"
    )
    assert blank == ""
    assert "DAG: ingest_academy" in body
    assert "Task: extract_and_land" in body
    assert "Logical date: 2026-11-28T01:00:00+00:00" in body
    assert "Try: 3" in body
    assert f"Log: {FAILED.log_url}" in body
    assert body[-1] == "PlatformError: academy answered 503 three times"


def test_missed_deadline_text_names_run_and_deadline_without_task_lines():
    text = format_text(LATE)
    assert text.splitlines()[0] == (
        "[capdev] Deadline missed: ingest_gs_lrs run of 2026-11-28T02:30:00+00:00 "
        "not finished by 2026-11-28T06:00:00+00:00"
    )
    assert "Deadline: 2026-11-28T06:00:00+00:00" in text
    assert "Task:" not in text and "Try:" not in text and "Error:" not in text


def test_a_run_without_logical_date_says_so():
    alert = Alert(kind="deadline_missed", dag_id="d", run_id="r", logical_date=None, log_url="")
    assert "Logical date: (none)" in format_text(alert)


def test_payload_has_every_field_in_iso_and_a_text_line():
    payload = FAILED.to_payload()
    assert payload == {
        "kind": "task_failed",
        "dag_id": "ingest_academy",
        "task_id": "extract_and_land",
        "run_id": "scheduled__2026-11-28T01:00:00+00:00",
        "logical_date": "2026-11-28T01:00:00+00:00",
        "try_number": 3,
        "log_url": FAILED.log_url,
        "exception": "PlatformError: academy answered 503 three times",
        "deadline": None,
        "text": format_text(FAILED),
    }


def test_a_long_exception_is_clipped():
    alert = replace(FAILED, exception="x" * (MAX_EXCEPTION_CHARS * 3))
    assert len(alert.to_payload()["exception"]) < MAX_EXCEPTION_CHARS + 10
    assert len(format_text(alert)) < MAX_EXCEPTION_CHARS + 1000


def test_post_webhook_sends_the_alert_as_json(receiver):
    post_webhook(receiver.url, FAILED, timeout=5)
    assert len(receiver.posts) == 1
    post = receiver.posts[0]
    assert post["path"] == "/hook"
    assert post["headers"]["Content-Type"] == "application/json"
    assert post["json"] == FAILED.to_payload()
    assert post["json"]["text"].startswith("[capdev] Task failed: ingest_academy.extract_and_land")


def test_a_refusing_webhook_raises_without_its_secret_path():
    with WebhookReceiver(status=404) as hook:
        secret_url = hook.url + "/T000/B000/secret-token"
        with pytest.raises(WebhookError, match="answered 404") as raised:
            post_webhook(secret_url, LATE, timeout=5)
    assert len(hook.posts) == 1
    assert f"127.0.0.1:{hook.port}" in str(raised.value)
    assert "secret-token" not in str(raised.value)


def test_an_unreachable_webhook_raises():
    with WebhookReceiver() as hook:
        url = hook.url
    with pytest.raises(WebhookError, match="ConnectError"):
        post_webhook(url, FAILED, timeout=2)
