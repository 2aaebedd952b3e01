{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of academy_candidates, one row per candidate: an activity held outside the
    ITU Academy with at least var academy_min_people people trained and a quality_score of at
    least var academy_min_quality, with its demand and quality measures.
    quality_score (0..1, two decimals): the mean of the measures the platform records:
    completion rate (or, where completion is not recorded, the attendance rate), pass rate and
    satisfaction rescaled from 1..5 to 0..1.
#}

with

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
        {{ exact_avg('satisfaction_1_5') }} as mean_satisfaction
    from {{ ref('council_facts') }}
    where activity_year is not null
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
        activities.title_lower,
        activities.title_chars,
        activities.n_words,
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
    inner join {{ ref('council_academy_titles') }} as activities
        on stats.activity_key = activities.activity_key
    where not activities.on_itu_academy and stats.n_people >= {{ var('academy_min_people') }}

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

)

select * from scored
