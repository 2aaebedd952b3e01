-- The one shape identity resolution links (int_participant_clusters, a Python model, reads
-- only this): one row per participant record, keyed record_id = platform|source_record_key,
-- with every identity attribute nullable. Platform-specific extraction happens here, so the
-- Python side knows no platform:
--   * account_key "<site host>|<login>": the Moodle username of an Academy record, and the
--     {homePage, name} account of an xAPI actor (an LRS fed by the Academy identifies its
--     learners by their Academy login);
--   * an xAPI account whose name is an e-mail address gives its record that e-mail.
-- Attributes no platform delivers today (date of birth, street address, postcode, phone) are typed nulls: the
-- resolver leaves their comparisons out while they are empty. Personal data: intermediate only.
{%- set academy_host = var('academy_site_url') | replace("'", "") %}
with

records as (

    select * from {{ ref('int_participant_records_unioned') }}
    where platform is not null and source_record_key is not null

),

moodle_logins as (

    select
        source_record_key,
        min(lower(trim(username))) as username
    from {{ ref('stg_academy__enrolled_users') }}
    where nullif(trim(username), '') is not null
    group by source_record_key

),

xapi_accounts as (

    -- actor keys of the LRS are '<account homePage>|<account name>' or 'mailto:<address>'
    select
        platform,
        source_record_key,
        lower(regexp_extract(source_record_key, '^[a-zA-Z][a-zA-Z0-9+.-]*://([^/|:]+)', 1)) as account_site,
        regexp_extract(source_record_key, '^[^|]*\|(.*)$', 1) as account_login
    from records
    where platform = 'gs_lrs' and source_record_key not like 'mailto:%'

),

academy_site as (

    select lower(regexp_extract('{{ academy_host }}', '://([^/|:]+)', 1)) as site_host

)

select
    records.platform || '|' || records.source_record_key as record_id,
    records.platform,
    records.source_record_key,
    records.name_latin,
    records.full_name,
    records.first_name,
    records.last_name,
    coalesce(
        records.email,
        case when xapi_accounts.account_login like '%_@_%.%' then xapi_accounts.account_login end
    ) as email,
    records.country,
    records.organization,
    case
        when moodle_logins.username is not null and academy_site.site_host != ''
            then academy_site.site_host || '|' || moodle_logins.username
        when nullif(xapi_accounts.account_site, '') is not null
            then xapi_accounts.account_site || '|' || lower(xapi_accounts.account_login)
    end as account_key,
    cast(null as date) as birth_date,
    cast(null as varchar) as address,
    records.gender,
    records.city,
    cast(null as varchar) as postcode,
    cast(null as varchar) as phone
from records
cross join academy_site
left join moodle_logins
    on records.platform = 'academy' and records.source_record_key = moodle_logins.source_record_key
left join xapi_accounts
    on records.platform = xapi_accounts.platform
        and records.source_record_key = xapi_accounts.source_record_key
