-- Academy (Moodle) courses as activities, on the shared activity contract
-- (_activities__models.yml). The site course is already left out in staging.
with

courses as (

    select * from {{ ref('stg_academy__courses') }}

),

bureau_aliases as (

    select * from {{ ref('int_bureau_aliases_normalized') }}

),

activities as (

    select
        'academy' as platform,
        courses.source_activity_key,
        -- a course of another bureau hosted on the Academy says so in its 'bureau' field
        coalesce(bureau_aliases.bureau, '{{ var("academy_default_bureau") }}') as bureau,
        null as office,
        courses.title,
        -- a course without a title of its own language has its title in the course language
        {%- for lang in ['en', 'fr', 'es', 'ru', 'ar', 'zh'] %}
        coalesce(
            courses.title_{{ lang }},
            case when courses.course_language like '{{ lang }}%' then courses.title end
        ) as title_{{ lang }},
        {%- endfor %}
        courses.delivery_mode_raw as activity_type_term,
        'delivery_mode' as activity_type_field,
        courses.course_format as activity_type_term_2,
        courses.category_name as topic_term,
        'categoryname' as topic_field,
        courses.delivery_mode_raw as delivery_mode_term,
        null as venue_city,
        null as venue_country_raw,
        null as region_raw,
        false as serves_venue_region,
        courses.start_date,
        courses.end_date,
        courses.course_language as language_hint,
        true as on_itu_academy,
        courses._loaded_at
    from courses
    left join bureau_aliases
        on {{ normalize_key('courses.bureau_raw') }} = bureau_aliases.alias_key

)

{{ contract_select('activities') }}
