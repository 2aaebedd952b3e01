-- Every spelling of a country (aliases seed + the official names and codes of the countries
-- seed) under its normalized join key. One row per key.
with

aliases as (

    select
        alias,
        iso2
    from {{ ref('country_aliases') }}

),

country_names as (

    select
        unnest([iso2, iso3, name_en, name_fr, name_es, name_ru, name_ar, name_zh]) as alias,
        iso2
    from {{ ref('countries') }}

),

keyed as (

    select
        {{ normalize_key('alias') }} as alias_key,
        upper(trim(iso2)) as iso2
    from (
        select * from aliases
        union all
        select * from country_names
    ) as all_aliases

)

select distinct
    alias_key,
    iso2
from keyed
where alias_key is not null
