"""A dashboard's layout (position_json), native filters and metadata, as Superset takes them."""

from __future__ import annotations

import uuid

DOCS_LINK = (
    "**Data dictionary:** what every table and column means is in the "
    "[dbt docs](/dbt-docs/) (`make docs`). Figures come from the published warehouse, "
    "refreshed every night."
)


def layout(title: str, about: str, placed: list[tuple[int, str, dict]]) -> dict:
    """position_json: a header, the description with the docs link, then rows of charts."""
    position: dict = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"type": "ROOT", "id": "ROOT_ID", "children": ["GRID_ID"]},
        "GRID_ID": {"type": "GRID", "id": "GRID_ID", "children": [], "parents": ["ROOT_ID"]},
        "HEADER_ID": {"id": "HEADER_ID", "type": "HEADER", "meta": {"text": title}},
    }
    rows: list[list[dict]] = [[{"kind": "markdown", "width": 12, "height": 20}]]
    width = 0
    for chart_id, name, spec in placed:
        if width + spec["width"] > 12 or not rows[-1] or rows[-1][0].get("kind") == "markdown":
            rows.append([])
            width = 0
        rows[-1].append({"kind": "chart", "id": chart_id, "name": name, **spec})
        width += spec["width"]
    for r, row in enumerate(rows):
        row_id = f"ROW-{r}"
        position["GRID_ID"]["children"].append(row_id)
        position[row_id] = {
            "type": "ROW",
            "id": row_id,
            "children": [],
            "parents": ["ROOT_ID", "GRID_ID"],
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
        }
        for c, item in enumerate(row):
            if item["kind"] == "markdown":
                item_id = "MARKDOWN-about"
                position[item_id] = {
                    "type": "MARKDOWN",
                    "id": item_id,
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {"width": 12, "height": 20, "code": f"{about}\n\n{DOCS_LINK}"},
                }
            else:
                item_id = f"CHART-{r}-{c}"
                position[item_id] = {
                    "type": "CHART",
                    "id": item_id,
                    "children": [],
                    "parents": ["ROOT_ID", "GRID_ID", row_id],
                    "meta": {
                        "width": item["width"],
                        "height": item["height"],
                        "chartId": item["id"],
                        "sliceName": item["name"],
                        "uuid": item["uuid"],
                    },
                }
            position[row_id]["children"].append(item_id)
    return position


def native_filter(name: str, dataset_id: int, column: str, excluded: list[int]) -> dict:
    return {
        "id": f"NATIVE_FILTER-{uuid.uuid5(uuid.NAMESPACE_URL, name + column).hex[:20]}",
        "name": name,
        "filterType": "filter_select",
        "type": "NATIVE_FILTER",
        "targets": [{"datasetId": dataset_id, "column": {"name": column}}],
        "controlValues": {
            "enableEmptyFilter": False,
            "defaultToFirstItem": False,
            "multiSelect": True,
            "searchAllOptions": False,
            "inverseSelection": False,
        },
        "defaultDataMask": {"extraFormData": {}, "filterState": {}, "ownState": {}},
        "cascadeParentIds": [],
        "scope": {"rootPath": ["ROOT_ID"], "excluded": excluded},
        "description": "",
    }


def metadata(filters: list[dict]) -> dict:
    """A dashboard's json_metadata: its native filters, no cross-filters, no refresh."""
    return {
        "native_filter_configuration": filters,
        "cross_filters_enabled": False,
        "color_scheme": "supersetColors",
        "refresh_frequency": 0,
        "timed_refresh_immune_slices": [],
        "expanded_slices": {},
        "label_colors": {},
        "shared_label_colors": [],
        "default_filters": "{}",
    }
