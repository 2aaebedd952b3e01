"""Validation of landed batches with Great Expectations: accept, quarantine or reject.

    outcome = validate_batch(frame, platform=..., entity=..., batch_id=..., source=...)

Validation decides and writes nothing of the raw zone: the caller (``ingestion.raw.ingest``)
writes the accepted and quarantined rows and the batch's outcome (``ingestion.raw.batch``).

Each batch is validated in one Great Expectations run (a pandas frame over the landed Polars
frame) with the committed suite ``expectations/expectations/<platform>__<entity>.json``.
Every expectation carries a severity in its ``meta``:

* ``structural`` — the batch as a whole is wrong (a required column missing or renamed, a column
  of the wrong type, an empty batch where rows were expected, a full-snapshot entity shrinking
  below 10 % of its previous batch, ``_row_number`` missing / null / duplicated). Any failure
  raises :class:`BatchRejected`; nothing of the batch is accepted.
* ``row`` — the failing rows (identified by ``_row_number``, via ``result_format`` COMPLETE with
  ``unexpected_index_column_names``) are quarantined with every expectation they failed in
  ``_reasons``; the other rows are accepted.

Importing this module does not import Great Expectations (only validating does).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from ingestion.raw.validation import suites as suite_files
from ingestion.raw.validation.frame import gx_frame

__all__ = [
    "BatchRejected",
    "ValidationOutcome",
    "build_data_docs",
    "validate_batch",
]

log = logging.getLogger(__name__)
ID_COLUMN = "_row_number"
REASONS_COLUMN = "_reasons"


@dataclass
class ValidationOutcome:
    """What validation made of one batch (``rows_in == rows_accepted + rows_quarantined``)."""

    accepted: pl.DataFrame  # rows that passed (same columns as the input)
    quarantined: pl.DataFrame  # failing rows: the input columns + `_reasons` (list[str])
    rows_in: int
    rows_accepted: int
    rows_quarantined: int
    failed_expectations: dict[str, int] = field(default_factory=dict)  # label -> failing rows
    status: str = "accepted"  # accepted | partially_quarantined | empty

    def __post_init__(self) -> None:
        if self.rows_in != self.rows_accepted + self.rows_quarantined:  # checked even under -O
            raise ValueError(
                f"rows_in {self.rows_in} != accepted {self.rows_accepted} + "
                f"quarantined {self.rows_quarantined}"
            )


class BatchRejected(Exception):
    """A structural failure: nothing of the batch is accepted (the caller records "rejected")."""

    def __init__(
        self,
        *,
        platform: str,
        entity: str,
        batch_id: str,
        source: str,
        failures: list[tuple[str, str]],
    ):
        self.platform = platform
        self.entity = entity
        self.batch_id = batch_id
        self.source = source
        self.failures = failures  # (expectation label, what was observed)
        listed = "; ".join(f"{label}: {detail}" if detail else label for label, detail in failures)
        super().__init__(
            f"{platform}/{entity} batch {batch_id} (source: {source}) rejected: "
            f"{len(failures)} structural expectation(s) failed: {listed}"
        )


def validate_batch(
    df: pl.DataFrame,
    *,
    platform: str,
    entity: str,
    batch_id: str,
    source: str,
    previous_rows: int | None = None,
    expect_rows: bool = True,
    country_aliases: Path | str | None = None,
    value_sets: Path | str | None = None,
) -> ValidationOutcome:
    """Validate one landed batch with its suite; raise :class:`BatchRejected` on a structural
    failure, else split it into accepted and quarantined rows.

    ``previous_rows``: rows of the entity's previous batch (row-count sanity, full-snapshot
    entities only). ``expect_rows=False``: an empty batch is fine (status ``empty``).
    ``country_aliases`` / ``value_sets``: override the files the suite parameters are read from
    (else ``CAPDEV_COUNTRY_ALIASES`` / ``CAPDEV_VALUE_SETS``, else the committed defaults).
    """
    from ingestion.raw.validation import runner

    spec = suite_files.load_suite(platform, entity)
    if df.height == 0 and not expect_rows:
        return _empty_outcome(df)

    parameters = suite_files.runtime_parameters(
        spec,
        df,
        previous_rows=previous_rows,
        expect_rows=expect_rows,
        country_aliases=country_aliases,
        value_sets=value_sets,
    )
    expectations = _with_parameters(spec, parameters, country_aliases)
    result = runner.run_suite(spec, expectations, gx_frame(df, spec), parameters)
    input_columns = set(df.columns) | set(spec.optional_columns)
    structural, row_failures = _sort_failures(spec, expectations, result.results, input_columns)

    meta = {"platform": platform, "entity": entity, "batch_id": batch_id, "source": source}
    if structural:
        runner.store_result(
            result,
            suite=spec.name,
            batch_id=batch_id,
            meta={**meta, "status": "rejected"},
            expectations=expectations,
        )
        raise BatchRejected(
            platform=platform, entity=entity, batch_id=batch_id, source=source, failures=structural
        )

    reasons, failed = _row_reasons(spec, row_failures)
    outcome = _split(df, reasons, failed)
    runner.store_result(
        result,
        suite=spec.name,
        batch_id=batch_id,
        meta={
            **meta,
            "status": outcome.status,
            "rows_in": outcome.rows_in,
            "rows_accepted": outcome.rows_accepted,
            "rows_quarantined": outcome.rows_quarantined,
        },
        expectations=expectations,
    )
    return outcome


def _empty_outcome(df: pl.DataFrame) -> ValidationOutcome:
    """An empty batch where none was expected to hold rows: nothing to run, status ``empty``."""
    empty = df.clear()
    return ValidationOutcome(
        accepted=empty,
        quarantined=empty.with_columns(
            pl.lit(None, dtype=pl.List(pl.String)).alias(REASONS_COLUMN)
        ),
        rows_in=0,
        rows_accepted=0,
        rows_quarantined=0,
        failed_expectations={},
        status="empty",
    )


def _with_parameters(
    spec: suite_files.SuiteSpec, parameters: dict[str, Any], country_aliases: Path | str | None
) -> list[dict[str, Any]]:
    """The suite's expectations, once each is known to have every suite parameter it uses.

    Fails closed: a check whose reference data is missing is never skipped in silence.
    """
    for expectation in spec.expectations:
        missing = suite_files.expectation_parameters(expectation) - parameters.keys()
        if missing:
            raise LookupError(
                f"suite {spec.name}: {spec.label(expectation)} uses suite parameter(s) "
                f"{sorted(missing)} that neither value_sets.yml nor the run provides (country "
                f"aliases: {suite_files.country_aliases_path(country_aliases)})"
            )
    return list(spec.expectations)


def _sort_failures(
    spec: suite_files.SuiteSpec,
    expectations: list[dict[str, Any]],
    results: list[Any],
    input_columns: set[str],
) -> tuple[list[tuple[str, str]], list[tuple[dict[str, Any], Any]]]:
    """The failed results, in suite order: structural failures as (label, what was observed),
    row failures as (expectation, result).

    An expectation that raised is structural, unless it raised because a column it reads is
    missing: that column's ``expect_column_to_exist`` reports it once.
    """
    by_id = {e.get("id"): i for i, e in enumerate(expectations)}
    ordered = sorted(results, key=lambda r: by_id.get(r.expectation_config.id, len(expectations)))
    structural: list[tuple[str, str]] = []
    row_failures: list[tuple[dict[str, Any], Any]] = []
    for item in ordered:
        if item.success:
            continue
        expectation = expectations[by_id[item.expectation_config.id]]
        label = spec.label(expectation)
        exception = _exception_message(item.exception_info)
        if exception is not None:
            sources = {spec.derived_source(c) for c in suite_files.expectation_columns(expectation)}
            if sources - input_columns:
                continue  # the missing column is reported by its expect_column_to_exist
            structural.append((label, f"raised {exception}"))
        elif (expectation.get("meta") or {}).get("severity") == "structural":
            structural.append((label, _describe(item)))
        else:
            row_failures.append((expectation, item))
    return structural, row_failures


def _row_reasons(
    spec: suite_files.SuiteSpec, row_failures: list[tuple[dict[str, Any], Any]]
) -> tuple[dict[int, list[str]], dict[str, int]]:
    """Each failing row's reasons (by ``_row_number``) and each failed expectation's row count.

    A reason is the expectation's ``meta.reason`` with the failing value, else its label. Refuses
    a row failure that does not name all its rows rather than guess which rows to quarantine.
    """
    reasons: dict[int, list[str]] = {}
    failed: dict[str, int] = {}
    for expectation, item in row_failures:
        label = spec.label(expectation)
        details = item.result or {}
        index_list = details.get("unexpected_index_list")
        if index_list is None:
            raise RuntimeError(
                f"suite {spec.name}: row expectation {label} failed without naming its rows; "
                "mark it structural or use a map expectation"
            )
        template = (expectation.get("meta") or {}).get("reason")
        column = (expectation.get("kwargs") or {}).get("column")
        rows: set[int] = set()
        for entry in index_list:
            number = int(entry[ID_COLUMN])
            rows.add(number)
            text = template.format(value=entry.get(column)) if template else label
            reasons.setdefault(number, []).append(text)
        expected = details.get("unexpected_count")
        if expected is not None and expected != len(index_list):
            raise RuntimeError(
                f"suite {spec.name}: {label} reports {expected} failing rows but names "
                f"{len(index_list)}; refusing to guess which rows to quarantine"
            )
        failed[label] = len(rows)
    return reasons, failed


def _split(
    df: pl.DataFrame, reasons: dict[int, list[str]], failed: dict[str, int]
) -> ValidationOutcome:
    """The batch split by its rows' reasons: rows with none accepted, the others quarantined
    with their reasons in ``_reasons``, both in the batch's order."""
    numbers = sorted(reasons)
    reasons_frame = pl.DataFrame(
        {ID_COLUMN: numbers, REASONS_COLUMN: [reasons[n] for n in numbers]},
        schema={ID_COLUMN: df.schema[ID_COLUMN], REASONS_COLUMN: pl.List(pl.String)},
    )
    accepted = df.join(reasons_frame, on=ID_COLUMN, how="anti", maintain_order="left")
    quarantined = df.join(reasons_frame, on=ID_COLUMN, how="inner", maintain_order="left")
    return ValidationOutcome(
        accepted=accepted,
        quarantined=quarantined,
        rows_in=df.height,
        rows_accepted=accepted.height,
        rows_quarantined=quarantined.height,
        failed_expectations=failed,
        status="partially_quarantined" if quarantined.height else "accepted",
    )


def _exception_message(info: Any) -> str | None:
    """The first line of the error an expectation raised, or None.

    GX reports an error in the expectation itself as ``{"raised_exception": True, ...}`` and an
    error while computing one of its metrics (a missing column, a regex on numbers) as
    ``{<metric id>: {"raised_exception": True, ...}}``.
    """
    if not isinstance(info, dict):
        return None
    candidates = [info, *(v for v in info.values() if isinstance(v, dict))]
    for candidate in candidates:
        if candidate.get("raised_exception"):
            lines = str(candidate.get("exception_message") or "").strip().splitlines()
            return lines[0] if lines else "an exception"
    return None


def _describe(item: Any) -> str:
    """What a failed structural expectation observed, in a few words."""
    config = item.expectation_config
    details = item.result or {}
    kind = config.type
    if kind == "expect_column_to_exist":
        return "column missing"
    if kind == "expect_table_row_count_to_be_between":
        observed = details.get("observed_value")
        return f"{observed} row(s), expected at least {config.kwargs.get('min_value')}"
    if kind == "expect_column_values_to_be_in_type_list":
        if "unexpected_count" in details:
            return f"{details['unexpected_count']} value(s) of another type"
        return f"column type is {details.get('observed_value')}"
    if "unexpected_count" in details:
        return f"{details['unexpected_count']} row(s)"
    if "observed_value" in details:
        return f"observed {details['observed_value']}"
    return ""


def build_data_docs(full: bool = False) -> Path:
    """Build the Data Docs site (``$CAPDEV_DATA_DIR/gx/data_docs``); returns its index.html.

    Incremental (new results only) unless ``full``; the index lists every stored result.
    """
    from ingestion.raw.validation import runner

    return runner.build_data_docs(full=full)
