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

    select
        'full_name' as kind,
        full_name as personal_value
    from records
    union all
    select
        'full_name' as kind,
        concat_ws(' ', first_name, last_name) as personal_value
    from records
    union all
    select
        'full_name' as kind,
        concat_ws(' ', last_name, first_name) as personal_value
    from records
    union all
    select
        'full_name' as kind,
        name_latin as personal_value
    from records
    union all
    select
        'email' as kind,
        email as personal_value
    from records
    union all
    select
        'email_local' as kind,
        email_local as personal_value
    from records
    union all
    select
        'username' as kind,
        username as personal_value
    from usernames
    union all
    select
        'platform_id' as kind,
        source_record_key as personal_value
    from records

),

cleaned as (

    select distinct
        kind,
        regexp_replace(lower(trim(personal_value)), '\s+', ' ', 'g') as personal_value
    from candidates
    where personal_value is not null

)

select
    kind,
    personal_value
from cleaned
where
    case kind
        when 'full_name' then length(personal_value) >= 5 and contains(personal_value, ' ')
        when 'email' then contains(personal_value, '@')
        -- a local part alone is personal when it names someone (given.family), not "info"
        when 'email_local' then length(personal_value) >= 6 and regexp_matches(personal_value, '[._-]')
        when 'username' then length(personal_value) >= 4 and not regexp_matches(personal_value, '^[0-9]+$')
        -- platform ids: long enough that a match is no coincidence
        else length(personal_value) >= 6 and not regexp_matches(personal_value, '^[0-9]{1,7}$')
    end
