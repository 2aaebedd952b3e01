-- Every taxonomy term an activity's texts match, one row per match (the choice among them:
-- int_activity_terms_chosen). The texts: the platform's own terms, matched whole (match_type
-- exact) and searched for keywords of their own kind; every title, searched for keywords of
-- either kind. text_rank orders the texts: the primary platform term before the secondary,
-- the plain title before the language titles.
with

activities as (

    select * from {{ ref('int_activities_unioned') }}

),

terms as (

    select * from {{ ref('int_taxonomy_terms_normalized') }}

),

platform_terms as (

    {%- for kind, rank, column in [
        ('activity_type', 1, 'activity_type_term'),
        ('activity_type', 2, 'activity_type_term_2'),
        ('topic', 1, 'topic_term'),
    ] %}
    select
        activity_key,
        '{{ kind }}' as maps_to_kind,
        {{ rank }} as term_rank,
        {{ normalize_key(column) }} as term_key
    from activities
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}

),

exact_matches as (

    select
        platform_terms.activity_key,
        'platform_term' as text_source,
        platform_terms.maps_to_kind,
        terms.match_type,
        terms.code,
        terms.term as matched_term,
        terms.priority,
        platform_terms.term_rank as text_rank,
        cast(null as bigint) as match_position,
        cast(null as bigint) as term_length
    from platform_terms
    inner join terms
        on
            platform_terms.term_key = terms.term_key
            and platform_terms.maps_to_kind = terms.maps_to_kind
            and terms.match_type = 'exact'

),

-- the texts searched for keywords: every title (for keywords of either kind), and the
-- platform's own terms (for keywords of their own kind only)
texts as (

    {%- for column in ['title', 'title_en', 'title_fr', 'title_es', 'title_ru', 'title_ar', 'title_zh'] %}
    select
        activity_key,
        'title' as text_source,
        cast(null as varchar) as only_kind,
        {{ loop.index }} as text_rank,
        {{ keyword_text(column) }} as searched_text
    from activities
    where {{ column }} is not null
    union all
    {%- endfor %}
    select
        activity_key,
        'platform_term' as text_source,
        maps_to_kind as only_kind,
        term_rank as text_rank,
        ' ' || term_key || ' ' as searched_text
    from platform_terms
    where term_key is not null

),

keyword_matches as (

    select
        texts.activity_key,
        texts.text_source,
        terms.maps_to_kind,
        terms.match_type,
        terms.code,
        terms.term as matched_term,
        terms.priority,
        texts.text_rank,
        case
            when terms.needs_regex
                then strpos(texts.searched_text, regexp_extract(texts.searched_text, terms.keyword_pattern))
            else strpos(texts.searched_text, terms.needle)
        end as match_position,
        length(terms.term_key) as term_length
    from texts
    inner join terms
        on
            -- term_keyword: a delivery-mode word ('online', 'tutor', 'on demand') that names
            -- the format only in the platform's own format field, never in a title
            (
                terms.match_type = 'keyword'
                or (terms.match_type = 'term_keyword' and texts.text_source = 'platform_term')
            )
            and (texts.only_kind is null or texts.only_kind = terms.maps_to_kind)
            and contains(texts.searched_text, terms.literal_prefix)
            and (
                (not terms.needs_regex and contains(texts.searched_text, terms.needle))
                or (terms.needs_regex and regexp_matches(texts.searched_text, terms.keyword_pattern))
            )

)

select * from exact_matches
union all
select * from keyword_matches
