-- One row per participation that has a score: the best score on 0-100 and satisfaction on 1-5
-- of its measures, and whether any measure reached its pass mark. Read by every
-- int_<platform>__participations model.
select
    platform,
    source_activity_key,
    source_record_key,
    max(score_0_100) as score_0_100,
    max(satisfaction_1_5) as satisfaction_1_5,
    bool_or(passed_by_mark) as passed_by_mark
from {{ ref('int_scores_normalized') }}
group by platform, source_activity_key, source_record_key
