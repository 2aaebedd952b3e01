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
    A pair is kept when score >= var overlap_min_score and the levels do not conflict.
    title_similarity (published, not scored): Jaro-Winkler of the normalized English titles (the
    plain title when no English title is known).
#}

{%- set window = var('overlap_window_days') -%}
{%- set audience_share = var('overlap_audience_min_share') -%}
{%- set audience_min = var('overlap_audience_min_participants') -%}
{%- set weights = var('overlap_weights') -%}
{%- set min_score = var('overlap_min_score') -%}
{%- set min_word = var('overlap_min_word_length') -%}
{%- set numbered_levels = var('overlap_numbered_levels') -%}

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

),

course_words as (

    select
        activities.activity_key,
        list_sort(list_distinct(list(course_terms.code) filter (where course_terms.kind = 'subject')))
            as subjects,
        list_sort(list_distinct(list(course_terms.code) filter (where course_terms.kind = 'level')))
            as levels
    from activities
    inner join {{ ref('int_course_terms_normalized') }} as course_terms
        on
            contains(activities.title_text, course_terms.needle)
            or contains(activities.title_en_text, course_terms.needle)
    group by activities.activity_key

),

title_words as (

    select
        activity_key,
        topic,
        -- a numbered level ('Level 2', 'niveau II'; macros/course_levels.sql)
        {{ level_number('title_text || title_en_text') }} as level_number,
        list_distinct(list_filter(
            string_split(trim(title_text || title_en_text), ' '),
            lambda word: length(word) >= {{ min_word }}
        )) as words
    from activities

),

title_word_rows as (

    select
        activity_key,
        topic,
        unnest(words) as word
    from title_words

),

-- How much a word tells one course of a topic from another: its smoothed inverse document
-- frequency among the titles of that topic, 1 + ln((1 + titles) / (1 + titles with the word)).
-- The topic's own words and the platforms' title patterns ('workshop', 'regional') are in most
-- titles of the topic and weigh about 1; the words that say what a course does weigh most.
-- Never 0, so two identical titles are still alike however common their words.
topic_titles as (

    select
        topic,
        count(*) as n_titles
    from title_words
    group by topic

),

word_weights as (

    select
        title_word_rows.activity_key,
        title_word_rows.word,
        1 + ln(
            (1 + topic_titles.n_titles)
            / (1 + count(*) over (partition by title_word_rows.topic, title_word_rows.word))
        ) as weight
    from title_word_rows
    inner join topic_titles
        on title_word_rows.topic = topic_titles.topic

),

title_weights as (

    select
        activity_key,
        sum(weight) as total_weight
    from word_weights
    group by activity_key

),

described as (

    select
        activities.*,
        title_words.level_number,
        coalesce(title_weights.total_weight, 0) as total_weight,
        coalesce(course_words.subjects, []) as subjects,
        -- the levels a title can be: those it states in words (the seed), else those its
        -- number allows (var overlap_numbered_levels: 'Level 2' is past the entry level,
        -- intermediate or advanced depending on the catalogue)
        case
            when len(coalesce(course_words.levels, [])) > 0 then course_words.levels
            when title_words.level_number is not null
                then {{ numbered_levels | tojson | replace('"', "'") }}[title_words.level_number]
            else []
        end as levels
    from activities
    inner join title_words
        on activities.activity_key = title_words.activity_key
    left join title_weights
        on activities.activity_key = title_weights.activity_key
    left join course_words
        on activities.activity_key = course_words.activity_key

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
            as title_similarity,
        case
            when len(activity_a.subjects) > 0 and len(activity_b.subjects) > 0
                then
                    len(list_intersect(activity_a.subjects, activity_b.subjects))
                    / len(list_distinct(list_concat(activity_a.subjects, activity_b.subjects)))
        end as subject_similarity,
        activity_a.total_weight as word_weight_a,
        activity_b.total_weight as word_weight_b,
        activity_a.subjects as subjects_a,
        activity_b.subjects as subjects_b,
        activity_a.levels as levels_a,
        activity_b.levels as levels_b,
        (
            len(activity_a.levels) > 0
            and len(activity_b.levels) > 0
            and len(list_intersect(activity_a.levels, activity_b.levels)) = 0
        )
        -- two different numbered levels are two editions, whatever the catalogue's scheme
        or coalesce(activity_a.level_number != activity_b.level_number, false) as levels_conflict
    from described as activity_a
    inner join described as activity_b
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

-- the weight of the words two candidate titles share (a word weighs the same on both sides:
-- the two activities share their topic)
shared_words as (

    select
        pairs.activity_key_a,
        pairs.activity_key_b,
        sum(words_a.weight) as shared_weight
    from pairs
    inner join word_weights as words_a
        on pairs.activity_key_a = words_a.activity_key
    inner join word_weights as words_b
        on
            pairs.activity_key_b = words_b.activity_key
            and words_a.word = words_b.word
    group by pairs.activity_key_a, pairs.activity_key_b

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

evidence as (

    select
        pairs.*,
        -- the subjects both titles name; when one names no known subject, the words they
        -- share, each weighed by how much it tells courses of the topic apart (weighted
        -- Jaccard of the words)
        coalesce(
            pairs.subject_similarity,
            coalesce(shared_words.shared_weight, 0)
            / nullif(
                pairs.word_weight_a + pairs.word_weight_b - coalesce(shared_words.shared_weight, 0),
                0
            ),
            0
        ) as content_similarity,
        coalesce(shared.shared_participants, 0) as shared_participants
    from pairs
    left join shared_words
        on
            pairs.activity_key_a = shared_words.activity_key_a
            and pairs.activity_key_b = shared_words.activity_key_b
    left join shared
        on
            pairs.activity_key_a = shared.activity_key_a
            and pairs.activity_key_b = shared.activity_key_b
    where pairs.days_apart <= {{ window }}

),

scored as (

    select
        *,
        round(
            {{ weights['candidate'] }}
            + {{ weights['content'] }} * content_similarity
            + {{ weights['period'] }} * (1 - days_apart / {{ window if window > 0 else 1 }})
            + case when shared_participants > 0 then {{ weights['shared_participants'] }} else 0 end,
            3
        ) as score
    from evidence

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
from scored
where score >= {{ min_score }} and not levels_conflict
