{{ config(materialized='ephemeral') }}

{#
    Duplication between bureaux per period (every range of years), bureau pair and topic:
    overlapping activity pairs (from the overlap marts) whose two activities both started in the
    period, and people trained by both bureaux on the topic in the period. bureau_a < bureau_b
    alphabetically; bureau_a = bureau_b = 'ALL' sums every pair of bureaux on the topic (its
    shared_participants: people trained by two or more bureaux on the topic).
    shared_participants of 1..4 is suppressed (null, suppressed = true).
#}

{%- set min_cell = var('council_min_cell_size') -%}

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

catalogue as (

    -- Activities per bureau and topic in each period: the denominator of catalogue shares.
    select
        periods.period_from,
        periods.period_to,
        activities.bureau,
        activities.topic,
        count(*) as n_activities
    from activities
    inner join periods
        on activities.activity_year between periods.period_from and periods.period_to
    group by all

),

pair_figures as (

    select
        periods.period_from,
        periods.period_to,
        pairs.bureau_a,
        pairs.bureau_b,
        pairs.topic,
        count(*) as overlapping_pairs,
        count(distinct pairs.activity_key_a) as activities_a,
        count(distinct pairs.activity_key_b) as activities_b,
        round(avg(pairs.score), 3) as avg_overlap_score,
        min(pairs.first_year) as first_year,
        max(pairs.last_year) as last_year
    from overlap_pairs as pairs
    inner join periods
        on
            pairs.first_year >= periods.period_from
            and pairs.last_year <= periods.period_to
    group by all

),

all_pair_figures as (

    select
        periods.period_from,
        periods.period_to,
        'ALL' as bureau_a,
        'ALL' as bureau_b,
        pairs.topic,
        count(*) as overlapping_pairs,
        -- every activity involved, whichever side of a pair it is on
        len(list_distinct(flatten(list([pairs.activity_key_a, pairs.activity_key_b]))))
            as activities_a,
        cast(null as bigint) as activities_b,
        round(avg(pairs.score), 3) as avg_overlap_score,
        min(pairs.first_year) as first_year,
        max(pairs.last_year) as last_year
    from overlap_pairs as pairs
    inner join periods
        on
            pairs.first_year >= periods.period_from
            and pairs.last_year <= periods.period_to
    group by all

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

),

all_figures as (

    select * from pair_figures
    union all
    select * from all_pair_figures

),

all_shared as (

    select * from shared_pairs
    union all
    select * from shared_all

),

combined as (

    select
        coalesce(figures.period_from, shared.period_from) as period_from,
        coalesce(figures.period_to, shared.period_to) as period_to,
        coalesce(figures.bureau_a, shared.bureau_a) as bureau_a,
        coalesce(figures.bureau_b, shared.bureau_b) as bureau_b,
        coalesce(figures.topic, shared.topic) as topic,
        coalesce(figures.overlapping_pairs, 0) as overlapping_pairs,
        coalesce(figures.activities_a, 0) as activities_a,
        case
            when coalesce(figures.bureau_a, shared.bureau_a) <> 'ALL'
                then coalesce(figures.activities_b, 0)
        end as activities_b,
        figures.avg_overlap_score,
        figures.first_year,
        figures.last_year,
        coalesce(shared.n_shared, 0) as n_shared
    from all_figures as figures
    full outer join all_shared as shared
        on
            figures.period_from = shared.period_from
            and figures.period_to = shared.period_to
            and figures.bureau_a = shared.bureau_a
            and figures.bureau_b = shared.bureau_b
            and figures.topic = shared.topic

),

catalogue_all as (

    select
        period_from,
        period_to,
        topic,
        sum(n_activities) as n_activities
    from catalogue
    group by period_from, period_to, topic

),

with_catalogue as (

    select
        combined.*,
        catalogue_a.n_activities as catalogue_a,
        catalogue_b.n_activities as catalogue_b,
        catalogue_all.n_activities as catalogue_all
    from combined
    left join catalogue as catalogue_a
        on
            combined.period_from = catalogue_a.period_from
            and combined.period_to = catalogue_a.period_to
            and combined.bureau_a = catalogue_a.bureau
            and combined.topic = catalogue_a.topic
    left join catalogue as catalogue_b
        on
            combined.period_from = catalogue_b.period_from
            and combined.period_to = catalogue_b.period_to
            and combined.bureau_b = catalogue_b.bureau
            and combined.topic = catalogue_b.topic
    left join catalogue_all
        on
            combined.period_from = catalogue_all.period_from
            and combined.period_to = catalogue_all.period_to
            and combined.topic = catalogue_all.topic

)

select
    period_from,
    period_to,
    bureau_a,
    bureau_b,
    topic,
    first_year,
    last_year,
    overlapping_pairs,
    activities_a,
    activities_b,
    case
        when bureau_a = 'ALL' then round(activities_a / nullif(catalogue_all, 0), 4)
        else round(activities_a / nullif(catalogue_a, 0), 4)
    end as catalogue_share_a,
    case
        when bureau_a <> 'ALL' then round(activities_b / nullif(catalogue_b, 0), 4)
    end as catalogue_share_b,
    avg_overlap_score,
    case when n_shared not between 1 and {{ min_cell - 1 }} then n_shared end
        as shared_participants,
    n_shared between 1 and {{ min_cell - 1 }} as suppressed
from with_catalogue
