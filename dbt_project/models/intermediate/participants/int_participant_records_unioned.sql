-- One row per participant record (platform + the platform's own record key) that takes part
-- in at least one participation, with the attributes identity resolution compares: names
-- (as given, and normalized), the Latin transliteration given by the CIS / Arab States
-- exports, e-mail (lower case, local part, domain), country (ISO alpha-2), organization.
-- Holds personal data: intermediate only, never published (the Splink step reads it).
--   source_record_key: academy = Moodle user id; tsb_events = registration_id;
--   br_seminars = <seminar_key>:<N°>; regional_offices = <office>:<file stem>:<row number>;
--   gs_lrs = the actor's mbox ('mailto:...') or <account homePage>|<account name>.
with

participations as (

    select distinct
        platform,
        source_record_key
    from {{ ref('int_participations_unioned') }}

),

academy_enrolments as (

    select * from {{ ref('stg_academy__enrolled_users') }}

),

academy_certificates as (

    select * from {{ ref('stg_academy__certificates') }}

),

academy_grades as (

    select * from {{ ref('stg_academy__grades') }}

),

tsb_registrations as (

    select * from {{ ref('stg_tsb_events__registrations') }}

),

br_participants as (

    select * from {{ ref('stg_br_seminars__participants') }}

),

office_participants as (

    select * from {{ ref('stg_regional_offices__participants') }}

),

xapi_statements as (

    select * from {{ ref('stg_gs_lrs__statements') }}

),

country_aliases as (

    select * from {{ ref('int_country_aliases_normalized') }}

),

gender_codes as (

    select * from {{ ref('int_gender_codes_normalized') }}

),

-- a Moodle user's latest profile (any course), else the certificate's or the grade report's
-- user fields
academy_profiles as (

    select
        'academy' as platform,
        source_record_key,
        full_name,
        first_name,
        last_name,
        cast(null as varchar) as name_latin,
        email,
        country_raw,
        gender_raw,
        institution as organization,
        cast(null as varchar) as organization_type,
        city,
        1 as source_priority,
        _loaded_at
    from academy_enrolments
    union all
    select
        'academy' as platform,
        cast(user_id as varchar) as source_record_key,
        user_full_name as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        user_email as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city,
        2 as source_priority,
        _loaded_at
    from academy_certificates
    union all
    select
        'academy' as platform,
        cast(user_id as varchar) as source_record_key,
        nullif(trim(user_full_name), '') as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        cast(null as varchar) as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city,
        3 as source_priority,
        _loaded_at
    from academy_grades

),

academy as (

    select * exclude (source_priority, _loaded_at)
    from academy_profiles
    qualify
        row_number() over (
            partition by source_record_key
            order by source_priority asc, _loaded_at desc, email asc nulls last, full_name asc nulls last
        ) = 1

),

tsb as (

    select
        'tsb_events' as platform,
        source_record_key,
        nullif(trim(concat_ws(' ', first_name, last_name)), '') as full_name,
        first_name,
        last_name,
        cast(null as varchar) as name_latin,
        email,
        country_raw,
        gender_raw,
        organization,
        organization_type,
        cast(null as varchar) as city
    from tsb_registrations

),

br as (

    select
        'br_seminars' as platform,
        source_record_key,
        nullif(trim(concat_ws(' ', first_name, last_name)), '') as full_name,
        first_name,
        last_name,
        cast(null as varchar) as name_latin,
        email,
        country_raw,
        gender_raw,
        organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from br_participants

),

regional as (

    select
        'regional_offices' as platform,
        source_record_key,
        coalesce(full_name, nullif(trim(concat_ws(' ', first_name, last_name)), '')) as full_name,
        first_name,
        last_name,
        name_latin,
        email,
        country_raw,
        gender_raw,
        organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from office_participants

),

gs as (

    select
        'gs_lrs' as platform,
        actor_key as source_record_key,
        arg_max(actor_name, statement_timestamp) filter (where actor_name is not null) as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        any_value(actor_email) as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from xapi_statements
    where actor_key is not null
    group by actor_key

),

records as (

    select * from academy
    union all
    select * from tsb
    union all
    select * from br
    union all
    select * from regional
    union all
    select * from gs

)

select
    participations.platform,
    participations.source_record_key,
    records.full_name,
    records.first_name,
    records.last_name,
    records.name_latin,
    {{ normalize_text('records.full_name') }} as name_normalized,
    {{ normalize_text('records.first_name') }} as first_name_normalized,
    {{ normalize_text('records.last_name') }} as last_name_normalized,
    {{ normalize_text('records.name_latin') }} as name_latin_normalized,
    -- a Latin-script form of the name for cross-script comparison: the transliteration given,
    -- else the name itself when it is written in Latin script
    coalesce(
        {{ normalize_text('records.name_latin') }},
        case
            when not regexp_matches(records.full_name, '[\p{Cyrillic}\p{Arabic}\p{Han}]')
                then {{ normalize_text('records.full_name') }}
        end
    ) as name_latin_or_native,
    records.email,
    nullif(split_part(records.email, '@', 1), '') as email_local,
    nullif(lower(split_part(records.email, '@', 2)), '') as email_domain,
    records.country_raw,
    country_aliases.iso2 as country,
    records.gender_raw,
    case
        when {{ normalize_key('records.gender_raw') }} is null then 'unknown'
        else coalesce(gender_codes.gender, 'unknown')
    end as gender,
    gender_codes.raw_key is not null or {{ normalize_key('records.gender_raw') }} is null as is_gender_mapped,
    records.organization,
    {{ normalize_key('records.organization') }} as organization_normalized,
    records.organization_type,
    records.city
from participations
left join records
    on participations.platform = records.platform and participations.source_record_key = records.source_record_key
left join country_aliases
    on {{ normalize_key('records.country_raw') }} = country_aliases.alias_key
left join gender_codes
    on {{ normalize_key('records.gender_raw') }} = gender_codes.raw_key
