{#
    How much each pair of units duplicates the other, per topic, at two levels:
      unit_level = 'bureau'   : unit_a, unit_b are bureaux (BDT, BR, TSB, GS), unit_a < unit_b;
      unit_level = 'org_unit' : unit_a, unit_b are organizational units (each bureau's
                                headquarters and each regional office), unit_a < unit_b,
                                possibly of one bureau.
    One row per unit_level, unit pair and topic on which both units have activities: the
    activities of each, the overlapping pairs between them (overlap.activity_overlaps), the activities of
    each side involved in an overlap, and the people both units trained on the topic.
    Steps: overlap_units (each activity under its bureau and its unit), overlap_unit_shared
    (the people two units both trained).
#}

with

catalogue as (

    select
        unit_level,
        unit,
        topic,
        count(distinct activity_key) as n_activities
    from {{ ref('overlap_units') }}
    group by unit_level, unit, topic

),

unit_pairs as (

    select
        unit_a.unit_level,
        unit_a.unit as unit_a,
        unit_b.unit as unit_b,
        unit_a.topic,
        unit_a.n_activities as activities_a,
        unit_b.n_activities as activities_b
    from catalogue as unit_a
    inner join catalogue as unit_b
        on
            unit_a.unit_level = unit_b.unit_level
            and unit_a.topic = unit_b.topic
            and unit_a.unit < unit_b.unit

),

overlap_pairs as (

    -- each overlapping pair oriented by unit name, at both levels
    select
        'bureau' as unit_level,
        least(bureau_a, bureau_b) as unit_a,
        greatest(bureau_a, bureau_b) as unit_b,
        topic,
        case when bureau_a < bureau_b then activity_key_a else activity_key_b end as activity_of_a,
        case when bureau_a < bureau_b then activity_key_b else activity_key_a end as activity_of_b,
        score
    from {{ ref('activity_overlaps') }}
    where bureau_a != bureau_b
    union all
    select
        'org_unit' as unit_level,
        least(org_unit_a, org_unit_b) as unit_a,
        greatest(org_unit_a, org_unit_b) as unit_b,
        topic,
        case when org_unit_a < org_unit_b then activity_key_a else activity_key_b end as activity_of_a,
        case when org_unit_a < org_unit_b then activity_key_b else activity_key_a end as activity_of_b,
        score
    from {{ ref('activity_overlaps') }}

),

overlap_figures as (

    select
        unit_level,
        unit_a,
        unit_b,
        topic,
        count(*) as overlapping_pairs,
        count(distinct activity_of_a) as overlapping_activities_a,
        count(distinct activity_of_b) as overlapping_activities_b,
        round({{ exact_avg('score') }}, 3) as avg_overlap_score
    from overlap_pairs
    group by unit_level, unit_a, unit_b, topic

)

select
    unit_pairs.unit_level,
    unit_pairs.unit_a,
    -- a bureau's label is its headquarters unit's: the org_unit list names both levels
    {{ code_label('org_unit', 'unit_pairs.unit_a') }} as unit_a_label,
    unit_pairs.unit_b,
    {{ code_label('org_unit', 'unit_pairs.unit_b') }} as unit_b_label,
    unit_pairs.topic,
    {{ code_label('topic', 'unit_pairs.topic') }} as topic_label,
    unit_pairs.activities_a,
    unit_pairs.activities_b,
    coalesce(overlap_figures.overlapping_pairs, 0) as overlapping_pairs,
    coalesce(overlap_figures.overlapping_activities_a, 0) as overlapping_activities_a,
    coalesce(overlap_figures.overlapping_activities_b, 0) as overlapping_activities_b,
    round(coalesce(overlap_figures.overlapping_activities_a, 0) / unit_pairs.activities_a, 4)
        as overlap_share_a,
    round(coalesce(overlap_figures.overlapping_activities_b, 0) / unit_pairs.activities_b, 4)
        as overlap_share_b,
    overlap_figures.avg_overlap_score,
    coalesce(shared.shared_participants, 0) as shared_participants
from unit_pairs
left join overlap_figures
    on
        unit_pairs.unit_level = overlap_figures.unit_level
        and unit_pairs.unit_a = overlap_figures.unit_a
        and unit_pairs.unit_b = overlap_figures.unit_b
        and unit_pairs.topic = overlap_figures.topic
left join {{ ref('overlap_unit_shared') }} as shared
    on
        unit_pairs.unit_level = shared.unit_level
        and unit_pairs.unit_a = shared.unit_a
        and unit_pairs.unit_b = shared.unit_b
        and unit_pairs.topic = shared.topic
