-- GS LRS (xAPI) participations: actor x activity over the non-voided statements about an
-- activity (statements about statements are no participation). registered / attended /
-- completed / earned by verb (an activity whose statements never say 'attended' or 'earned'
-- records neither: NULL); completion also by result.completion; passed = the platform's
-- verdict (passed / failed verb, result.success), else score >= pass mark.
-- Columns: the participation contract (_participations__models.yml).
with

statements as (

    select * from {{ ref('stg_gs_lrs__statements') }}
    where object_type = 'Activity' and object_id is not null and actor_key is not null

),

scores as (

    select * from {{ ref('int_scores_by_participation') }}
    where platform = 'gs_lrs'

),

verbs_used as (

    select
        object_id,
        bool_or(verb = 'attended') as records_attendance,
        bool_or(verb = 'earned') as records_certificates
    from statements
    group by object_id

),

participations as (

    select
        statements.object_id,
        statements.actor_key,
        bool_or(statements.verb = 'registered') as registered,
        case
            when any_value(verbs_used.records_attendance)
                then bool_or(statements.verb = 'attended')
        end as attended,
        bool_or(statements.verb = 'completed' or coalesce(statements.result_completion, false))
            as completed,
        case
            when bool_or(statements.verb = 'passed' or coalesce(statements.result_success, false))
                then true
            when bool_or(statements.verb = 'failed' or statements.result_success = false)
                then false
        end as passed_by_verb,
        case
            when any_value(verbs_used.records_certificates)
                then bool_or(statements.verb = 'earned')
        end as certified
    from statements
    inner join verbs_used
        on statements.object_id = verbs_used.object_id
    group by statements.object_id, statements.actor_key

)

select
    'gs_lrs:' || participations.object_id as activity_key,
    'gs_lrs' as platform,
    participations.object_id as source_activity_key,
    participations.actor_key as source_record_key,
    participations.registered,
    participations.attended,
    participations.completed,
    -- the platform's own verdict first, the pass mark only without one
    coalesce(participations.passed_by_verb, scores.passed_by_mark) as passed,
    participations.certified,
    scores.score_0_100,
    scores.satisfaction_1_5
from participations
left join scores
    on
        participations.object_id = scores.source_activity_key
        and participations.actor_key = scores.source_record_key
