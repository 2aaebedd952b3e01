-- One row per participation (participant record x activity) across platforms: the
-- int_<platform>__participations models, which share one column contract
-- (_participations__models.yml). A new platform adds its model here.
select * from {{ ref('int_academy__participations') }}
union all by name
select * from {{ ref('int_tsb_events__participations') }}
union all by name
select * from {{ ref('int_br_seminars__participations') }}
union all by name
select * from {{ ref('int_regional_offices__participations') }}
union all by name
select * from {{ ref('int_gs_lrs__participations') }}
