"""Build the datasets, charts and dashboards in a running Superset, from nothing."""

from __future__ import annotations

import json

from start import DATABASE_NAME

from .api import Superset, wipe
from .boards import BOARDS, Board
from .datasets import DATASETS
from .layout import layout, metadata, native_filter


def build(api: Superset) -> None:
    """Replace every dataset, chart and dashboard with those of ``datasets`` and ``boards``."""
    databases = api.call("GET", "database/?q=(page_size:100)")["result"]
    database_id = next(d["id"] for d in databases if d["database_name"] == DATABASE_NAME)
    wipe(api)
    dataset_ids = {
        name: create_dataset(api, database_id, name, sql, metrics)
        for name, (sql, metrics) in DATASETS.items()
    }
    columns = {
        name: {c["column_name"] for c in api.call("GET", f"dataset/{i}")["result"]["columns"]}
        for name, i in dataset_ids.items()
    }
    for board in BOARDS:
        create_board(api, board, dataset_ids, columns)


def create_dataset(api: Superset, database_id: int, name: str, sql: str, metrics: dict) -> int:
    ident = api.call(
        "POST",
        "dataset/",
        json={"database": database_id, "schema": "main", "table_name": name, "sql": sql.strip()},
    )["id"]
    api.call("PUT", f"dataset/{ident}/refresh")
    current = api.call("GET", f"dataset/{ident}")["result"]
    columns = [
        {
            k: c[k]
            for k in ("id", "column_name", "type", "is_dttm", "groupby", "filterable")
            if k in c
        }
        for c in current["columns"]
    ]
    for column in columns:
        column["is_dttm"] = column["column_name"] == "year_start"
    api.call(
        "PUT",
        f"dataset/{ident}",
        json={
            "columns": columns,
            "main_dttm_col": "year_start" if any(c["is_dttm"] for c in columns) else None,
            "metrics": [
                {"metric_name": key, "verbose_name": label, "expression": expr, "d3format": fmt}
                for key, (label, expr, fmt) in metrics.items()
            ],
        },
    )
    return ident


def create_chart(api: Superset, spec: dict, dataset_id: int, dashboard_id: int) -> tuple[int, str]:
    """One chart of a dashboard; returns its id and uuid."""
    params = {
        **spec["params"],
        "viz_type": spec["viz_type"],
        "datasource": f"{dataset_id}__table",
        "adhoc_filters": [],
    }
    chart_id = api.call(
        "POST",
        "chart/",
        json={
            "slice_name": spec["name"],
            "viz_type": spec["viz_type"],
            "datasource_id": dataset_id,
            "datasource_type": "table",
            "params": json.dumps(params),
            "dashboards": [dashboard_id],
        },
    )["id"]
    # the export finds a dashboard's charts in its layout by uuid
    return chart_id, api.call("GET", f"chart/{chart_id}")["result"]["uuid"]


def create_board(
    api: Superset, board: Board, dataset_ids: dict[str, int], columns: dict[str, set[str]]
) -> None:
    """One dashboard: its charts, then its layout and native filters."""
    dashboard_id = api.call(
        "POST",
        "dashboard/",
        json={"dashboard_title": board.title, "slug": board.slug, "published": True},
    )["id"]
    placed = []
    chart_dataset = {}
    for dataset, spec in board.charts:
        chart_id, chart_uuid = create_chart(api, spec, dataset_ids[dataset], dashboard_id)
        placed.append((chart_id, spec["name"], {**spec, "uuid": chart_uuid}))
        chart_dataset[chart_id] = dataset
    filters = []
    for name, dataset, column in board.filters:
        # a filter applies to the charts whose dataset has its column
        excluded = [c for c, d in chart_dataset.items() if column not in columns[d]]
        filters.append(native_filter(name, dataset_ids[dataset], column, excluded))
    api.call(
        "PUT",
        f"dashboard/{dashboard_id}",
        json={
            "position_json": json.dumps(layout(board.title, board.about, placed)),
            "json_metadata": json.dumps(metadata(filters)),
        },
    )
    print(f"built {board.title}: {len(placed)} charts, {len(filters)} filters")
