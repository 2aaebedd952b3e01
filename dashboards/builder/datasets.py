"""The datasets the dashboards read: each one's SQL over the published warehouse and its metrics.

Every count is a ``COUNT(DISTINCT key)``: the facts dataset lists an activity once per language
(so a language filter works), and distinct counts make that repetition harmless. Rates are
shares 0-1 of the participations where the platform records the outcome; satisfaction is put on
the same 0-1 scale ((score - 1) / 4 on the harmonised 1-5 scale).

A metric is ``name: (label, SQL expression, d3 format)``.
"""

from __future__ import annotations

# The datasets show the warehouse's English labels (reference.code_labels, through each mart's
# <code>_label column) under the column names the charts and filters use; bureaux keep their
# abbreviations and countries their ISO codes (the world map reads cca2).
FACTS_SQL = """
-- One row per activity x language x participation (activities without participants kept).
select
    a.activity_key,
    a.platform,
    a.bureau,
    a.org_unit,
    extract(year from a.start_date)::integer as year,
    make_date(extract(year from a.start_date)::integer, 1, 1) as year_start,
    coalesce(a.region_label, 'Not specified') as activity_region,
    a.country as activity_country,
    coalesce(a.topic_label, 'Unclassified') as topic,
    coalesce(a.activity_type_label, 'Unclassified') as activity_type,
    coalesce(a.delivery_mode_label, 'Not recorded') as delivery_mode,
    a.on_itu_academy,
    coalesce(l.language, 'Not recorded') as language,
    p.participation_key,
    c.participant_key,
    coalesce(r.region_label, 'Not specified') as participant_region,
    r.country as participant_country,
    coalesce(r.gender_label, 'Unknown') as gender,
    p.completed,
    p.passed,
    p.certified,
    p.satisfaction_1_5
from core.activities as a
left join (
    select activity_key, unnest(language_labels) as language from core.activities
) as l on l.activity_key = a.activity_key
left join core.participations as p on p.activity_key = a.activity_key
left join core.participant_records as r on r.participant_record_key = p.participant_record_key
left join core.participant_crosswalk as c on c.participant_record_key = p.participant_record_key
"""


def _rate(flag: str) -> str:
    return (
        f"count(distinct participation_key) filter (where {flag}) * 1.0 / "
        f"nullif(count(distinct participation_key) filter (where {flag} is not null), 0)"
    )


# satisfaction once per participation (the rows repeat per language), on the 0-1 scale
SATISFACTION = (
    "(list_avg(list_transform(list_distinct(list({'k': participation_key, 's': satisfaction_1_5}) "
    "filter (where satisfaction_1_5 is not null)), x -> x.s)) - 1) / 4"
)

FACTS_METRICS = {
    "activities": ("Activities", "count(distinct activity_key)", ",d"),
    "people": ("People (resolved across platforms)", "count(distinct participant_key)", ",d"),
    "participations": ("Participations", "count(distinct participation_key)", ",d"),
    "completions": (
        "Completions",
        "count(distinct participation_key) filter (where completed)",
        ",d",
    ),
    "certificates": (
        "Certificates",
        "count(distinct participation_key) filter (where certified)",
        ",d",
    ),
    "completion_rate": ("Completion rate", _rate("completed"), ".0%"),
    "pass_rate": ("Pass rate", _rate("passed"), ".0%"),
    "certification_rate": ("Certification rate", _rate("certified"), ".0%"),
    "satisfaction": ("Satisfaction (0-100 %)", SATISFACTION, ".0%"),
}

PAIRS_SQL = """
-- One row per overlapping pair x each side's bureau, platform, type and language.
select
    o.activity_key_a || ' / ' || o.activity_key_b as pair_key,
    least(o.bureau_a, o.bureau_b) || ' - ' || greatest(o.bureau_a, o.bureau_b) as bureau_pair,
    o.is_cross_bureau,
    coalesce(o.topic_label, 'Unclassified') as topic,
    coalesce(o.region_label, 'Not specified') as activity_region,
    extract(year from o.start_date_a)::integer as year,
    make_date(extract(year from o.start_date_a)::integer, 1, 1) as year_start,
    o.days_apart,
    o.score,
    o.shared_participants,
    aa.title as title_a,
    ab.title as title_b,
    side.bureau,
    side.platform,
    coalesce(side.activity_type, 'Unclassified') as activity_type,
    coalesce(side.language, 'Not recorded') as language
from overlap.activity_overlaps as o
join core.activities as aa on aa.activity_key = o.activity_key_a
join core.activities as ab on ab.activity_key = o.activity_key_b
cross join lateral (
    select s.bureau, s.platform, s.activity_type_label as activity_type, unnest(
        case when len(s.language_labels) = 0 then [null] else s.language_labels end
    ) as language
    from core.activities as s
    where s.activity_key in (o.activity_key_a, o.activity_key_b)
) as side
"""

PAIRS_METRICS = {
    "overlapping_pairs": ("Overlapping pairs", "count(distinct pair_key)", ",d"),
    "cross_bureau_pairs": (
        "Cross-bureau pairs",
        "count(distinct pair_key) filter (where is_cross_bureau)",
        ",d",
    ),
    "avg_score": ("Average overlap score", "avg(score)", ".2f"),
}

SHARED_SQL = """
-- People who took the same topic from more than one bureau, once per bureau that reached them.
select
    s.participant_key,
    coalesce(s.topic_label, 'Unclassified') as topic,
    unnest(s.bureaux) as bureau,
    s.n_bureaux,
    extract(year from s.first_start_date)::integer as year,
    coalesce(p.region_label, 'Not specified') as participant_region
from overlap.shared_participants as s
left join core.participants as p on p.participant_key = s.participant_key
"""

SHARED_METRICS = {
    "shared_people": (
        "People reached by more than one bureau on a topic",
        "count(distinct participant_key)",
        ",d",
    ),
}

PROFILE_SQL = """
select
    platform,
    entity,
    field,
    entity || '.' || field as entity_field,
    is_recorded,
    records,
    completeness_pct / 100.0 as completeness,
    harmonized_pct / 100.0 as harmonized,
    convention,
    observed_values
from core.platform_profile
"""

PROFILE_METRICS = {
    "completeness": ("Filled", "avg(completeness)", ".0%"),
    "harmonized": ("Harmonised", "avg(harmonized)", ".0%"),
}

UNMAPPED_SQL = "select platform, field, kind, term, count from core.unmapped_terms"
UNMAPPED_METRICS = {"unmapped": ("Unmapped terms (rows)", "sum(count)", ",d")}

# The Council marts publish codes with their English labels beside them: a dataset shows the
# label under the column charts and filters use (topic), the code beside it (topic_code).
CANDIDATES_SQL = """
select
    candidate_rank, activity_key, year, bureau, platform, org_unit, title,
    topic_label as topic, activity_type_label as activity_type,
    delivery_mode_label as delivery_mode, region_label as activity_region, people_trained,
    completion_rate, pass_rate, avg_satisfaction_1_5, quality_score, best_academy_match,
    recommendation, topic as topic_code, activity_type as activity_type_code,
    delivery_mode as delivery_mode_code, region as activity_region_code
from council.academy_candidates
"""
CANDIDATES_METRICS = {
    "candidates": ("Candidate activities", "count(distinct activity_key)", ",d"),
    "people_trained": ("People trained", "sum(people_trained)", ",d"),
}


# The Council marts: already deduplicated, suppressed (cells under 5 people) and rounded.
COUNCIL_FIGURES = ("activities", "participations", "people_trained", "completions", "certificates")
COUNCIL_METRICS = {
    name: (name.replace("_", " ").capitalize(), f"sum({name})", ",d") for name in COUNCIL_FIGURES
} | {
    share: (label, f"avg({share})", ".0%")
    for share, label in (
        ("women_share", "Women (share)"),
        ("developing_share", "From developing countries (share)"),
        ("ldc_lldc_sids_share", "From LDC, LLDC or SIDS (share)"),
    )
}
# bureaux by their abbreviations (BDT, BR, TSB, GS, ALL), as in the Council report
COUNCIL_HEADLINE_SQL = """
select * exclude (bureau_label), make_date(year, 1, 1) as year_start
from council.headline_figures
"""
COUNCIL_CELLS_SQL = """
select
    * exclude (bureau_label, region, region_label, topic, topic_label, activity_type,
        activity_type_label, delivery_mode, delivery_mode_label),
    region_label as activity_region, topic_label as topic,
    activity_type_label as activity_type, delivery_mode_label as delivery_mode,
    region as activity_region_code, topic as topic_code, activity_type as activity_type_code,
    delivery_mode as delivery_mode_code, make_date(year, 1, 1) as year_start
from council.activity_figures
"""

# Every dataset, in the order they are created: name -> (SQL, metrics).
DATASETS = {
    "capdev_facts": (FACTS_SQL, FACTS_METRICS),
    "capdev_overlap_pairs": (PAIRS_SQL, PAIRS_METRICS),
    "capdev_shared_participants": (SHARED_SQL, SHARED_METRICS),
    "capdev_platform_profile": (PROFILE_SQL, PROFILE_METRICS),
    "capdev_unmapped_terms": (UNMAPPED_SQL, UNMAPPED_METRICS),
    "capdev_academy_candidates": (CANDIDATES_SQL, CANDIDATES_METRICS),
    "capdev_council_headline": (COUNCIL_HEADLINE_SQL, COUNCIL_METRICS),
    "capdev_council_activity_figures": (COUNCIL_CELLS_SQL, COUNCIL_METRICS),
}
