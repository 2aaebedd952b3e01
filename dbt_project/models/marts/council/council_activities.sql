{{ config(materialized='ephemeral') }}

{#
    Ephemeral: the activities as the Council marts show them. Topics and activity types by
    their English label in the taxonomy (the code when the taxonomy has no label); unknown
    attributes named rather than null, so they form a cell of their own.
#}

with

activities as (

    select * from {{ ref('activities') }}

),

topics as (

    select
        code,
        label_en
    from {{ ref('taxonomy_topics') }}

),

activity_types as (

    select
        code,
        label_en
    from {{ ref('taxonomy_activity_types') }}

)

select
    activities.activity_key,
    activities.platform,
    activities.bureau,
    coalesce(activities.org_unit, activities.office) as org_unit,
    coalesce(nullif(trim(activities.title_en), ''), activities.title) as title,
    coalesce(activities.on_itu_academy, false) as on_itu_academy,
    cast(extract(year from activities.start_date) as integer) as activity_year,
    coalesce(nullif(trim(activities.region), ''), 'Global / not specified') as region,
    coalesce(topics.label_en, nullif(trim(activities.topic), ''), 'Unclassified') as topic,
    coalesce(
        activity_types.label_en, nullif(trim(activities.activity_type), ''), 'Unclassified'
    ) as activity_type,
    coalesce(nullif(trim(activities.delivery_mode), ''), 'unknown') as delivery_mode
from activities
left join topics
    on activities.topic = topics.code
left join activity_types
    on activities.activity_type = activity_types.code
