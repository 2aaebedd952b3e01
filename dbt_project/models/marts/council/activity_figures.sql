{{ config(schema='council', materialized='table') }}

-- Council figures at the finest published grain: year x bureau x region (of the activity) x
-- topic x activity type x delivery mode. Small cells suppressed (council_activity_cells).

select
    year,
    bureau,
    {{ code_label('bureau', 'bureau') }} as bureau_label,
    region,
    {{ code_label('region', 'region') }} as region_label,
    topic,
    {{ code_label('topic', 'topic') }} as topic_label,
    activity_type,
    {{ code_label('activity_type', 'activity_type') }} as activity_type_label,
    delivery_mode,
    {{ code_label('delivery_mode', 'delivery_mode') }} as delivery_mode_label,
    {{ council_figure_columns() }}
from {{ ref('council_activity_cells') }}
order by year, bureau, region, topic, activity_type, delivery_mode
