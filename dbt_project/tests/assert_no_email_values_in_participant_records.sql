-- No e-mail address leaks into the published record keys or organizations.
select
    participant_record_key,
    platform
from {{ ref('participant_records') }}
where
    regexp_matches(source_record_key, '[^@\s]+@[^@\s]+\.[a-z]{2,}', 'i')
    or regexp_matches(coalesce(organization, ''), '[^@\s]+@[^@\s]+\.[a-z]{2,}', 'i')
