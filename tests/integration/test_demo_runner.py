"""The demo's runner starts a DAG when what triggers it has happened, as an Asset event does.

``run_airflow_together`` runs real Airflow CLI commands side by side; a command given a
condition starts only once the condition holds (the demo: ``report_council`` once the build has
published the warehouse, while the build's last tasks still run), and one whose condition still
does not hold when the others have ended is reported as failed, not run.
"""

from __future__ import annotations

from pathlib import Path

from sandbox.demo import airflow_env, run_airflow_together


def test_a_command_starts_once_its_condition_holds(tmp_path: Path):
    first, second = tmp_path / "first.log", tmp_path / "second.log"

    # the second waits for the first's output: it can only start once the first has printed
    def first_has_printed() -> bool:
        return first.exists() and first.stat().st_size > 0

    outcomes = run_airflow_together(
        [["version"], ["version"]], airflow_env({}), [first, second], [None, first_has_printed]
    )
    assert [ok for ok, _ in outcomes] == [True, True]
    assert second.stat().st_mtime >= first.stat().st_mtime
    assert second.read_text().strip() == first.read_text().strip() != ""


def test_a_command_whose_condition_never_holds_is_not_run_and_fails(tmp_path: Path):
    first, second = tmp_path / "first.log", tmp_path / "second.log"
    never = tmp_path / "never"
    outcomes = run_airflow_together(
        [["version"], ["version"]], airflow_env({}), [first, second], [None, never.exists]
    )
    assert outcomes[0][0] is True
    assert outcomes[1] == (False, 0.0)
    assert "not started" in second.read_text()
