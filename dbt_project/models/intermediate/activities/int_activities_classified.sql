-- Activities mapped onto the harmonized vocabularies:
--   activity_type, topic: the platform's own term matched exactly against taxonomy_terms
--     (e.g. TSB event_type, regional activity_type, Moodle delivery_mode, BR series, TSB study
--     group, Moodle category; a broad topic term such as a TSB study group, priority 45, yields
--     to a stronger title keyword); else, for the type, keywords found in that platform term
--     ('Technical workshop'; also the term-only delivery-mode words, match = term_keyword:
--     'Online, tutor-supported'); else keywords (six languages) found in any of the activity's
--     titles (all languages), the strongest first: lowest term priority, then the plain
--     title before the language titles, then the earliest position, then the longest term;
--     else, for the topic, keywords found in the platform's topic term (docs/taxonomy.md).
--     No match: NULL (the terms are listed in core.unmapped_terms).
--   delivery_mode: the platform's format term (delivery_mode_terms), else the default of the
--     activity type.
--   country: the venue country through country_aliases; region: the region the platform
--     declares (regional office, BR region field) or, for regional events, the venue's region;
--     global events (BR 'World', events at headquarters) have none.
with

activities as (

    select * from {{ ref('int_activities_unioned') }}

),

taxonomy_terms as (

    select * from {{ ref('taxonomy_terms') }}

),

-- the terms ready for matching: exact terms under their normalized key; keywords as a
-- regular expression on the normalized title padded with spaces (' ... '), where '*' stands
-- for any further letters of a word ('spectr*' matches spectre, spectrum; 'smart cit*' smart
-- cities). Chinese and Arabic keywords match as plain substrings (no spaces between words,
-- attached prefixes such as the article ال).
terms_keyed as (

    select
        term,
        lower(trim(language)) as language,
        lower(trim(maps_to_kind)) as maps_to_kind,
        lower(trim(code)) as code,
        lower(trim(match)) as match_type,
        coalesce(priority, 50) as priority,
        replace(
            replace({{ normalize_key("replace(term, '*', ' zzstarzz ')") }}, ' zzstarzz', '*'),
            'zzstarzz',
            '*'
        ) as term_key
    from taxonomy_terms

),

terms as (

    select
        *,
        -- keywords are matched with plain substring search, except those with an inner '*'
        -- (e.g. 'цифров* трансформаци*'), matched with a regular expression
        contains(regexp_replace(term_key, '\*$', ''), '*') as needs_regex,
        case
            when language in ('zh', 'ar') then replace(term_key, '*', '')
            when ends_with(term_key, '*') then ' ' || left(term_key, -1)
            else ' ' || term_key || ' '
        end as needle,
        -- literal text up to the first '*' (a cheap filter before the regular expression)
        split_part(term_key, '*', 1) as literal_prefix,
        case
            when language in ('zh', 'ar')
                then replace(regexp_escape(term_key), '\*', '\p{L}*')
            else
                ' ' || replace(regexp_escape(term_key), '\*', '\p{L}*')
                || case when ends_with(term_key, '*') then '' else ' ' end
        end as keyword_pattern
    from terms_keyed
    where term_key is not null

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

platform_terms as (

    select
        activity_key,
        'activity_type' as maps_to_kind,
        1 as term_rank,
        {{ normalize_key('activity_type_term') }} as term_key
    from activities
    union all
    select
        activity_key,
        'activity_type' as maps_to_kind,
        2 as term_rank,
        {{ normalize_key('activity_type_term_2') }} as term_key
    from activities
    union all
    select
        activity_key,
        'topic' as maps_to_kind,
        1 as term_rank,
        {{ normalize_key('topic_term') }} as term_key
    from activities

),

exact_matches as (

    select
        platform_terms.activity_key,
        platform_terms.maps_to_kind,
        platform_terms.term_rank,
        terms.code,
        terms.term as matched_term,
        terms.priority
    from platform_terms
    inner join terms
        on
            platform_terms.term_key = terms.term_key
            and platform_terms.maps_to_kind = terms.maps_to_kind
            and terms.match_type = 'exact'

),

best_exact as (

    select
        activity_key,
        maps_to_kind,
        code,
        matched_term,
        priority
    from exact_matches
    qualify
        row_number() over (
            partition by activity_key, maps_to_kind order by term_rank, priority, code
        ) = 1

),

-- the texts searched for keywords: every title (for keywords of either kind), and the
-- platform's own terms (for keywords of their own kind only)
titles as (

    {%- for column in ['title', 'title_en', 'title_fr', 'title_es', 'title_ru', 'title_ar', 'title_zh'] %}
    select
        activity_key,
        'title' as text_source,
        cast(null as varchar) as only_kind,
        {{ loop.index }} as title_rank,
        {{ keyword_text(column) }} as title_text
    from activities
    where {{ column }} is not null
    union all
    {%- endfor %}
    select
        activity_key,
        'platform_term' as text_source,
        maps_to_kind as only_kind,
        term_rank as title_rank,
        ' ' || term_key || ' ' as title_text
    from platform_terms
    where term_key is not null

),

keyword_matches as materialized (

    select
        titles.activity_key,
        titles.text_source,
        terms.maps_to_kind,
        terms.match_type,
        terms.code,
        terms.term as matched_term,
        terms.priority,
        titles.title_rank,
        case
            when terms.needs_regex
                then strpos(titles.title_text, regexp_extract(titles.title_text, terms.keyword_pattern))
            else strpos(titles.title_text, terms.needle)
        end as match_position,
        length(terms.term_key) as term_length
    from titles
    inner join terms
        on
            -- term_keyword: a delivery-mode word ('online', 'tutor', 'on demand') that names
            -- the format only in the platform's own format field, never in a title
            (
                terms.match_type = 'keyword'
                or (terms.match_type = 'term_keyword' and titles.text_source = 'platform_term')
            )
            and (titles.only_kind is null or titles.only_kind = terms.maps_to_kind)
            and contains(titles.title_text, terms.literal_prefix)
            and (
                (not terms.needs_regex and contains(titles.title_text, terms.needle))
                or (terms.needs_regex and regexp_matches(titles.title_text, terms.keyword_pattern))
            )

),

best_keyword as (

    select
        activity_key,
        text_source,
        maps_to_kind,
        code,
        matched_term,
        priority
    from keyword_matches
    qualify
        row_number() over (
            partition by activity_key, maps_to_kind, text_source
            order by priority asc, title_rank asc, match_position asc, term_length desc, code asc
        ) = 1

),

-- a format field naming both an online and an in-person mode ('Online + face-to-face',
-- 'Présentiel et distanciel') describes a blended course: the activity types' default
-- delivery modes tell which delivery-mode words are online and which in person
blended_type as (

    select code
    from activity_types
    where default_delivery_mode = 'blended'

),

mixed_mode_terms as (

    select
        keyword_matches.activity_key,
        any_value(blended.code) as code
    from keyword_matches
    inner join activity_types as matched_type
        on keyword_matches.code = matched_type.code
    cross join blended_type as blended
    where
        keyword_matches.text_source = 'platform_term'
        and keyword_matches.match_type = 'term_keyword'
        and keyword_matches.maps_to_kind = 'activity_type'
    group by keyword_matches.activity_key
    having
        bool_or(matched_type.default_delivery_mode = 'in_person')
        and bool_or(matched_type.default_delivery_mode like 'online%')

),

-- one row per activity with its four keyword picks (an aggregate, so that the joins below do
-- not push their filters into the keyword search: four filtered joins made it crawl)
keyword_picks as (

    select
        activity_key,
        any_value(code) filter (where maps_to_kind = 'activity_type' and text_source = 'platform_term')
            as type_term_code,
        any_value(matched_term) filter (where maps_to_kind = 'activity_type' and text_source = 'platform_term')
            as type_term_term,
        any_value(priority) filter (where maps_to_kind = 'activity_type' and text_source = 'platform_term')
            as type_term_priority,
        any_value(code) filter (where maps_to_kind = 'activity_type' and text_source = 'title')
            as type_title_code,
        any_value(matched_term) filter (where maps_to_kind = 'activity_type' and text_source = 'title')
            as type_title_term,
        any_value(priority) filter (where maps_to_kind = 'activity_type' and text_source = 'title')
            as type_title_priority,
        any_value(code) filter (where maps_to_kind = 'topic' and text_source = 'title')
            as topic_title_code,
        any_value(matched_term) filter (where maps_to_kind = 'topic' and text_source = 'title')
            as topic_title_term,
        any_value(priority) filter (where maps_to_kind = 'topic' and text_source = 'title')
            as topic_title_priority,
        any_value(code) filter (where maps_to_kind = 'topic' and text_source = 'platform_term')
            as topic_term_code,
        any_value(matched_term) filter (where maps_to_kind = 'topic' and text_source = 'platform_term')
            as topic_term_term,
        any_value(priority) filter (where maps_to_kind = 'topic' and text_source = 'platform_term')
            as topic_term_priority
    from best_keyword
    group by activity_key

),

classified as (

    select
        activities.*,
        coalesce(type_exact.code, mixed_mode.code, picks.type_term_code, picks.type_title_code) as activity_type,
        case
            when type_exact.code is not null then 'platform_term'
            when mixed_mode.code is not null or picks.type_term_code is not null then 'platform_term_keyword'
            when picks.type_title_code is not null then 'title_keyword'
        end as activity_type_matched_by,
        coalesce(
            type_exact.matched_term,
            case when mixed_mode.code is not null then 'online and in-person words' end,
            picks.type_term_term,
            picks.type_title_term
        ) as activity_type_matched_term,
        -- a broad platform term (a study group covers several topics: a high priority number)
        -- yields to a stronger title keyword; otherwise the platform's own term wins
        case
            when topic_exact.code is not null and topic_exact.priority <= coalesce(picks.topic_title_priority, 1000)
                then topic_exact.code
            else coalesce(picks.topic_title_code, topic_exact.code, picks.topic_term_code)
        end as topic,
        case
            when topic_exact.code is not null and topic_exact.priority <= coalesce(picks.topic_title_priority, 1000)
                then 'platform_term'
            when picks.topic_title_code is not null then 'title_keyword'
            when picks.topic_term_code is not null then 'platform_term_keyword'
        end as topic_matched_by,
        case
            when topic_exact.code is not null and topic_exact.priority <= coalesce(picks.topic_title_priority, 1000)
                then topic_exact.matched_term
            else coalesce(picks.topic_title_term, topic_exact.matched_term, picks.topic_term_term)
        end as topic_matched_term,
        exists(
            select 1
            from exact_matches
            where
                exact_matches.activity_key = activities.activity_key
                and exact_matches.maps_to_kind = 'activity_type'
                and exact_matches.term_rank = 1
        ) as is_activity_type_term_mapped,
        delivery_terms.delivery_mode as delivery_mode_from_term,
        venue_country.iso2 as country,
        region_alias.alias_key is not null as is_region_term_mapped,
        region_alias.itu_region as region_from_term,
        coalesce(region_alias.is_global, false) as is_global_by_term,
        office_unit.org_unit as office_org_unit,
        office_unit.region as office_region
    from activities
    left join best_exact as type_exact
        on activities.activity_key = type_exact.activity_key and type_exact.maps_to_kind = 'activity_type'
    left join keyword_picks as picks
        on activities.activity_key = picks.activity_key
    left join mixed_mode_terms as mixed_mode
        on activities.activity_key = mixed_mode.activity_key
    left join best_exact as topic_exact
        on activities.activity_key = topic_exact.activity_key and topic_exact.maps_to_kind = 'topic'
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
        -- events at headquarters are global; elsewhere a TSB event or a regional BR
        -- seminar serves the region of its venue
        when classified.country = '{{ var("hq_country") }}' then null
        when classified.platform = 'tsb_events' or classified.is_regional_series
            then venue_region.itu_region
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
