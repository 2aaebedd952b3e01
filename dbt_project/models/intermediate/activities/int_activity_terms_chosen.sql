-- The activity type and topic of each activity with any taxonomy match
-- (int_activity_term_matches), the strongest match first (docs/taxonomy.md). The type: the
-- platform's own term matched whole; else keywords in that term (an online and an in-person
-- word together: blended); else keywords in any title. The topic: the platform's term matched
-- whole unless broader than the best title keyword; else that keyword; else keywords in the
-- platform's term. Keywords: lowest priority, plain title first, earliest, longest.
with

matches as (

    select * from {{ ref('int_activity_term_matches') }}

),

activity_types as (

    select * from {{ ref('taxonomy_activity_types') }}

),

-- the best match of each kind by each pick: the platform's term whole ('exact': the primary
-- term first, then the lowest priority); keywords in the platform's term or in a title
-- ('platform_term', 'title': the lowest priority, the plain title first, the earliest, longest)
best as (

    select
        activity_key,
        maps_to_kind,
        case when match_type = 'exact' then 'exact' else text_source end as pick,
        code,
        matched_term,
        priority,
        text_rank
    from matches
    qualify
        row_number() over (
            partition by activity_key, maps_to_kind, case when match_type = 'exact' then 'exact' else text_source end
            order by
                case when match_type = 'exact' then text_rank end asc,
                priority asc, text_rank asc, match_position asc, term_length desc, code asc,
                -- last, the term itself: two equal matches ('space services', 'space service*')
                -- are chosen the same way at every build
                matched_term asc
        ) = 1

),

-- online and in-person words in one format field ('Online + face-to-face'): a blended course;
-- the matched types' default delivery modes tell which words are online and which in person
mixed_mode_terms as (

    select
        matches.activity_key,
        min(blended.code) as code  -- one blended type in the taxonomy; several: the first
    from matches
    inner join activity_types as matched_type
        on matches.code = matched_type.code
    inner join activity_types as blended
        on blended.default_delivery_mode = 'blended'
    where
        matches.text_source = 'platform_term'
        and matches.match_type = 'term_keyword'
        and matches.maps_to_kind = 'activity_type'
    group by matches.activity_key
    having
        bool_or(matched_type.default_delivery_mode = 'in_person')
        and bool_or(matched_type.default_delivery_mode like 'online%')

),

-- one row per activity with its picks: <kind>_<pick>_<code | matched_term | priority>
picks as (

    select
        activity_key,
        {%- for kind in ['activity_type', 'topic'] %}
        {%- for pick in ['exact', 'platform_term', 'title'] %}
        {%- for column in ['code', 'matched_term', 'priority'] %}
        any_value({{ column }}) filter (where maps_to_kind = '{{ kind }}' and pick = '{{ pick }}')
            as {{ kind }}_{{ pick }}_{{ column }},
        {%- endfor %}
        {%- endfor %}
        {%- endfor %}
        -- the primary platform term matched whole (the best exact match comes first by rank)
        bool_or(pick = 'exact' and maps_to_kind = 'activity_type' and text_rank = 1)
            as is_activity_type_term_mapped
    from best
    group by activity_key

),

chosen as (

    select
        picks.*,
        mixed.code as mixed_mode_code,
        -- a broad platform topic term (a study group covers several topics: a high priority
        -- number) yields to a stronger title keyword; otherwise the platform's own term wins
        picks.topic_exact_code is not null
        and picks.topic_exact_priority <= coalesce(picks.topic_title_priority, 1000) as is_topic_term_chosen
    from picks
    left join mixed_mode_terms as mixed
        on picks.activity_key = mixed.activity_key

)

select
    activity_key,
    coalesce(
        activity_type_exact_code, mixed_mode_code, activity_type_platform_term_code, activity_type_title_code
    ) as activity_type,
    case
        when activity_type_exact_code is not null then 'platform_term'
        when mixed_mode_code is not null or activity_type_platform_term_code is not null
            then 'platform_term_keyword'
        when activity_type_title_code is not null then 'title_keyword'
    end as activity_type_matched_by,
    coalesce(
        activity_type_exact_matched_term,
        case when mixed_mode_code is not null then 'online and in-person words' end,
        activity_type_platform_term_matched_term,
        activity_type_title_matched_term
    ) as activity_type_matched_term,
    is_activity_type_term_mapped,
    case
        when is_topic_term_chosen then topic_exact_code
        else coalesce(topic_title_code, topic_exact_code, topic_platform_term_code)
    end as topic,
    case
        when is_topic_term_chosen then 'platform_term'
        when topic_title_code is not null then 'title_keyword'
        when topic_platform_term_code is not null then 'platform_term_keyword'
    end as topic_matched_by,
    case
        when is_topic_term_chosen then topic_exact_matched_term
        else coalesce(topic_title_matched_term, topic_exact_matched_term, topic_platform_term_matched_term)
    end as topic_matched_term
from chosen
