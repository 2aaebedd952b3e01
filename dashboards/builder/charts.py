"""Chart specs: what each kind of chart the dashboards use sends to Superset.

A spec is a dict: ``name`` (the chart's title), ``viz_type``, ``params`` (Superset's form data)
and its place in the dashboard's 12-column grid (``width``, ``height``).
"""

from __future__ import annotations

import json


def big(name: str, metric: str, fmt: str = "SMART_NUMBER") -> dict:
    """One figure in large type."""
    return {
        "name": name,
        "viz_type": "big_number_total",
        "params": {"metric": metric, "header_font_size": 0.4, "y_axis_format": fmt},
        "width": 3,
        "height": 25,
    }


def trend(name: str, metrics: list[str], groupby: list[str], fmt: str = "SMART_NUMBER") -> dict:
    """Lines over the years (x axis ``year_start``), one per ``groupby`` value."""
    return {
        "name": name,
        "viz_type": "echarts_timeseries_line",
        "params": {
            "x_axis": "year_start",
            "time_grain_sqla": "P1Y",
            "metrics": metrics,
            "groupby": groupby,
            "x_axis_time_format": "%Y",
            "y_axis_format": fmt,
            "markerEnabled": True,
            "show_legend": True,
            "legendOrientation": "top",
            "rich_tooltip": True,
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }


def bars(name: str, x: str, metrics: list[str], groupby: list[str], fmt="SMART_NUMBER") -> dict:
    """Bars along ``x``, stacked or side by side per ``groupby`` value."""
    return {
        "name": name,
        "viz_type": "echarts_timeseries_bar",
        "params": {
            "x_axis": x,
            "metrics": metrics,
            "groupby": groupby,
            "y_axis_format": fmt,
            "show_legend": True,
            "legendOrientation": "top",
            "rich_tooltip": True,
            "x_axis_sort_asc": True,
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }


def heatmap(name: str, x: str, y: str, metric: str, fmt: str = "SMART_NUMBER") -> dict:
    """A grid of ``x`` by ``y`` coloured by the metric, values shown."""
    return {
        "name": name,
        "viz_type": "heatmap_v2",
        "params": {
            "x_axis": x,
            "groupby": y,
            "metric": metric,
            "linear_color_scheme": "blue_white_yellow",
            "normalize_across": "heatmap",
            "show_legend": True,
            "show_values": True,
            "sort_x_axis": "alpha_asc",
            "sort_y_axis": "alpha_asc",
            "y_axis_format": fmt,
            "value_bounds": [None, None],
            "left_margin": "auto",
            "bottom_margin": "auto",
            "row_limit": 10000,
        },
        "width": 12,
        "height": 60,
    }


def table(name: str, groupby: list[str], metrics: list[str], width: int = 12) -> dict:
    """An aggregated table: one row per ``groupby`` combination."""
    return {
        "name": name,
        "viz_type": "table",
        "params": {
            "query_mode": "aggregate",
            "groupby": groupby,
            "metrics": metrics,
            "order_desc": True,
            "row_limit": 1000,
            "show_cell_bars": True,
            "table_timestamp_format": "smart_date",
        },
        "width": width,
        "height": 60,
    }


def raw_table(name: str, columns: list[str], order_by: list, width: int = 12) -> dict:
    """The dataset's rows themselves (``order_by``: [column, ascending] pairs)."""
    return {
        "name": name,
        "viz_type": "table",
        "params": {
            "query_mode": "raw",
            "all_columns": columns,
            "order_by_cols": [json.dumps(o) for o in order_by],
            "row_limit": 500,
            "server_pagination": False,
        },
        "width": width,
        "height": 60,
    }


def world_map(name: str, entity: str, metric: str) -> dict:
    """Countries (ISO 3166-1 alpha-2 in ``entity``) coloured by the metric."""
    return {
        "name": name,
        "viz_type": "world_map",
        "params": {
            "entity": entity,
            "country_fieldtype": "cca2",
            "metric": metric,
            "show_bubbles": False,
            "color_picker": {"r": 0, "g": 122, "b": 135, "a": 1},
            "linear_color_scheme": "blue_white_yellow",
            "color_by": "metric",
            "row_limit": 10000,
        },
        "width": 6,
        "height": 50,
    }
