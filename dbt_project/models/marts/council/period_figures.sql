{{ config(schema='council', materialized='table') }}

-- Council figures over every range of years (period_from..period_to), so a report for any
-- period counts each person once: per bureau (and 'ALL') and per dimension ('overall', 'region',
-- 'participant_region', 'topic', 'activity_type', 'delivery_mode', 'gender') and category (a
-- code of the list the dimension names; 'ALL' for 'overall'). Small cells suppressed.

select
    period_from,
    period_to,
    bureau,
    {{ code_label('bureau', 'bureau') }} as bureau_label,
    dimension,
    {{ code_label('dimension', 'dimension') }} as dimension_label,
    category,
    {{ category_label('dimension', 'category') }} as category_label,
    {{ council_figure_columns() }}
from {{ ref('council_period_cells') }}
order by period_from, period_to, bureau, dimension, category
