{#
    Possible duplication: pairs of activities of two different organizational units (each
    bureau's headquarters and each regional office is its own unit) on the same topic for the
    same region, whose date ranges are at most var overlap_window_days (default 60) apart.
    One row per unordered pair (activity_key_a < activity_key_b), with the reasons and a score.

    region: the region the activity declares (core.activities), else its audience: the region
    at least two thirds of its participants (people with a known country, at least 5) come
    from (region_source = 'declared' / 'audience'). An online course for one region's members
    duplicates that region's workshop as much as a course that declares the region.
    days_apart: 0 when the date ranges overlap, else the days between the end of the earlier
    one (its start when the end is unknown) and the start of the later one.
    title_similarity: Jaro-Winkler of the normalized English titles (the plain title when no
    English title is known); low across languages, which is why it only adds to the score.
    score (0..1) = 0.4 (same topic and region: the rule itself)
                 + 0.3 x (1 - days_apart / window)   (closer in time)
                 + 0.2 x title_similarity              (same wording)
                 + 0.1 if they share participants      (the same people sent twice)
#}

{%- set window = var('overlap_window_days', 60) -%}
{%- set audience_share = var('overlap_audience_min_share', 0.67) -%}
{%- set audience_min = var('overlap_audience_min_participants', 5) -%}

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
        arg_max(region, n_participants) as region,
        max(n_participants) / sum(n_participants) as top_share,
        sum(n_participants) as n_known
    from audience_votes
    group by activity_key

),

activities as (

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
        {{ normalize_key('coalesce(activities.title_en, activities.title)') }} as title_key
    from {{ ref('activities') }} as activities
    left join audience
        on activities.activity_key = audience.activity_key
    where
        activities.topic is not null
        and activities.org_unit is not null
        and activities.start_date is not null

),

pairs as (

    select
        activity_a.activity_key as activity_key_a,
        activity_b.activity_key as activity_key_b,
        activity_a.bureau as bureau_a,
        activity_b.bureau as bureau_b,
        activity_a.org_unit as org_unit_a,
        activity_b.org_unit as org_unit_b,
        activity_a.topic,
        activity_a.region,
        activity_a.region_source as region_source_a,
        activity_b.region_source as region_source_b,
        activity_a.start_date as start_date_a,
        activity_b.start_date as start_date_b,
        greatest(
            0,
            date_diff(
                'day',
                least(activity_a.effective_end, activity_b.effective_end),
                greatest(activity_a.start_date, activity_b.start_date)
            )
        ) as days_apart,
        coalesce(jaro_winkler_similarity(activity_a.title_key, activity_b.title_key), 0)
            as title_similarity
    from activities as activity_a
    inner join activities as activity_b
        on
            activity_a.topic = activity_b.topic
            and activity_a.region = activity_b.region
            and activity_a.activity_key < activity_b.activity_key
            and activity_a.org_unit != activity_b.org_unit
            and activity_b.start_date <= activity_a.effective_end + {{ window }}
            and activity_a.start_date <= activity_b.effective_end + {{ window }}

),

person_activities as (

    select distinct
        crosswalk.participant_key,
        participations.activity_key
    from {{ ref('participations') }} as participations
    inner join {{ ref('participant_crosswalk') }} as crosswalk
        on participations.participant_record_key = crosswalk.participant_record_key

),

shared as (

    select
        pairs.activity_key_a,
        pairs.activity_key_b,
        count(*) as shared_participants
    from pairs
    inner join person_activities as people_a
        on pairs.activity_key_a = people_a.activity_key
    inner join person_activities as people_b
        on
            pairs.activity_key_b = people_b.activity_key
            and people_a.participant_key = people_b.participant_key
    group by pairs.activity_key_a, pairs.activity_key_b

),

scored as (

    select
        pairs.*,
        coalesce(shared.shared_participants, 0) as shared_participants
    from pairs
    left join shared
        on
            pairs.activity_key_a = shared.activity_key_a
            and pairs.activity_key_b = shared.activity_key_b
    where pairs.days_apart <= {{ window }}

)

select
    activity_key_a,
    activity_key_b,
    bureau_a,
    bureau_b,
    org_unit_a,
    org_unit_b,
    bureau_a != bureau_b as is_cross_bureau,
    topic,
    region,
    region_source_a,
    region_source_b,
    start_date_a,
    start_date_b,
    true as same_topic,
    true as same_region,
    days_apart,
    round(title_similarity, 3) as title_similarity,
    shared_participants,
    round(
        0.4
        + 0.3 * (1 - days_apart / {{ window if window > 0 else 1 }})
        + 0.2 * title_similarity
        + case when shared_participants > 0 then 0.1 else 0 end,
        3
    ) as score,
    list_filter(
        [
            'same_topic',
            'same_region',
            case when days_apart = 0 then 'same_period' else 'within_window' end,
            case when title_similarity >= 0.85 then 'similar_title' end,
            case when shared_participants > 0 then 'shared_participants' end
        ],
        lambda reason: reason is not null
    ) as reasons
from scored
