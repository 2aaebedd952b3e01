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
    {{ code_label('platform', 'records.platform') }} as platform_label,
    records.country,
    {{ code_label('country', 'records.country') }} as country_label,
    countries.itu_region as region,
    {{ code_label('region', 'countries.itu_region') }} as region_label,
    countries.is_developing,
    countries.is_ldc,
    countries.is_lldc,
    countries.is_sids,
    records.gender,
    {{ code_label('gender', 'records.gender') }} as gender_label,
    records.organization,
    records.organization_type
from records
left join countries
    on records.country = countries.iso2
