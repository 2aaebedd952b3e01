-- ITU Academy (Moodle) participant records: source_record_key = the Moodle user id. A user's
-- latest profile (any course), else the certificate's, else the grade report's user fields.
-- Columns: the participant record contract (_participants__models.yml).
with

enrolments as (

    select * from {{ ref('stg_academy__enrolled_users') }}

),

certificates as (

    select * from {{ ref('stg_academy__certificates') }}

),

grades as (

    select * from {{ ref('stg_academy__grades') }}

),

profiles as (

    select
        source_record_key,
        full_name,
        first_name,
        last_name,
        cast(null as varchar) as name_latin,
        email,
        country_raw,
        gender_raw,
        institution as organization,
        cast(null as varchar) as organization_type,
        city,
        1 as source_priority,
        _loaded_at
    from enrolments
    union all
    select
        cast(user_id as varchar) as source_record_key,
        user_full_name as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        user_email as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city,
        2 as source_priority,
        _loaded_at
    from certificates
    union all
    select
        cast(user_id as varchar) as source_record_key,
        nullif(trim(user_full_name), '') as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        cast(null as varchar) as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city,
        3 as source_priority,
        _loaded_at
    from grades

),

records as (

    select * exclude (source_priority, _loaded_at)
    from profiles
    qualify
        row_number() over (
            partition by source_record_key
            order by source_priority asc, _loaded_at desc, email asc nulls last, full_name asc nulls last
        ) = 1

)

{{ participant_record_select('academy') }}
