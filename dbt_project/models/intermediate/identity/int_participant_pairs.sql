-- The pairs behind identity resolution, one row per pair of records (int_participant_clusters
-- keeps them as a list on the record with the smaller record id): the rule (identical,
-- model, deterministic, reviewed), whether the pair is an edge of the clustering (links),
-- whether both records ended in one cluster, the match probability and weight, the
-- deterministic rules that hold, and the comparison levels. Scored pairs below the link
-- threshold are here too (links = false) from var identity_review_min_probability up.
-- Record ids: intermediate only; core.participant_links and private.identity_review_pairs
-- read it.
with

clusters as (

    select
        platform || '|' || source_record_key as record_id,
        cluster_id,
        pairs
    from {{ ref('int_participant_clusters') }}

),

unnested as (

    select
        record_id as record_id_l,
        unnest(pairs) as pair
    from clusters
    where len(pairs) > 0

),

pairs as (

    select
        record_id_l,
        pair.record_id_r,
        pair.rule,
        pair.links,
        pair.match_probability,
        pair.match_weight,
        pair.deterministic_rule,
        pair.comparison_levels
    from unnested

),

pair_ends as (

    select record_id_l as record_id from pairs
    union
    select record_id_r as record_id from pairs

),

ends as (

    select
        records.record_id,
        clusters.cluster_id,
        {{ participant_record_key('records.platform', 'records.source_record_key') }}
            as participant_record_key
    from {{ ref('int_participant_records_for_linking') }} as records
    inner join pair_ends on records.record_id = pair_ends.record_id
    inner join clusters on records.record_id = clusters.record_id

)

select
    pairs.record_id_l,
    pairs.record_id_r,
    ends_l.participant_record_key as participant_record_key_l,
    ends_r.participant_record_key as participant_record_key_r,
    ends_l.cluster_id = ends_r.cluster_id as same_cluster,
    pairs.rule,
    pairs.links,
    pairs.match_probability,
    pairs.match_weight,
    pairs.deterministic_rule,
    pairs.comparison_levels
from pairs
inner join ends as ends_l on pairs.record_id_l = ends_l.record_id
inner join ends as ends_r on pairs.record_id_r = ends_r.record_id
