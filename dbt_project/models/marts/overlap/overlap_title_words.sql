{{ config(materialized='table', schema='intermediate') }}

{#
    Step of activity_overlaps, one row per word of at least var overlap_min_word_length letters
    in an activity's titles, with its weight among the titles of the activity's topic. A table
    in the build's intermediate schema: the content similarity of every candidate pair sums
    these weights.

    How much a word tells one course of a topic from another: its smoothed inverse document
    frequency among the titles of that topic, 1 + ln((1 + titles) / (1 + titles with the
    word)). The topic's own words and the platforms' title patterns ('workshop', 'regional')
    are in most titles of the topic and weigh about 1; the words that say what a course does
    weigh most. Never 0, so two identical titles are still alike however common their words.
#}

{%- set min_word = var('overlap_min_word_length') -%}

with

title_words as (

    select
        activity_key,
        topic,
        list_distinct(list_filter(
            string_split(trim(title_text || title_en_text), ' '),
            lambda word: length(word) >= {{ min_word }}
        )) as words
    from {{ ref('overlap_activities') }}

),

title_word_rows as (

    select
        activity_key,
        topic,
        unnest(words) as word
    from title_words

),

topic_titles as (

    select
        topic,
        count(*) as n_titles
    from title_words
    group by topic

)

select
    title_word_rows.activity_key,
    title_word_rows.word,
    1 + ln(
        (1 + topic_titles.n_titles)
        / (1 + count(*) over (partition by title_word_rows.topic, title_word_rows.word))
    ) as weight
from title_word_rows
inner join topic_titles
    on title_word_rows.topic = topic_titles.topic
