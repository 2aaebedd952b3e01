{{ config(materialized='table', schema='intermediate') }}

{#
    Step of activity_overlaps, one row per activity of overlap_activities with what its titles
    say about the course: the subjects and levels of seed course_terms they name (across
    languages, matched as int_course_terms_normalized says; a level word inside a subject
    phrase of its titles is no level), a numbered level ('Level 2',
    'niveau II'; macros/course_levels.sql), the subjects as two titles are compared
    (compared_subjects: the subjects a course is named by either way read as one, var
    overlap_subjects_read_as) and the total weight of its title words (overlap_title_words). A table in the build's intermediate schema: the pair search reads
    it on both sides.
#}

{%- set numbered_levels = var('overlap_numbered_levels') -%}
{%- set read_as = var('overlap_subjects_read_as') -%}

with

activities as (

    select
        *,
        {{ level_number('title_text || title_en_text') }} as level_number
    from {{ ref('overlap_activities') }}

),

term_matches as (

    select
        activities.activity_key,
        course_terms.kind,
        course_terms.code,
        trim(course_terms.needle) as needle
    from activities
    inner join {{ ref('int_course_terms_normalized') }} as course_terms
        on
            contains(activities.title_text, course_terms.needle)
            or contains(activities.title_en_text, course_terms.needle)

),

-- a level word inside a subject phrase the activity's titles name ('advanced technologies',
-- 'tecnologías avanzadas') says what the course is about, not its level
counted_matches as (

    select *
    from term_matches
    where
        kind = 'subject'
        or not exists (
            select 1
            from term_matches as subject_terms
            where
                subject_terms.activity_key = term_matches.activity_key
                and subject_terms.kind = 'subject'
                and contains(subject_terms.needle, term_matches.needle)
        )

),

course_words as (

    select
        activity_key,
        list_sort(list_distinct(list(code) filter (where kind = 'subject'))) as subjects,
        -- the subjects as two titles are compared: those a course is named by either way are
        -- one (var overlap_subjects_read_as)
        list_sort(list_distinct(list(
            {%- if read_as %}
            case
                {%- for code, as_code in read_as.items() %}
                when code = '{{ code }}' then '{{ as_code }}'
                {%- endfor %}
                else code
            end
            {%- else %}
            code
            {%- endif %}
        ) filter (where kind = 'subject'))) as compared_subjects,
        list_sort(list_distinct(list(code) filter (where kind = 'level'))) as levels
    from counted_matches
    group by activity_key

),

title_weights as (

    select
        activity_key,
        {{ exact_sum('weight') }} as total_weight
    from {{ ref('overlap_title_words') }}
    group by activity_key

)

select
    activities.*,
    coalesce(title_weights.total_weight, 0) as total_weight,
    coalesce(course_words.subjects, []) as subjects,
    coalesce(course_words.compared_subjects, []) as compared_subjects,
    -- the levels a title can be: those it states in words (the seed), else those its number
    -- allows (var overlap_numbered_levels: 'Level 2' is past the entry level, intermediate or
    -- advanced depending on the catalogue)
    case
        when len(coalesce(course_words.levels, [])) > 0 then course_words.levels
        when activities.level_number is not null
            then {{ numbered_levels | tojson | replace('"', "'") }}[activities.level_number]
        else []
    end as levels
from activities
left join title_weights
    on activities.activity_key = title_weights.activity_key
left join course_words
    on activities.activity_key = course_words.activity_key
