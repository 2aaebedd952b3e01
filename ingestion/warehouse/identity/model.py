"""The linkage model: Splink settings, blocking rules and unsupervised training.

A Fellegi-Sunter model (Splink on DuckDB) compares pairs of profiles that share a blocking key
and scores each pair with a match probability. Parameters are estimated without labels: ``u``
(how often a comparison level occurs among non-matching pairs) by seeded random sampling,
``m`` (how often among matching pairs) by expectation maximisation over several blocking
passes (same name skeleton, same e-mail, same date of birth, same phone): each pass trains
every comparison but the one it blocks on, so the model trains on whatever attributes the data
has. The pairs that deterministic rules find only set the prior.

Comparisons are built only for attributes present in the data (:func:`model_settings`); an
absent one is dropped explicitly and logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

log = logging.getLogger("ingestion.warehouse.identity")


@dataclass(frozen=True)
class ModelOptions:
    """Training knobs; the defaults fit two cores and up to about a million records."""

    #: Random pairs sampled to estimate u (fixed seed for reproducible parameters).
    u_max_pairs: float = 3e6
    seed: int = 42
    #: Assumed recall of the deterministic rules used to estimate the prior match rate.
    deterministic_recall: float = 0.7
    #: A local part shared by more records than this is generic (info@, contact@): not a key.
    max_local_part_frequency: int = 50
    #: Largest block a name key may form (larger: qualified by country, else dropped). Pairs
    #: are at most records x keys x this: 100 let the scored pairs grow 87-fold from scale 1 to
    #: scale 10 (common names fill their blocks); 30 keeps it near-linear and found the same
    #: links at scale 1 (17,741) and 0.4% fewer at scale 10.
    max_block_size: int = 30
    #: Below this many distinct profiles there are too few pairs to estimate m and u: the
    #: deterministic rules decide alone (an untrained model links on its default m values).
    min_training_profiles: int = 200
    #: A pair of name tokens (by consonant skeleton: "helratoov lukas", "odhiambo sunita") is
    #: *rare* when at most this many distinct names (by skeleton) and at most
    #: ``rare_pair_profiles`` profiles carry it. Distinct names, not records: one person's
    #: records spell one name (with or without a middle name), while a pair of common names
    #: comes with many others. A rare token makes every pair it is in rare; a common given
    #: name and surname are rare together only when few names hold both. Two records sharing a
    #: rare pair are seldom namesakes: the name comparison has levels of their own for them.
    rare_pair_names: int = 2
    rare_pair_profiles: int = 20
    #: Upper bound on DuckDB threads of the private Splink connection.
    threads: int = 2
    #: Memory the private Splink connection may use before spilling to a temporary folder.
    memory_limit: str = "3GB"


# ---------------------------------------------------------------------------------------------
# Blocking
# ---------------------------------------------------------------------------------------------

#: Blocking rules generating candidate pairs, with the attribute each needs. Each is an
#: equi-join on a key whose blocks stay small as the data grows (pairs grow roughly linearly
#: with records, not quadratically). A list-valued key is exploded.
BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("account", ("account",)),  # same login on the same site
    ("email", ("email",)),  # same address (any case)
    ("email", ("email_local",)),  # same distinctive local part: work vs personal address
    ("phone", ("phone",)),
    # two name tokens with the same consonant skeleton: order, accents, transliteration,
    # a dropped middle name
    ("name", ("name_skeleton_pairs",)),
    # typo keys: first / last three letters of token pairs, capped (see features_sql)
    ("name", ("name_prefix_pairs",)),
    ("name", ("name_suffix_pairs",)),
    # typos in the name and in the address fields: the date of birth alone (its blocks hold
    # about one record in 30,000: a century of days)
    ("birth_date", ("birth_date",)),
    ("address", ("address",)),  # same street line: a household, scored by the rest
    ("postcode", ("postcode", "name_token_skeletons")),  # typos in the date and the street
)
LIST_KEYS = frozenset({"name_skeleton_pairs", "name_prefix_pairs", "name_suffix_pairs"})
#: List columns a blocking rule explodes (the capped keys, and the per-token skeletons, only
#: ever blocked on together with a rare attribute).
_EXPLODED = LIST_KEYS | {"name_token_skeletons"}

#: The attributes the model compares: records equal on all of them are one profile.
PROFILE_COLUMNS = (
    "name_sorted",
    "email",
    "country",
    "organization",
    "account",
    "birth_date",
    "address",
    "gender",
    "city",
    "postcode",
    "phone",
)

#: Typo keys: qualified by the record's country when it has one, and then capped like the rest.
_COUNTRY_QUALIFIED_KEYS = ("name_prefix_pairs", "name_suffix_pairs")

#: EM passes (attribute blocked on, key columns): each leaves out the comparison it blocks on
#: and trains the others; a pass runs only when its attribute is present.
EM_TRAINING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("email", ("email",)),
    ("name", ("name_skeleton",)),
    ("birth_date", ("birth_date",)),
    ("phone", ("phone",)),
)

#: EM pass that trains the name when no other pass can (the data has no other blocking key):
#: the first of a record's capped name-prefix keys (EM cannot explode a list).
NAME_FALLBACK_EM_KEY = "list_extract(name_prefix_pairs, 1)"

#: Deterministic rules (attribute needed, SQL): the prior's estimate and, below
#: ``min_training_profiles``, the whole decision.
DETERMINISTIC_RULES: tuple[tuple[str, str], ...] = (
    ("account", "l.account = r.account"),
    ("email", "l.email = r.email"),
    ("phone", "l.phone = r.phone and l.name_skeleton = r.name_skeleton"),
    ("birth_date", "l.birth_date = r.birth_date and l.name_sorted = r.name_sorted"),
    (
        "name",
        "l.name_sorted = r.name_sorted and l.country = r.country "
        "and l.organization = r.organization",
    ),
)


def _capped_key_ctes(key: str, cap: int) -> list[str]:
    """CTEs capping one list key's blocks at ``cap`` records (else qualified by country)."""
    by_country = key in _COUNTRY_QUALIFIED_KEYS
    # without a country a typo key stays plain (capped): data without countries still blocks
    plain = (
        f"case when country is null and n_k <= {cap} then k end"
        if by_country
        else f"case when n_k <= {cap} then k end"
    )
    qualified = f"case when country is not null and n_kc <= {cap} then k || '|' || country end"
    return [
        f"""{key}_exploded as (
            select unique_id, country, unnest({key}) as k from base)""",
        f"""{key}_counted as (
            select unique_id, country, k,
                   count(*) over (partition by k) as n_k,
                   count(*) over (partition by k, country) as n_kc
            from {key}_exploded)""",
        f"""{key}_capped as (
            select unique_id,
                   list(distinct coalesce({plain}, {qualified}))
                     filter (where coalesce({plain}, {qualified}) is not null) as {key}
            from {key}_counted group by unique_id)""",
    ]


def features_sql(source: str, options: ModelOptions) -> str:
    """SQL creating the ``features`` table with blocking keys capped to bounded block sizes.

    A key shared by more than ``max_block_size`` records says little and would make the pair
    count grow quadratically: it is qualified by country when that makes it rare enough
    ("mhmd hmd" → "mhmd hmd|EG"), and dropped otherwise. The same holds for e-mail local parts
    (``info@``, ``admin@``), which are also dropped when shorter than four characters, and for
    e-mail handles (:func:`.names.email_handles`).
    """
    ctes = [
        f"""handles as (
            select unique_id, unnest(email_handles) as h from {source})""",
        f"""generic_handles as (
            select h from handles group by h
            having count(*) > {options.max_local_part_frequency})""",
        """kept_handles as (
            select unique_id, list(h order by h) as email_handles from handles
            where h not in (select h from generic_handles) group by unique_id)""",
        f"""base as (
            select s.* replace (
                case when len(s.email_local) >= 4
                      and count(*) over (partition by s.email_local)
                          <= {options.max_local_part_frequency}
                     then s.email_local end as email_local,
                kept_handles.email_handles as email_handles)
            from {source} s left join kept_handles using (unique_id))""",
    ]
    keys = sorted(LIST_KEYS)
    for key in keys:
        ctes.extend(_capped_key_ctes(key, options.max_block_size))
    ctes.extend(
        [
            """name_pairs as (
            select unique_id, name_skeleton, unnest(name_skeleton_pairs) as k from base)""",
            f"""rare_keys as (
            select k from name_pairs group by k
            having count(distinct name_skeleton) <= {options.rare_pair_names}
               and count(*) <= {options.rare_pair_profiles})""",
            """rare as (
            select unique_id, list(distinct k) as name_rare_pairs
            from name_pairs join rare_keys using (k) group by unique_id)""",
        ]
    )
    joins = "\n".join(f"left join {k}_capped using (unique_id)" for k in keys)
    replace = ", ".join(f"{k}_capped.{k} as {k}" for k in keys)
    return (
        "create table features as\nwith "
        + ",\n".join(ctes)
        + f"\nselect base.* replace ({replace}), rare.name_rare_pairs from base\n{joins}"
        + "\nleft join rare using (unique_id)\norder by unique_id"
    )


def blocking_rule(columns: tuple[str, ...]):
    """A Splink blocking rule on equal ``columns`` (list keys exploded)."""
    from splink import block_on

    exploded = [c for c in columns if c in _EXPLODED]
    return block_on(*columns, arrays_to_explode=exploded or None)


def _needs(rule_attributes: str, present: frozenset[str], rule: tuple[str, ...]) -> bool:
    extra = {"postcode", "city", "name_token_skeletons"} & set(rule)
    extra = {"name" if c == "name_token_skeletons" else c for c in extra}
    return rule_attributes in present and extra <= present


def prediction_rules(present: frozenset[str]) -> list:
    """The blocking rules whose attributes the data has."""
    return [blocking_rule(cols) for attr, cols in BLOCKING_RULES if _needs(attr, present, cols)]


def em_rules(present: frozenset[str]) -> list[tuple[str, ...]]:
    """The EM passes whose blocking attribute the data has."""
    return [cols for attr, cols in EM_TRAINING_RULES if attr in present]


def deterministic_rules(present: frozenset[str]) -> list[str]:
    """The deterministic rules whose attributes the data has."""
    return [sql for attr, sql in DETERMINISTIC_RULES if attr in present]


#: Rules that only count pairs for the prior's estimate (never link): without them, data with
#: no e-mail, login, phone or date of birth gives the rules almost no pair and a prior a
#: thousand times too small, and nothing links on names. The same sorted name in the same
#: country finds most of a person's pairs there (and some namesakes).
PRIOR_ONLY_RULES: tuple[tuple[str, str], ...] = (
    ("country", "l.name_sorted = r.name_sorted and l.country = r.country"),
)


def prior_pairs(work, present: frozenset[str]) -> int:
    """Pairs of profiles the deterministic and prior-only rules find (the prior's numerator)."""
    extra = [sql for attr, sql in PRIOR_ONLY_RULES if attr in present and "name" in present]
    return len(deterministic_edges(work, present, extra))


def deterministic_edges(
    work, present: frozenset[str], extra_rules: list[str] | None = None
) -> list[tuple[str, str, float, bool]]:
    """Pairs of profiles (table ``features``) that a deterministic rule links, as edges for
    :func:`guarded_clusters`. Each rule is an equi-join of its own (no OR join)."""
    edges: dict[tuple[str, str], bool] = {}
    for rule in deterministic_rules(present) + (extra_rules or []):
        pairs = work.sql(
            f"""
            select l.unique_id, r.unique_id, coalesce(l.email = r.email, false)
            from features l join features r on {rule} and l.unique_id < r.unique_id
            """
        ).fetchall()
        for left, right, email_exact in pairs:
            edges[(left, right)] = edges.get((left, right), False) or email_exact
    return [(left, right, 1.0, exact) for (left, right), exact in sorted(edges.items())]


class CannotTrain(Exception):
    """The data cannot train the model (too few profiles or no pairs for EM): the
    deterministic rules decide instead."""


def estimate_prior(n_profiles: int, deterministic_pairs: int, recall: float) -> float:
    """P(two random profiles match): pairs the deterministic rules find, over their recall,
    bounded to [1 / all pairs, 0.5] so match-free inputs still give a usable model."""
    total = n_profiles * (n_profiles - 1) / 2
    return min(0.5, max(1 / total, deterministic_pairs / recall / total))


def train(db_api, present: frozenset[str], prior: float, options: ModelOptions):
    """A Splink linker on table ``features`` of ``db_api`` (a DuckDBAPI), with u and m estimated.

    Raises :class:`CannotTrain` when an EM pass leaves a compared attribute untrained (no
    blocked pair to learn from): its default m values would decide links by accident.
    """
    from splink import Linker, block_on
    from splink.internals.exceptions import EMTrainingException

    from ingestion.warehouse.identity.comparisons import COMPARISONS, model_settings

    sdf = db_api.register("features")
    settings = model_settings(present, prediction_rules(present), prior=prior)
    linker = Linker(sdf, settings, log_level=logging.WARNING)
    linker.training.estimate_u_using_random_sampling(
        max_pairs=options.u_max_pairs, seed=options.seed
    )
    trained: set[str] = set()
    compared = {a for a in COMPARISONS if a in present}
    for attribute, rule in ((a, r) for a, r in EM_TRAINING_RULES if a in present):
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(*rule), estimate_without_term_frequencies=True
            )
        except EMTrainingException as err:  # no pairs to learn from
            log.warning("identity: EM pass on %s skipped: %s", rule, str(err).split("\n")[0])
            continue
        trained |= compared - {attribute}
    if "name" in compared - trained:
        # Nothing but the name to block on (no e-mail, date of birth or phone: names, country
        # and gender only): learn the name's m from the pairs a name key brings together. They
        # are selected by the name, so its weights lean high; the threshold absorbs that.
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                block_on(NAME_FALLBACK_EM_KEY), estimate_without_term_frequencies=True
            )
            trained |= compared
        except EMTrainingException as err:
            log.warning("identity: EM pass on name keys skipped: %s", str(err).split("\n")[0])
    untrained = compared - trained - {"account"}  # the login's weights are fixed
    if untrained:
        raise CannotTrain(f"no EM pass trained m for {', '.join(sorted(untrained))}")
    remove_matches_from_u(linker, prior)
    return linker


#: The correction of :func:`remove_matches_from_u` lowers a level's u at most this many times.
U_CORRECTION_MAX_FACTOR = 20.0


def remove_matches_from_u(linker, prior: float) -> None:
    """Take the matching pairs out of the u probabilities estimated by random sampling.

    Random pairs are a mixture: a share ``prior`` of them are matches, so the sampled frequency
    of a level is ``prior * m + (1 - prior) * u``, not u. On small or duplicate-rich data
    (FEBRL: one pair in a thousand is a match) the matches dominate the sample's strong
    agreement levels and inflate their u several times: an exact rare name looks common and
    its weight drops by bits. With m trained, ``u = (sampled - prior * m) / (1 - prior)``,
    floored (at most :data:`U_CORRECTION_MAX_FACTOR` times smaller) where the sample holds
    fewer such pairs than the matches alone would give. Fixed u values are left alone.
    """
    if not 0 < prior < 0.5:
        return
    for comparison in linker._settings_obj.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            if level._fix_u_probability:
                continue
            m, u = level.m_probability, level.u_probability
            if m is None or u is None:
                continue
            corrected = (u - prior * m) / (1 - prior)
            level.u_probability = min(1.0, max(u / U_CORRECTION_MAX_FACTOR, corrected))
