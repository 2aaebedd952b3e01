-- TSB events participant records: source_record_key = the registration id; one record per
-- registration, with the organization type the registration form asks for.
-- Columns: the participant record contract (_participants__models.yml).
with

records as (

    select
        source_record_key,
        nullif(trim(concat_ws(' ', first_name, last_name)), '') as full_name,
        first_name,
        last_name,
        cast(null as varchar) as name_latin,
        email,
        country_raw,
        gender_raw,
        organization,
        organization_type,
        cast(null as varchar) as city
    from {{ ref('stg_tsb_events__registrations') }}

)

{{ participant_record_select('tsb_events') }}
