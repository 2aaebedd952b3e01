-- depends_on: {{ ref('activities') }}, {{ ref('participations') }}, {{ ref('participant_records') }}
-- depends_on: {{ ref('platform_profile') }}, {{ ref('unmapped_terms') }}
-- The core schema publishes no names or e-mail addresses (columns checked by name; the
-- xAPI e-mail keys are hashed in participant_records.source_record_key).
select
    table_name,
    column_name
from information_schema.columns
where
    table_schema = 'core'
    and table_catalog = current_database()
    and regexp_matches(
        lower(column_name),
        '(e_?mail|mbox|first_?name|last_?name|full_?name|surname|given_?name|^name$|name_latin|^name_|user_?name)'
    )
