{{ config(materialized='ephemeral') }}

-- Every range of years (period_from <= period_to) between the first and the last year with a
-- dated activity: the periods a Council report can ask for.

with

year_range as (

    select
        min(activity_year) as first_year,
        max(activity_year) as last_year
    from {{ ref('council_facts') }}

),

period_years as (

    select cast(unnest(range(first_year, last_year + 1)) as integer) as period_year
    from year_range
    where first_year is not null

)

select
    first_years.period_year as period_from,
    last_years.period_year as period_to
from period_years as first_years
inner join period_years as last_years
    on first_years.period_year <= last_years.period_year
