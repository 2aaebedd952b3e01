-- Every code list of the warehouse in one table: one row per vocabulary and code, with its
-- English label. Read from the seeds that own each list (the taxonomy, countries, org_units)
-- and, for the lists with no seed of their own, the vocabularies seed. The marts take their
-- <code>_label columns from here through the code_label / code_labels macros.
with

org_units as (

    select * from {{ ref('org_units') }}

)

select
    'activity_type' as vocabulary,
    code,
    label_en
from {{ ref('taxonomy_activity_types') }}
union all
select
    'topic' as vocabulary,
    code,
    label_en
from {{ ref('taxonomy_topics') }}
union all
select
    'country' as vocabulary,
    iso2 as code,
    name_en as label_en
from {{ ref('countries') }}
union all
select distinct
    'org_unit' as vocabulary,
    org_unit as code,
    org_unit_name as label_en
from org_units
union all
select
    'office' as vocabulary,
    office as code,
    org_unit_name as label_en
from org_units
where office is not null
union all
-- a bureau is named by its headquarters unit (the org_unit that bears the bureau's code)
select distinct
    'bureau' as vocabulary,
    bureau as code,
    org_unit_name as label_en
from org_units
where org_unit = bureau
union all
select
    vocabulary,
    code,
    label_en
from {{ ref('vocabularies') }}
