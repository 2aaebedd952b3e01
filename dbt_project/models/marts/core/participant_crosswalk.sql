-- Every participant record exactly once, with the person it belongs to after identity
-- resolution: participant_key is a keyed hash (the pseudonym secret, var pseudonym_key) of the
-- smallest participant_record_key of the person's records, so it is stable across rebuilds as
-- long as that record exists. A record the resolution did not see counts as its own person.
-- Pseudonymous: no names, e-mails or raw xAPI mailboxes (source_record_key as published in
-- core.participant_records).
with

records as (

    select
        participant_record_key,
        platform,
        source_record_key
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
        records.source_record_key,
        coalesce(clusters.cluster_id, records.participant_record_key) as cluster_id,
        coalesce(clusters.resolution, 'unresolved') as resolution
    from records
    left join clusters
        on records.participant_record_key = clusters.participant_record_key

)

select
    platform,
    source_record_key,
    participant_record_key,
    sha256(
        '{{ var("pseudonym_key") | replace("'", "''") }}' || '|participant|'
        || min(participant_record_key) over (partition by cluster_id)
    ) as participant_key,
    resolution
from resolved
