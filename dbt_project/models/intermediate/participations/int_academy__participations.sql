-- ITU Academy (Moodle) participations: the learners of a course - enrolled with a learner
-- role, graded, completed or certified; teachers, managers, the site course and unknown
-- courses drop out. attended = accessed the course (NULL without an enrolment); completed =
-- Moodle course completion; passed = course total >= pass mark; certified = a custom
-- certificate issued (false only when the course issues certificates and this learner has
-- none). Columns: the participation contract (_participations__models.yml).
with

courses as (

    select * from {{ ref('stg_academy__courses') }}

),

enrolments as (

    select * from {{ ref('stg_academy__enrolled_users') }}

),

grades as (

    select * from {{ ref('stg_academy__grades') }}

),

completions as (

    select * from {{ ref('stg_academy__completions') }}

),

customcerts as (

    select * from {{ ref('stg_academy__customcerts') }}

),

certificates as (

    select * from {{ ref('stg_academy__certificates') }}

),

scores as (

    select * from {{ ref('int_scores_by_participation') }}
    where platform = 'academy'

),

issued as (

    select
        customcerts.course_id,
        certificates.user_id
    from certificates
    inner join customcerts
        on certificates.customcert_id = customcerts.customcert_id
    group by customcerts.course_id, certificates.user_id

),

certifying_courses as (

    select distinct course_id from customcerts

),

pairs as (

    select
        course_id,
        user_id
    from enrolments
    where is_learner
    union
    select
        course_id,
        user_id
    from grades
    union
    select
        course_id,
        user_id
    from completions
    union
    select
        course_id,
        user_id
    from issued

)

select
    'academy:' || cast(pairs.course_id as varchar) as activity_key,
    'academy' as platform,
    cast(pairs.course_id as varchar) as source_activity_key,
    cast(pairs.user_id as varchar) as source_record_key,
    true as registered,
    case
        when enrolments.user_id is not null
            then enrolments.last_course_access_at is not null
    end as attended,
    completions.is_completed as completed,
    scores.passed_by_mark as passed,
    case
        when issued.user_id is not null then true
        when certifying_courses.course_id is not null then false
    end as certified,
    scores.score_0_100,
    scores.satisfaction_1_5
from pairs
-- only real courses (the site course and unknown courses drop out)
inner join courses
    on pairs.course_id = courses.course_id
left join enrolments
    on
        pairs.course_id = enrolments.course_id
        and pairs.user_id = enrolments.user_id
left join completions
    on
        pairs.course_id = completions.course_id
        and pairs.user_id = completions.user_id
left join issued
    on
        pairs.course_id = issued.course_id
        and pairs.user_id = issued.user_id
left join certifying_courses
    on pairs.course_id = certifying_courses.course_id
left join scores
    on
        cast(pairs.course_id as varchar) = scores.source_activity_key
        and cast(pairs.user_id as varchar) = scores.source_record_key
-- teachers and managers are not participants
where coalesce(enrolments.is_learner, true)
