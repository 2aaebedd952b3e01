"""The nightly chain as the scheduler sees it: the serialized DAGs' schedules, pools and limits.

Each DAG is parsed from `dags/` and serialized the way the DAG processor stores it; the tests
read the serialized form, so they check what a real scheduler would act on.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from ingestion import config

DAGS = config.PROJECT_ROOT / "dags"


@pytest.fixture(scope="module")
def dags():
    """The DAGs as deployed: with their morning deadlines (conftest switches them off)."""
    from airflow.dag_processing.dagbag import DagBag

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CAPDEV_DEADLINE_ALERTS", "on")
        bag = DagBag(dag_folder=str(DAGS))
    assert bag.import_errors == {}
    return bag.dags


@pytest.fixture(scope="module")
def serialized(dags) -> dict[str, dict]:
    from airflow.serialization.serialized_objects import DagSerialization

    return {dag_id: DagSerialization.to_dict(dag)["dag"] for dag_id, dag in dags.items()}


def _cron(timetable: dict) -> tuple[str, str]:
    assert timetable["__type"] == "airflow.timetables.trigger.CronTriggerTimetable", timetable
    return timetable["__var"]["expression"], timetable["__var"]["timezone"]


def test_each_ingest_dag_runs_nightly_in_the_geneva_night(serialized):
    slots = set()
    for code in config.platforms():
        expression, zone = _cron(serialized[f"ingest_{code}"]["timetable"])
        assert zone == "UTC", (code, zone)
        minute, hour = (int(x) for x in expression.split()[:2])
        # 00:00-04:00 UTC is 01:00-06:00 in Geneva, winter or summer: done before the office opens
        assert 0 <= hour < 4 and 0 <= minute < 60, (code, expression)
        assert expression.split()[2:] == ["*", "*", "*"], (code, expression)  # every night
        slots.add((hour, minute))
    # staggered: no two pulls start in the same minute (they share the workers)
    assert len(slots) == len(config.platforms()), slots


def test_each_ingest_dag_alerts_when_not_finished_by_morning(dags):
    for code, spec in config.platforms().items():
        deadline = dags[f"ingest_{code}"].deadline
        alerts = deadline if isinstance(deadline, list) else [deadline]
        assert len(alerts) == 1 and alerts[0] is not None, code
        hour, minute = int(spec.schedule.split()[1]), int(spec.schedule.split()[0])
        # due at 06:00 UTC the same morning: the interval after the scheduled (logical) time
        assert alerts[0].interval == timedelta(hours=6) - timedelta(hours=hour, minutes=minute)


def test_warehouse_builds_once_all_platforms_landed_or_at_the_morning_fallback(serialized):
    timetable = serialized["transform_warehouse"]["timetable"]
    assert timetable["__type"] == "airflow.timetables.assets.AssetOrTimeSchedule"
    condition = timetable["__var"]["asset_condition"]
    assert condition["__type"] == "asset_all"
    assert {a["uri"] for a in condition["objects"]} == {
        f"capdev://raw/{code}" for code in config.platforms()
    }
    expression, zone = _cron(timetable["__var"]["timetable"])
    latest_ingest = max(
        tuple(int(x) for x in reversed(spec.schedule.split()[:2]))
        for spec in config.platforms().values()
    )
    fallback = tuple(int(x) for x in reversed(expression.split()[:2]))
    assert zone == "UTC" and fallback > latest_ingest


def test_ingest_dags_emit_the_assets_the_warehouse_waits_for(dags):
    for code in config.platforms():
        outlets = [
            a.uri for task in dags[f"ingest_{code}"].tasks for a in getattr(task, "outlets", [])
        ]
        assert outlets == [f"capdev://raw/{code}"]


def test_council_report_runs_on_each_published_warehouse(serialized, dags):
    timetable = serialized["report_council"]["timetable"]
    assert timetable["__type"] == "airflow.timetables.simple.AssetTriggeredTimetable", timetable
    condition = timetable["__var"]["asset_condition"]
    uris = {a["uri"] for a in condition["objects"]}
    # the asset that the warehouse DAG's publish task emits, and only that one
    published = {
        a.uri
        for task in dags["transform_warehouse"].tasks
        if task.task_id == "publish"
        for a in getattr(task, "outlets", [])
    }
    assert uris == published == {"capdev://warehouse/published"}


def test_council_report_can_be_run_by_hand_for_a_period(dags):
    import copy

    params = dags["report_council"].params
    assert set(params) == {"period_from", "period_to"}
    # the defaults: 2018 to the run's year (null)
    assert copy.deepcopy(params).validate() == {"period_from": 2018, "period_to": None}
    chosen = copy.deepcopy(params)
    chosen.update({"period_from": 2020, "period_to": 2021})
    assert chosen.validate() == {"period_from": 2020, "period_to": 2021}
    bad = copy.deepcopy(params)
    with pytest.raises(ValueError, match="period_from"):
        bad["period_from"] = "last year"
        bad.validate()


def test_one_warehouse_build_at_a_time(dags):
    pools = json.loads((DAGS / "pools.json").read_text())
    transform = dags["transform_warehouse"]
    assert transform.max_active_runs == 1
    writers = {t.task_id for t in transform.tasks if t.pool == "capdev_warehouse"}
    assert {"source_freshness", "dbt_build", "publish"} <= writers
    # the Council publication and report open the build file too (their personal-data scans),
    # from another DAG that runs as soon as the warehouse is published, beside source_freshness
    report = dags["report_council"]
    assert {t.pool for t in report.tasks} == {"capdev_warehouse"}
    assert pools["capdev_warehouse"]["slots"] == 1
    used = {t.pool for dag in dags.values() for t in dag.tasks} - {"default_pool"}
    assert used <= set(pools), f"pools used but not defined in dags/pools.json: {used - set(pools)}"


def test_every_task_retries_with_backoff_and_has_a_timeout(dags):
    for dag in dags.values():
        assert dag.max_active_runs == 1, dag.dag_id
        for task in dag.tasks:
            where = f"{dag.dag_id}.{task.task_id}"
            assert task.retry_exponential_backoff, where
            assert task.max_retry_delay and task.retry_delay, where
            assert task.execution_timeout and task.execution_timeout <= timedelta(hours=3), where


def test_dbt_models_show_as_named_mapped_tasks(dags):
    transform = dags["transform_warehouse"]
    node = transform.get_task("dbt_node")
    assert node.map_index_template == "{{ dbt_node }}"
    assert transform.get_task("dbt_results").trigger_rule == "all_done"
    assert "dbt_build" in transform.get_task("dbt_results").upstream_task_ids


def test_data_dictionary_is_regenerated_after_each_publish_without_the_warehouse_slot(dags):
    transform = dags["transform_warehouse"]
    docs = transform.get_task("dbt_docs")
    assert docs.upstream_task_ids == {"publish"}
    # a leaf outside the one-slot pool: it reads a copy of the published file, so it neither
    # holds the next build back nor, failing, unpublishes anything (it only alerts)
    assert docs.downstream_task_ids == set()
    assert docs.pool != "capdev_warehouse"
    assert docs.on_failure_callback
    assert docs.queue == "warehouse"  # the published file is on the warehouse host
