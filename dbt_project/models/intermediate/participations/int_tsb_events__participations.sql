-- TSB events participations: one per registration of a known event (registrations of an
-- event that has not landed yet wait for it); attended as recorded, NULL when not recorded.
-- Columns: the participation contract (_participations__models.yml).
with

registrations as (

    select * from {{ ref('stg_tsb_events__registrations') }}

),

events as (

    select * from {{ ref('stg_tsb_events__events') }}

),

scores as (

    select * from {{ ref('int_scores_by_participation') }}
    where platform = 'tsb_events'

)

select
    'tsb_events:' || registrations.event_id as activity_key,
    'tsb_events' as platform,
    registrations.event_id as source_activity_key,
    registrations.source_record_key,
    true as registered,
    registrations.attended,
    cast(null as boolean) as completed,
    scores.passed_by_mark as passed,
    cast(null as boolean) as certified,
    scores.score_0_100,
    scores.satisfaction_1_5
from registrations
inner join events
    on registrations.event_id = events.event_id
left join scores
    on
        registrations.event_id = scores.source_activity_key
        and registrations.source_record_key = scores.source_record_key
