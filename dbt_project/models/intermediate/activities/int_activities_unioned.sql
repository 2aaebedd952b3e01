-- One row per activity of every platform, with the platform's own terms (type, topic,
-- delivery format, venue, region) still raw: a union of the int_<platform>__activities
-- models of var platforms, which share one column contract (_activities__models.yml), so it goes
-- by position. A new platform is one model on that contract and one name in var platforms.
with

unioned as (

    {{ union_platforms('activities', by_name=false) }}

)

select
    platform || ':' || source_activity_key as activity_key,
    *,
    -- languages the activity is offered in: its titles' languages plus the platform's own
    -- language information (course language, event languages, statement context language)
    nullif(list_sort(list_distinct(list_concat(
        {{ title_languages('title') }},
        list_filter(
            list_transform(
                string_split(lower(coalesce(language_hint, '')), ','),
                lambda lang: regexp_extract(trim(lang), '^([a-z]{2,3})([^a-z]|$)', 1)
            ),
            lambda lang: lang != ''
        )
    ))), []) as languages
from unioned
