-- Activities mapped onto the harmonized vocabularies (docs/taxonomy.md):
--   activity_type, topic: int_activity_terms_chosen (NULL when nothing matched: the terms are
--     listed in core.unmapped_terms).
--   delivery_mode: the platform's format term (delivery_mode_terms), else the default of the
--     activity type.
--   country: the venue country through country_aliases; region: the region the platform
--     declares (regional office, BR region field) or, for regional events, the venue's region;
--     global events (BR 'World', events at headquarters) have none.
with

activities as (

    select * from {{ ref('int_activities_unioned') }}

),

terms_chosen as (

    select * from {{ ref('int_activity_terms_chosen') }}

),

activity_types as (

    select * from {{ ref('taxonomy_activity_types') }}

),

delivery_terms as (

    select * from {{ ref('int_delivery_mode_terms_normalized') }}

),

country_aliases as (

    select * from {{ ref('int_country_aliases_normalized') }}

),

countries as (

    select * from {{ ref('countries') }}

),

region_aliases as (

    select * from {{ ref('int_region_aliases_normalized') }}

),

org_units as (

    select * from {{ ref('org_units') }}

),

classified as (

    select
        activities.*,
        terms_chosen.activity_type,
        terms_chosen.activity_type_matched_by,
        terms_chosen.activity_type_matched_term,
        coalesce(terms_chosen.is_activity_type_term_mapped, false) as is_activity_type_term_mapped,
        terms_chosen.topic,
        terms_chosen.topic_matched_by,
        terms_chosen.topic_matched_term,
        delivery_terms.delivery_mode as delivery_mode_from_term,
        venue_country.iso2 as country,
        region_alias.alias_key is not null as is_region_term_mapped,
        region_alias.itu_region as region_from_term,
        coalesce(region_alias.is_global, false) as is_global_by_term,
        office_unit.org_unit as office_org_unit,
        office_unit.region as office_region
    from activities
    left join terms_chosen
        on activities.activity_key = terms_chosen.activity_key
    left join delivery_terms
        on {{ normalize_key('activities.delivery_mode_term') }} = delivery_terms.term_key
    left join country_aliases as venue_country
        on {{ normalize_key('activities.venue_country_raw') }} = venue_country.alias_key
    left join region_aliases as region_alias
        on {{ normalize_key('activities.region_raw') }} = region_alias.alias_key
    left join org_units as office_unit
        on activities.platform = office_unit.platform and activities.office = office_unit.office

)

select
    classified.activity_key,
    classified.platform,
    classified.source_activity_key,
    classified.bureau,
    coalesce(classified.office_org_unit, classified.bureau) as org_unit,
    classified.office,
    classified.title,
    classified.title_en,
    classified.title_fr,
    classified.title_es,
    classified.title_ru,
    classified.title_ar,
    classified.title_zh,
    classified.activity_type,
    classified.activity_type_matched_by,
    classified.activity_type_matched_term,
    classified.activity_type_term,
    classified.activity_type_field,
    classified.is_activity_type_term_mapped,
    classified.topic,
    classified.topic_matched_by,
    classified.topic_matched_term,
    classified.topic_term,
    classified.topic_field,
    case
        when classified.office_region is not null then classified.office_region
        when classified.is_global_by_term then null
        when classified.region_from_term is not null then classified.region_from_term
        -- events at headquarters are global; elsewhere an activity whose platform says so
        -- (int_<platform>__activities) serves the region of its venue
        when classified.country = '{{ var("hq_country") }}' then null
        when classified.serves_venue_region then venue_region.itu_region
    end as region,
    classified.region_raw,
    classified.is_region_term_mapped,
    classified.country,
    classified.venue_city,
    classified.venue_country_raw,
    classified.start_date,
    classified.end_date,
    coalesce(classified.delivery_mode_from_term, activity_types.default_delivery_mode) as delivery_mode,
    classified.delivery_mode_term,
    classified.languages,
    classified.on_itu_academy,
    classified._loaded_at
from classified
left join activity_types
    on classified.activity_type = activity_types.code
left join countries as venue_region
    on classified.country = venue_region.iso2
