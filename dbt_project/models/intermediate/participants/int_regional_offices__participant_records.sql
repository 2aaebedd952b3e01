-- Regional offices participant records: source_record_key = <office>:<file stem>:<row
-- number>; the full name as given (else first + last name) and the Latin transliteration the
-- CIS and Arab States exports give.
-- Columns: the participant record contract (_participants__models.yml).
with

records as (

    select
        source_record_key,
        coalesce(full_name, nullif(trim(concat_ws(' ', first_name, last_name)), '')) as full_name,
        first_name,
        last_name,
        name_latin,
        email,
        country_raw,
        gender_raw,
        organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from {{ ref('stg_regional_offices__participants') }}

)

{{ participant_record_select('regional_offices') }}
