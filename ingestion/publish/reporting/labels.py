"""Words for the codes the Council marts carry, and readable names for their columns.

The labels of codes are not kept here: the Council file publishes each code with its English
label beside it (``<column>_label``, from ``reference.code_labels``), and the report reads them
from there (``ReportData.vocabulary``, :func:`label`). Bureaux keep their abbreviations (BDT,
BR, TSB, GS: ITU's own short names, spelled out in the report's definitions); every other code
is shown by its label. The workbook keeps codes only in machine columns (``Topic (code)``).
"""

from __future__ import annotations

import re

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
    "gender": "Gender",
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


def label(value, kind: str | None = None, vocabulary: dict | None = None) -> str:
    """The label of a code of list ``kind`` (bureau, gender, region, topic, dimension...) in
    ``vocabulary`` (the file's labels, :func:`~ingestion.publish.reporting.data.read_vocabulary`);
    ``kind`` "bureau" keeps a bureau's abbreviation (and labels ``ALL``), "bureau_name" gives
    its name. A code the file does not label is said in words; a label passes through."""
    if value is None:
        return "—"
    text = str(value)
    lists = vocabulary or {}
    if kind == "bureau" and text != "ALL":
        return text
    names = lists.get("bureau" if kind == "bureau_name" else kind or "", {})
    if text in names:
        return names[text]
    return humanize(text) if _CODE.match(text) else text


def column_label(column: str) -> str:
    """The header of a column: its readable name; a code column's is "<name> (code)"."""
    if column in COLUMNS:
        return COLUMNS[column]
    if column.endswith("_code"):
        return f"{column_label(column.removesuffix('_code'))} (code)"
    return humanize(column)
