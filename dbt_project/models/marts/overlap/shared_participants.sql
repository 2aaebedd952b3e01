-- People (participant_key, after identity resolution) served by more than one bureau on the
-- same topic: the bureaux and organizational units that trained them on it, how many of their
-- activities, and when. No personal data.
with

person_activities as (

    select distinct
        crosswalk.participant_key,
        activities.activity_key,
        activities.topic,
        activities.bureau,
        activities.org_unit,
        activities.start_date
    from {{ ref('participations') }} as participations
    inner join {{ ref('participant_crosswalk') }} as crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key
    inner join {{ ref('activities') }} as activities
        on participations.activity_key = activities.activity_key
    where activities.topic is not null and activities.bureau is not null

),

shared as (

    select
        participant_key,
        topic,
        list_sort(list(distinct bureau)) as bureaux,
        count(distinct bureau) as n_bureaux,
        list_sort(list(distinct org_unit) filter (where org_unit is not null)) as org_units,
        count(distinct org_unit) as n_org_units,
        count(distinct activity_key) as n_activities,
        min(start_date) as first_start_date,
        max(start_date) as last_start_date
    from person_activities
    group by participant_key, topic
    having count(distinct bureau) > 1

)

select
    participant_key,
    topic,
    {{ code_label('topic', 'topic') }} as topic_label,
    bureaux,
    {{ code_labels('bureau', 'bureaux') }} as bureau_labels,
    n_bureaux,
    org_units,
    {{ code_labels('org_unit', 'org_units') }} as org_unit_labels,
    n_org_units,
    n_activities,
    first_start_date,
    last_start_date
from shared
