"""Linking profiles into clusters: by the trained model when the data can train it, else by
the deterministic rules alone; either way the country and name guards hold (:mod:`.clusters`).

**Identity gate.** Organisation, country and e-mail domain are shared by colleagues: a link
needs corresponding names (exact, same skeleton, a typo, or one name within the other) or a
shared personal identifier (e-mail address, login, phone, or a date of birth with a home
address or postcode), whatever the other evidence says.

Splink runs on a private in-memory DuckDB connection (memory-capped, spilling to a temporary
folder: :func:`open_work`), so none of its work tables land in the warehouse.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time

import duckdb
import pyarrow as pa

from ingestion.warehouse.identity.clusters import guard_conflicted_clusters, guarded_clusters
from ingestion.warehouse.identity.comparisons import NAME_LEVEL_SUBSET, describe_model
from ingestion.warehouse.identity.model import (
    PROFILE_COLUMNS,
    CannotTrain,
    ModelOptions,
    deterministic_edges,
    deterministic_rules,
    estimate_prior,
    features_sql,
    prior_pairs,
    train,
)
from ingestion.warehouse.identity.pairs import (
    Pair,
    deterministic_pairs,
    level_labels,
    model_pairs,
)
from ingestion.warehouse.identity.runs import IdentityRun

log = logging.getLogger("ingestion.warehouse.identity")


def _since(t: float) -> float:
    return time.monotonic() - t


def open_work(options: ModelOptions) -> tuple[duckdb.DuckDBPyConnection, str]:
    """Splink's private in-memory connection and its spill folder (the caller removes both)."""
    spill = tempfile.mkdtemp(prefix="capdev-identity-")
    work = duckdb.connect(":memory:")
    work.execute(f"set threads = {max(1, min(options.threads, os.cpu_count() or 1))}")
    work.execute(f"set memory_limit = '{options.memory_limit}'")
    work.execute(f"set temp_directory = '{spill}'")
    work.execute("set preserve_insertion_order = false")
    return work, spill


def profiles(work: duckdb.DuckDBPyConnection, features: pa.Table, options: ModelOptions) -> int:
    """Tables ``record_profiles`` (record → profile) and ``features`` (one row per profile,
    blocking keys capped); returns the number of profiles."""
    work.register("features_in", features)
    work.execute(
        f"""
        create table record_profiles as
        select unique_id, first_value(unique_id) over (
            partition by {", ".join(PROFILE_COLUMNS)} order by unique_id
        ) as profile_id
        from features_in
        """
    ).fetchall()
    work.execute(
        """
        create table profiles_in as
        select * from features_in where unique_id in (select profile_id from record_profiles)
        """
    ).fetchall()
    work.unregister("features_in")
    work.execute(features_sql("profiles_in", options)).fetchall()
    return work.sql("select count(*) from features").fetchall()[0][0]


def _gate_sql(columns: set[str]) -> str:
    """The country guard's first pass and the identity gate, over the prediction columns."""
    same_email = "coalesce(email_l = email_r, false)" if "email_l" in columns else "false"
    conditions = []
    if "country_l" in columns:
        conditions.append(
            f"(country_l is null or country_r is null or country_l = country_r or {same_email})"
        )
    if "gamma_name" in columns:
        identifiers = [f"gamma_name >= {NAME_LEVEL_SUBSET}", same_email]
        identifiers += [f"{a}_l = {a}_r" for a in ("account", "phone") if f"{a}_l" in columns]
        if "gamma_birth_date" in columns:
            # colleagues share an organisation, not a date of birth with a home address
            places = [f"gamma_{a} > 0" for a in ("address", "postcode") if f"gamma_{a}" in columns]
            if places:
                identifiers.append(f"(gamma_birth_date > 0 and ({' or '.join(places)}))")
        conditions.append("(" + " or ".join(identifiers) + ")")
    return " and ".join(conditions) or "true"


def _link_with_model(
    work: duckdb.DuckDBPyConnection,
    present: frozenset[str],
    prior: float,
    threshold: float,
    pairs_from: float,
    options: ModelOptions,
    diagnostics: dict | None,
) -> tuple[dict[str, str], int, list[Pair]]:
    """Train, score and cluster with the model: (profile → cluster label, links, the scored
    pairs at or above ``pairs_from``, linked or not)."""
    from splink import DuckDBAPI

    db_api = DuckDBAPI(work)
    step = time.monotonic()
    linker = train(db_api, present, prior, options)
    log.info("identity: model trained in %.1fs\n%s", _since(step), describe_model(linker))
    step = time.monotonic()
    predictions = linker.inference.predict(
        threshold_match_probability=min(threshold, pairs_from), warning_mode="never"
    )
    columns = set(work.sql(f"select * from {predictions.physical_name} limit 0").columns)
    scored = db_api.query_sql(
        f"select * from {predictions.physical_name} where {_gate_sql(columns)}"
    )
    guarded = db_api.query_sql(
        f"select * from {scored.physical_name} where match_probability >= {threshold}"
    )
    n_links = work.sql(f"select count(*) from {guarded.physical_name}").fetchall()[0][0]
    if diagnostics is not None:
        diagnostics["model"] = describe_model(linker)
        diagnostics["edges"] = work.sql(f"select * from {guarded.physical_name}").arrow().read_all()
    log.info("identity: %d links at p >= %.2f scored in %.1fs", n_links, threshold, _since(step))
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        guarded, threshold_match_probability=threshold
    )
    work.execute(
        f"create table clusters as select unique_id, {_country_or_null(present)} as country, "
        f"cluster_id from {clustered.physical_name}"
    ).fetchall()
    labels = dict(work.sql("select unique_id, 's:' || cluster_id from clusters").fetchall())
    labels.update(guard_conflicted_clusters(work, guarded.physical_name))
    pairs = model_pairs(work, scored.physical_name, threshold, level_labels(linker))
    return labels, n_links, pairs


def _country_or_null(present: frozenset[str]) -> str:
    return "country" if "country" in present else "cast(null as varchar)"


def _link_deterministically(
    work: duckdb.DuckDBPyConnection, present: frozenset[str]
) -> tuple[dict[str, str], int, list[Pair]]:
    """Deterministic rules only, with the country guard: (profile → cluster label, links, the
    linked pairs)."""
    edges = deterministic_edges(work, present)
    countries = dict(work.sql("select unique_id, country from features").fetchall())
    names = {
        profile: tuple(tokens)
        for profile, tokens in work.sql("select unique_id, name_tokens from features").fetchall()
        if tokens
    }
    labels = {p: f"d:{c}" for p, c in guarded_clusters(countries, edges, names=names).items()}
    return labels, len(edges), deterministic_pairs(work, edges, deterministic_rules(present))


def link(
    work: duckdb.DuckDBPyConnection,
    run: IdentityRun,
    present: frozenset[str],
    threshold: float,
    pairs_from: float,
    options: ModelOptions,
    diagnostics: dict | None,
) -> tuple[dict[str, str], list[Pair]]:
    """Profile → cluster label, and the pairs behind it, by the model when the data can train
    it, else by the rules."""
    from splink.internals.exceptions import SplinkException

    if run.profiles < options.min_training_profiles:
        run.reason = f"{run.profiles} profiles, fewer than {options.min_training_profiles}"
    else:
        found = prior_pairs(work, present)
        prior = estimate_prior(run.profiles, found, options.deterministic_recall)
        log.info("identity: %d deterministic matches; prior P(match) = %.3g", found, prior)
        try:
            labels, run.links, pairs = _link_with_model(
                work, present, prior, threshold, pairs_from, options, diagnostics
            )
            run.method = "model"
            return labels, pairs
        except (CannotTrain, SplinkException) as err:
            # A model that cannot train must not decide: the rules below are safe at any size.
            run.reason = f"model not usable: {str(err).splitlines()[0]}"
    log.warning("identity: deterministic rules only (%s)", run.reason)
    labels, run.links, pairs = _link_deterministically(work, present)
    run.method = "deterministic"
    return labels, pairs
