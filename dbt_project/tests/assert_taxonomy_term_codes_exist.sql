-- Every taxonomy term maps to a code of its vocabulary (activity types or topics).
select
    terms.term,
    terms.maps_to_kind,
    terms.code
from {{ ref('taxonomy_terms') }} as terms
left join {{ ref('taxonomy_activity_types') }} as activity_types
    on terms.maps_to_kind = 'activity_type' and terms.code = activity_types.code
left join {{ ref('taxonomy_topics') }} as topics
    on terms.maps_to_kind = 'topic' and terms.code = topics.code
where activity_types.code is null and topics.code is null
