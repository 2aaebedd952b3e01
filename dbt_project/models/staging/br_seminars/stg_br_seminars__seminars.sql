-- One row per seminar: a re-sent workbook supersedes the earlier one (latest landing, then
-- the greatest file name, wins).
with

source as (

    select * from {{ current_rows('br_seminars', 'seminars') }}

),

renamed as (

    select
        seminar_key,
        seminar_key as source_activity_key,
        source_file,
        nullif(trim(seminar), '') as title,
        nullif(trim(type), '') as seminar_type_raw,
        -- 'WRS' / 'RRS-Africa' -> series WRS / RRS and the region suffix
        upper(nullif(regexp_extract(type, '^\s*([A-Za-z]+)', 1), '')) as seminar_series,
        nullif(trim(regexp_extract(type, '^\s*[A-Za-z]+\s*[-–—:/ ]\s*(.+)$', 1)), '') as type_region_raw,
        nullif(trim(dates), '') as dates_raw,
        {{ parse_date_range('dates', 'start') }} as start_date,
        {{ parse_date_range('dates', 'end') }} as end_date,
        nullif(trim(venue), '') as venue,
        -- 'Geneva, Switzerland' -> city and country; a venue without a comma is a city
        nullif(trim(regexp_extract(venue, '^([^,]+)', 1)), '') as venue_city,
        nullif(trim(regexp_extract(venue, ',\s*([^,]+)$', 1)), '') as venue_country_raw,
        nullif(trim(region), '') as region_raw,
        _batch_id,
        _loaded_at
    from source
    where seminar_key is not null
    qualify
        row_number() over (
            partition by seminar_key order by _loaded_at desc, source_file desc, _row_number desc
        ) = 1

)

select * from renamed
