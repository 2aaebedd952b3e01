{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of academy_candidates, one row per activity of council_academy_scores: the
    Academy courses like it. An Academy activity on the same topic is similar by its English
    title (word-set Jaccard of council_academy_titles, or Jaro-Winkler when that is 0.92 or
    more); overlaps_academy_activity: the overlap marts pair the activity with an Academy one.
#}

with

academy as (

    select * from {{ ref('council_academy_titles') }}
    where on_itu_academy

),

title_matches as (

    -- Every candidate against every Academy course on its topic: the costly step, so what
    -- does not depend on the pair (lower case, lengths, word counts: council_academy_titles)
    -- is computed once per activity, and Jaro-Winkler only where it can reach 0.92.
    -- The word lists hold distinct words: their union has n_a + n_b - n_common words.
    select
        candidates.activity_key,
        academy.title as academy_title,
        greatest(
            coalesce(
                len(list_intersect(candidates.words, academy.words)) / nullif(
                    candidates.n_words + academy.n_words
                    - len(list_intersect(candidates.words, academy.words)),
                    0
                ),
                0
            ),
            -- Jaro-Winkler (on characters) is at most 0.4 + 0.6 x Jaro, and Jaro at most
            -- (2 + shorter / longer) / 3: two titles whose lengths differ by more than that
            -- allows (shorter < 0.6 x longer; 0.55 leaves a margin) cannot reach 0.92
            case
                when
                    least(candidates.title_chars, academy.title_chars)
                    < 0.55 * greatest(candidates.title_chars, academy.title_chars)
                    then 0
                else
                    jaro_winkler_similarity(candidates.title_lower, academy.title_lower)
                    * case
                        when
                            jaro_winkler_similarity(candidates.title_lower, academy.title_lower)
                            >= 0.92
                            then 1
                        else 0
                    end
            end
        ) as similarity
    from {{ ref('council_academy_scores') }} as candidates
    inner join academy
        on candidates.topic = academy.topic

),

best_match as (

    select
        activity_key,
        -- the most similar title; among equally similar ones (the same words in another
        -- order score 1.0 alike) the first in alphabetical order, so that the choice does not
        -- depend on the order the join's rows arrive in (it did, with two dbt threads)
        arg_min(academy_title, (-similarity, academy_title)) as best_academy_match,
        max(similarity) as title_similarity,
        count(*) as academy_courses_on_topic
    from title_matches
    group by activity_key

),

paired as (

    -- each overlapping pair from both ends, so that pairs join on equality (a join on
    -- "key in (key_a, key_b)" compares every pair with every activity)
    select
        activity_key_a as activity_key,
        activity_key_b as other_key
    from {{ ref('activity_overlaps') }}
    union all
    select
        activity_key_b as activity_key,
        activity_key_a as other_key
    from {{ ref('activity_overlaps') }}

),

academy_overlaps as (

    select distinct paired.activity_key
    from paired
    inner join academy
        on paired.other_key = academy.activity_key

)

select
    scored.activity_key,
    best_match.best_academy_match,
    coalesce(best_match.title_similarity, 0) as title_similarity,
    coalesce(best_match.academy_courses_on_topic, 0) as academy_courses_on_topic,
    academy_overlaps.activity_key is not null as overlaps_academy_activity
from {{ ref('council_academy_scores') }} as scored
left join best_match
    on scored.activity_key = best_match.activity_key
left join academy_overlaps
    on scored.activity_key = academy_overlaps.activity_key
