{#
    Possible duplication: the same course delivered twice, by two different organizational units
    (each bureau's headquarters and each regional office is its own unit), to the same region,
    in the same period. One row per unordered pair (activity_key_a < activity_key_b) that a
    reviewer would call one course given twice, with the evidence and a score.

    Candidates: same topic, same region, date ranges at most var overlap_window_days apart.
    region: the region the activity declares (core.activities), else its audience: the region
    at least two thirds of its participants (people with a known country, at least 5) come
    from (region_source = 'declared' / 'audience'). An online course for one region's members
    duplicates that region's workshop as much as a course that declares the region.
    days_apart: 0 when the date ranges overlap, else the days between the end of the earlier
    one (its start when the end is unknown) and the start of the later one.

    What makes a candidate the same course (the reviewer's questions), weights and thresholds in
    dbt_project.yml (vars overlap_*):
    - content_similarity: what the two titles say the course is about, across languages. The
      subjects (seed course_terms, kind = subject: strategy, legal, risk, data, ... in six
      languages, matched as int_course_terms_normalized says) found in the plain and English
      titles, compared as sets (Jaccard); when either title names no known subject, the words
      of at least 4 letters they share, each weighed by its inverse document frequency among
      the titles of the topic (weighted Jaccard): the topic's own words and the platforms'
      title patterns are in most titles of the topic and say nothing about the course.
    - levels: a stated level (seed course_terms, kind = level: introductory / intermediate /
      advanced, or a numbered level, 'Level 2', 'niveau II', macros/course_levels.sql) on both
      sides that differs is another course (a beginners' and an advanced edition), never a
      duplicate. A number gives a rank, not a scheme: 'Level 2' may be the intermediate or
      the advanced edition (var overlap_numbered_levels), and two different numbers conflict.
    - date proximity and shared participants (the same people sent twice).
    score (0..1) = w_candidate (same topic, region and period)
                 + w_content x content_similarity
                 + w_period x (1 - days_apart / window)
                 + w_shared if they share participants
    A pair is kept when score >= var overlap_min_score, content_similarity >= var
    overlap_min_content (people attend several courses of a topic: shared participants and
    close dates never make up for titles about different things) and the levels do not
    conflict, and (var overlap_one_match_per_unit) when each is the other's best flagged match
    among the deliveries of the other's unit: a unit's delivery repeats at most one delivery of
    another unit in the window, so the others there are separate courses on the same subject.
    title_similarity (published, not scored): Jaro-Winkler of the normalized English titles (the
    plain title when no English title is known).
#}

{%- set one_per_unit = var('overlap_one_match_per_unit') -%}

with

flagged as (

    select * from {{ ref('overlap_flagged_pairs') }}

),

-- each flagged pair seen from both of its activities
sides as (

    select
        activity_key_a as activity_key,
        activity_key_b as other_key,
        org_unit_b as other_unit,
        score,
        word_similarity,
        days_apart
    from flagged
    union all
    select
        activity_key_b,
        activity_key_a,
        org_unit_a,
        score,
        word_similarity,
        days_apart
    from flagged

),

-- each activity's best flagged match among the deliveries of each other unit: the best
-- evidence, then the titles' shared words, the nearest dates, the key
best_matches as (

    select least(activity_key, other_key) || '|' || greatest(activity_key, other_key) as pair
    from sides
    qualify row_number() over (
            partition by activity_key, other_unit
            order by score desc, word_similarity desc, days_apart asc, other_key asc
        ) = 1

),

-- the pairs whose two activities are each other's best match
mutual_best as (

    select pair
    from best_matches
    group by pair
    having count(*) = 2

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
    round(content_similarity, 3) as content_similarity,
    subjects_a,
    subjects_b,
    levels_a,
    levels_b,
    shared_participants,
    score,
    list_filter(
        [
            'same_topic',
            'same_region',
            case when days_apart = 0 then 'same_period' else 'within_window' end,
            case when content_similarity >= 0.999 then 'same_subject' end,
            case when title_similarity >= 0.85 then 'similar_title' end,
            case when shared_participants > 0 then 'shared_participants' end
        ],
        lambda reason: reason is not null
    ) as reasons,
    {{ code_label('bureau', 'bureau_a') }} as bureau_a_label,
    {{ code_label('bureau', 'bureau_b') }} as bureau_b_label,
    {{ code_label('org_unit', 'org_unit_a') }} as org_unit_a_label,
    {{ code_label('org_unit', 'org_unit_b') }} as org_unit_b_label,
    {{ code_label('topic', 'topic') }} as topic_label,
    {{ code_label('region', 'region') }} as region_label
from flagged
{%- if one_per_unit %}
where activity_key_a || '|' || activity_key_b in (select mutual_best.pair from mutual_best)
{%- endif %}
