-- One row per activity of every platform, with the platform's own terms (type, topic,
-- delivery format, venue, region) still raw. Regional-office activities are the export files
-- (office + file), GS activities the xAPI activity objects of non-voided statements.
with

academy_courses as (

    select * from {{ ref('stg_academy__courses') }}

),

bureau_aliases as (

    select * from {{ ref('int_bureau_aliases_normalized') }}

),

tsb_events as (

    select * from {{ ref('stg_tsb_events__events') }}

),

br_seminars as (

    select * from {{ ref('stg_br_seminars__seminars') }}

),

office_participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

xapi_statements as (

    select * from {{ ref('stg_gs_lrs__statements') }}
    where object_type = 'Activity' and object_id is not null

),

academy as (

    select
        'academy' as platform,
        academy_courses.source_activity_key,
        -- a course of another bureau hosted on the Academy says so in its 'bureau' field
        coalesce(bureau_aliases.bureau, '{{ var("academy_default_bureau") }}') as bureau,
        cast(null as varchar) as office,
        academy_courses.title,
        coalesce(
            academy_courses.title_en,
            case when academy_courses.course_language like 'en%' then academy_courses.title end
        ) as title_en,
        coalesce(
            academy_courses.title_fr,
            case when academy_courses.course_language like 'fr%' then academy_courses.title end
        ) as title_fr,
        coalesce(
            academy_courses.title_es,
            case when academy_courses.course_language like 'es%' then academy_courses.title end
        ) as title_es,
        coalesce(
            academy_courses.title_ru,
            case when academy_courses.course_language like 'ru%' then academy_courses.title end
        ) as title_ru,
        coalesce(
            academy_courses.title_ar,
            case when academy_courses.course_language like 'ar%' then academy_courses.title end
        ) as title_ar,
        coalesce(
            academy_courses.title_zh,
            case when academy_courses.course_language like 'zh%' then academy_courses.title end
        ) as title_zh,
        academy_courses.delivery_mode_raw as activity_type_term,
        'delivery_mode' as activity_type_field,
        academy_courses.course_format as activity_type_term_2,
        academy_courses.category_name as topic_term,
        'categoryname' as topic_field,
        academy_courses.delivery_mode_raw as delivery_mode_term,
        cast(null as varchar) as venue_city,
        cast(null as varchar) as venue_country_raw,
        cast(null as varchar) as region_raw,
        false as is_regional_series,
        academy_courses.start_date,
        academy_courses.end_date,
        academy_courses.course_language as language_hint,
        true as on_itu_academy,
        academy_courses._loaded_at
    from academy_courses
    left join bureau_aliases
        on {{ normalize_key('academy_courses.bureau_raw') }} = bureau_aliases.alias_key

),

tsb as (

    select
        'tsb_events' as platform,
        event_id as source_activity_key,
        'TSB' as bureau,
        cast(null as varchar) as office,
        title,
        -- the TSB events API publishes English titles
        title as title_en,
        cast(null as varchar) as title_fr,
        cast(null as varchar) as title_es,
        cast(null as varchar) as title_ru,
        cast(null as varchar) as title_ar,
        cast(null as varchar) as title_zh,
        event_type as activity_type_term,
        'event_type' as activity_type_field,
        cast(null as varchar) as activity_type_term_2,
        study_group as topic_term,
        'study_group' as topic_field,
        event_format as delivery_mode_term,
        venue_city,
        venue_country_raw,
        cast(null as varchar) as region_raw,
        false as is_regional_series,
        start_date,
        end_date,
        array_to_string(languages, ',') as language_hint,
        false as on_itu_academy,
        _loaded_at
    from tsb_events

),

br as (

    select
        'br_seminars' as platform,
        source_activity_key,
        'BR' as bureau,
        cast(null as varchar) as office,
        title,
        cast(null as varchar) as title_en,
        cast(null as varchar) as title_fr,
        cast(null as varchar) as title_es,
        cast(null as varchar) as title_ru,
        cast(null as varchar) as title_ar,
        cast(null as varchar) as title_zh,
        seminar_series as activity_type_term,
        'type' as activity_type_field,
        seminar_type_raw as activity_type_term_2,
        cast(null as varchar) as topic_term,
        cast(null as varchar) as topic_field,
        -- an online seminar says so in its venue
        venue as delivery_mode_term,
        venue_city,
        venue_country_raw,
        coalesce(region_raw, type_region_raw) as region_raw,
        seminar_series = 'RRS' as is_regional_series,
        start_date,
        end_date,
        cast(null as varchar) as language_hint,
        false as on_itu_academy,
        _loaded_at
    from br_seminars

),

regional as (

    select
        'regional_offices' as platform,
        source_activity_key,
        '{{ var("regional_offices_bureau") }}' as bureau,
        office,
        mode(activity_title) as title,
        cast(null as varchar) as title_en,
        cast(null as varchar) as title_fr,
        cast(null as varchar) as title_es,
        cast(null as varchar) as title_ru,
        cast(null as varchar) as title_ar,
        cast(null as varchar) as title_zh,
        mode(activity_type_raw) as activity_type_term,
        'activity_type' as activity_type_field,
        cast(null as varchar) as activity_type_term_2,
        cast(null as varchar) as topic_term,
        cast(null as varchar) as topic_field,
        -- an online activity says so in its city / venue column
        coalesce(mode(city), mode(venue_country_raw)) as delivery_mode_term,
        mode(city) as venue_city,
        mode(venue_country_raw) as venue_country_raw,
        cast(null as varchar) as region_raw,
        false as is_regional_series,
        min(start_date) as start_date,
        max(coalesce(end_date, start_date)) as end_date,
        cast(null as varchar) as language_hint,
        false as on_itu_academy,
        max(_loaded_at) as _loaded_at
    from office_participants
    group by office, source_activity_key

),

gs as (

    select
        'gs_lrs' as platform,
        object_id as source_activity_key,
        'GS' as bureau,
        cast(null as varchar) as office,
        arg_max(object_name, statement_timestamp) filter (where object_name is not null) as title,
        arg_max(object_name_en, statement_timestamp) filter (where object_name_en is not null) as title_en,
        arg_max(object_name_fr, statement_timestamp) filter (where object_name_fr is not null) as title_fr,
        arg_max(object_name_es, statement_timestamp) filter (where object_name_es is not null) as title_es,
        arg_max(object_name_ru, statement_timestamp) filter (where object_name_ru is not null) as title_ru,
        arg_max(object_name_ar, statement_timestamp) filter (where object_name_ar is not null) as title_ar,
        arg_max(object_name_zh, statement_timestamp) filter (where object_name_zh is not null) as title_zh,
        arg_max(
            object_definition_type, statement_timestamp
        ) filter (where object_definition_type is not null) as activity_type_term,
        'object.definition.type' as activity_type_field,
        cast(null as varchar) as activity_type_term_2,
        cast(null as varchar) as topic_term,
        cast(null as varchar) as topic_field,
        cast(null as varchar) as delivery_mode_term,
        cast(null as varchar) as venue_city,
        cast(null as varchar) as venue_country_raw,
        -- a grouping activity the deployment's pattern recognises names the region
        mode(
            replace(regexp_extract(
                list_filter(
                    context_grouping_ids,
                    lambda g: regexp_matches(g, '{{ var("gs_lrs_region_grouping_pattern") }}')
                )[1],
                '{{ var("gs_lrs_region_grouping_pattern") }}',
                1
            ), '-', ' ')
        ) as region_raw,
        false as is_regional_series,
        -- the activity's own dates when its definition carries them, else the span of
        -- recorded learning
        coalesce(min(object_start_date), cast(min(statement_timestamp) as date)) as start_date,
        coalesce(max(object_end_date), cast(max(statement_timestamp) as date)) as end_date,
        mode(context_language) as language_hint,
        false as on_itu_academy,
        max(_loaded_at) as _loaded_at
    from xapi_statements
    group by object_id

),

unioned as (

    select * from academy
    union all by name
    select * from tsb
    union all by name
    select * from br
    union all by name
    select * from regional
    union all by name
    select * from gs

)

select
    platform || ':' || source_activity_key as activity_key,
    *,
    -- languages the activity is offered in: its titles' languages plus the platform's own
    -- language information (course language, event languages, statement context language)
    nullif(list_sort(list_distinct(list_concat(
        {{ title_languages('title') }},
        list_filter(
            list_transform(
                string_split(lower(coalesce(language_hint, '')), ','),
                lambda lang: regexp_extract(trim(lang), '^([a-z]{2,3})([^a-z]|$)', 1)
            ),
            lambda lang: lang != ''
        )
    ))), []) as languages
from unioned
