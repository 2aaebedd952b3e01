"""The committed suites and their runtime parameters.

Nothing here imports Great Expectations: suites are read as plain JSON (the GX 1.x suite format)
and turned into GX objects by :mod:`ingestion.raw.validation.runner`; the frame they validate
is built by :mod:`ingestion.raw.validation.frame`.

Conventions of the suite files (``expectations/expectations/<platform>__<entity>.json``; see
``expectations/README.md``):

* every expectation has ``meta.severity``: ``structural`` (the batch is rejected) or ``row``
  (the failing rows are quarantined); optional ``meta.qualifier`` (appended to the label, to tell
  two checks of one column apart) and ``meta.reason`` (the text put in ``_reasons`` instead of the
  label; ``{value}`` is the failing value, e.g. ``unreadable row: {value}`` for ``_parse_error``);
* ``meta.capdev`` of the suite: ``columns`` (required landed columns), ``optional_columns``
  (validated when present, added as nulls for validation when absent), ``snapshot`` and
  ``row_count_floor_vs_previous`` (full-snapshot entities: a batch smaller than that share of the
  previous batch is rejected), all written from the entity's contract (the dbt source file, see
  :mod:`ingestion.raw.validation.contract`), and ``derived_columns`` (helper columns computed for
  validation only, see :func:`ingestion.raw.validation.frame.derive`);
* values that change without a code change are suite parameters (``{"$PARAMETER": name}``):
  the value sets of ``expectations/value_sets.yml``, ``known_countries`` (from the country aliases
  seed), ``now_epoch``, ``min_rows_expected`` and ``min_rows_vs_previous``.
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

import polars as pl
import yaml

from ingestion import config
from ingestion.normalize import normalize_many
from ingestion.raw.validation.frame import DERIVED_KINDS

SEVERITIES = ("structural", "row")
# Dates "not in the future" may run this far ahead of the landing (clock skew, time zones).
FUTURE_TOLERANCE_SECONDS = 86_400


# --------------------------------------------------------------------------- paths


def expectations_dir() -> Path:
    """The GX file project (``CAPDEV_EXPECTATIONS_DIR`` overrides it, for tests)."""
    override = os.environ.get("CAPDEV_EXPECTATIONS_DIR")
    return Path(override) if override else config.PROJECT_ROOT / "expectations"


def suites_dir() -> Path:
    return expectations_dir() / "expectations"


def value_sets_path(override: Path | str | None = None) -> Path:
    """``expectations/value_sets.yml`` (``CAPDEV_VALUE_SETS`` or an argument overrides it)."""
    if override:
        return Path(override)
    env = os.environ.get("CAPDEV_VALUE_SETS")
    return Path(env) if env else expectations_dir() / "value_sets.yml"


def country_aliases_path(override: Path | str | None = None) -> Path:
    """The dbt seed of country spellings (``CAPDEV_COUNTRY_ALIASES`` or an argument overrides)."""
    if override:
        return Path(override)
    env = os.environ.get("CAPDEV_COUNTRY_ALIASES")
    if env:
        return Path(env)
    return config.PROJECT_ROOT / "dbt_project" / "seeds" / "country_aliases.csv"


# --------------------------------------------------------------------------- suites


@dataclass(frozen=True)
class SuiteSpec:
    """One committed suite, as plain data."""

    name: str
    platform: str
    entity: str
    columns: tuple[str, ...]
    optional_columns: tuple[str, ...]
    snapshot: bool
    row_count_floor: float | None
    derived: tuple[dict[str, Any], ...]
    expectations: tuple[dict[str, Any], ...]
    document: dict[str, Any]

    def derived_label(self, column: str) -> str:
        """A derived column's name in labels: the column (or JSON path) it was computed from."""
        for spec in self.derived:
            if spec["name"] == column:
                return spec.get("label") or spec["from"]
        return column

    def derived_source(self, column: str) -> str:
        for spec in self.derived:
            if spec["name"] == column:
                return spec["from"]
        return column

    def label(self, expectation: dict[str, Any]) -> str:
        """``expectation_type(column[,column])`` plus `` [qualifier]`` when the suite gives one."""
        meta = expectation.get("meta") or {}
        if meta.get("label"):
            return str(meta["label"])
        columns = expectation_columns(expectation)
        text = expectation["type"]
        if columns:
            text += "(" + ",".join(self.derived_label(c) for c in columns) + ")"
        if meta.get("qualifier"):
            text += f" [{meta['qualifier']}]"
        return text


def expectation_columns(expectation: dict[str, Any]) -> list[str]:
    kwargs = expectation.get("kwargs") or {}
    if "column" in kwargs:
        return [kwargs["column"]]
    if "column_A" in kwargs:
        return [kwargs["column_A"], kwargs["column_B"]]
    return list(kwargs.get("column_list") or [])


def expectation_parameters(expectation: dict[str, Any]) -> set[str]:
    """The suite parameters (``$PARAMETER``) an expectation uses."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if "$PARAMETER" in value:
                found.add(str(value["$PARAMETER"]))
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    walk(expectation.get("kwargs") or {})
    return found


def suite_name(platform: str, entity: str) -> str:
    return f"{platform}__{entity}"


def suite_path(platform: str, entity: str) -> Path:
    return suites_dir() / f"{suite_name(platform, entity)}.json"


def suite_files() -> list[Path]:
    return sorted(suites_dir().glob("*.json"))


def suites_signature() -> tuple[tuple[str, int], ...]:
    """Names and modification times of the suite files (a change reloads them)."""
    return tuple((p.name, p.stat().st_mtime_ns) for p in suite_files())


def load_suite(platform: str, entity: str) -> SuiteSpec:
    path = suite_path(platform, entity)
    if not path.is_file():
        raise LookupError(
            f"no expectation suite for {platform}/{entity}: expected {path} "
            "(one suite per landed entity of docs/raw-zone.md)"
        )
    return _load_suite_file(str(path), path.stat().st_mtime_ns)


def load_all_suites() -> list[SuiteSpec]:
    return [_load_suite_file(str(p), p.stat().st_mtime_ns) for p in suite_files()]


@lru_cache(maxsize=64)
def _load_suite_file(path: str, _mtime: int) -> SuiteSpec:
    document = json.loads(Path(path).read_text(encoding="utf-8"))
    capdev = (document.get("meta") or {}).get("capdev") or {}
    name = document["name"]
    for number, expectation in enumerate(document["expectations"]):
        # results are matched back to expectations by id: a hand-added one may come without
        expectation.setdefault("id", str(uuid.uuid5(uuid.NAMESPACE_URL, f"{name}/{number}")))
        severity = (expectation.get("meta") or {}).get("severity")
        if severity not in SEVERITIES:
            raise ValueError(
                f"suite {name}: expectation {expectation['type']} {expectation.get('kwargs')} "
                f"has meta.severity {severity!r}; expected one of {SEVERITIES}"
            )
    ids = [e["id"] for e in document["expectations"]]
    if len(ids) != len(set(ids)):
        raise ValueError(f"suite {name}: expectation ids must be unique")
    for spec in capdev.get("derived_columns") or []:
        if spec.get("kind") not in DERIVED_KINDS:
            raise ValueError(f"suite {name}: derived column {spec} has an unknown kind")
    return SuiteSpec(
        name=name,
        platform=capdev.get("platform") or name.split("__")[0],
        entity=capdev.get("entity") or name.split("__")[1],
        columns=tuple(capdev.get("columns") or ()),
        optional_columns=tuple(capdev.get("optional_columns") or ()),
        snapshot=bool(capdev.get("snapshot")),
        row_count_floor=capdev.get("row_count_floor_vs_previous"),
        derived=tuple(capdev.get("derived_columns") or ()),
        expectations=tuple(document["expectations"]),
        document=document,
    )


# --------------------------------------------------------------------------- value sets


def load_value_sets(path: Path | str | None = None) -> dict[str, list[str]]:
    """The enumerations of ``value_sets.yml`` (every value as text)."""
    source = value_sets_path(path)
    data = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    sets: dict[str, list[str]] = {}
    for name, values in data.items():
        if not isinstance(values, list):
            raise ValueError(f"{source}: {name} must be a list of values")
        for value in values:
            if isinstance(value, bool) or value is None:
                raise ValueError(
                    f"{source}: {name} holds {value!r}; quote it (YAML reads yes/no/on/off "
                    "unquoted as booleans)"
                )
        sets[str(name)] = [str(v) for v in values]
    return sets


def load_known_countries(path: Path | str | None = None) -> list[str] | None:
    """Every alias and ISO code of the country aliases seed, normalized; None when it is absent
    (validation then refuses to run the country check rather than skip it)."""
    source = country_aliases_path(path)
    if not source.is_file():
        return None
    with source.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = set(reader.fieldnames or ())
        if not {"alias", "iso2"} <= fields:
            raise ValueError(f"{source}: expected columns alias,iso2, found {sorted(fields)}")
        spellings = [row.get(key) for row in reader for key in ("alias", "iso2")]
    return sorted({value for value in normalize_many(spellings) if value})


def value_set_parameters(sets: dict[str, list[str]]) -> dict[str, Any]:
    """Each set as written, normalized, and as a regex over ``|``-joined normalized values."""
    params: dict[str, Any] = {}
    for name, values in sets.items():
        normalized = sorted({n for n in normalize_many(values) if n})
        alternatives = "|".join(re.escape(v) for v in sorted(normalized, key=len, reverse=True))
        params[name] = list(values)
        params[f"{name}__normalized"] = normalized
        params[f"{name}__regex"] = f"^(?:(?:{alternatives})(?:\\|(?:{alternatives}))*)?$"
    return params


def load_time_epoch(frame: pl.DataFrame) -> float:
    """When the batch was landed (the newest ``_loaded_at``), else now, as epoch seconds."""
    if "_loaded_at" in frame.columns and frame.height:
        column = frame.get_column("_loaded_at")
        try:
            if column.dtype == pl.String:
                column = column.str.to_datetime(time_zone="UTC", strict=False)
            if isinstance(column.dtype, pl.Datetime):
                if column.dtype.time_zone is None:
                    column = column.dt.replace_time_zone("UTC")
                newest = column.max()
                if isinstance(newest, datetime):
                    return newest.timestamp()
        except (pl.exceptions.PolarsError, ValueError, TypeError):
            pass
    return datetime.now(UTC).timestamp()


def runtime_parameters(
    spec: SuiteSpec,
    frame: pl.DataFrame,
    *,
    previous_rows: int | None,
    expect_rows: bool,
    country_aliases: Path | str | None = None,
    value_sets: Path | str | None = None,
) -> dict[str, Any]:
    """Every suite parameter for one run (read fresh each time: a release sees today's lists)."""
    params = value_set_parameters(load_value_sets(value_sets))
    countries = load_known_countries(country_aliases)
    if countries is not None:
        params["known_countries"] = countries
    params["now_epoch"] = load_time_epoch(frame) + FUTURE_TOLERANCE_SECONDS
    params["min_rows_expected"] = 1 if expect_rows else 0
    floor = spec.row_count_floor
    if spec.snapshot and floor and previous_rows:
        params["min_rows_vs_previous"] = math.ceil(previous_rows * floor)
    else:
        params["min_rows_vs_previous"] = 0
    return params
