{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of council_duplication, one row per period (every range of years), bureau
    pair and topic with people trained on the topic by both bureaux in the period (n_shared).
    bureau_a < bureau_b alphabetically; bureau_a = bureau_b = 'ALL': the people trained on the
    topic by two bureaux or more in the period. Unsuppressed: council_duplication applies the
    small-cell rule.
#}

with

periods as (

    select * from {{ ref('council_periods') }}

),

trained as (

    -- Each person trained by a bureau on a topic in a year, for the people trained on the
    -- topic by two bureaux or more (the only ones who can be shared).
    select distinct
        participant_key,
        topic,
        bureau,
        activity_year
    from {{ ref('council_facts') }}
    where is_trained and participant_key is not null
    qualify count(distinct bureau) over (partition by participant_key, topic) >= 2

),

witnesses as (

    -- A person is shared by bureaux a and b in a period when the period holds a year with a
    -- and a year with b: each such pair of years, as the span a period must cover.
    select distinct
        side_a.participant_key,
        side_a.topic,
        side_a.bureau as bureau_a,
        side_b.bureau as bureau_b,
        least(side_a.activity_year, side_b.activity_year) as span_from,
        greatest(side_a.activity_year, side_b.activity_year) as span_to
    from trained as side_a
    inner join trained as side_b
        on
            side_a.participant_key = side_b.participant_key
            and side_a.topic = side_b.topic
            and side_a.bureau < side_b.bureau

),

shared_people as (

    select distinct
        periods.period_from,
        periods.period_to,
        witnesses.participant_key,
        witnesses.topic,
        witnesses.bureau_a,
        witnesses.bureau_b
    from witnesses
    inner join periods
        on
            witnesses.span_from >= periods.period_from
            and witnesses.span_to <= periods.period_to

),

shared_pairs as (

    select
        period_from,
        period_to,
        bureau_a,
        bureau_b,
        topic,
        count(*) as n_shared
    from shared_people
    group by period_from, period_to, bureau_a, bureau_b, topic

),

shared_all as (

    -- people trained on the topic by two bureaux or more in the period
    select
        period_from,
        period_to,
        'ALL' as bureau_a,
        'ALL' as bureau_b,
        topic,
        count(distinct participant_key) as n_shared
    from shared_people
    group by period_from, period_to, topic

)

select * from shared_pairs
union all
select * from shared_all
