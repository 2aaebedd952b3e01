-- Private tier (never published): the pairs of participant records for clerical review, what
-- `capdev identity review` writes to a CSV. Scored pairs whose match probability is in the
-- review band (vars identity_review_min_probability <= p < identity_review_max_probability,
-- the one definition) and that no reviewed decision covers yet, with their published keys,
-- the evidence (probability, comparison levels, whether they are one person now) and, for the
-- reviewer to see who the people are, each record's platform, platform key and personal
-- values. Most uncertain first (closest to the link threshold: distance_to_threshold).
{%- set low = var('identity_review_min_probability') %}
{%- set high = var('identity_review_max_probability') %}
{%- set threshold = var('identity_match_threshold') %}
with

pairs as (

    select * from {{ ref('int_participant_pairs') }}
    where
        match_probability >= {{ low }}
        and match_probability < {{ high }}
        and rule != 'reviewed'

),

decided as (

    select
        least(participant_record_key_a, participant_record_key_b) as key_low,
        greatest(participant_record_key_a, participant_record_key_b) as key_high
    from {{ ref('int_identity_decisions') }}

),

records as (

    select
        record_id,
        platform,
        source_record_key,
        coalesce(
            full_name, nullif(concat_ws(' ', first_name, last_name), ''), name_latin
        ) as full_name,
        email,
        organization,
        country,
        city,
        account_key
    from {{ ref('int_participant_records_for_linking') }}

)

select
    pairs.participant_record_key_l as participant_record_key_a,
    pairs.participant_record_key_r as participant_record_key_b,
    pairs.match_probability,
    abs(pairs.match_probability - {{ threshold }}) as distance_to_threshold,
    pairs.match_weight,
    pairs.same_cluster as same_person_now,
    array_to_string(
        list_transform(
            pairs.comparison_levels,
            lambda level: level.comparison || '=' || level.gamma || ': ' || level.label  -- noqa: RF01
        ),
        '; '
    ) as comparison_levels,
    pairs.deterministic_rule,
    records_a.platform as platform_a,
    records_a.source_record_key as source_record_key_a,
    records_a.full_name as full_name_a,
    records_a.email as email_a,
    records_a.organization as organization_a,
    records_a.country as country_a,
    records_a.city as city_a,
    records_a.account_key as account_key_a,
    records_b.platform as platform_b,
    records_b.source_record_key as source_record_key_b,
    records_b.full_name as full_name_b,
    records_b.email as email_b,
    records_b.organization as organization_b,
    records_b.country as country_b,
    records_b.city as city_b,
    records_b.account_key as account_key_b
from pairs
inner join records as records_a on pairs.record_id_l = records_a.record_id
inner join records as records_b on pairs.record_id_r = records_b.record_id
left join decided
    on
        least(pairs.participant_record_key_l, pairs.participant_record_key_r) = decided.key_low
        and greatest(pairs.participant_record_key_l, pairs.participant_record_key_r)
        = decided.key_high
where decided.key_low is null
order by distance_to_threshold, participant_record_key_a, participant_record_key_b
