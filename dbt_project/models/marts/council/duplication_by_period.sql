{{ config(schema='council', materialized='table') }}

-- Duplication between bureaux for every range of years: overlapping activities and shared
-- participants per bureau pair and topic ('ALL' x 'ALL' = every pair together).

select
    period_from,
    period_to,
    bureau_a,
    {{ code_label('bureau', 'bureau_a') }} as bureau_a_label,
    bureau_b,
    {{ code_label('bureau', 'bureau_b') }} as bureau_b_label,
    topic,
    {{ code_label('topic', 'topic') }} as topic_label,
    overlapping_pairs,
    activities_a,
    activities_b,
    catalogue_share_a,
    catalogue_share_b,
    avg_overlap_score,
    shared_participants,
    suppressed
from {{ ref('council_duplication') }}
order by period_from, period_to, bureau_a, bureau_b, topic
