-- BR seminars participations: the participants of a known seminar's latest workbook.
-- attended = not absent from the exam ('ABS'); passed = exam >= pass mark, and false when
-- absent; certified = 'Certificat' Oui/Yes.
-- Columns: the participation contract (_participations__models.yml).
with

participants as (

    select * from {{ ref('stg_br_seminars__participants') }}

),

seminars as (

    select * from {{ ref('stg_br_seminars__seminars') }}

),

scores as (

    select * from {{ ref('int_scores_by_participation') }}
    where platform = 'br_seminars'

)

select
    'br_seminars:' || participants.seminar_key as activity_key,
    'br_seminars' as platform,
    participants.seminar_key as source_activity_key,
    participants.source_record_key,
    true as registered,
    not participants.is_exam_absent as attended,
    cast(null as boolean) as completed,
    -- absent from the exam: not passed, whatever a score says
    case
        when participants.is_exam_absent then false
        else scores.passed_by_mark
    end as passed,
    participants.is_certified as certified,
    scores.score_0_100,
    scores.satisfaction_1_5
from participants
inner join seminars
    on participants.seminar_key = seminars.seminar_key
left join scores
    on
        participants.seminar_key = scores.source_activity_key
        and participants.source_record_key = scores.source_record_key
