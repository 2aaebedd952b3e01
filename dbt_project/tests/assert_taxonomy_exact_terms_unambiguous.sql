-- After normalization (case, accents, punctuation) an exact term maps to one code per kind.
select
    maps_to_kind,
    {{ normalize_key('term') }} as term_key,
    count(distinct code) as codes
from {{ ref('taxonomy_terms') }}
where match = 'exact'
group by maps_to_kind, term_key
having count(distinct code) > 1
