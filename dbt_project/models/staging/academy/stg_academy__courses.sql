with

source as (

    select * from {{ current_rows('academy', 'courses') }}

),

renamed as (

    select
        id as course_id,
        cast(id as varchar) as source_activity_key,
        fullname as fullname_raw,
        {{ multilang_first('fullname') }} as title,
        {{ multilang('fullname', 'en') }} as title_en,
        {{ multilang('fullname', 'fr') }} as title_fr,
        {{ multilang('fullname', 'es') }} as title_es,
        {{ multilang('fullname', 'ru') }} as title_ru,
        {{ multilang('fullname', 'ar') }} as title_ar,
        {{ multilang('fullname', 'zh') }} as title_zh,
        shortname as course_shortname,
        categoryid as category_id,
        {{ multilang_first('categoryname') }} as category_name,
        {{ strip_html('summary') }} as summary,
        lower(format) as course_format,
        lower(nullif(trim(lang), '')) as course_language,
        {{ epoch_to_timestamp('startdate') }} as starts_at,
        {{ epoch_to_timestamp('enddate') }} as ends_at,
        {{ epoch_to_local_date('startdate', var('academy_timezone')) }} as start_date,
        {{ epoch_to_local_date('enddate', var('academy_timezone')) }} as end_date,
        coalesce(visible = 1, true) as is_visible,
        coalesce(enablecompletion = 1, false) as is_completion_enabled,
        {{ epoch_to_timestamp('timecreated') }} as created_at,
        {{ epoch_to_timestamp('timemodified') }} as modified_at,
        upper({{ moodle_customfield('customfields', 'bureau') }}) as bureau_raw,
        {{ moodle_customfield('customfields', 'delivery_mode') }} as delivery_mode_raw,
        {{ moodle_customfield('customfields', 'training_centre') }} as training_centre,
        _batch_id,
        _loaded_at
    from source
    where
        id is not null
        -- the site course (front page, format 'site', id 1) is not a training activity
        and coalesce(lower(format), '') != 'site'
        and id != {{ var('academy_site_course_id') }}
    qualify
        row_number() over (
            partition by id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
