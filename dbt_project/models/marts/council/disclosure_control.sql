{{ config(schema='council', materialized='table') }}

-- The rules the Council figures were published under (docs/council.md), one row, so that a
-- reader of the file, and the disclosure auditor (ingestion/publish/disclosure/audit.py), read the
-- figures the way they were made.

select
    {{ var('council_min_cell_size') }} as min_cell_size,
    {{ var('council_min_cell_size') }} as count_rounding_base,
    -- people_by_group publishes people rounded (the exact people are the other tables')
    {{ var('council_min_cell_size') }} as crossed_people_rounding_base,
    -- the gender codes women_share is a share of: F / (F + M)
    'F, M' as women_share_denominator
