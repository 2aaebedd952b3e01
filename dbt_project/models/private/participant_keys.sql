-- Private tier (never published): the crosswalk from each platform's own record key (Moodle
-- user id, TSB registration id, xAPI actor, file row) to the pseudonymous keys published in
-- core. For the data team: erasure requests, evaluation against a known truth, support.
with

records as (

    select distinct
        platform,
        source_record_key
    from {{ ref('int_participant_records_unioned') }}

),

keyed as (

    select
        platform,
        source_record_key,
        {{ participant_record_key('platform', 'source_record_key') }} as participant_record_key
    from records

)

select
    keyed.platform,
    keyed.source_record_key,
    keyed.participant_record_key,
    crosswalk.participant_key
from keyed
left join {{ ref('participant_crosswalk') }} as crosswalk
    on keyed.participant_record_key = crosswalk.participant_record_key
