"""The dashboards: each one's charts (dataset, chart spec) and native filters, as data.

The order here is the order Superset creates them in (and so their ids in the export).
"""

from __future__ import annotations

from dataclasses import dataclass

from .charts import bars, big, heatmap, raw_table, table, trend, world_map


@dataclass(frozen=True)
class Board:
    """One dashboard: ``about`` opens it (with the data dictionary link), then the charts in
    rows of 12 columns; a filter is (name, dataset, column)."""

    title: str
    slug: str
    about: str
    charts: list[tuple[str, dict]]
    filters: list[tuple[str, str, str]]


FILTERS_FACTS = [
    ("Bureau", "bureau"),
    ("Year", "year"),
    ("Participant's region", "participant_region"),
    ("Activity's region", "activity_region"),
    ("Topic", "topic"),
    ("Activity type", "activity_type"),
    ("Language", "language"),
    ("Platform", "platform"),
]


BOARDS = (
    Board(
        title="Stocktaking",
        slug="stocktaking",
        about="What ITU's three bureaux and the General Secretariat ran, for whom, and "
        "with what result: every platform on one taxonomy, people counted once across "
        "platforms.",
        charts=[
            ("capdev_facts", big("Activities", "activities")),
            ("capdev_facts", big("People", "people")),
            ("capdev_facts", big("Completions", "completions")),
            ("capdev_facts", big("Certificates", "certificates")),
            (
                "capdev_facts",
                trend("Activities per year, by bureau", ["activities"], ["bureau"]),
            ),
            ("capdev_facts", trend("People per year, by bureau", ["people"], ["bureau"])),
            (
                "capdev_facts",
                heatmap("Activities: bureau x topic", "topic", "bureau", "activities"),
            ),
            (
                "capdev_facts",
                world_map("People by participant's country", "participant_country", "people"),
            ),
            (
                "capdev_facts",
                bars("Activities by type and bureau", "activity_type", ["activities"], ["bureau"]),
            ),
            (
                "capdev_facts",
                table(
                    "By topic",
                    ["topic"],
                    ["activities", "people", "completions", "certificates"],
                ),
            ),
        ],
        filters=[(n, "capdev_facts", c) for n, c in FILTERS_FACTS],
    ),
    Board(
        title="Quality",
        slug="quality",
        about="Completion, pass, certification and satisfaction, all as shares of the "
        "participations whose platform records them (satisfaction: the harmonised 1-5 score "
        "as (score - 1) / 4), so they compare on one scale.",
        charts=[
            ("capdev_facts", big("Completion rate", "completion_rate", ".0%")),
            ("capdev_facts", big("Pass rate", "pass_rate", ".0%")),
            ("capdev_facts", big("Certification rate", "certification_rate", ".0%")),
            ("capdev_facts", big("Satisfaction", "satisfaction", ".0%")),
            (
                "capdev_facts",
                trend(
                    "Quality per year",
                    ["completion_rate", "pass_rate", "certification_rate", "satisfaction"],
                    [],
                    ".0%",
                ),
            ),
            (
                "capdev_facts",
                bars(
                    "Quality by bureau",
                    "bureau",
                    ["completion_rate", "pass_rate", "certification_rate", "satisfaction"],
                    [],
                    ".0%",
                ),
            ),
            (
                "capdev_facts",
                heatmap(
                    "Completion rate: bureau x topic",
                    "topic",
                    "bureau",
                    "completion_rate",
                    ".0%",
                ),
            ),
            (
                "capdev_facts",
                table(
                    "Quality by platform",
                    ["platform"],
                    [
                        "participations",
                        "completion_rate",
                        "pass_rate",
                        "certification_rate",
                        "satisfaction",
                    ],
                ),
            ),
        ],
        filters=[(n, "capdev_facts", c) for n, c in FILTERS_FACTS],
    ),
    Board(
        title="Duplication",
        slug="duplication",
        about="Pairs of activities of two units that are the same course delivered twice "
        "(same topic, audience and period, titles naming the same subjects), and people "
        "reached on one topic by more than one bureau.",
        charts=[
            ("capdev_overlap_pairs", big("Overlapping pairs", "overlapping_pairs")),
            ("capdev_overlap_pairs", big("Cross-bureau pairs", "cross_bureau_pairs")),
            (
                "capdev_shared_participants",
                big("People reached by several bureaux", "shared_people"),
            ),
            (
                "capdev_overlap_pairs",
                heatmap(
                    "Overlapping pairs: bureau pair x topic",
                    "topic",
                    "bureau_pair",
                    "overlapping_pairs",
                ),
            ),
            (
                "capdev_overlap_pairs",
                trend(
                    "Overlapping pairs per year, by bureau pair",
                    ["overlapping_pairs"],
                    ["bureau_pair"],
                ),
            ),
            (
                "capdev_shared_participants",
                bars("Shared participants by topic", "topic", ["shared_people"], []),
            ),
            (
                "capdev_overlap_pairs",
                table(
                    "Overlapping activities",
                    ["bureau_pair", "topic", "title_a", "title_b"],
                    ["avg_score"],
                ),
            ),
        ],
        filters=[
            ("Bureau", "capdev_overlap_pairs", "bureau"),
            ("Year", "capdev_overlap_pairs", "year"),
            ("Activity's region", "capdev_overlap_pairs", "activity_region"),
            ("Participant's region", "capdev_shared_participants", "participant_region"),
            ("Topic", "capdev_overlap_pairs", "topic"),
            ("Activity type", "capdev_overlap_pairs", "activity_type"),
            ("Language", "capdev_overlap_pairs", "language"),
            ("Platform", "capdev_overlap_pairs", "platform"),
        ],
    ),
    Board(
        title="Platform differences",
        slug="platform-differences",
        about="What each platform records and how: share of records with each field "
        "filled, share harmonised onto the common vocabulary, and the platform's own "
        "convention (docs/platform-conventions.md).",
        charts=[
            (
                "capdev_platform_profile",
                heatmap(
                    "Field filled, by platform",
                    "platform",
                    "entity_field",
                    "completeness",
                    ".0%",
                ),
            ),
            (
                "capdev_platform_profile",
                heatmap(
                    "Field harmonised, by platform",
                    "platform",
                    "entity_field",
                    "harmonized",
                    ".0%",
                ),
            ),
            (
                "capdev_platform_profile",
                raw_table(
                    "Conventions",
                    ["platform", "entity", "field", "convention", "observed_values"],
                    [["platform", True]],
                ),
            ),
            (
                "capdev_unmapped_terms",
                bars("Unmapped terms by platform", "platform", ["unmapped"], ["kind"]),
            ),
        ],
        filters=[
            ("Platform", "capdev_platform_profile", "platform"),
            ("Entity", "capdev_platform_profile", "entity"),
        ],
    ),
    Board(
        title="ITU Academy candidates",
        slug="academy-candidates",
        about="Activities run outside the ITU Academy that could move onto it: reach, "
        "quality and the closest Academy course (council.academy_candidates).",
        charts=[
            ("capdev_academy_candidates", big("Candidate activities", "candidates")),
            ("capdev_academy_candidates", big("People they trained", "people_trained")),
            (
                "capdev_academy_candidates",
                bars(
                    "Candidates by bureau and recommendation",
                    "bureau",
                    ["candidates"],
                    ["recommendation"],
                ),
            ),
            (
                "capdev_academy_candidates",
                bars("Candidates by topic", "topic", ["candidates"], []),
            ),
            (
                "capdev_academy_candidates",
                raw_table(
                    "Candidates",
                    [
                        "candidate_rank",
                        "title",
                        "bureau",
                        "platform",
                        "topic",
                        "year",
                        "people_trained",
                        "quality_score",
                        "recommendation",
                        "best_academy_match",
                    ],
                    [["candidate_rank", True]],
                ),
            ),
        ],
        filters=[
            ("Bureau", "capdev_academy_candidates", "bureau"),
            ("Year", "capdev_academy_candidates", "year"),
            ("Activity's region", "capdev_academy_candidates", "activity_region"),
            ("Topic", "capdev_academy_candidates", "topic"),
            ("Activity type", "capdev_academy_candidates", "activity_type"),
            ("Platform", "capdev_academy_candidates", "platform"),
        ],
    ),
    Board(
        title="Council headline figures",
        slug="council",
        about="The figures of the Council report (council schema): people counted once "
        "across platforms, bureau ALL = every bureau together, cells describing fewer than 5 "
        "people withheld and counts rounded (docs/council.md).",
        charts=[
            (
                "capdev_council_headline",
                trend("People trained per year, by bureau", ["people_trained"], ["bureau"]),
            ),
            (
                "capdev_council_headline",
                trend(
                    "Women trained (share) per year, by bureau", ["women_share"], ["bureau"], ".0%"
                ),
            ),
            (
                "capdev_council_activity_figures",
                heatmap("Activities: bureau x topic", "topic", "bureau", "activities"),
            ),
            (
                "capdev_council_headline",
                raw_table(
                    "Headline figures",
                    [
                        "year",
                        "bureau",
                        "activities",
                        "people_trained",
                        "completions",
                        "certificates",
                        "women_share",
                        "developing_share",
                        "ldc_lldc_sids_share",
                        "suppressed",
                    ],
                    [["year", False]],
                ),
            ),
        ],
        filters=[
            ("Bureau", "capdev_council_headline", "bureau"),
            ("Year", "capdev_council_headline", "year"),
            ("Activity's region", "capdev_council_activity_figures", "activity_region"),
            ("Topic", "capdev_council_activity_figures", "topic"),
            ("Activity type", "capdev_council_activity_figures", "activity_type"),
        ],
    ),
)
