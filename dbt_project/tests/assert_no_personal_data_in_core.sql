-- depends_on: {{ ref('activities') }}, {{ ref('participations') }}, {{ ref('participant_records') }}
-- depends_on: {{ ref('platform_profile') }}, {{ ref('unmapped_terms') }}
-- The core schema publishes no names, e-mail addresses or platform record keys (columns
-- checked by name; values are scanned before every publish, ingestion/publish/scan.py).
select
    table_name,
    column_name
from information_schema.columns
where
    table_schema = 'core'
    and table_catalog = current_database()
    and regexp_matches(
        lower(column_name),
        '(e_?mail|mbox|source_record_key|first_?name|last_?name|full_?name|surname|given_?name|^name$|name_latin|^name_|user_?name)'
    )
