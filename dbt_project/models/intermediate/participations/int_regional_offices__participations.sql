-- Regional offices participations: one per participant line of an activity file. The files
-- record no attendance, completion or certificate (NULL); satisfaction 1-5 where a form gives it.
-- Columns: the participation contract (_participations__models.yml).
with

participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

scores as (

    select * from {{ ref('int_scores_by_participation') }}
    where platform = 'regional_offices'

)

select
    'regional_offices:' || participants.source_activity_key as activity_key,
    'regional_offices' as platform,
    participants.source_activity_key,
    participants.source_record_key,
    true as registered,
    cast(null as boolean) as attended,
    cast(null as boolean) as completed,
    scores.passed_by_mark as passed,
    cast(null as boolean) as certified,
    scores.score_0_100,
    scores.satisfaction_1_5
from participants
left join scores
    on
        participants.source_activity_key = scores.source_activity_key
        and participants.source_record_key = scores.source_record_key
