-- Every participant record exactly once, with the person it belongs to after identity
-- resolution: participant_key is an HMAC (the pseudonym secret, macro participant_key) of the
-- smallest participant_record_key of the person's records, so it is stable across rebuilds as
-- long as that record exists. A record the resolution did not see counts as its own person.
-- Pseudonymous: no names, e-mails or platform ids (those map to these keys in
-- private.participant_keys).
with

records as (

    select
        participant_record_key,
        platform
    from {{ ref('participant_records') }}

),

clusters as (

    select
        {{ participant_record_key('platform', 'source_record_key') }} as participant_record_key,
        cluster_id,
        resolution
    from {{ ref('int_participant_clusters') }}

),

resolved as (

    select
        records.participant_record_key,
        records.platform,
        coalesce(clusters.cluster_id, records.participant_record_key) as cluster_id,
        coalesce(clusters.resolution, 'unresolved') as resolution
    from records
    left join clusters
        on records.participant_record_key = clusters.participant_record_key

)

select
    platform,
    {{ code_label('platform', 'platform') }} as platform_label,
    participant_record_key,
    {{ participant_key('min(participant_record_key) over (partition by cluster_id)') }}
        as participant_key,
    resolution
from resolved
