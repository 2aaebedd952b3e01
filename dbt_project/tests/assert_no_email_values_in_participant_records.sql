-- No e-mail address leaks into the published organizations.
select
    participant_record_key,
    platform
from {{ ref('participant_records') }}
where
    regexp_matches(coalesce(organization, ''), '[^@\s]+@[^@\s]+\.[a-z]{2,}', 'i')
