with

source as (

    select * from {{ current_rows('tsb_events', 'events') }}

),

renamed as (

    select
        event_id,
        nullif(trim(title), '') as title,
        nullif(trim(event_type), '') as event_type,
        upper(replace(nullif(trim(study_group), ''), ' ', '')) as study_group,
        try_cast(starts_at as timestamp with time zone) as starts_at,
        try_cast(ends_at as timestamp with time zone) as ends_at,
        -- calendar dates as at the venue (the local part of the ISO 8601 text)
        try_cast(left(trim(starts_at), 10) as date) as start_date,
        try_cast(left(trim(ends_at), 10) as date) as end_date,
        nullif(trim(venue_city), '') as venue_city,
        nullif(trim(venue_country), '') as venue_country_raw,
        lower(nullif(trim(format), '')) as event_format,
        coalesce(from_json(languages, '["VARCHAR"]'), []) as languages,
        try_cast(updated_at as timestamp with time zone) as updated_at,
        _batch_id,
        _loaded_at
    from source
    where event_id is not null
    qualify
        row_number() over (
            partition by event_id order by _loaded_at desc, _batch_id desc, _row_number desc
        ) = 1

)

select * from renamed
