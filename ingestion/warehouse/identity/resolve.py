"""The entry points: resolve participant records into persons.

Records identical on every compared attribute are first collapsed into one *profile*: the same
person's repeated records would otherwise inflate their name's term frequency (making a frequent
participant's name look common) and fill its blocks. Profiles are then linked by the trained
model (:mod:`.model`) or, when the data is too small or too poor to train it, by the
deterministic rules alone; either way the country and name guards hold (:mod:`.clusters`).

**Identity gate.** Organisation, country and e-mail domain are shared by colleagues: a link
needs corresponding names (exact, same skeleton, a typo, or one name within the other) or a
shared personal identifier (e-mail address, login, phone, or a date of birth with a home
address or postcode), whatever the other evidence says.

Every run is summarised as an :class:`IdentityRun` (records, method, links, seconds), logged,
and, from the dbt model, appended to a run log that ``ops.identity_runs`` reads.

**Explained and corrected.** Besides the clusters, a resolution gives its pairs
(:mod:`.pairs`): every link with the rule and the comparison levels behind it, and the scored
pairs just below the threshold, for clerical review. Reviewed decisions (must-link,
cannot-link) are applied last (:mod:`.decisions`).

Splink runs on a private in-memory DuckDB connection (memory-capped, spilling to a temporary
folder), so none of its work tables land in the warehouse; only the result is handed back.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pyarrow as pa

from ingestion import config
from ingestion.warehouse.identity.clusters import (
    assemble,
    guard_conflicted_clusters,
    guarded_clusters,
)
from ingestion.warehouse.identity.comparisons import NAME_LEVEL_SUBSET, describe_model
from ingestion.warehouse.identity.decisions import MUST_LINK, Decision, apply_decisions
from ingestion.warehouse.identity.features import InputColumns, build_features, present_attributes
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
    PAIRS_SCHEMA,
    REVIEWED,
    Pair,
    deterministic_pairs,
    identical_pairs,
    level_labels,
    model_pairs,
    ordered,
    pairs_table,
)

log = logging.getLogger("ingestion.warehouse.identity")

#: Pairs scored at or above this match probability are the same person. The model is a
#: calibrated posterior only as far as its comparisons are independent, and they are not (a
#: colleague shares organisation, domain and country at once), so the threshold sits well above
#: 0.5 to keep false merges rare: a false merge fuses two people's histories, a missed link only
#: splits one. Chosen on seed 1 of the harder sandbox (scale 1) and of the synthetic population,
#: never on the reported seed 2: 0.7 against 0.8 gives F1 0.9958 / 0.9961 with e-mails,
#: 0.9769 / 0.9712 without e-mails and organisations, 0.9715 / 0.9688 on the synthetic
#: population, FEBRL 1-3 the same or better; see docs/identity.md. Defined once, as the dbt var.
DEFAULT_THRESHOLD = float(config.dbt_var("identity_match_threshold"))
DEFAULT_COLUMNS = InputColumns()
DEFAULT_OPTIONS = ModelOptions()


@dataclass
class IdentityRun:
    """What one resolution did: the row ``ops.identity_runs`` keeps per run."""

    records: int = 0
    profiles: int = 0
    #: ``model`` (trained Splink model), ``deterministic`` (rules only) or ``none`` (< 2 records)
    method: str = "none"
    #: why the deterministic rules decided alone, when they did
    reason: str | None = None
    attributes: str = ""
    links: int = 0
    persons: int = 0
    #: reviewed decisions given, and of those: applied (changed a cluster), naming a record
    #: that is not there, refused (a must-link a cannot-link keeps apart)
    decisions: int = 0
    decisions_applied: int = 0
    decisions_unknown: int = 0
    decisions_refused: int = 0
    seconds: float = 0.0
    finished_at: str = ""


@dataclass
class Resolution:
    """A resolution's result: the clusters (one row per record), its pairs (:mod:`.pairs`,
    :data:`.pairs.PAIRS_SCHEMA`) and the run's summary."""

    clusters: pa.Table
    pairs: pa.Table
    run: IdentityRun


def _since(t: float) -> float:
    return time.monotonic() - t


def _load_records(
    con: duckdb.DuckDBPyConnection,
    records: str | duckdb.DuckDBPyRelation,
    columns: InputColumns,
) -> pa.Table:
    """The columns resolution needs, as Arrow, from a table/view name or a relation."""
    relation = con.sql(f"select * from {records}") if isinstance(records, str) else records
    available = set(relation.columns)
    if columns.record_key not in available:
        raise ValueError(f"the participant records have no {columns.record_key!r} column")
    wanted = [c for c in columns.all() if c in available]
    table = relation.select(*wanted).arrow()
    return table.read_all() if isinstance(table, pa.RecordBatchReader) else table


def _open_work(options: ModelOptions) -> tuple[duckdb.DuckDBPyConnection, str]:
    spill = tempfile.mkdtemp(prefix="capdev-identity-")
    work = duckdb.connect(":memory:")
    work.execute(f"set threads = {max(1, min(options.threads, os.cpu_count() or 1))}")
    work.execute(f"set memory_limit = '{options.memory_limit}'")
    work.execute(f"set temp_directory = '{spill}'")
    work.execute("set preserve_insertion_order = false")
    return work, spill


def _profiles(work: duckdb.DuckDBPyConnection, features: pa.Table, options: ModelOptions) -> int:
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


def _link(
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


def resolve_records(
    records: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    columns: InputColumns = DEFAULT_COLUMNS,
    options: ModelOptions = DEFAULT_OPTIONS,
    key: bytes | None = None,
    diagnostics: dict | None = None,
) -> pa.Table:
    """Resolve an Arrow table of participant records into persons.

    ``diagnostics``, when given, receives the run summary (``run``, an :class:`IdentityRun`),
    and, when the model ran, its description (``model``) and the scored links above the
    threshold (``edges``, an Arrow table).
    """
    return resolve_explained(
        records,
        threshold=threshold,
        columns=columns,
        options=options,
        key=key,
        diagnostics=diagnostics,
    ).clusters


def resolve_explained(
    records: pa.Table,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    pairs_from: float | None = None,
    decisions: list[Decision] | tuple[Decision, ...] = (),
    columns: InputColumns = DEFAULT_COLUMNS,
    options: ModelOptions = DEFAULT_OPTIONS,
    key: bytes | None = None,
    diagnostics: dict | None = None,
) -> Resolution:
    """:func:`resolve_records` with its pairs, and reviewed decisions applied.

    ``pairs_from``: scored pairs at or above this probability are kept in the pairs even below
    the threshold, unlinked, for clerical review (default: the threshold). ``decisions``:
    must-link / cannot-link pairs of record keys, applied after clustering
    (:func:`.decisions.apply_decisions`).
    """
    started = time.monotonic()
    # sqlglot (Splink's SQL parser) warns about every 1-based list index in the comparisons.
    sqlglot_log = logging.getLogger("sqlglot")
    if sqlglot_log.level == logging.NOTSET:
        sqlglot_log.setLevel(logging.ERROR)
    features = build_features(records, columns)
    present = present_attributes(features)
    run = IdentityRun(records=features.num_rows, attributes=",".join(sorted(present)))
    log.info("identity: %d records with %s", run.records, run.attributes or "no attribute")
    result: list[tuple[str, str]] = []
    pairs: list[Pair] = []
    if run.records >= 2:
        work, spill = _open_work(options)
        try:
            run.profiles = _profiles(work, features, options)
            floor = threshold if pairs_from is None else pairs_from
            labels, pairs = _link(work, run, present, threshold, floor, options, diagnostics)
            result = work.sql("select unique_id, profile_id from record_profiles").fetchall()
        finally:
            work.close()
            shutil.rmtree(spill, ignore_errors=True)
    else:
        run.reason, run.profiles = "fewer than 2 records", run.records
        labels = {k: f"s:{k}" for k in features.column("unique_id").to_pylist()}
        result = [(k, k) for k in labels]
    groups: dict[str, list[str]] = {}
    for record_id, profile_id in result:
        groups.setdefault(labels[profile_id], []).append(record_id)
    pairs += identical_pairs(result)
    if decisions:
        groups, pairs = _apply_decisions(run, groups, pairs, features, decisions)
    out = assemble(groups, key)
    run.persons, run.seconds = len(groups), round(_since(started), 3)
    run.finished_at = datetime.now(UTC).isoformat()
    log.info("identity: %s", json.dumps(dataclasses.asdict(run)))
    if diagnostics is not None:
        diagnostics["run"] = run
    return Resolution(clusters=out, pairs=pairs_table(pairs), run=run)


def _apply_decisions(
    run: IdentityRun,
    groups: dict[str, list[str]],
    pairs: list[Pair],
    features: pa.Table,
    decisions: list[Decision] | tuple[Decision, ...],
) -> tuple[dict[str, list[str]], list[Pair]]:
    """The clusters with the reviewed decisions applied, and the pairs with one ``reviewed``
    pair per must-link of two known records (in place of the model's or the rules' pair)."""
    countries = dict(
        zip(
            features.column("unique_id").to_pylist(),
            features.column("country").to_pylist(),
            strict=True,
        )
    )
    names = {
        record: tuple(tokens)
        for record, tokens in zip(
            features.column("unique_id").to_pylist(),
            features.column("name_tokens").to_pylist(),
            strict=True,
        )
        if tokens
    }
    edges = [p.edge() for p in pairs if p.links]
    groups, outcome = apply_decisions(groups, edges, countries, decisions, names=names)
    run.decisions, run.decisions_applied = len(decisions), outcome.applied
    run.decisions_unknown, run.decisions_refused = outcome.unknown, outcome.refused
    if outcome.unknown or outcome.refused:
        log.warning(
            "identity: %d reviewed decisions name records that are not there, %d must-links "
            "are refused by a cannot-link",
            outcome.unknown,
            outcome.refused,
        )
    reviewed = {
        ordered(d.record_a, d.record_b)
        for d in decisions
        if d.decision == MUST_LINK
        and d.record_a in countries
        and d.record_b in countries
        and d.record_a != d.record_b
    }
    scored = {(p.record_l, p.record_r): p for p in pairs if p.match_probability is not None}
    kept = [p for p in pairs if (p.record_l, p.record_r) not in reviewed]
    for left, right in sorted(reviewed):
        score = scored.get((left, right))
        kept.append(
            dataclasses.replace(score, rule=REVIEWED, links=True)
            if score
            else Pair(left, right, rule=REVIEWED, links=True, email_exact=True)
        )
    return groups, kept


def resolve(
    con: duckdb.DuckDBPyConnection,
    records: str | duckdb.DuckDBPyRelation,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    columns: InputColumns = DEFAULT_COLUMNS,
    options: ModelOptions = DEFAULT_OPTIONS,
    key: bytes | None = None,
    diagnostics: dict | None = None,
) -> duckdb.DuckDBPyRelation:
    """Resolve the participant records of ``records`` (a table or view name on ``con``, or a
    relation) into persons.

    Returns a relation on ``con`` with one row per record: ``participant_record_key`` (the
    input's record key), ``cluster_id``, ``participant_key``, ``cluster_size`` and
    ``resolution`` (``singleton``, ``linked``, ``split_by_country_guard`` or
    ``split_by_name_guard``). Nothing is
    written to ``con``: Splink works on a private in-memory connection.
    """
    table = _load_records(con, records, columns)
    result = resolve_records(
        table,
        threshold=threshold,
        columns=columns,
        options=options,
        key=key,
        diagnostics=diagnostics,
    )
    return con.from_arrow(result)


#: A pair of the warehouse's clusters table, on the record of its smaller record id.
PAIR_TYPE = pa.struct(
    [
        ("record_id_r", pa.string()),
        *(f for f in PAIRS_SCHEMA if f.name not in ("record_l", "record_r")),
    ]
)

#: The warehouse's clusters table (what the dbt Python model int_participant_clusters returns).
CLUSTERS_SCHEMA = pa.schema(
    [
        ("platform", pa.string()),
        ("source_record_key", pa.string()),
        ("cluster_id", pa.string()),
        ("cluster_size", pa.int64()),
        ("resolution", pa.string()),
        ("pairs", pa.list_(PAIR_TYPE)),
    ]
)

#: Column names of int_participant_records_for_linking (the dbt model giving the one shape).
LINKING_COLUMNS = InputColumns(record_key="record_id", country="country")


def resolve_participant_records(
    con: duckdb.DuckDBPyConnection,
    records: duckdb.DuckDBPyRelation,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    pairs_from: float | None = None,
    decisions: duckdb.DuckDBPyRelation | None = None,
    options: ModelOptions = DEFAULT_OPTIONS,
    run_log: Path | None = None,
) -> pa.Table:
    """The int_participant_clusters table from int_participant_records_for_linking: one row
    per participant record (platform, source_record_key), with cluster_id (an opaque label
    shared by one person's records: a hash of its smallest record id), cluster_size,
    resolution, and ``pairs``: the pairs (:mod:`.pairs`) whose smaller record id is this
    record's, each with the other record's id. No secret is involved: the pseudonymous
    participant_key is derived from the cluster in core.participant_crosswalk.

    ``pairs_from``: see :func:`resolve_explained`. ``decisions``: a relation of reviewed
    decisions (record_id_a, record_id_b, decision; a null record id names a key that no longer
    exists). ``run_log``: a JSON-lines file the run's summary is appended to (read by
    ops.identity_runs)."""
    table = _load_records(con, records, LINKING_COLUMNS)
    resolution = resolve_explained(
        table, threshold=threshold, pairs_from=pairs_from, columns=LINKING_COLUMNS,
        options=options, decisions=_decisions(decisions),
    )  # fmt: skip
    if run_log is not None:
        append_run(run_log, resolution.run)
    con.register("__identity_resolved", resolution.clusters)
    con.register("__identity_pairs", resolution.pairs)
    try:
        fields = ", ".join(f"{f.name} := {f.name}" for f in PAIR_TYPE if f.name != "record_id_r")
        pairs = con.sql(
            f"select record_l, list(struct_pack(record_id_r := record_r, {fields}) "
            "order by record_r, rule) as pairs from __identity_pairs group by record_l"
        )
        out = records.set_alias("r").join(
            con.table("__identity_resolved").set_alias("c"),
            "r.record_id = c.participant_record_key",
        ).join(pairs.set_alias("p"), "p.record_l = r.record_id", how="left").select(
            "r.platform, r.source_record_key, sha256(c.cluster_id) as cluster_id, "
            "c.cluster_size, c.resolution, coalesce(p.pairs, []) as pairs"
        ).order("platform, source_record_key").arrow()  # fmt: skip
        out = out.read_all() if isinstance(out, pa.RecordBatchReader) else out
    finally:
        con.unregister("__identity_resolved")
        con.unregister("__identity_pairs")
    return out.cast(CLUSTERS_SCHEMA)


def _decisions(relation: duckdb.DuckDBPyRelation | None) -> list[Decision]:
    """The reviewed decisions of a relation (record_id_a, record_id_b, decision)."""
    if relation is None:
        return []
    rows = relation.select("record_id_a, record_id_b, decision").fetchall()
    return [Decision(a, b, decision) for a, b, decision in rows]


def append_run(path: Path, run: IdentityRun) -> None:
    """Append one run's summary to a JSON-lines run log."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(dataclasses.asdict(run)) + "\n")
