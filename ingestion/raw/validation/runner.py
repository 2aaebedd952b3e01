"""Great Expectations itself: the per-process context, one run per batch, results, Data Docs.

Great Expectations is imported inside these functions only (it takes seconds to import, and
nothing a DAG file imports may pay for it at parse time).

The context is an in-memory (ephemeral) GX 1.x context built from the committed
``expectations/great_expectations.yml``, with two stores re-pointed at
``ingestion.config.gx_results_dir()`` (``$CAPDEV_DATA_DIR/gx``): ``validations/`` (the results,
one JSON per run) and ``data_docs/`` (the local Data Docs site). Nothing is written into the
checkout. Each batch is validated with its suite read from ``expectations/expectations``; the
suites enter the context's own store only when Data Docs are built. One context is kept per
process (per results folder and version of the suite files), so only the first batch of a
process pays the set-up.
"""

from __future__ import annotations

import copy
import logging
import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from ingestion import config
from ingestion.raw.validation import data_docs
from ingestion.raw.validation import suites as suite_files

log = logging.getLogger(__name__)

DATASOURCE = "capdev_frames"
BATCH_DEFINITION = "whole_batch"
ID_COLUMN = "_row_number"
# Failing values kept per expectation in the stored results (the quarantine file has them all).
STORED_UNEXPECTED = 20

_contexts: dict[tuple, Any] = {}


def quiet_great_expectations() -> None:
    """Keep task logs readable: GX logs hundreds of INFO lines (through structlog when Airflow
    is installed) and draws progress bars. Call before importing it."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    gx_logger = logging.getLogger("great_expectations")
    if gx_logger.level == logging.NOTSET or gx_logger.level < logging.WARNING:
        gx_logger.setLevel(logging.WARNING)


def project_config(results_dir: Path) -> dict[str, Any]:
    """The committed project configuration with the run-time stores.

    Suites live in memory (loaded from the committed JSON), results and Data Docs on disk under
    ``results_dir``; checkpoints and validation definitions are not used (each batch is validated
    directly), so they stay in memory.
    """
    path = suite_files.expectations_dir() / "great_expectations.yml"
    cfg = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    in_memory = {"class_name": "InMemoryStoreBackend"}
    stores = cfg.setdefault("stores", {})
    stores["expectations_store"] = {"class_name": "ExpectationsStore", "store_backend": in_memory}
    stores["checkpoint_store"] = {"class_name": "CheckpointStore", "store_backend": in_memory}
    stores["validation_definition_store"] = {
        "class_name": "ValidationDefinitionStore",
        "store_backend": in_memory,
    }
    stores["validation_results_store"] = {
        "class_name": "ValidationResultsStore",
        "store_backend": {
            "class_name": "TupleFilesystemStoreBackend",
            "base_directory": str(results_dir / "validations"),
        },
    }
    site = cfg.setdefault("data_docs_sites", {}).setdefault("local_site", {})
    site.setdefault("class_name", "SiteBuilder")
    site.setdefault("site_index_builder", {"class_name": "DefaultSiteIndexBuilder"})
    site["show_how_to_buttons"] = False
    site["store_backend"] = {
        "class_name": "TupleFilesystemStoreBackend",
        "base_directory": str(results_dir / "data_docs"),
    }
    cfg["expectations_store_name"] = "expectations_store"
    cfg["validation_results_store_name"] = "validation_results_store"
    cfg["checkpoint_store_name"] = "checkpoint_store"
    cfg["analytics_enabled"] = False
    cfg["progress_bars"] = {"globally": False, "metric_calculations": False}
    cfg.pop("config_variables_file_path", None)
    cfg["plugins_directory"] = None
    cfg.pop("fluent_datasources", None)
    return cfg


class _Context:
    """A GX context with the suites loaded and one dataframe asset per suite."""

    def __init__(self, results_dir: Path):
        quiet_great_expectations()
        import great_expectations as gx
        from great_expectations.data_context.types.base import DataContextConfig

        results_dir.mkdir(parents=True, exist_ok=True)
        self.results_dir = results_dir
        self.gx = gx
        self.context = gx.get_context(
            mode="ephemeral", project_config=DataContextConfig(**project_config(results_dir))
        )
        self.datasource = self.context.data_sources.add_pandas(DATASOURCE)
        self.batch_definitions: dict[str, Any] = {}
        self.suites_stored = False

    def store_suites(self) -> None:
        """Put the suites in the (in-memory) expectations store: only Data Docs read them there
        (validation passes each suite directly), so only building the docs pays for it."""
        if not self.suites_stored:
            for spec in suite_files.load_all_suites():
                self.context.suites.add(self.suite(spec, spec.expectations))
            self.suites_stored = True

    def suite(self, spec: suite_files.SuiteSpec, expectations) -> Any:
        document = copy.deepcopy(spec.document)
        document["expectations"] = copy.deepcopy(list(expectations))
        return self.gx.ExpectationSuite(**document)

    def batch_definition(self, name: str) -> Any:
        if name not in self.batch_definitions:
            asset = self.datasource.add_dataframe_asset(name)
            self.batch_definitions[name] = asset.add_batch_definition_whole_dataframe(
                BATCH_DEFINITION
            )
        return self.batch_definitions[name]


def get_context() -> _Context:
    """The process's context (a new one when the data folder or a suite file changed)."""
    results_dir = config.gx_results_dir()
    key = (str(results_dir), str(suite_files.suites_dir()), suite_files.suites_signature())
    if key not in _contexts:
        _contexts.clear()
        _contexts[key] = _Context(results_dir)
    return _contexts[key]


def run_suite(
    spec: suite_files.SuiteSpec,
    expectations: list[dict[str, Any]],
    frame,
    parameters: dict[str, Any],
):
    """Validate one pandas frame with (a subset of) a suite, in one GX run."""
    ctx = get_context()
    batch = ctx.batch_definition(spec.name).get_batch(batch_parameters={"dataframe": frame})
    return batch.validate(
        ctx.suite(spec, expectations),
        result_format={
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [ID_COLUMN],
            "return_unexpected_index_query": False,
        },
        expectation_parameters=parameters,
    )


def store_result(
    result,
    *,
    suite: str,
    batch_id: str,
    meta: dict[str, Any],
    expectations: list[dict[str, Any]] | None = None,
) -> None:
    """Keep a (trimmed) copy of the run's results for Data Docs under ``gx_results_dir()``.

    Failing values are cut to ``STORED_UNEXPECTED`` per expectation (the quarantine file has
    them all), and long substituted suite parameters (the ~2,000 known country spellings) to
    their first values and a note naming the parameter.
    """
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    originals = {e.get("id"): e.get("kwargs") or {} for e in expectations or []}
    for item in result.results:
        config = item.expectation_config
        for key, value in originals.get(config.id, {}).items():
            substituted = config.kwargs.get(key)
            parameter = value.get("$PARAMETER") if isinstance(value, dict) else None
            if parameter and isinstance(substituted, list) and len(substituted) > STORED_UNEXPECTED:
                more = len(substituted) - STORED_UNEXPECTED
                config.kwargs[key] = [
                    *substituted[:STORED_UNEXPECTED],
                    f"… and {more} more (suite parameter {parameter})",
                ]
        details = item.result or {}
        for key in ("unexpected_list", "unexpected_index_list"):
            if isinstance(details.get(key), list) and len(details[key]) > STORED_UNEXPECTED:
                details[key] = details[key][:STORED_UNEXPECTED]
        details.pop("unexpected_index_query", None)
    result.meta["capdev"] = meta
    run_time = datetime.now(UTC)
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite),
        run_id=RunIdentifier(run_name=batch_id, run_time=run_time),
        batch_identifier=batch_id,
    )
    try:
        get_context().context.validation_results_store.set(key, result)
    except Exception:  # the results are a report: never fail a load for them
        log.warning("could not store the validation result of %s", batch_id, exc_info=True)


def build_data_docs(full: bool = False) -> Path:
    """Build the local Data Docs site; returns its ``index.html``.

    Incremental by default: the suites' pages and the pages of results not rendered yet are
    (re)built, and the index lists every stored result. ``full=True`` re-renders everything.
    """
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
    )

    ctx = get_context()
    ctx.store_suites()
    site = ctx.results_dir / "data_docs"
    resources: list[Any] | None = None
    if not full:
        resources = [
            ExpectationSuiteIdentifier(name=spec.name) for spec in suite_files.load_all_suites()
        ]
        for key in ctx.context.validation_results_store.list_keys():
            page = site / "validations" / Path(*map(str, key.to_tuple()))
            if not page.with_suffix(".html").is_file():
                resources.append(key)
    started = time.time() - 1  # a page written by this build is at least this recent
    ctx.context.build_data_docs(site_names=["local_site"], resource_identifiers=resources)
    index = site / "index.html"
    if not index.is_file():
        raise FileNotFoundError(f"Data Docs were built but {index} is missing")
    written = [p for p in site.rglob("*.html") if full or p.stat().st_mtime >= started]
    data_docs.make_offline(site, written)
    return index
