"""Words for the codes the Council marts carry, and readable names for their columns.

The marts already give topics and activity types by their English taxonomy label; delivery
modes, genders, bureaux and the ``ALL`` rows are codes. The report shows labels everywhere; the
workbook keeps a code only in a machine column where a code is useful for filtering.
"""

from __future__ import annotations

import re

BUREAU_NAMES = {
    "BDT": "Telecommunication Development Bureau (BDT)",
    "BR": "Radiocommunication Bureau (BR)",
    "TSB": "Telecommunication Standardization Bureau (TSB)",
    "GS": "General Secretariat (GS)",
    "ALL": "All bureaux",
}
DELIVERY_MODES = {
    "online_self_paced": "Online, self-paced",
    "online_live": "Online, live",
    "online": "Online",
    "in_person": "In person",
    "hybrid": "Hybrid",
    "blended": "Blended",
    "unknown": "Not recorded",
}
GENDERS = {
    "women": "Women",
    "men": "Men",
    "other": "Other",
    "unknown": "Not recorded",
}
DIMENSIONS = {
    "overall": "All",
    "region": "Region",
    "participant_region": "Participant region",
    "topic": "Topic",
    "activity_type": "Activity type",
    "delivery_mode": "Delivery mode",
    "gender": "Gender",
}
# Readable names of the marts' columns (the workbook's header row; the HTML has its own).
COLUMNS = {
    "year": "Year",
    "bureau": "Bureau",
    "bureau_a": "First bureau",
    "bureau_b": "Second bureau",
    "region": "Region",
    "topic": "Topic",
    "activity_type": "Activity type",
    "delivery_mode": "Delivery mode",
    "delivery_mode_code": "Delivery mode (code)",
    "gender": "Gender",
    "gender_code": "Gender (code)",
    "title": "Activity",
    "activities": "Activities",
    "participations": "Participations",
    "people_trained": "People trained",
    "completions": "Completions",
    "certificates": "Certificates",
    "completion_rate": "Completion rate",
    "pass_rate": "Pass rate (normalized)",
    "avg_satisfaction_1_5": "Satisfaction (1–5)",
    "developing_share": "Share from developing countries",
    "ldc_lldc_sids_share": "Share from LDCs, LLDCs, SIDS",
    "women_share": "Women's share (of women and men)",
    "suppressed": "Suppressed (fewer than 5 people)",
    "partially_suppressed": "Partly suppressed",
    "part_year": "Part year",
    "overlapping_pairs": "Overlapping activity pairs",
    "activities_a": "Activities of the first bureau",
    "activities_b": "Activities of the second bureau",
    "catalogue_share_a": "Share of the first bureau's catalogue",
    "catalogue_share_b": "Share of the second bureau's catalogue",
    "avg_overlap_score": "Mean overlap score",
    "shared_participants": "People served by both",
    "candidate_rank": "Rank (all years)",
    "rank_in_period": "Rank in period",
    "quality_score": "Quality score",
    "similar_academy_course": "Similar Academy course",
    "best_academy_match": "Closest Academy course",
    "recommendation": "Recommendation",
}
_CODE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


def humanize(code: str) -> str:
    """``in_person`` -> ``In person``: a code no table names, said in words."""
    words = code.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def label(value, kind: str | None = None) -> str:
    """The label of a code of ``kind`` (bureau, delivery_mode, gender, dimension); any other
    snake_case code is said in words; a label passes through."""
    if value is None:
        return "—"
    text = str(value)
    table = {
        "bureau": {"ALL": "All bureaux"},
        "bureau_name": BUREAU_NAMES,
        "delivery_mode": DELIVERY_MODES,
        "gender": GENDERS,
        "dimension": DIMENSIONS,
    }.get(kind or "", {})
    if text in table:
        return table[text]
    if text in DELIVERY_MODES and kind is None:
        return DELIVERY_MODES[text]
    return humanize(text) if _CODE.match(text) else text


def column_label(column: str) -> str:
    return COLUMNS.get(column) or humanize(column)
