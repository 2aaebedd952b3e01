with

source as (

    select * from {{ current_rows('tsb_events', 'registrations') }}

),

renamed as (

    select
        registration_id,
        registration_id as source_record_key,
        event_id,
        nullif(trim(person_title), '') as person_title,
        nullif(trim(person_first_name), '') as first_name,
        nullif(trim(person_last_name), '') as last_name,
        lower(nullif(trim(person_email), '')) as email,
        nullif(trim(person_organization), '') as organization,
        nullif(trim(person_organization_type), '') as organization_type,
        nullif(trim(person_country), '') as country_raw,
        nullif(trim(gender), '') as gender_raw,
        try_cast(registered_at as timestamp with time zone) as registered_at,
        attended,
        attendance_days,
        try_cast(updated_at as timestamp with time zone) as updated_at,
        _batch_id,
        _loaded_at
    from source
    where registration_id is not null
    qualify
        row_number() over (
            partition by registration_id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
