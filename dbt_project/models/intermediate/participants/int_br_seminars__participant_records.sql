-- BR seminars participant records: source_record_key = <seminar_key>:<N°>, one record per
-- participant line of the seminar's latest workbook.
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
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from {{ ref('stg_br_seminars__participants') }}

)

{{ participant_record_select('br_seminars') }}
