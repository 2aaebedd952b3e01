{{ config(materialized='ephemeral') }}

{#
    Duplication between bureaux per period (every range of years), bureau pair and topic:
    overlapping activity pairs (from the overlap marts) whose two activities both started in the
    period, and people trained by both bureaux on the topic in the period. bureau_a < bureau_b
    alphabetically; bureau_a = bureau_b = 'ALL' sums every pair of bureaux on the topic (its
    shared_participants: people trained by two or more bureaux on the topic).
    shared_participants of 1..4 is suppressed (null, suppressed = true).
    Steps: council_duplication_pairs (the overlapping pairs), council_duplication_shared (the
    people both bureaux trained); this model joins them with the bureaux' catalogues.
#}

{%- set min_cell = var('council_min_cell_size') -%}

with

periods as (

    select * from {{ ref('council_periods') }}

),

catalogue as (

    -- Activities per bureau and topic in each period: the denominator of catalogue shares
    -- (the dated activities of a bureau, as council_facts holds them).
    select
        periods.period_from,
        periods.period_to,
        activities.bureau,
        activities.topic,
        count(*) as n_activities
    from {{ ref('council_activities') }} as activities
    inner join periods
        on activities.activity_year between periods.period_from and periods.period_to
    where activities.bureau is not null
    group by all

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
    from {{ ref('council_duplication_pairs') }} as figures
    full outer join {{ ref('council_duplication_shared') }} as shared
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
