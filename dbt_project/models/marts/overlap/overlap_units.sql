{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of bureau_topic_matrix, one row per unit level, unit and activity with a
    topic: each activity under its bureau (unit_level 'bureau') and under its organizational
    unit (unit_level 'org_unit': a bureau's headquarters or a regional office).
#}

with

activities as (

    select
        activity_key,
        topic,
        bureau,
        org_unit
    from {{ ref('activities') }}
    where topic is not null

)

select
    'bureau' as unit_level,
    bureau as unit,
    topic,
    activity_key
from activities
where bureau is not null
union all
select
    'org_unit' as unit_level,
    org_unit as unit,
    topic,
    activity_key
from activities
where org_unit is not null
