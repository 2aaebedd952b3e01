"""What one ``dbt build`` did, node by node, read from dbt's artifacts.

The warehouse is built by a single dbt process (the one-writer rule), so Airflow cannot show a
task per model by running them separately. Instead the transform DAG reads ``run_results.json``
and ``manifest.json`` after the build and renders one task instance per model, seed or snapshot
(with its tests folded in), which fails exactly when that node or one of its tests failed. This
module does the reading; it never imports Airflow.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Statuses of run_results.json that mean "this node is broken".
FAILED = {"error", "fail", "runtime error"}
BUILT_TYPES = ("model", "seed", "snapshot")


def _load(path: Path) -> dict[str, Any]:
    if not path.exists():
        raise FileNotFoundError(f"no dbt artifact at {path}: did the dbt command run?")
    return json.loads(path.read_text(encoding="utf-8"))


def _label(node: dict[str, Any]) -> str:
    """A name a data engineer recognizes: ``schema.model`` for relations, else the dbt name."""
    if node.get("resource_type") in BUILT_TYPES and node.get("schema"):
        return f"{node['schema']}.{node.get('alias') or node['name']}"
    return node.get("name") or node["unique_id"]


def node_results(target_dir: Path) -> list[dict[str, Any]]:
    """One entry per model, seed or snapshot of the last dbt invocation, tests folded in.

    Each entry: ``unique_id``, ``node`` (label), ``resource_type``, ``status`` (dbt's status of
    the node itself), ``seconds``, ``message``, ``tests`` (count), ``failed_tests`` and
    ``warned_tests`` (names and messages), and ``failed`` (the node or one of its tests failed).
    A test that belongs to no single node (a singular test over several models) is an entry of
    its own. Entries are ordered as dbt ran them.
    """
    run = _load(target_dir / "run_results.json")
    manifest = _load(target_dir / "manifest.json")
    nodes, unit_tests = manifest.get("nodes", {}), manifest.get("unit_tests", {})
    entries: dict[str, dict[str, Any]] = {}
    tests: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for result in run.get("results", []):
        uid = result["unique_id"]
        node = nodes.get(uid) or unit_tests.get(uid) or {"unique_id": uid}
        rtype = uid.split(".", 1)[0]
        if rtype in BUILT_TYPES:
            entries[uid] = _entry(uid, _label({**node, "unique_id": uid}), rtype, result)
        elif rtype in ("test", "unit_test"):
            tests.append((node, result))
    for node, result in tests:
        owner = _owner(node, entries)
        if owner is None:
            uid = result["unique_id"]
            owner = entries.setdefault(uid, _entry(uid, _label(node), "test", result))
        owner["tests"] += 1
        name = node.get("name") or result["unique_id"]
        if result["status"] in FAILED:
            owner["failed_tests"].append(f"{name}: {result.get('message') or result['status']}")
            owner["failed"] = True
        elif result["status"] == "warn":
            owner["warned_tests"].append(f"{name}: {result.get('message') or 'warn'}")
    return list(entries.values())


def _entry(uid: str, label: str, rtype: str, result: dict[str, Any]) -> dict[str, Any]:
    return {
        "unique_id": uid,
        "node": label,
        "resource_type": rtype,
        "status": result["status"],
        "seconds": round(float(result.get("execution_time") or 0.0), 2),
        "message": result.get("message") or "",
        "tests": 0,
        "failed_tests": [],
        "warned_tests": [],
        "failed": result["status"] in FAILED,
    }


def _owner(test: dict[str, Any], entries: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    """The node a test checks: its attached node, a unit test's model, else its only built
    dependency (a singular test over several models belongs to none)."""
    if test.get("attached_node"):
        return entries.get(test["attached_node"])
    if test.get("resource_type") == "unit_test" and test.get("model"):
        package = test["unique_id"].split(".")[1]
        return entries.get(f"model.{package}.{test['model']}")
    built = [n for n in (test.get("depends_on") or {}).get("nodes", []) if n in entries]
    return entries[built[0]] if len(built) == 1 else None


def failure_summary(results: list[dict[str, Any]]) -> str:
    """Lines naming each failed node and test, for an exception message or an alert."""
    lines = []
    for entry in results:
        if not entry["failed"]:
            continue
        head = f"{entry['resource_type']} {entry['node']}: {entry['status']}"
        if entry["status"] in FAILED and entry["message"]:
            head += f" ({entry['message'].splitlines()[0][:200]})"
        lines.append(head)
        lines += [f"    test {t.splitlines()[0][:200]}" for t in entry["failed_tests"]]
    return "\n".join(lines)


def freshness_results(target_dir: Path) -> list[dict[str, Any]]:
    """Per source table of the last ``dbt source freshness``: status and hours since loaded.

    ``status`` is dbt's: pass, warn, error (stale past the source's thresholds) or runtime error
    (nothing could be read, e.g. a platform that never landed a batch). dbt leaves sources that
    raised out of ``sources.json``; they are taken from the manifest as runtime errors.
    """
    data = _load(target_dir / "sources.json")
    rows: dict[str, dict[str, Any]] = {}
    for result in data.get("results", []):
        age = result.get("max_loaded_at_time_ago_in_s")
        rows[result["unique_id"]] = {
            "status": result["status"],
            "max_loaded_at": result.get("max_loaded_at"),
            "hours_since_loaded": round(age / 3600, 1) if age is not None else None,
            "message": (result.get("error") or result.get("message") or "")[:300],
        }
    sources = _load(target_dir / "manifest.json").get("sources", {})
    for uid, source in sources.items():
        if uid not in rows and source.get("loaded_at_field"):
            rows[uid] = {
                "status": "runtime error",
                "max_loaded_at": None,
                "hours_since_loaded": None,
                "message": "could not be read (dbt's log has the error)",
            }
    # unique ids are source.<project>.<source>.<table>
    return [
        {"source": uid.split(".")[2], "table": uid.split(".", 3)[3], **row}
        for uid, row in sorted(rows.items())
    ]
