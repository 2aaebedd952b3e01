-- GS LRS (xAPI) participant records: source_record_key = the actor's mbox ('mailto:...') or
-- <account homePage>|<account name>; the name of the actor's latest named statement and an
-- e-mail any statement gives. The LRS records no country, gender or organization.
-- Columns: the participant record contract (_participants__models.yml).
with

records as (

    select
        actor_key as source_record_key,
        {{ latest('actor_name', 'statement_timestamp') }}
        filter (where actor_name is not null) as full_name,
        cast(null as varchar) as first_name,
        cast(null as varchar) as last_name,
        cast(null as varchar) as name_latin,
        any_value(actor_email) as email,
        cast(null as varchar) as country_raw,
        cast(null as varchar) as gender_raw,
        cast(null as varchar) as organization,
        cast(null as varchar) as organization_type,
        cast(null as varchar) as city
    from {{ ref('stg_gs_lrs__statements') }}
    where actor_key is not null
    group by actor_key

)

{{ participant_record_select('gs_lrs') }}
