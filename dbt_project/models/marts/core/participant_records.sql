-- One row per participant record of a platform (before identity resolution: the same person
-- on two platforms is two records), pseudonymized: the key is a keyed hash, and names and
-- e-mails stay in the intermediate layer. Country attributes from the countries seed.
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
    -- the platform's record key, with e-mail addresses (xAPI actors) replaced by their SHA-1
    {{ published_record_key('records.source_record_key') }} as source_record_key,
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
