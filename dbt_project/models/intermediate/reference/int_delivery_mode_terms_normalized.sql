-- Platform delivery-format terms -> online_self_paced, online_live, in_person, hybrid, blended.
select distinct
    {{ normalize_key('term') }} as term_key,
    delivery_mode
from {{ ref('delivery_mode_terms') }}
where {{ normalize_key('term') }} is not null
