-- TSB events as activities, on the shared activity contract (_activities__models.yml).
with

events as (

    select * from {{ ref('stg_tsb_events__events') }}

),

activities as (

    select
        'tsb_events' as platform,
        event_id as source_activity_key,
        'TSB' as bureau,
        null as office,
        title,
        -- the TSB events API publishes English titles
        title as title_en,
        null as title_fr,
        null as title_es,
        null as title_ru,
        null as title_ar,
        null as title_zh,
        event_type as activity_type_term,
        'event_type' as activity_type_field,
        null as activity_type_term_2,
        study_group as topic_term,
        'study_group' as topic_field,
        event_format as delivery_mode_term,
        venue_city,
        venue_country_raw,
        null as region_raw,
        -- an event held away from headquarters serves the region of its venue
        true as serves_venue_region,
        start_date,
        end_date,
        array_to_string(languages, ',') as language_hint,
        false as on_itu_academy,
        _loaded_at
    from events

)

{{ contract_select('activities') }}
