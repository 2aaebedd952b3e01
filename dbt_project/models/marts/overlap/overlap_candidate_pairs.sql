{{ config(materialized='table', schema='intermediate') }}

{#
    Step of activity_overlaps, one row per candidate pair (activity_key_a < activity_key_b):
    two activities of different organizational units on the same topic for the same region,
    whose date ranges are at most var overlap_window_days apart, with what both titles say
    (subjects, levels, title similarity). days_apart: 0 when the date ranges overlap, else the
    days between the end of the earlier one (its start when the end is unknown) and the start
    of the later one. A table in the build's intermediate schema.
#}

{%- set window = var('overlap_window_days') -%}

select
    activity_a.activity_key as activity_key_a,
    activity_b.activity_key as activity_key_b,
    activity_a.bureau as bureau_a,
    activity_b.bureau as bureau_b,
    activity_a.org_unit as org_unit_a,
    activity_b.org_unit as org_unit_b,
    activity_a.topic,
    activity_a.region,
    activity_a.region_source as region_source_a,
    activity_b.region_source as region_source_b,
    activity_a.start_date as start_date_a,
    activity_b.start_date as start_date_b,
    greatest(
        0,
        date_diff(
            'day',
            least(activity_a.effective_end, activity_b.effective_end),
            greatest(activity_a.start_date, activity_b.start_date)
        )
    ) as days_apart,
    coalesce(jaro_winkler_similarity(activity_a.title_key, activity_b.title_key), 0)
        as title_similarity,
    case
        when len(activity_a.compared_subjects) > 0 and len(activity_b.compared_subjects) > 0
            then
                len(list_intersect(activity_a.compared_subjects, activity_b.compared_subjects))
                / len(
                    list_distinct(
                        list_concat(activity_a.compared_subjects, activity_b.compared_subjects)
                    )
                )
    end as subject_similarity,
    activity_a.total_weight as word_weight_a,
    activity_b.total_weight as word_weight_b,
    activity_a.subjects as subjects_a,
    activity_b.subjects as subjects_b,
    activity_a.levels as levels_a,
    activity_b.levels as levels_b,
    (
        len(activity_a.levels) > 0
        and len(activity_b.levels) > 0
        and len(list_intersect(activity_a.levels, activity_b.levels)) = 0
    )
    -- two different numbered levels are two editions, whatever the catalogue's scheme
    or coalesce(activity_a.level_number != activity_b.level_number, false) as levels_conflict
from {{ ref('overlap_activities_described') }} as activity_a
inner join {{ ref('overlap_activities_described') }} as activity_b
    on
        activity_a.topic = activity_b.topic
        and activity_a.region = activity_b.region
        and activity_a.activity_key < activity_b.activity_key
        and activity_a.org_unit != activity_b.org_unit
        and activity_b.start_date <= activity_a.effective_end + {{ window }}
        and activity_a.start_date <= activity_b.effective_end + {{ window }}
