-- One row per participant record of a platform (before identity resolution: the same person
-- on two platforms is two records), pseudonymized: the key is an HMAC, the platform's own
-- record key and the names and e-mails stay in the private tier (private.participant_keys,
-- intermediate). Country attributes from the countries seed.
with

records as (

    select * from {{ ref('int_participant_records_unioned') }}

),

countries as (

    select * from {{ ref('countries') }}

)

select
    {{ participant_record_key('records.platform', 'records.source_record_key') }} as participant_record_key,
    records.platform,
    records.country,
    countries.itu_region as region,
    countries.is_developing,
    countries.is_ldc,
    countries.is_lldc,
    countries.is_sids,
    records.gender,
    records.organization,
    records.organization_type
from records
left join countries
    on records.country = countries.iso2
