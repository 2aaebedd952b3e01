-- BR seminars (latest workbook) as activities, on the shared activity contract
-- (_activities__models.yml).
with

seminars as (

    select * from {{ ref('stg_br_seminars__seminars') }}

),

activities as (

    select
        'br_seminars' as platform,
        source_activity_key,
        'BR' as bureau,
        null as office,
        title,
        null as title_en,
        null as title_fr,
        null as title_es,
        null as title_ru,
        null as title_ar,
        null as title_zh,
        seminar_series as activity_type_term,
        'type' as activity_type_field,
        seminar_type_raw as activity_type_term_2,
        null as topic_term,
        null as topic_field,
        -- an online seminar says so in its venue
        venue as delivery_mode_term,
        venue_city,
        venue_country_raw,
        coalesce(region_raw, type_region_raw) as region_raw,
        -- a regional radiocommunication seminar (RRS) serves the region of its venue
        seminar_series = 'RRS' as serves_venue_region,
        start_date,
        end_date,
        null as language_hint,
        false as on_itu_academy,
        _loaded_at
    from seminars

)

{{ contract_select('activities') }}
