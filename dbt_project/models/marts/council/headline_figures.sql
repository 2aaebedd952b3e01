{{ config(schema='council', materialized='table') }}

-- Council headline figures per year and bureau; bureau 'ALL' ("All bureaux") is every bureau
-- together (people counted once even when trained by several bureaux). Small cells suppressed
-- (council_headline_cells).

select
    year,
    bureau,
    {{ code_label('bureau', 'bureau') }} as bureau_label,
    {{ council_figure_columns() }}
from {{ ref('council_headline_cells') }}
order by year, bureau
