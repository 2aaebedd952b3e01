-- The reviewed identity decisions (seed identity_decisions) the resolver applies: for each pair
-- of published record keys the latest decision (on one day, a cannot-link wins: a false merge
-- costs more than a missed link), with the record ids it names. A key that names no record
-- any more gives a null record id and keys_found = false: reported (a warning test, and
-- ops.identity_runs decisions_unknown), never fatal. Private record ids: intermediate only.
with

decisions as (

    select
        participant_record_key_a,
        participant_record_key_b,
        decision,
        decided_on,
        row_number() over (
            partition by
                least(participant_record_key_a, participant_record_key_b),
                greatest(participant_record_key_a, participant_record_key_b)
            order by decided_on desc, decision = 'cannot_link' desc
        ) as recency
    from {{ ref('identity_decisions') }}

),

records as (

    select
        record_id,
        {{ participant_record_key('platform', 'source_record_key') }} as participant_record_key
    from {{ ref('int_participant_records_for_linking') }}

)

select
    decisions.participant_record_key_a,
    decisions.participant_record_key_b,
    decisions.decision,
    decisions.decided_on,
    records_a.record_id as record_id_a,
    records_b.record_id as record_id_b,
    coalesce(records_a.record_id is not null and records_b.record_id is not null, false)
        as keys_found
from decisions
left join records as records_a
    on decisions.participant_record_key_a = records_a.participant_record_key
left join records as records_b
    on decisions.participant_record_key_b = records_b.participant_record_key
where decisions.recency = 1
