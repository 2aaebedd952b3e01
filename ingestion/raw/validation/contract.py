"""The source contract of each landed entity, and the expectations it writes into its suite.

One owner: the dbt source files ``dbt_project/models/staging/<platform>/_<platform>__sources.yml``
declare every landed column of every entity (name, ``data_type``, description), and the
``config.meta`` of a column or table says what validation must know besides:

* column ``meta``: ``not_null: true`` / ``unique: true`` (a row-level check: the failing rows are
  quarantined), ``optional: true`` (validated when present; only some exports carry it);
* table ``meta``: ``unique_together: [[a, b], ...]`` (compound keys, row-level),
  ``snapshot: true`` with ``row_count_floor_vs_previous`` (a full pull smaller than that share
  of the previous batch is rejected).

From that, :func:`contract_expectations` gives the structural block of the entity's Great
Expectations suite: every required column and every lineage column exists, non-text columns
have their type, ``_row_number`` identifies rows, a batch is not empty, ``_parse_error`` is null,
and the key checks above. :func:`suite_from_contract` merges the block into the committed suite,
keeping what is not structural (value sets, ranges, regexes, cross-column rules, derived
columns) as it is. ``capdev contracts write`` rewrites the suites, ``capdev contracts check``
(and the unit tests) fail when a committed suite is not what the contract gives.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ingestion import config
from ingestion.raw.landing import LINEAGE_COLUMNS
from ingestion.raw.validation import suites

INTEGER_TYPES = [
    *("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64"),
    *("Int8Dtype", "Int16Dtype", "Int32Dtype", "Int64Dtype"),
    *("UInt8Dtype", "UInt16Dtype", "UInt32Dtype", "UInt64Dtype"),
]
# The pandas dtypes Great Expectations accepts for each declared type. Text (VARCHAR, JSON) is
# not type-checked: a text column whose every value is null lands without a type.
TYPE_LISTS: dict[str, list[str]] = {
    "BIGINT": INTEGER_TYPES,
    "INTEGER": INTEGER_TYPES,
    "DOUBLE": [*INTEGER_TYPES, "float32", "float64", "Float32Dtype", "Float64Dtype"],
    "BOOLEAN": ["bool", "BooleanDtype"],
}
TEXT_TYPES = ("VARCHAR", "JSON")
# Every expectation of these types belongs to the contract: one written by hand in a suite is
# drift (the contract is where keys and columns are declared).
CONTRACT_TYPES = frozenset(
    {
        "expect_column_to_exist",
        "expect_column_values_to_be_in_type_list",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_unique",
        "expect_compound_columns_to_be_unique",
        "expect_table_row_count_to_be_between",
    }
)
COLUMN_META = frozenset({"not_null", "unique", "optional"})
TABLE_META = frozenset({"unique_together", "snapshot", "row_count_floor_vs_previous"})


@dataclass(frozen=True)
class Column:
    name: str
    data_type: str
    not_null: bool = False
    unique: bool = False
    optional: bool = False


@dataclass(frozen=True)
class EntityContract:
    """One landed entity as its dbt source file declares it."""

    platform: str
    entity: str
    columns: tuple[Column, ...]
    unique_together: tuple[tuple[str, ...], ...] = ()
    snapshot: bool = False
    row_count_floor: float | None = None

    @property
    def name(self) -> str:
        return suites.suite_name(self.platform, self.entity)

    @property
    def required(self) -> list[str]:
        return [c.name for c in self.columns if not c.optional]

    @property
    def optional(self) -> list[str]:
        return [c.name for c in self.columns if c.optional]


def sources_files(dbt_dir: Path | None = None) -> list[Path]:
    """The dbt source files of the platforms (one per staging folder)."""
    root = dbt_dir or config.PROJECT_ROOT / "dbt_project"
    return sorted((root / "models" / "staging").glob("*/_*__sources.yml"))


def load_contracts(dbt_dir: Path | None = None) -> dict[str, EntityContract]:
    """Every entity's contract, by suite name (``<platform>__<entity>``)."""
    contracts: dict[str, EntityContract] = {}
    for path in sources_files(dbt_dir):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            platform = _meta(source).get("platform") or source["name"]
            for table in source.get("tables") or []:
                contract = _entity_contract(path, platform, table)
                contracts[contract.name] = contract
    return contracts


def _meta(node: dict[str, Any]) -> dict[str, Any]:
    """A node's ``config.meta`` (dbt 1.10+ keeps meta under config)."""
    return dict(((node.get("config") or {}).get("meta")) or {})


def _entity_contract(path: Path, platform: str, table: dict[str, Any]) -> EntityContract:
    where = f"{path.name}: {platform}.{table['name']}"
    meta = _meta(table)
    if unknown := set(meta) - TABLE_META:
        raise ValueError(f"{where}: unknown contract meta {sorted(unknown)}")
    columns = []
    for column in table.get("columns") or []:
        flags = _meta(column)
        if unknown := set(flags) - COLUMN_META:
            raise ValueError(f"{where}.{column['name']}: unknown contract meta {sorted(unknown)}")
        data_type = str(column.get("data_type") or "").upper()
        if data_type not in TYPE_LISTS and data_type not in TEXT_TYPES:
            raise ValueError(f"{where}.{column['name']}: data_type {data_type!r} has no check")
        columns.append(Column(column["name"], data_type, **{k: bool(v) for k, v in flags.items()}))
    names = {c.name for c in columns}
    together = tuple(tuple(key) for key in meta.get("unique_together") or ())
    for key in together:
        if not set(key) <= names:
            raise ValueError(f"{where}: unique_together {list(key)} names undeclared columns")
    if bool(meta.get("snapshot")) != (meta.get("row_count_floor_vs_previous") is not None):
        raise ValueError(f"{where}: a snapshot entity needs row_count_floor_vs_previous")
    return EntityContract(
        platform=platform,
        entity=table["name"],
        columns=tuple(columns),
        unique_together=together,
        snapshot=bool(meta.get("snapshot")),
        row_count_floor=meta.get("row_count_floor_vs_previous"),
    )


def _identity(expectation: dict[str, Any]) -> str:
    """What tells one expectation from another: type, arguments and qualifier."""
    qualifier = (expectation.get("meta") or {}).get("qualifier")
    return json.dumps([expectation["type"], expectation.get("kwargs"), qualifier], sort_keys=True)


def _expectation(
    suite: str, kind: str, kwargs: dict[str, Any], severity: str, **meta: str
) -> dict[str, Any]:
    """One expectation in the suite format, its id derived from its content (stable)."""
    expectation = {
        "type": kind,
        "kwargs": kwargs,
        "meta": {"severity": severity, **meta},
        "severity": "critical" if severity == "structural" else "warning",
    }
    key = f"capdev-contract/{suite}/{_identity(expectation)}"
    return {"id": str(uuid.uuid5(uuid.NAMESPACE_URL, key)), **expectation}


def contract_expectations(contract: EntityContract) -> list[dict[str, Any]]:
    """The expectations the contract owns, in a fixed order."""
    name = contract.name

    def add(kind: str, severity: str, **kwargs: Any) -> None:
        meta = kwargs.pop("meta", {})
        block.append(_expectation(name, kind, kwargs, severity, **meta))

    block: list[dict[str, Any]] = []
    for column in [*contract.required, *LINEAGE_COLUMNS]:
        add("expect_column_to_exist", "structural", column=column)
    # rows must be identifiable: failing rows are named by _row_number
    add("expect_column_values_to_be_in_type_list", "structural",
        column="_row_number", type_list=INTEGER_TYPES)  # fmt: skip
    add("expect_column_values_to_not_be_null", "structural", column="_row_number")
    add("expect_column_values_to_be_unique", "structural", column="_row_number")
    add("expect_table_row_count_to_be_between", "structural",
        min_value={"$PARAMETER": "min_rows_expected"}, max_value=None,
        meta={"qualifier": "non-empty batch"})  # fmt: skip
    if contract.snapshot:
        add("expect_table_row_count_to_be_between", "structural",
            min_value={"$PARAMETER": "min_rows_vs_previous"}, max_value=None,
            meta={"qualifier": "row count vs previous batch"})  # fmt: skip
    add("expect_column_values_to_be_null", "row", column="_parse_error",
        meta={"reason": "unreadable row: {value}"})  # fmt: skip
    for column in contract.columns:
        if column.data_type in TYPE_LISTS:
            add("expect_column_values_to_be_in_type_list", "structural",
                column=column.name, type_list=TYPE_LISTS[column.data_type])  # fmt: skip
    for column in contract.columns:
        if column.not_null:
            add("expect_column_values_to_not_be_null", "row", column=column.name)
    for column in contract.columns:
        if column.unique:
            add("expect_column_values_to_be_unique", "row", column=column.name)
    for key in contract.unique_together:
        add("expect_compound_columns_to_be_unique", "row", column_list=list(key))
    return block


def is_contract_owned(expectation: dict[str, Any]) -> bool:
    """Whether an expectation belongs to the contract block (so never written by hand)."""
    columns = suites.expectation_columns(expectation)
    return expectation["type"] in CONTRACT_TYPES or (
        expectation["type"] == "expect_column_values_to_be_null" and columns == ["_parse_error"]
    )


def suite_from_contract(contract: EntityContract, committed: dict[str, Any] | None) -> dict:
    """The suite document the contract gives: the committed suite's own (non-structural)
    expectations and derived columns kept, the contract's block and columns in front."""
    committed = committed or {}
    meta = dict(committed.get("meta") or {})
    capdev = dict(meta.get("capdev") or {})
    meta["capdev"] = {
        "platform": contract.platform,
        "entity": contract.entity,
        "snapshot": contract.snapshot,
        "row_count_floor_vs_previous": contract.row_count_floor,
        "columns": contract.required,
        "optional_columns": contract.optional,
        "derived_columns": capdev.get("derived_columns") or [],
    }
    own = [e for e in committed.get("expectations") or [] if not is_contract_owned(e)]
    # an expectation already committed keeps its id (results and Data Docs refer to it)
    ids = {_identity(e): e.get("id") for e in committed.get("expectations") or []}
    block = [{**e, "id": ids.get(_identity(e)) or e["id"]} for e in contract_expectations(contract)]
    document = {
        "name": contract.name,
        "id": committed.get("id")
        or str(uuid.uuid5(uuid.NAMESPACE_URL, f"capdev-suite/{contract.name}")),
        "meta": meta,
        "notes": committed.get("notes"),
        "expectations": [*block, *own],
    }
    return {k: v for k, v in document.items() if v is not None}


def expected_suites(
    dbt_dir: Path | None = None, suites_dir: Path | None = None
) -> dict[Path, dict[str, Any]]:
    """Each suite file as the contracts give it (the committed file read for what it keeps)."""
    folder = suites_dir or suites.suites_dir()
    documents = {}
    for name, contract in load_contracts(dbt_dir).items():
        path = folder / f"{name}.json"
        committed = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None
        documents[path] = suite_from_contract(contract, committed)
    return documents


def check(dbt_dir: Path | None = None, suites_dir: Path | None = None) -> list[str]:
    """What differs between the committed suites and the contracts (empty: they agree)."""
    folder = suites_dir or suites.suites_dir()
    expected = expected_suites(dbt_dir, folder)
    problems = [
        f"{path.name}: no entity of the dbt source files has this suite"
        for path in sorted(folder.glob("*.json"))
        if path not in expected
    ]
    for path, document in expected.items():
        if not path.is_file():
            problems.append(f"{path.name}: missing (the contract declares the entity)")
        else:
            problems += _differences(path.name, json.loads(path.read_text("utf-8")), document)
    return problems


def _differences(name: str, committed: dict[str, Any], expected: dict[str, Any]) -> list[str]:
    """What a committed suite lacks or has beyond its contract, in words."""
    if committed == expected:
        return []
    have = {_identity(e): e for e in committed.get("expectations") or []}
    want = {_identity(e): e for e in expected["expectations"]}
    found = [f"{name}: the contract asks for {k}" for k in sorted(want.keys() - have.keys())]
    found += [f"{name}: not in the contract: {k}" for k in sorted(have.keys() - want.keys())]
    if committed.get("meta") != expected.get("meta"):
        found.append(f"{name}: meta.capdev (columns, snapshot) differs from the contract")
    return found or [f"{name}: differs from its contract (order, ids or severities)"]


def write(dbt_dir: Path | None = None, suites_dir: Path | None = None) -> list[Path]:
    """Rewrite every suite from its contract; returns the files that changed."""
    changed = []
    for path, document in expected_suites(dbt_dir, suites_dir).items():
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
