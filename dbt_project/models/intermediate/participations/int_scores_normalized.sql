-- Scores on one scale (assessment_scales seed):
--   assessments -> score_0_100: linear map of [min, max] onto [0, 100], clipped; the range
--     is the record's own (Moodle grade item min/max, xAPI raw min/max) or the scale's default;
--     passed_by_mark: score_0_100 >= the scale's pass mark mapped onto 0-100.
--   satisfaction -> satisfaction_1_5: linear map of [min, max] onto [1, 5].
-- A measure without a row in assessment_scales (or a degenerate range) gives NULL.
with

scores as (

    select * from {{ ref('int_scores_unioned') }}

),

scales as (

    select * from {{ ref('assessment_scales') }}

),

joined as (

    select
        scores.platform,
        scores.source_activity_key,
        scores.source_record_key,
        scores.measure,
        scores.score_value,
        coalesce(scores.score_min, scales.scale_min) as range_min,
        coalesce(scores.score_max, scales.scale_max) as range_max,
        scales.scale_min,
        scales.scale_max,
        scales.pass_mark,
        scales.measure is not null as is_known_measure
    from scores
    left join scales
        on scores.platform = scales.platform and scores.measure = scales.measure

)

select
    platform,
    source_activity_key,
    source_record_key,
    measure,
    score_value,
    range_min,
    range_max,
    case
        when measure != 'satisfaction' and is_known_measure
            then {{ normalize_score('score_value', 'range_min', 'range_max') }}
    end as score_0_100,
    case
        when measure = 'satisfaction' and is_known_measure
            then 1 + 4 * {{ normalize_score('score_value', 'range_min', 'range_max') }} / 100
    end as satisfaction_1_5,
    case
        when measure != 'satisfaction' and is_known_measure and pass_mark is not null
            then
                {{ normalize_score('score_value', 'range_min', 'range_max') }}
                >= coalesce({{ normalize_score('pass_mark', 'scale_min', 'scale_max') }}, pass_mark)
    end as passed_by_mark
from joined
