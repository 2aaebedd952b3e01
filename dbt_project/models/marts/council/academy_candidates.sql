{{ config(schema='council', materialized='table') }}

{#
    Activities held outside the ITU Academy whose demand and quality justify featuring them on
    it, and whether a similar course is already there.

    Demand: at least var academy_min_people people trained.
    Quality (quality_score, 0..1): the mean of the measures the platform records: completion
    rate (or, where completion is not recorded, the attendance rate), normalized pass rate and
    satisfaction rescaled from 1..5 to 0..1; at least var academy_min_quality.
    Similar Academy course: an Academy activity on the same topic whose English title is
    similar (word-set Jaccard >= var academy_title_similarity or Jaro-Winkler
    >= 0.92), or an Academy activity the overlap marts pair with this one.
    Ranked by quality_score x ln(1 + people trained). Rates follow the small-cell rule.
#}

{%- set min_cell = var('council_min_cell_size') -%}
{%- set min_people = var('academy_min_people') -%}
{%- set min_quality = var('academy_min_quality') -%}
{%- set min_similarity = var('academy_title_similarity') -%}
{%- set stopwords = [
    'and', 'the', 'for', 'with', 'from', 'into', 'course', 'online', 'training', 'workshop',
    'seminar', 'webinar', 'forum', 'tutorial', 'regional', 'national', 'introduction',
    'fundamentals', 'advanced', 'basic', 'des', 'les', 'del', 'las', 'los', 'pour', 'para',
] -%}

{%- set small = "(%s between 1 and " ~ (min_cell - 1) ~ ")" -%}
{%- set share = "case when %(den)s >= " ~ min_cell ~ " and not " ~ small | format('%(num)s')
    ~ " and not " ~ small | format('%(den)s - %(num)s')
    ~ " then round(cast(%(num)s as double) / %(den)s, 4) end" -%}
{#- title_words: the distinct significant words of a title (no stopwords, numbers, short words) -#}
{%- set title_words = "list_distinct(list_filter("
    ~ "string_split_regex(lower(strip_accents(coalesce(%s, ''))), '[^a-z0-9]+'), "
    ~ "lambda word: length(word) > 2 and not regexp_matches(word, '^[0-9]+$') "
    ~ "and not list_contains(['" ~ stopwords | join("', '") ~ "'], word)))" -%}

with

activities as (

    select
        activity_key,
        platform,
        bureau,
        org_unit,
        title,
        topic,
        on_itu_academy,
        {{ title_words | format('title') }} as words
    from {{ ref('council_activities') }}

),

facts as (

    select * from {{ ref('council_facts') }}
    where activity_year is not null

),

stats as (

    select
        activity_key,
        any_value(activity_year) as activity_year,
        any_value(topic) as topic,
        any_value(activity_type) as activity_type,
        any_value(delivery_mode) as delivery_mode,
        any_value(region) as region,
        count(distinct participant_key) filter (where is_trained) as n_people,
        count(participation_key) as n_participations,
        count(participation_key) filter (where attended) as n_attended,
        count(participation_key) filter (where attended is not null) as n_attendance_known,
        count(participation_key) filter (where completed) as n_completions,
        count(participation_key) filter (where completed is not null) as n_completion_known,
        count(participation_key) filter (where passed) as n_passes,
        count(participation_key) filter (where passed is not null) as n_assessed,
        count(satisfaction_1_5) as n_satisfaction,
        avg(satisfaction_1_5) as mean_satisfaction
    from facts
    group by activity_key

),

outside as (

    select
        stats.*,
        activities.platform,
        activities.bureau,
        activities.org_unit,
        activities.title,
        activities.words,
        case
            when stats.n_completion_known > 0
                then stats.n_completions / stats.n_completion_known
            when stats.n_attendance_known > 0
                then stats.n_attended / stats.n_attendance_known
        end as raw_completion,
        case when stats.n_assessed > 0 then stats.n_passes / stats.n_assessed end as raw_pass,
        case
            when stats.n_satisfaction > 0 then (stats.mean_satisfaction - 1) / 4
        end as raw_satisfaction
    from stats
    inner join activities
        on stats.activity_key = activities.activity_key
    where not activities.on_itu_academy and stats.n_people >= {{ min_people }}

),

scored as (

    select
        *,
        -- a composite index, rounded to two decimals
        round(
            list_avg(
                list_filter([raw_completion, raw_pass, raw_satisfaction], lambda x: x is not null)
            ),
            2
        ) as quality_score
    from outside

),

academy as (

    select
        activity_key,
        title,
        words,
        topic
    from activities
    where on_itu_academy

),

title_matches as (

    select
        scored.activity_key,
        academy.title as academy_title,
        greatest(
            coalesce(
                len(list_intersect(scored.words, academy.words))
                / nullif(len(list_distinct(list_concat(scored.words, academy.words))), 0),
                0
            ),
            jaro_winkler_similarity(lower(scored.title), lower(academy.title))
            * case
                when jaro_winkler_similarity(lower(scored.title), lower(academy.title)) >= 0.92
                    then 1
                else 0
            end
        ) as similarity
    from scored
    inner join academy
        on scored.topic = academy.topic

),

best_match as (

    select
        activity_key,
        arg_max(academy_title, similarity) as best_academy_match,
        max(similarity) as title_similarity,
        count(*) as academy_courses_on_topic
    from title_matches
    group by activity_key

),

academy_overlaps as (

    select distinct scored.activity_key
    from scored
    inner join {{ ref('activity_overlaps') }} as pairs
        on scored.activity_key in (pairs.activity_key_a, pairs.activity_key_b)
    inner join academy
        on
            scored.activity_key <> academy.activity_key
            and academy.activity_key in (pairs.activity_key_a, pairs.activity_key_b)

),

candidates as (

    select
        scored.*,
        best_match.best_academy_match,
        coalesce(best_match.title_similarity, 0) as title_similarity,
        coalesce(best_match.academy_courses_on_topic, 0) as academy_courses_on_topic,
        academy_overlaps.activity_key is not null as overlaps_academy_activity
    from scored
    left join best_match
        on scored.activity_key = best_match.activity_key
    left join academy_overlaps
        on scored.activity_key = academy_overlaps.activity_key
    where scored.quality_score >= {{ min_quality }}

)

select
    activity_key,
    activity_year as year,  -- noqa: RF04
    bureau,
    {{ code_label('bureau', 'bureau') }} as bureau_label,
    platform,
    {{ code_label('platform', 'platform') }} as platform_label,
    org_unit,
    {{ code_label('org_unit', 'org_unit') }} as org_unit_label,
    title,
    topic,
    {{ code_label('topic', 'topic') }} as topic_label,
    activity_type,
    {{ code_label('activity_type', 'activity_type') }} as activity_type_label,
    delivery_mode,
    {{ code_label('delivery_mode', 'delivery_mode') }} as delivery_mode_label,
    region,
    {{ code_label('region', 'region') }} as region_label,
    n_people as people_trained,
    {{ share | format(num='n_completions', den='n_completion_known') }} as completion_rate,
    {{ share | format(num='n_passes', den='n_assessed') }} as pass_rate,
    {{ share | format(num='n_attended', den='n_attendance_known') }} as attendance_rate,
    case
        when n_satisfaction >= {{ min_cell }} then round(mean_satisfaction, 2)
    end as avg_satisfaction_1_5,
    quality_score,
    overlaps_academy_activity or title_similarity >= {{ min_similarity }}
        as similar_academy_course,
    case
        when overlaps_academy_activity or title_similarity >= {{ min_similarity }}
            then best_academy_match
    end as best_academy_match,
    round(title_similarity, 3) as title_similarity,
    overlaps_academy_activity,
    academy_courses_on_topic,
    case
        when overlaps_academy_activity or title_similarity >= {{ min_similarity }}
            then 'merge into or link to the similar Academy course'
        else 'feature on the ITU Academy'
    end as recommendation,
    cast(row_number() over (
        order by quality_score * ln(1 + n_people) desc, n_people desc, activity_key asc
    ) as integer) as candidate_rank
from candidates
order by candidate_rank
