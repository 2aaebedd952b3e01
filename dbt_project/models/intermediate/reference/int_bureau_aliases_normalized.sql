-- Bureau names and codes -> BDT, BR, TSB, GS.
select distinct
    {{ normalize_key('alias') }} as alias_key,
    bureau
from {{ ref('bureau_aliases') }}
where {{ normalize_key('alias') }} is not null
