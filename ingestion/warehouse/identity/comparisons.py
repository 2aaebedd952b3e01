"""The comparisons of the linkage model, one function each, and the Splink settings.

Only attributes the data has get a comparison (:func:`model_settings`): a comparison on a
column that is null everywhere would leave its levels untrained, so it is dropped explicitly.
"""

from __future__ import annotations

import logging

from ingestion.warehouse.identity.names import SHORT_TOKEN, TOKEN_JW

log = logging.getLogger("ingestion.warehouse.identity")


def _jw(column: str) -> str:
    return f"jaro_winkler_similarity({column}_l, {column}_r)"


#: gamma value of the name level "shorter name's tokens all in the longer" (levels count down
#: from "exact, with a rare pair" = 7; see _name): the weakest name agreement that can link on
#: its own.
NAME_LEVEL_SUBSET = 2

#: u probability of "same login on the same site" (two different people sharing one login).
ACCOUNT_SHARED_U = 1e-6

#: m probability of "two different known countries" (see the country comparison).
DIFFERENT_COUNTRY_M = 0.01

#: m probability of "two different addresses at one organisation's domain". Fixed, not learnt:
#: namesakes in one country often share such a domain, and EM, seeing them in its name blocks,
#: takes them for matches and learns the level as hardly negative.
SAME_ORG_DOMAIN_M = 0.01

_N_L, _N_R = "len(name_tokens_l)", "len(name_tokens_r)"
_SHARED_SKELETONS = "len(list_intersect(name_token_skeletons_l, name_token_skeletons_r))"
# Cheap preconditions that spare the token-by-token test on most pairs: all tokens but one
# already share a skeleton, so at most one token may correspond through a typo.
_SAME_LENGTH_GATE = f"{_N_L} = {_N_R} and {_SHARED_SKELETONS} >= {_N_L} - 1"
_SUBSET_GATE = (
    f"{_N_L} <> {_N_R} and least({_N_L}, {_N_R}) >= 2 "
    f"and {_SHARED_SKELETONS} >= least({_N_L}, {_N_R}) - 1"
)


#: The two names share a rare pair of tokens (see ModelOptions.rare_pair_names): seldom
#: namesakes.
_SHARED_RARE = "coalesce(list_has_any(name_rare_pairs_l, name_rare_pairs_r), false)"


def _tokens_covered(a: str, b: str) -> str:
    """SQL: every token of side ``a``'s name has a corresponding token in side ``b``'s: the
    same skeleton, or (both longer than SHORT_TOKEN letters) a typo apart (Jaro-Winkler)."""
    return (
        f"list_bool_and(list_transform(list_zip(name_tokens_{a}, name_token_skeletons_{a}), "
        f"lambda p: list_bool_or(list_transform(list_zip(name_tokens_{b}, "
        f"name_token_skeletons_{b}), lambda q: p[2] = q[2] "
        f"or (len(p[1]) > {SHORT_TOKEN} and len(q[1]) > {SHORT_TOKEN} "
        f"and jaro_winkler_similarity(p[1], q[1]) >= {TOKEN_JW}) "
        # a four-letter token one keystroke from the other (liam/laim, blae/blake, kirr/kirra)
        f"or (least(len(p[1]), len(q[1])) = {SHORT_TOKEN} "
        f"and damerau_levenshtein(p[1], q[1]) <= 1)))))"
    )


def _name():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    name_similarity = f"greatest({_jw('name_sorted')}, {_jw('name_ordered')})"
    subset = (
        f"{_SUBSET_GATE} and (case when {_N_L} < {_N_R} "
        f"then {_tokens_covered('l', 'r')} else {_tokens_covered('r', 'l')} end)"
    )
    return cl.CustomComparison(
        output_column_name="name",
        comparison_description="sorted-token name",
        comparison_levels=[
            cll.NullLevel("name_sorted"),
            # No term-frequency adjustment here: the level is already the rare names', and
            # the adjustment would count one person's own records as namesakes.
            cll.CustomLevel(
                f"name_sorted_l = name_sorted_r and {_SHARED_RARE}",
                label_for_charts="exact, with a rare pair",
            ),
            cll.ExactMatchLevel("name_sorted", term_frequency_adjustments=True),
            cll.CustomLevel(
                # the same letters once spaces are ignored: "van der berg" / "vanderberg"
                "name_skeleton_l = name_skeleton_r or replace(name_ordered_l, ' ', '') "
                "= replace(name_ordered_r, ' ', '')",
                label_for_charts="same consonant skeleton",
            ),
            cll.CustomLevel(
                f"{_SAME_LENGTH_GATE} and {_tokens_covered('l', 'r')} "
                f"and {_tokens_covered('r', 'l')}",
                label_for_charts="every token corresponds (one typo)",
            ),
            cll.CustomLevel(
                f"{subset} and {_SHARED_RARE}",
                label_for_charts="shorter name in the longer, with a rare pair",
            ),
            cll.CustomLevel(subset, label_for_charts="shorter name's tokens all in the longer"),
            cll.CustomLevel(f"{name_similarity} >= 0.88", label_for_charts="name JW >= 0.88"),
            cll.ElseLevel(),
        ],
    )


def _email():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="email",
        comparison_description="e-mail address",
        comparison_levels=[
            cll.NullLevel("email"),
            cll.ExactMatchLevel("email"),
            # A local part says more when few records share it (TF-adjusted): "jsmith" is
            # weak evidence, "ngozi.okonjo" strong.
            cll.ExactMatchLevel("email_local", term_frequency_adjustments=True),
            # Different local parts that share what is not the name (a number, a nickname):
            # "mwangi.odhiambo162@work" / "odhiambo162@home". Generic handles shared by
            # many records are dropped (see model.features_sql).
            cll.CustomLevel(
                "coalesce(list_has_any(email_handles_l, email_handles_r), false)",
                label_for_charts="addresses share a handle beyond the name",
            ),
            # Two addresses at one organisation's domain are mostly two colleagues (one person
            # seldom has two mailboxes at one employer); at a public provider's, one person's
            # two personal mailboxes are common. No term-frequency adjustment: a small
            # organisation's domain would make two colleagues look alike.
            cll.CustomLevel(
                "email_org_domain_l = email_org_domain_r",
                label_for_charts="another address at the same organisation's domain",
            ).configure(m_probability=SAME_ORG_DOMAIN_M, fix_m_probability=True),
            cll.CustomLevel(
                "email_domain_l = email_domain_r",
                label_for_charts="another address at the same public provider",
            ),
            cll.ElseLevel(),
        ],
    )


def _country():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="country",
        comparison_description="country (ISO alpha-2)",
        comparison_levels=[
            cll.NullLevel("country"),
            cll.ExactMatchLevel("country"),
            # Fixed, not learnt: EM sees too few true pairs in two countries and would drive m
            # to ~0, vetoing even an identical e-mail. 1% of a person's record pairs disagree
            # on country (moves, nationality vs duty station, entry errors).
            cll.ElseLevel().configure(m_probability=DIFFERENT_COUNTRY_M, fix_m_probability=True),
        ],
    )


def _account():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="account",
        comparison_description="login on a named site",
        comparison_levels=[
            cll.NullLevel("account"),
            # A login on one site belongs to one person: u fixed (random sampling would almost
            # never see two records share one, leaving it unestimated).
            cll.ExactMatchLevel("account").configure(
                u_probability=ACCOUNT_SHARED_U, fix_u_probability=True
            ),
            cll.ElseLevel().configure(u_probability=1 - ACCOUNT_SHARED_U, fix_u_probability=True),
        ],
    )


def _organization():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    return cl.CustomComparison(
        output_column_name="organization",
        comparison_description="organisation",
        comparison_levels=[
            cll.NullLevel("organization"),
            cll.ExactMatchLevel("organization"),
            cll.CustomLevel(
                "list_has_any(organization_acronyms_l, organization_acronyms_r)",
                label_for_charts="same acronym (ART = Agence de Régulation des Télécoms)",
            ),
            cll.CustomLevel(f"{_jw('organization')} >= 0.88", label_for_charts="org JW >= 0.88"),
            cll.ElseLevel(),
        ],
    )


_WORDS_L, _WORDS_R = "string_split(address_l, ' ')", "string_split(address_r, ' ')"


def _exact_or_typo(
    column: str, description: str, typo_sql: str | None, partial_sql: str | None = None
):
    """Exact, then (optionally) a typo level and a partial-agreement level, then anything
    else."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    levels = [cll.NullLevel(column), cll.ExactMatchLevel(column, term_frequency_adjustments=True)]
    if typo_sql:
        levels.append(cll.CustomLevel(typo_sql, label_for_charts=f"{column} one typo"))
    if partial_sql:
        levels.append(cll.CustomLevel(partial_sql, label_for_charts=f"{column} mostly the same"))
    levels.append(cll.ElseLevel())
    return cl.CustomComparison(
        output_column_name=column, comparison_description=description, comparison_levels=levels
    )


def _date_typo(column: str) -> str:
    # one mistyped digit, or day and month swapped (ISO text yyyy-mm-dd)
    return (
        f"(damerau_levenshtein({column}_l, {column}_r) <= 1 or ("
        f"substr({column}_l, 1, 4) = substr({column}_r, 1, 4) and "
        f"substr({column}_l, 6, 2) = substr({column}_r, 9, 2) and "
        f"substr({column}_l, 9, 2) = substr({column}_r, 6, 2)))"
    )


#: attribute → comparison factory, in the order of the model's output columns.
COMPARISONS = {
    "name": _name,
    "email": _email,
    "country": _country,
    "organization": _organization,
    "account": _account,
    "birth_date": lambda: _exact_or_typo("birth_date", "date of birth", _date_typo("birth_date")),
    "address": lambda: _exact_or_typo(
        "address",
        "street address",
        # a typo, or the same words in another order ("9 oyster farm basedow street")
        f"({_jw('address')} >= 0.9 or list_sort(string_split(address_l, ' ')) "
        "= list_sort(string_split(address_r, ' ')))",
        # most of the shorter address's words in the other: a line dropped, a typo elsewhere
        f"len(list_intersect({_WORDS_L}, {_WORDS_R})) * 2 "
        f"> least(len({_WORDS_L}), len({_WORDS_R}))",
    ),
    "gender": lambda: _exact_or_typo("gender", "gender", None),
    "city": lambda: _exact_or_typo("city", "city", f"{_jw('city')} >= 0.9"),
    "postcode": lambda: _exact_or_typo(
        "postcode", "postcode", "damerau_levenshtein(postcode_l, postcode_r) <= 1"
    ),
    "phone": lambda: _exact_or_typo("phone", "phone", "damerau_levenshtein(phone_l, phone_r) <= 1"),
}


def model_settings(present: frozenset[str], blocking_rules: list, prior: float = 1e-4):
    """The Splink settings for the attributes ``present`` in the data.

    ``prior`` (the probability that two random records match) is only the starting value:
    training replaces it with an estimate from the deterministic rules.
    """
    from splink import SettingsCreator

    absent = [a for a in COMPARISONS if a not in present]
    if absent:
        log.info("identity: no data for %s: those comparisons are left out", ", ".join(absent))
    return SettingsCreator(
        link_type="dedupe_only",  # one table of every platform's records: links across and within
        probability_two_random_records_match=prior,
        unique_id_column_name="unique_id",
        comparisons=[make() for attr, make in COMPARISONS.items() if attr in present],
        blocking_rules_to_generate_predictions=blocking_rules,
        retain_matching_columns=True,
        retain_intermediate_calculation_columns=False,
        max_iterations=20,
        em_convergence=0.001,
    )


def describe_model(linker) -> str:
    """The trained model as text: prior, then m, u and match weight of every comparison level."""
    settings = linker._settings_obj
    lines = [f"prior P(match) = {settings._probability_two_random_records_match:.3g}"]
    for comparison in settings.comparisons:
        for level in comparison._comparison_levels_excluding_null:
            m, u = level.m_probability, level.u_probability
            weight = level._log2_bayes_factor if m is not None and u is not None else None
            lines.append(
                f"  {comparison.output_column_name:<13} {level.label_for_charts:<45} "
                f"m={m if m is None else format(m, '.4g')} u={u if u is None else format(u, '.4g')}"
                f" w={weight if weight is None else format(weight, '+.2f')}"
            )
    return "\n".join(lines)
