-- GS learning-record-store activities, on the shared activity contract
-- (_activities__models.yml): the xAPI activity objects of non-voided statements, each field
-- the latest statement's value (of statements at the same moment, the last value in sort order;
-- the most frequent region and language, the first in sort order of equally frequent ones).
with

statements as (

    select
        *,
        -- a grouping activity the deployment's pattern recognises names the region
        replace(regexp_extract(
            list_filter(
                context_grouping_ids,
                lambda g: regexp_matches(g, '{{ var("gs_lrs_region_grouping_pattern") }}')
            )[1],
            '{{ var("gs_lrs_region_grouping_pattern") }}',
            1
        ), '-', ' ') as grouping_region
    from {{ ref('stg_gs_lrs__statements') }}
    where object_type = 'Activity' and object_id is not null

),

activities as (

    select
        'gs_lrs' as platform,
        object_id as source_activity_key,
        'GS' as bureau,
        null as office,
        {{ latest('object_name', 'statement_timestamp') }}
        filter (where object_name is not null) as title,
        {%- for lang in ['en', 'fr', 'es', 'ru', 'ar', 'zh'] %}
        {{ latest('object_name_' ~ lang, 'statement_timestamp') }}
        filter (where object_name_{{ lang }} is not null) as title_{{ lang }},
        {%- endfor %}
        {{ latest('object_definition_type', 'statement_timestamp') }}
        filter (where object_definition_type is not null) as activity_type_term,
        'object.definition.type' as activity_type_field,
        null as activity_type_term_2,
        null as topic_term,
        null as topic_field,
        null as delivery_mode_term,
        null as venue_city,
        null as venue_country_raw,
        {{ most_frequent('grouping_region') }} as region_raw,
        false as serves_venue_region,
        -- the activity's own dates when its definition carries them, else the span of
        -- recorded learning
        coalesce(min(object_start_date), cast(min(statement_timestamp) as date)) as start_date,
        coalesce(max(object_end_date), cast(max(statement_timestamp) as date)) as end_date,
        {{ most_frequent('context_language') }} as language_hint,
        false as on_itu_academy,
        max(_loaded_at) as _loaded_at
    from statements
    group by object_id

)

{{ contract_select('activities') }}
