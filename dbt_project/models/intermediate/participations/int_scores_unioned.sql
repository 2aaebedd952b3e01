-- Every assessment score and satisfaction score as the platform records it, one row per
-- participation and measure: the value with the range it was given on (if the record says).
with

academy_grades as (

    select * from {{ ref('stg_academy__grades') }}

),

br_participants as (

    select * from {{ ref('stg_br_seminars__participants') }}

),

office_participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

xapi_statements as (

    select * from {{ ref('stg_gs_lrs__statements') }}
    where
        object_type = 'Activity'
        and (result_score_raw is not null or result_score_scaled is not null)

),

academy as (

    select
        'academy' as platform,
        cast(course_id as varchar) as source_activity_key,
        cast(user_id as varchar) as source_record_key,
        'course_grade' as measure,
        grade_raw as score_value,
        grade_min as score_min,
        grade_max as score_max
    from academy_grades
    where grade_raw is not null

),

br as (

    select
        'br_seminars' as platform,
        seminar_key as source_activity_key,
        source_record_key,
        'exam' as measure,
        exam_score as score_value,
        cast(null as double) as score_min,
        cast(null as double) as score_max
    from br_participants
    where exam_score is not null

),

regional as (

    select
        'regional_offices' as platform,
        source_activity_key,
        source_record_key,
        'satisfaction' as measure,
        satisfaction_score as score_value,
        cast(null as double) as score_min,
        cast(null as double) as score_max
    from office_participants
    where satisfaction_score is not null

),

-- xAPI: the latest scored statement of each actor on each activity; raw on the statement's
-- own min/max when it gives them, else the scaled score
gs as (

    select
        'gs_lrs' as platform,
        object_id as source_activity_key,
        actor_key as source_record_key,
        case
            when result_score_raw is not null and result_score_max > result_score_min
                then 'score_raw'
            else 'score_scaled'
        end as measure,
        case
            when result_score_raw is not null and result_score_max > result_score_min
                then result_score_raw
            else result_score_scaled
        end as score_value,
        case
            when result_score_raw is not null and result_score_max > result_score_min
                then result_score_min
        end as score_min,
        case
            when result_score_raw is not null and result_score_max > result_score_min
                then result_score_max
        end as score_max
    from xapi_statements
    where (result_score_raw is not null and result_score_max > result_score_min) or result_score_scaled is not null
    qualify
        row_number() over (
            partition by object_id, actor_key order by statement_timestamp desc, stored_at desc, statement_id desc
        ) = 1

)

select * from academy
union all
select * from br
union all
select * from regional
union all
select * from gs
