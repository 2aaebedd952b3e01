"""The dashboards' files agree: the superset image's DuckDB driver is the locked one,
and the committed YAML never carries a machine's warehouse path."""

from __future__ import annotations

import re
import tomllib

from ingestion import config

DASHBOARDS = config.PROJECT_ROOT / "dashboards"


def _locked(name: str) -> str:
    lock = tomllib.loads((DASHBOARDS / "uv.lock").read_text())
    return next(p["version"] for p in lock["package"] if p["name"] == name)


def test_the_image_installs_the_locked_duckdb_driver():
    dockerfile = (DASHBOARDS / "Dockerfile").read_text()
    assert re.search(r"^FROM apache/superset:(\S+)$", dockerfile, re.M).group(1) == _locked(
        "apache-superset"
    )
    for package in ("duckdb", "duckdb-engine"):
        assert f'"{package}=={_locked(package)}"' in dockerfile, package


def test_the_committed_database_points_at_the_placeholder():
    from_start = re.search(
        r'^URI_PLACEHOLDER = "([^"]+)"', (DASHBOARDS / "start.py").read_text(), re.M
    ).group(1)
    databases = list((DASHBOARDS / "assets" / "databases").glob("*.yaml"))
    assert databases
    for path in databases:
        text = path.read_text()
        assert f"sqlalchemy_uri: {from_start}" in text, path.name
    for path in (DASHBOARDS / "assets").rglob("*.yaml"):
        assert "/published/" not in path.read_text(), f"{path.name} names a machine's path"
