{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of activity_overlaps, one row per candidate pair of overlap_candidate_pairs
    within var overlap_window_days, with its evidence: word_similarity (the weighted Jaccard of
    their title words, overlap_title_words), content_similarity (the subjects both titles name,
    compared as sets; when either names no known subject, word_similarity) and
    shared_participants (the same people sent twice).
#}

{%- set window = var('overlap_window_days') -%}

with

pairs as (

    select * from {{ ref('overlap_candidate_pairs') }}

),

person_activities as (

    select distinct
        crosswalk.participant_key,
        participations.activity_key
    from {{ ref('participations') }} as participations
    inner join {{ ref('participant_crosswalk') }} as crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key

),

-- the weight of the words two candidate titles share (a word weighs the same on both sides:
-- the two activities share their topic)
shared_words as (

    select
        pairs.activity_key_a,
        pairs.activity_key_b,
        {{ exact_sum('words_a.weight') }} as shared_weight
    from pairs
    inner join {{ ref('overlap_title_words') }} as words_a
        on pairs.activity_key_a = words_a.activity_key
    inner join {{ ref('overlap_title_words') }} as words_b
        on
            pairs.activity_key_b = words_b.activity_key
            and words_a.word = words_b.word
    group by pairs.activity_key_a, pairs.activity_key_b

),

shared as (

    select
        pairs.activity_key_a,
        pairs.activity_key_b,
        count(*) as shared_participants
    from pairs
    inner join person_activities as people_a
        on pairs.activity_key_a = people_a.activity_key
    inner join person_activities as people_b
        on
            pairs.activity_key_b = people_b.activity_key
            and people_a.participant_key = people_b.participant_key
    group by pairs.activity_key_a, pairs.activity_key_b

),

evidence as (

    select
        pairs.*,
        -- the words the titles share, each weighed by how much it tells courses of the
        -- topic apart (weighted Jaccard of the words)
        coalesce(
            coalesce(shared_words.shared_weight, 0)
            / nullif(
                pairs.word_weight_a
                + pairs.word_weight_b
                - coalesce(shared_words.shared_weight, 0),
                0
            ),
            0
        ) as word_similarity,
        coalesce(shared.shared_participants, 0) as shared_participants
    from pairs
    left join shared_words
        on
            pairs.activity_key_a = shared_words.activity_key_a
            and pairs.activity_key_b = shared_words.activity_key_b
    left join shared
        on
            pairs.activity_key_a = shared.activity_key_a
            and pairs.activity_key_b = shared.activity_key_b
    where pairs.days_apart <= {{ window }}

)

select
    *,
    -- the subjects both titles name; when one names no known subject, the words they share
    coalesce(subject_similarity, word_similarity) as content_similarity
from evidence
