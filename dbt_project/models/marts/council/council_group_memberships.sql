{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of people_by_group, one row per person trained (participation rows of
    council_facts) and country group the person's country belongs to: 'developing',
    'developed' or 'unknown', and each of 'ldc', 'lldc', 'sids' it is in, with the year,
    bureau, participant region, activity region and gender of the training.
#}

with

trained as (

    select
        activity_year,
        bureau,
        participant_key,
        participant_region,
        region as activity_region,
        gender,
        case
            when is_developing then 'developing'
            when not is_developing then 'developed'
            else 'unknown'
        end as development_status,
        is_ldc,
        is_lldc,
        is_sids
    from {{ ref('council_facts') }}
    where is_trained and participant_key is not null

)

-- each person once per country group the person's country belongs to
select
    activity_year,
    bureau,
    participant_key,
    participant_region,
    activity_region,
    gender,
    unnest(list_concat(
        [development_status],
        case when is_ldc then ['ldc'] else [] end,
        case when is_lldc then ['lldc'] else [] end,
        case when is_sids then ['sids'] else [] end
    )) as country_group
from trained
