-- Platform terms that did not map onto a harmonized vocabulary, for a human to classify
-- (add them to the seeds: taxonomy_terms, country_aliases, gender_codes, region_aliases).
-- kind: activity_type (the platform's type term had no exact taxonomy term), topic (no
-- topic found: the title is listed), country, gender, region. count = records concerned.
with

activities as (

    select * from {{ ref('int_activities_classified') }}

),

records as (

    select * from {{ ref('int_participant_records_unioned') }}

),

unmapped as (

    select
        activity_type_term as term,
        platform,
        activity_type_field as field,
        'activity_type' as kind
    from activities
    where activity_type_term is not null and not is_activity_type_term_mapped

    union all

    select
        coalesce(title, source_activity_key) as term,
        platform,
        'title' as field,
        'topic' as kind
    from activities
    where topic is null

    union all

    select
        venue_country_raw as term,
        platform,
        'venue_country' as field,
        'country' as kind
    from activities
    where venue_country_raw is not null and country is null

    union all

    select
        region_raw as term,
        platform,
        'region' as field,
        'region' as kind
    from activities
    where region_raw is not null and not is_region_term_mapped

    union all

    select
        country_raw as term,
        platform,
        'country' as field,
        'country' as kind
    from records
    where country_raw is not null and country is null

    union all

    select
        gender_raw as term,
        platform,
        'gender' as field,
        'gender' as kind
    from records
    where gender_raw is not null and not is_gender_mapped

)

select
    md5(kind || '|' || platform || '|' || field || '|' || term) as unmapped_term_key,
    term,
    platform,
    {{ code_label('platform', 'platform') }} as platform_label,
    field,
    kind,
    count(*) as count
from unmapped
group by term, platform, field, kind
