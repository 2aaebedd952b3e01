{{ config(materialized='ephemeral') }}

{#
    The Council figures of grain 'activity': year x bureau x region (of the activity) x topic x
    activity type x delivery mode, small cells suppressed (a cell of 1..4 people: every people
    figure null, suppressed = true; the macros of macros/council.sql apply the rest of the
    small-cell rule and the rounding; docs/council.md). Published by activity_figures.
#}

with

cells as (

    select
        activity_year as year,  -- noqa: RF04
        bureau,
        region,
        topic,
        activity_type,
        delivery_mode,
        {{ council_year_aggregates() }}
    from {{ ref('council_facts') }}
    where activity_year is not null
    group by activity_year, bureau, region, topic, activity_type, delivery_mode

)

select
    year,  -- noqa: RF04
    bureau,
    region,
    topic,
    activity_type,
    delivery_mode,
    {{ council_figures() }}
from (select *, {{ council_small('n_people') }} as suppressed from cells) as flagged
