-- Private tier (never published): every personal value the warehouse knows, lower-cased, for
-- the value scan that runs before each publish (ingestion/publish/scan.py). A published file
-- holding any of them is refused. Values short or common enough to occur by chance in
-- non-personal columns (a single given name, a small numeric id) are left out: the scan would
-- refuse every night without protecting anyone.
with

records as (

    select * from {{ ref('int_participant_records_unioned') }}

),

usernames as (

    select distinct username from {{ ref('stg_academy__enrolled_users') }}

),

candidates as (

    select 'full_name' as kind, full_name as value from records
    union all
    select 'full_name', concat_ws(' ', first_name, last_name) from records
    union all
    select 'full_name', concat_ws(' ', last_name, first_name) from records
    union all
    select 'full_name', name_latin from records
    union all
    select 'email', email from records
    union all
    select 'email_local', email_local from records
    union all
    select 'username', username from usernames
    union all
    select 'platform_id', source_record_key from records

),

cleaned as (

    select distinct
        kind,
        regexp_replace(lower(trim(value)), '\s+', ' ', 'g') as value
    from candidates
    where value is not null

)

select
    kind,
    value
from cleaned
where
    case kind
        when 'full_name' then length(value) >= 5 and contains(value, ' ')
        when 'email' then contains(value, '@')
        -- a local part alone is personal when it names someone (given.family), not "info"
        when 'email_local' then length(value) >= 6 and regexp_matches(value, '[._-]')
        when 'username' then length(value) >= 4 and not regexp_matches(value, '^[0-9]+$')
        -- platform ids: long enough that a match is no coincidence
        else length(value) >= 6 and not regexp_matches(value, '^[0-9]{1,7}$')
    end
