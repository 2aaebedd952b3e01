{{ config(materialized='ephemeral') }}

{#
    The Council figures of grain 'headline': year x bureau, and bureau 'ALL' (every bureau
    together: a person trained by several bureaux counts once), small cells suppressed (the
    macros of macros/council.sql; docs/council.md). Published by headline_figures.
#}

with

facts as (

    select * from {{ ref('council_facts') }}
    where activity_year is not null

),

cells as (

    select
        activity_year as year,  -- noqa: RF04
        bureau,
        {{ council_year_aggregates() }}
    from facts
    group by activity_year, bureau
    union all
    select
        activity_year as year,  -- noqa: RF04
        'ALL' as bureau,
        {{ council_year_aggregates() }}
    from facts
    group by activity_year

)

select
    year,  -- noqa: RF04
    bureau,
    {{ council_figures() }}
from (select *, {{ council_small('n_people') }} as suppressed from cells) as flagged
