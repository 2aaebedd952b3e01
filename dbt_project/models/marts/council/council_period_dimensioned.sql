{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of council_period_cells, one row per council_facts row (dated activities)
    x breakdown of the period figures x bureau cell (the fact's own bureau, and 'ALL'): the
    fact with its dimension, its category in that dimension and its bureau cell. A breakdown
    by a person's attribute (gender, participant region) only for participations.
#}

with

facts as (

    select * from {{ ref('council_facts') }}
    where activity_year is not null

),

breakdowns as (

    select unnest([
        'overall', 'region', 'participant_region', 'topic', 'activity_type', 'delivery_mode',
        'gender'
    ]) as dimension

),

bureau_cells as (

    -- each fact counts for its own bureau and for every bureau together ('ALL')
    select unnest([false, true]) as is_all

)

-- Each fact once per breakdown of the period figures, for its bureau and for 'ALL'.
select
    facts.*,
    breakdowns.dimension,
    case breakdowns.dimension
        when 'overall' then 'ALL'
        when 'region' then facts.region
        when 'participant_region' then facts.participant_region
        when 'topic' then facts.topic
        when 'activity_type' then facts.activity_type
        when 'delivery_mode' then facts.delivery_mode
        when 'gender' then facts.gender
    end as category,
    case when bureau_cells.is_all then 'ALL' else facts.bureau end as bureau_cell
from facts
cross join breakdowns
cross join bureau_cells
-- a breakdown by a person's attribute only for participations (an activity alone has no
-- gender or participant region)
where
    breakdowns.dimension not in ('gender', 'participant_region')
    or facts.participant_key is not null
