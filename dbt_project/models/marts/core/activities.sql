-- One row per training activity of any bureau platform, on the harmonized vocabularies.
-- No personal data.
select
    activity_key,
    platform,
    source_activity_key,
    bureau,
    org_unit,
    office,
    title,
    title_en,
    activity_type,
    topic,
    region,
    country,
    start_date,
    end_date,
    delivery_mode,
    languages,
    on_itu_academy,
    activity_type_matched_by,
    topic_matched_by
from {{ ref('int_activities_classified') }}
