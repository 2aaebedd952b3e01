"""The dashboards' files agree: the superset image's DuckDB driver is the locked one, the
committed YAML never carries a machine's warehouse path, and it is what the builder's specs
(dashboards/builder/) make."""

from __future__ import annotations

import re
import sys
import tomllib

import pytest
import yaml

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


# --- the builder's specs (dashboards/builder/) and the committed export agree ------------------


@pytest.fixture(scope="module")
def builder():
    """The builder's data modules, imported as build_assets.py imports them (``dashboards/`` on
    the path); they need nothing but the standard library."""
    sys.path.insert(0, str(DASHBOARDS))
    try:
        from builder import boards, datasets
    finally:
        sys.path.remove(str(DASHBOARDS))
    return boards, datasets


@pytest.fixture(scope="module")
def exported():
    """The committed export: datasets by name; dashboards in the order Superset numbered them
    (the number ending each file name)."""
    sets = {}
    for path in (DASHBOARDS / "assets" / "datasets").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text())
        sets[data["table_name"]] = data
    paths = (DASHBOARDS / "assets" / "dashboards").glob("*.yaml")
    boards = [
        yaml.safe_load(p.read_text())
        for p in sorted(paths, key=lambda p: int(p.stem.rsplit("_")[-1]))
    ]
    return sets, boards


def _chart_columns(params: dict) -> set[str]:
    """The dataset columns a chart spec reads (a heatmap's ``groupby`` is one column)."""
    groupby = params.get("groupby") or []
    columns = {groupby} if isinstance(groupby, str) else set(groupby)
    columns |= set(params.get("all_columns") or [])
    return columns | {params[k] for k in ("x_axis", "entity") if k in params}


def test_every_chart_and_filter_reads_what_its_dataset_has(builder, exported):
    boards, datasets = builder
    committed, _ = exported
    assert set(datasets.DATASETS) == set(committed)
    for board in boards.BOARDS:
        for dataset, spec in board.charts:
            params = spec["params"]
            metrics = params.get("metrics") or [params[k] for k in ("metric",) if k in params]
            assert set(metrics) <= set(datasets.DATASETS[dataset][1]), (board.slug, spec["name"])
            columns = {c["column_name"] for c in committed[dataset]["columns"]}
            assert _chart_columns(params) <= columns, (board.slug, spec["name"])
        for name, dataset, column in board.filters:
            columns = {c["column_name"] for c in committed[dataset]["columns"]}
            assert column in columns, (board.slug, name)


def test_the_committed_export_is_what_the_builder_makes(builder, exported):
    """Titles, charts, description, filters and metrics of the committed YAML are the specs'
    (a spec changed without building and exporting again fails here)."""
    boards, datasets = builder
    committed_sets, committed = exported
    assert [b.slug for b in boards.BOARDS] == [d["slug"] for d in committed]
    uuids = {name: committed_sets[name]["uuid"] for name in datasets.DATASETS}
    for board, data in zip(boards.BOARDS, committed, strict=True):
        assert data["dashboard_title"] == board.title
        items = [i for i in data["position"].values() if isinstance(i, dict)]
        charts = [i["meta"]["sliceName"] for i in items if i.get("type") == "CHART"]
        assert sorted(charts) == sorted(spec["name"] for _, spec in board.charts), board.slug
        about = next(i["meta"]["code"] for i in items if i.get("type") == "MARKDOWN")
        assert about.startswith(board.about + "\n\n"), board.slug
        filters = [
            (f["name"], f["targets"][0]["datasetUuid"], f["targets"][0]["column"]["name"])
            for f in data["metadata"]["native_filter_configuration"]
        ]
        assert filters == [(n, uuids[d], c) for n, d, c in board.filters], board.slug
    for name, (_, metrics) in datasets.DATASETS.items():
        committed_metrics = {
            m["metric_name"]: (m["verbose_name"], m["expression"], m["d3format"])
            for m in committed_sets[name]["metrics"]
        }
        assert committed_metrics == metrics, name
