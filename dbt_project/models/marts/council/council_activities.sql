{{ config(materialized='ephemeral') }}

{#
    Ephemeral: the activities as the Council marts count them. Codes as core gives them
    (topic, activity_type, region, delivery_mode); an attribute core leaves blank is the code
    'unknown' of its list (reference.code_labels: 'Unclassified', 'Not specified', 'Not
    recorded'), so it forms a cell of its own with a label (docs/council.md, "Codes and labels").
#}

select
    activity_key,
    platform,
    bureau,
    coalesce(org_unit, office) as org_unit,
    coalesce(nullif(trim(title_en), ''), title) as title,
    coalesce(on_itu_academy, false) as on_itu_academy,
    cast(extract(year from start_date) as integer) as activity_year,
    coalesce(nullif(trim(region), ''), 'unknown') as region,
    coalesce(nullif(trim(topic), ''), 'unknown') as topic,
    coalesce(nullif(trim(activity_type), ''), 'unknown') as activity_type,
    coalesce(nullif(trim(delivery_mode), ''), 'unknown') as delivery_mode
from {{ ref('activities') }}
