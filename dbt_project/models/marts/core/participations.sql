-- One row per participation: a participant record on an activity, with its outcomes on one
-- scale. NULL outcome = not recorded by the platform. Pseudonymous (no personal data).
with

participations as (

    select * from {{ ref('int_participations_unioned') }}

),

activities as (

    select activity_key from {{ ref('int_activities_classified') }}

),

keyed as (

    select
        participations.*,
        {{ participant_record_key('participations.platform', 'participations.source_record_key') }}
            as participant_record_key
    from participations
    inner join activities
        on participations.activity_key = activities.activity_key

)

select
    md5(activity_key || '|' || participant_record_key) as participation_key,
    activity_key,
    participant_record_key,
    platform,
    {{ code_label('platform', 'platform') }} as platform_label,
    registered,
    attended,
    completed,
    passed,
    certified,
    round(score_0_100, 2) as score_0_100,
    round(satisfaction_1_5, 2) as satisfaction_1_5
from keyed
