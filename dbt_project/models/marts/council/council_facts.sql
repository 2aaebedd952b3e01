{{ config(materialized='ephemeral') }}

{#
    One row per participation in a dated activity (plus one row per activity without any
    participation), with the resolved person and the person's attributes.
    Two regions are kept apart: `region` is the activity's (where it took place or whom it
    served; 'unknown', "Not specified", for online and world activities), `participant_region`
    the ITU region of the person's country ('unknown' when the country is not recorded). Gender
    is core's code (F, M, X, unknown). Ephemeral: it holds person keys, so it is never written
    to the council schema; the Council marts aggregate it.
#}

with

activities as (

    select
        activity_key,
        bureau,
        on_itu_academy,
        activity_year,
        region,
        topic,
        activity_type,
        delivery_mode
    from {{ ref('council_activities') }}
    where activity_year is not null and bureau is not null

),

crosswalk as (

    select
        participant_record_key,
        participant_key
    from {{ ref('participant_crosswalk') }}

),

people as (

    select
        participant_key,
        -- the participant's own ITU region (of the person's country), not the activity's
        nullif(trim(region), '') as participant_region,
        is_developing,
        is_ldc,
        is_lldc,
        is_sids,
        case
            when is_ldc is not null or is_lldc is not null or is_sids is not null
                then coalesce(is_ldc, false) or coalesce(is_lldc, false) or coalesce(is_sids, false)
        end as is_ldc_lldc_sids,
        -- core's gender codes (F, M, X, unknown); a blank counts as unknown
        coalesce(nullif(trim(gender), ''), 'unknown') as gender
    from {{ ref('participants') }}

),

participations as (

    select
        participations.participation_key,
        participations.activity_key,
        -- a record the identity resolution has not (yet) linked counts as its own person
        coalesce(
            crosswalk.participant_key, participations.participant_record_key
        ) as participant_key,
        participations.attended,
        participations.completed,
        participations.passed,
        participations.certified,
        participations.satisfaction_1_5,
        -- trained: took part, i.e. not recorded as absent (or completed, passed, certified)
        (
            coalesce(participations.attended, true)
            or coalesce(participations.completed, false)
            or coalesce(participations.passed, false)
            or coalesce(participations.certified, false)
        ) as is_trained
    from {{ ref('participations') }} as participations
    left join crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key

)

select
    activities.activity_key,
    activities.bureau,
    activities.on_itu_academy,
    activities.activity_year,
    activities.region,
    activities.topic,
    activities.activity_type,
    activities.delivery_mode,
    participations.participation_key,
    participations.participant_key,
    participations.attended,
    participations.completed,
    participations.passed,
    participations.certified,
    participations.satisfaction_1_5,
    coalesce(participations.is_trained, false) as is_trained,
    people.is_developing,
    people.is_ldc_lldc_sids,
    people.is_ldc,
    people.is_lldc,
    people.is_sids,
    case
        when participations.participant_key is not null
            then coalesce(people.participant_region, 'unknown')
    end as participant_region,
    case
        when participations.participant_key is not null
            then coalesce(people.gender, 'unknown')
    end as gender
from activities
left join participations
    on activities.activity_key = participations.activity_key
left join people
    on participations.participant_key = people.participant_key
