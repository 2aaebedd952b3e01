-- Gender answers of every platform under their normalized key -> F, M, X or unknown.
select distinct
    {{ normalize_key('raw_value') }} as raw_key,
    gender
from {{ ref('gender_codes') }}
where {{ normalize_key('raw_value') }} is not null
