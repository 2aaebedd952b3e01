{{ config(schema='council', materialized='table') }}

-- Duplication between bureaux over all the years the warehouse holds, per bureau pair and
-- topic ('ALL' x 'ALL' = every pair together): the rows of duplication_by_period whose period
-- is the whole range.

with

full_range as (

    select
        min(period_from) as period_from,
        max(period_to) as period_to
    from {{ ref('council_periods') }}

)

select
    duplication.bureau_a,
    {{ code_label('bureau', 'duplication.bureau_a') }} as bureau_a_label,
    duplication.bureau_b,
    {{ code_label('bureau', 'duplication.bureau_b') }} as bureau_b_label,
    duplication.topic,
    {{ code_label('topic', 'duplication.topic') }} as topic_label,
    duplication.first_year,
    duplication.last_year,
    duplication.overlapping_pairs,
    duplication.activities_a,
    duplication.activities_b,
    duplication.catalogue_share_a,
    duplication.catalogue_share_b,
    duplication.avg_overlap_score,
    duplication.shared_participants,
    duplication.suppressed
from {{ ref('council_duplication') }} as duplication
inner join full_range
    on
        duplication.period_from = full_range.period_from
        and duplication.period_to = full_range.period_to
order by duplication.bureau_a, duplication.bureau_b, duplication.topic
