{{ config(materialized='table', schema='intermediate') }}

{#
    Step of activity_overlaps, one row per activity that can take part in an overlap (it has a
    topic, an organizational unit and a start date): the region it serves, its dates and its
    titles prepared for matching. region: the region the activity declares (core.activities),
    else its audience: the region at least var overlap_audience_min_share of its participants
    (people with a known country, at least var overlap_audience_min_participants) come from
    (region_source = 'declared' / 'audience'). A table in the build's intermediate schema (never
    published): the pair search reads it on both sides.
#}

{%- set audience_share = var('overlap_audience_min_share') -%}
{%- set audience_min = var('overlap_audience_min_participants') -%}

with

audience_votes as (

    -- the region of each participant as a person (core.participants: the country their
    -- records give most often), so a platform that records no country (xAPI) still counts
    select
        participations.activity_key,
        people.region,
        count(distinct people.participant_key) as n_participants
    from {{ ref('participations') }} as participations
    inner join {{ ref('participant_crosswalk') }} as crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key
    inner join {{ ref('participants') }} as people
        on crosswalk.participant_key = people.participant_key
    where people.region is not null
    group by participations.activity_key, people.region

),

audience as (

    select
        activity_key,
        -- the region most participants come from; of equal ones, the first in sort order
        arg_min(region, (-n_participants, region)) as region,
        max(n_participants) / sum(n_participants) as top_share,
        sum(n_participants) as n_known
    from audience_votes
    group by activity_key

)

select
    activities.activity_key,
    activities.bureau,
    activities.org_unit,
    activities.topic,
    coalesce(
        activities.region,
        case
            when audience.top_share >= {{ audience_share }} and audience.n_known >= {{ audience_min }}
                then audience.region
        end
    ) as region,
    case when activities.region is not null then 'declared' else 'audience' end
        as region_source,
    activities.start_date,
    coalesce(activities.end_date, activities.start_date) as effective_end,
    {{ normalize_key('coalesce(activities.title_en, activities.title)') }} as title_key,
    {{ script_spaced(keyword_text('activities.title')) }} as title_text,
    {{ script_spaced(keyword_text('activities.title_en')) }} as title_en_text
from {{ ref('activities') }} as activities
left join audience
    on activities.activity_key = audience.activity_key
where
    activities.topic is not null
    and activities.org_unit is not null
    and activities.start_date is not null
