{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of council_duplication, one row per period (every range of years), bureau
    pair and topic: the overlapping activity pairs (overlap.activity_overlaps) of two different
    bureaux whose two activities both started in the period. bureau_a < bureau_b
    alphabetically; bureau_a = bureau_b = 'ALL' counts every pair of bureaux on the topic
    (activities_a: every activity involved, activities_b null).
#}

with

activities as (

    select distinct
        activity_key,
        bureau,
        activity_year,
        topic
    from {{ ref('council_facts') }}
    where activity_year is not null

),

periods as (

    select * from {{ ref('council_periods') }}

),

overlap_pairs as (

    -- One row per overlapping pair of activities of two different bureaux, oriented so that
    -- side a belongs to the alphabetically first bureau. A pair whose two activities have
    -- different topics counts under each of the two topics.
    select
        pairs.score,
        case when activity_1.bureau < activity_2.bureau then activity_1.bureau else activity_2.bureau end
            as bureau_a,
        case when activity_1.bureau < activity_2.bureau then activity_2.bureau else activity_1.bureau end
            as bureau_b,
        case when activity_1.bureau < activity_2.bureau then activity_1.activity_key else activity_2.activity_key end
            as activity_key_a,
        case when activity_1.bureau < activity_2.bureau then activity_2.activity_key else activity_1.activity_key end
            as activity_key_b,
        least(activity_1.activity_year, activity_2.activity_year) as first_year,
        greatest(activity_1.activity_year, activity_2.activity_year) as last_year,
        unnest(list_distinct([activity_1.topic, activity_2.topic])) as topic
    from {{ ref('activity_overlaps') }} as pairs
    inner join activities as activity_1
        on pairs.activity_key_a = activity_1.activity_key
    inner join activities as activity_2
        on pairs.activity_key_b = activity_2.activity_key
    where activity_1.bureau <> activity_2.bureau

),

in_periods as (

    -- each pair once per period holding both its activities' start years
    select
        periods.period_from,
        periods.period_to,
        pairs.*
    from overlap_pairs as pairs
    inner join periods
        on
            pairs.first_year >= periods.period_from
            and pairs.last_year <= periods.period_to

),

pair_figures as (

    select
        period_from,
        period_to,
        bureau_a,
        bureau_b,
        topic,
        count(*) as overlapping_pairs,
        count(distinct activity_key_a) as activities_a,
        count(distinct activity_key_b) as activities_b,
        round({{ exact_avg('score') }}, 3) as avg_overlap_score,
        min(first_year) as first_year,
        max(last_year) as last_year
    from in_periods
    group by all

),

all_pair_figures as (

    select
        period_from,
        period_to,
        'ALL' as bureau_a,
        'ALL' as bureau_b,
        topic,
        count(*) as overlapping_pairs,
        -- every activity involved, whichever side of a pair it is on
        len(list_distinct(flatten(list([activity_key_a, activity_key_b])))) as activities_a,
        cast(null as bigint) as activities_b,
        round({{ exact_avg('score') }}, 3) as avg_overlap_score,
        min(first_year) as first_year,
        max(last_year) as last_year
    from in_periods
    group by all

)

select * from pair_figures
union all
select * from all_pair_figures
