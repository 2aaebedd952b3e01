-- Why records are one person: every linked pair of participant records inside one resolved
-- person (core.participant_crosswalk), by published keys only, with the rule that linked it
-- (identical profile, the trained model, a deterministic rule, or a reviewer's must-link),
-- the model's match probability and weight, the deterministic rules that hold, and the level
-- each comparison reached (e.g. 'name=4: same consonant skeleton'). Pseudonymous: no names,
-- e-mails or platform ids; the labels describe levels, never values.
with

pairs as (

    select * from {{ ref('int_participant_pairs') }}
    where links and same_cluster

),

crosswalk as (

    select
        participant_record_key,
        participant_key
    from {{ ref('participant_crosswalk') }}

)

select
    least(pairs.participant_record_key_l, pairs.participant_record_key_r)
        as participant_record_key_a,
    greatest(pairs.participant_record_key_l, pairs.participant_record_key_r)
        as participant_record_key_b,
    crosswalk.participant_key,
    pairs.rule as linked_by,
    pairs.match_probability,
    pairs.match_weight,
    pairs.deterministic_rule,
    list_transform(
        pairs.comparison_levels,
        lambda level: level.comparison || '=' || level.gamma || ': ' || level.label  -- noqa: RF01
    ) as comparison_levels
from pairs
inner join crosswalk
    on pairs.participant_record_key_l = crosswalk.participant_record_key
