-- Regional-office activities, on the shared activity contract (_activities__models.yml): one
-- per office + export file, derived from the participant lines (the exports have no activity
-- list of their own), each field the value most lines give (of equally frequent values, the
-- first in sort order: the choice never depends on the order the lines are read in).
with

participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

activities as (

    select
        'regional_offices' as platform,
        source_activity_key,
        '{{ var("regional_offices_bureau") }}' as bureau,
        office,
        {{ most_frequent('activity_title') }} as title,
        null as title_en,
        null as title_fr,
        null as title_es,
        null as title_ru,
        null as title_ar,
        null as title_zh,
        {{ most_frequent('activity_type_raw') }} as activity_type_term,
        'activity_type' as activity_type_field,
        null as activity_type_term_2,
        null as topic_term,
        null as topic_field,
        -- an online activity says so in its city / venue column
        coalesce(
            {{ most_frequent('city') }}, {{ most_frequent('venue_country_raw') }}
        ) as delivery_mode_term,
        {{ most_frequent('city') }} as venue_city,
        {{ most_frequent('venue_country_raw') }} as venue_country_raw,
        null as region_raw,
        false as serves_venue_region,
        min(start_date) as start_date,
        max(coalesce(end_date, start_date)) as end_date,
        null as language_hint,
        false as on_itu_academy,
        max(_loaded_at) as _loaded_at
    from participants
    group by office, source_activity_key

)

{{ contract_select('activities') }}
