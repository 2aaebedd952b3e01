-- One row per participant record (platform + the platform's own record key) that takes part
-- in at least one participation, with the attributes identity resolution compares: the
-- int_<platform>__participant_records models, which share one column contract
-- (_participants__models.yml). Personal data: intermediate only, never published.
select * from {{ ref('int_academy__participant_records') }}
union all by name
select * from {{ ref('int_tsb_events__participant_records') }}
union all by name
select * from {{ ref('int_br_seminars__participant_records') }}
union all by name
select * from {{ ref('int_regional_offices__participant_records') }}
union all by name
select * from {{ ref('int_gs_lrs__participant_records') }}
