-- One row per participation (a participant record on an activity) across platforms, with the
-- outcome flags each platform records. NULL = the platform does not record it for this
-- activity (never "false by default").
--   academy: learners of a course (enrolled with a learner role, graded, completed or
--     certified); attended = accessed the course; completed = Moodle course completion;
--     passed = course total >= pass mark; certified = a custom certificate issued (false when
--     the course issues certificates and this learner has none).
--   tsb_events: registrations; attended as recorded.
--   br_seminars: participants of the latest workbook; attended = not absent ('ABS');
--     passed = exam >= pass mark (absent: false); certified = 'Certificat' Oui/Yes.
--   regional_offices: participant lines; satisfaction 1-5.
--   gs_lrs: actor x activity over non-voided statements; registered/attended/completed/
--     passed/failed/earned verbs, result.success and result.completion.
with

academy_courses as (

    select * from {{ ref('stg_academy__courses') }}

),

academy_enrolments as (

    select * from {{ ref('stg_academy__enrolled_users') }}

),

academy_grades as (

    select * from {{ ref('stg_academy__grades') }}

),

academy_completions as (

    select * from {{ ref('stg_academy__completions') }}

),

academy_customcerts as (

    select * from {{ ref('stg_academy__customcerts') }}

),

academy_certificates as (

    select * from {{ ref('stg_academy__certificates') }}

),

tsb_registrations as (

    select * from {{ ref('stg_tsb_events__registrations') }}

),

tsb_events as (

    select * from {{ ref('stg_tsb_events__events') }}

),

br_participants as (

    select * from {{ ref('stg_br_seminars__participants') }}

),

br_seminars as (

    select * from {{ ref('stg_br_seminars__seminars') }}

),

office_participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

xapi_statements as (

    select * from {{ ref('stg_gs_lrs__statements') }}
    where object_type = 'Activity' and object_id is not null and actor_key is not null

),

scores as (

    select * from {{ ref('int_scores_normalized') }}

),

-- academy ----------------------------------------------------------------------------------
academy_issued as (

    select
        academy_customcerts.course_id,
        academy_certificates.user_id,
        min(academy_certificates.issued_at) as certified_at
    from academy_certificates
    inner join academy_customcerts
        on academy_certificates.customcert_id = academy_customcerts.customcert_id
    group by academy_customcerts.course_id, academy_certificates.user_id

),

academy_certifying_courses as (

    select distinct course_id from academy_customcerts

),

academy_pairs as (

    select
        course_id,
        user_id
    from academy_enrolments
    where is_learner
    union
    select
        course_id,
        user_id
    from academy_grades
    union
    select
        course_id,
        user_id
    from academy_completions
    union
    select
        course_id,
        user_id
    from academy_issued

),

academy as (

    select
        'academy' as platform,
        cast(academy_pairs.course_id as varchar) as source_activity_key,
        cast(academy_pairs.user_id as varchar) as source_record_key,
        true as registered,
        case
            when academy_enrolments.user_id is not null
                then academy_enrolments.last_course_access_at is not null
        end as attended,
        academy_completions.is_completed as completed,
        academy_certifying_courses.course_id is not null as course_certifies,
        academy_issued.user_id is not null as has_certificate
    from academy_pairs
    -- only real courses (the site course and unknown courses drop out)
    inner join academy_courses
        on academy_pairs.course_id = academy_courses.course_id
    left join academy_enrolments
        on
            academy_pairs.course_id = academy_enrolments.course_id
            and academy_pairs.user_id = academy_enrolments.user_id
    left join academy_completions
        on
            academy_pairs.course_id = academy_completions.course_id
            and academy_pairs.user_id = academy_completions.user_id
    left join academy_issued
        on
            academy_pairs.course_id = academy_issued.course_id
            and academy_pairs.user_id = academy_issued.user_id
    left join academy_certifying_courses
        on academy_pairs.course_id = academy_certifying_courses.course_id
    -- teachers and managers are not participants
    where coalesce(academy_enrolments.is_learner, true)

),

academy_final as (

    select
        platform,
        source_activity_key,
        source_record_key,
        registered,
        attended,
        completed,
        case
            when has_certificate then true
            when course_certifies then false
        end as certified
    from academy

),

-- tsb_events -------------------------------------------------------------------------------
tsb as (

    select
        'tsb_events' as platform,
        tsb_registrations.event_id as source_activity_key,
        tsb_registrations.source_record_key,
        true as registered,
        tsb_registrations.attended,
        cast(null as boolean) as completed,
        cast(null as boolean) as certified
    from tsb_registrations
    inner join tsb_events
        on tsb_registrations.event_id = tsb_events.event_id

),

-- br_seminars ------------------------------------------------------------------------------
br as (

    select
        'br_seminars' as platform,
        br_participants.seminar_key as source_activity_key,
        br_participants.source_record_key,
        true as registered,
        not br_participants.is_exam_absent as attended,
        cast(null as boolean) as completed,
        br_participants.is_certified as certified
    from br_participants
    inner join br_seminars
        on br_participants.seminar_key = br_seminars.seminar_key

),

-- regional_offices -------------------------------------------------------------------------
regional as (

    select
        'regional_offices' as platform,
        source_activity_key,
        source_record_key,
        true as registered,
        cast(null as boolean) as attended,
        cast(null as boolean) as completed,
        cast(null as boolean) as certified
    from office_participants

),

-- gs_lrs -----------------------------------------------------------------------------------
xapi_verbs_used as (

    select
        object_id,
        bool_or(verb = 'attended') as records_attendance,
        bool_or(verb = 'earned') as records_certificates
    from xapi_statements
    group by object_id

),

gs as (

    select
        'gs_lrs' as platform,
        xapi_statements.object_id as source_activity_key,
        xapi_statements.actor_key as source_record_key,
        bool_or(xapi_statements.verb = 'registered') as registered,
        case
            when any_value(xapi_verbs_used.records_attendance)
                then bool_or(xapi_statements.verb = 'attended')
        end as attended,
        bool_or(xapi_statements.verb = 'completed' or coalesce(xapi_statements.result_completion, false))
            as completed,
        case
            when bool_or(xapi_statements.verb = 'passed' or coalesce(xapi_statements.result_success, false))
                then true
            when bool_or(xapi_statements.verb = 'failed' or xapi_statements.result_success = false)
                then false
        end as passed_by_verb,
        case
            when any_value(xapi_verbs_used.records_certificates)
                then bool_or(xapi_statements.verb = 'earned')
        end as certified
    from xapi_statements
    inner join xapi_verbs_used
        on xapi_statements.object_id = xapi_verbs_used.object_id
    group by xapi_statements.object_id, xapi_statements.actor_key

),

unioned as (

    select
        *,
        cast(null as boolean) as passed_by_verb
    from academy_final
    union all by name
    select
        *,
        cast(null as boolean) as passed_by_verb
    from tsb
    union all by name
    select
        *,
        cast(null as boolean) as passed_by_verb
    from br
    union all by name
    select
        *,
        cast(null as boolean) as passed_by_verb
    from regional
    union all by name
    select * from gs

),

assessed as (

    select
        platform,
        source_activity_key,
        source_record_key,
        max(score_0_100) as score_0_100,
        max(satisfaction_1_5) as satisfaction_1_5,
        bool_or(passed_by_mark) as passed_by_mark
    from scores
    group by platform, source_activity_key, source_record_key

),

br_absent as (

    select
        source_record_key,
        is_exam_absent
    from br_participants

)

select
    unioned.platform || ':' || unioned.source_activity_key as activity_key,
    unioned.platform,
    unioned.source_activity_key,
    unioned.source_record_key,
    unioned.registered,
    unioned.attended,
    unioned.completed,
    case
        -- the platform's own verdict first (xAPI success / passed / failed)
        when unioned.passed_by_verb is not null then unioned.passed_by_verb
        -- absent from the BR exam: not passed
        when br_absent.is_exam_absent then false
        else assessed.passed_by_mark
    end as passed,
    unioned.certified,
    assessed.score_0_100,
    assessed.satisfaction_1_5
from unioned
left join assessed
    on
        unioned.platform = assessed.platform
        and unioned.source_activity_key = assessed.source_activity_key
        and unioned.source_record_key = assessed.source_record_key
left join br_absent
    on unioned.platform = 'br_seminars' and unioned.source_record_key = br_absent.source_record_key
