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
{%- set min_similarity = var('academy_title_similarity') -%}
{%- set small = "(%s between 1 and " ~ (min_cell - 1) ~ ")" -%}
{%- set share = "case when %(den)s >= " ~ min_cell ~ " and not " ~ small | format('%(num)s')
    ~ " and not " ~ small | format('%(den)s - %(num)s')
    ~ " then round(cast(%(num)s as double) / %(den)s, 4) end" -%}

with

candidates as (

    -- the steps: council_academy_titles (title words), council_academy_scores (the
    -- candidates: demand and quality), council_academy_matches (similar Academy courses)
    select
        scored.*,
        matches.best_academy_match,
        matches.title_similarity,
        matches.academy_courses_on_topic,
        matches.overlaps_academy_activity
    from {{ ref('council_academy_scores') }} as scored
    inner join {{ ref('council_academy_matches') }} as matches
        on scored.activity_key = matches.activity_key
    where scored.quality_score >= {{ var('academy_min_quality') }}

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
