{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of activity_overlaps, one row per candidate pair of overlap_pair_evidence
    whose evidence says one course given twice: its score (the weights of var overlap_weights,
    activity_overlaps says how) at least var overlap_min_score, its content_similarity at least
    var overlap_min_content, and no conflict of stated levels.
#}

{%- set window = var('overlap_window_days') -%}
{%- set weights = var('overlap_weights') -%}
{%- set min_score = var('overlap_min_score') -%}
{%- set min_content = var('overlap_min_content') -%}

with

scored as (

    select
        *,
        round(
            {{ weights['candidate'] }}
            + {{ weights['content'] }} * content_similarity
            + {{ weights['period'] }} * (1 - days_apart / {{ window if window > 0 else 1 }})
            + case when shared_participants > 0 then {{ weights['shared_participants'] }} else 0 end,
            3
        ) as score
    from {{ ref('overlap_pair_evidence') }}

)

select *
from scored
where
    score >= {{ min_score }}
    and content_similarity >= {{ min_content }}
    and not levels_conflict
