-- One row per participant line of the latest landing of each export file.
with

source as (

    select * from {{ current_rows('regional_offices', 'participants') }}

),

renamed as (

    select
        lower(trim(office)) as office,
        source_file,
        {{ file_stem('source_file') }} as source_file_stem,
        lower(trim(office)) || ':' || {{ file_stem('source_file') }} as source_activity_key,
        lower(trim(office)) || ':' || {{ file_stem('source_file') }} || ':' || _row_number as source_record_key,
        _row_number as file_row_number,
        nullif(trim(activity_title), '') as activity_title,
        nullif(trim(activity_type), '') as activity_type_raw,
        try_cast(trim(start_date) as date) as start_date,
        try_cast(trim(end_date) as date) as end_date,
        nullif(trim(start_date_raw), '') as start_date_raw,
        nullif(trim(end_date_raw), '') as end_date_raw,
        nullif(trim(city), '') as city,
        nullif(trim(venue_country), '') as venue_country_raw,
        nullif(trim(full_name), '') as full_name,
        nullif(trim(first_name), '') as first_name,
        nullif(trim(last_name), '') as last_name,
        nullif(trim(name_latin), '') as name_latin,
        lower(nullif(trim(email), '')) as email,
        nullif(trim(country), '') as country_raw,
        nullif(trim(organization), '') as organization,
        nullif(trim(gender), '') as gender_raw,
        nullif(trim(satisfaction), '') as satisfaction_raw,
        {{ parse_number('satisfaction') }} as satisfaction_score,
        _batch_id,
        _loaded_at
    from source
    where office is not null and source_file is not null
    qualify
        dense_rank() over (
            partition by lower(trim(office)), source_file order by _loaded_at desc, _batch_id desc
        ) = 1
        and row_number() over (
            partition by lower(trim(office)), source_file, _row_number order by _batch_id desc
        ) = 1

)

select * from renamed
