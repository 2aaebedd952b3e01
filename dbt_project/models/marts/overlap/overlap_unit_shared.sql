{{ config(materialized='ephemeral') }}

{#
    Ephemeral step of bureau_topic_matrix, one row per unit level, pair of units (unit_a <
    unit_b) and topic with people both units trained on the topic (shared_participants, people
    after identity resolution).
#}

with

trained as (

    select distinct
        units.unit_level,
        units.unit,
        units.topic,
        crosswalk.participant_key
    from {{ ref('overlap_units') }} as units
    inner join {{ ref('participations') }} as participations
        on units.activity_key = participations.activity_key
    inner join {{ ref('participant_crosswalk') }} as crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key

)

select
    trained_a.unit_level,
    trained_a.unit as unit_a,
    trained_b.unit as unit_b,
    trained_a.topic,
    count(*) as shared_participants
from trained as trained_a
inner join trained as trained_b
    on
        trained_a.unit_level = trained_b.unit_level
        and trained_a.topic = trained_b.topic
        and trained_a.participant_key = trained_b.participant_key
        and trained_a.unit < trained_b.unit
group by trained_a.unit_level, trained_a.unit, trained_b.unit, trained_a.topic
