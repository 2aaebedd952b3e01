{{ config(schema='council', materialized='table') }}

-- Council headline figures per year and bureau; bureau 'ALL' ("All bureaux") is every bureau
-- together (people counted once even when trained by several bureaux). Small cells suppressed
-- (council_headline_cells).

select
    year,
    bureau,
    {{ code_label('bureau', 'bureau') }} as bureau_label,
    activities,
    participations,
    people_trained,
    completions,
    certificates,
    completion_rate,
    pass_rate,
    avg_satisfaction_1_5,
    developing_share,
    ldc_lldc_sids_share,
    women_share,
    suppressed,
    partially_suppressed
from {{ ref('council_headline_cells') }}
order by year, bureau
