{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of academy_candidates, one row per activity (council_activities): its title
    as a set of significant words, to compare Academy courses with activities held elsewhere
    (with its lower-case title, its length in characters and its number of words).
    words: the distinct words of the title, lower case and without accents, leaving out
    numbers, words of one or two letters and the stopwords of the list (course-format and
    level words say nothing about what a course teaches).
#}

with

titled as (

    select
        activity_key,
        platform,
        bureau,
        org_unit,
        title,
        topic,
        on_itu_academy,
        list_distinct(list_filter(
            string_split_regex(lower(strip_accents(coalesce(title, ''))), '[^a-z0-9]+'),
            lambda word: length(word) > 2
            and not regexp_matches(word, '^[0-9]+$')
            and not list_contains([
                'and', 'the', 'for', 'with', 'from', 'into', 'course', 'online', 'training',
                'workshop', 'seminar', 'webinar', 'forum', 'tutorial', 'regional', 'national',
                'introduction', 'fundamentals', 'advanced', 'basic', 'des', 'les', 'del', 'las',
                'los', 'pour', 'para'
            ], word)
        )) as words
    from {{ ref('council_activities') }}

)

select
    *,
    -- what the title comparison of council_academy_matches needs once per activity
    lower(title) as title_lower,
    length(lower(title)) as title_chars,
    len(words) as n_words
from titled
