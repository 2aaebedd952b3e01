-- Region names (six languages, abbreviations) -> ITU region; is_global for 'World' & co.
select distinct
    {{ normalize_key('alias') }} as alias_key,
    nullif(trim(itu_region), '') as itu_region,
    nullif(trim(itu_region), '') is null as is_global
from {{ ref('region_aliases') }}
where {{ normalize_key('alias') }} is not null
