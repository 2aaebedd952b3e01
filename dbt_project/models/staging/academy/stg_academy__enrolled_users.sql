with

source as (

    select * from {{ current_rows('academy', 'enrolled_users') }}

),

renamed as (

    select
        courseid as course_id,
        id as user_id,
        cast(id as varchar) as source_record_key,
        username,
        nullif(trim(firstname), '') as first_name,
        nullif(trim(lastname), '') as last_name,
        nullif(trim(fullname), '') as full_name,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(department), '') as department,
        nullif(trim(institution), '') as institution,
        nullif(trim(idnumber), '') as id_number,
        nullif(trim(city), '') as city,
        upper(nullif(trim(country), '')) as country_raw,
        {{ moodle_customfield('customfields', 'gender') }} as gender_raw,
        coalesce(json_extract_string(roles, '$[*].shortname'), []) as role_shortnames,
        {{ epoch_to_timestamp('firstaccess') }} as first_access_at,
        {{ epoch_to_timestamp('lastaccess') }} as last_access_at,
        {{ epoch_to_timestamp('lastcourseaccess') }} as last_course_access_at,
        _batch_id,
        _loaded_at
    from source
    where courseid is not null and id is not null
    qualify
        row_number() over (
            partition by courseid, id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select
    *,
    -- learners: a learner role, or no role reported at all (teachers, managers are not participants)
    len(role_shortnames) = 0
    or list_has_any(role_shortnames, {{ var('academy_learner_roles') | tojson | replace('"', "'") }}) as is_learner
from renamed
