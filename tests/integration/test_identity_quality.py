"""Identity resolution and overlap detection on the sandbox, scored against its ground truth.

The session's small sandbox (tests/conftest.py: TEST_SCALE), as the ``published_sandbox``
fixture takes it through the real pipeline once for the run (every platform through the real
connectors and file readers, the whole ``dbt build``), is compared with its ground truth by
``ingestion.evaluate``: the same figures ``capdev evaluate`` prints at full scale.

Overlaps are scored against the generator's intent (sandbox/generator/courses.py): its
duplicate groups are the truth, its near misses (another unit, same topic, region and weeks,
another subject or level) and same-period neighbours are not duplicates. The floors come from
measured figures on this sandbox (seed 7, scale 0.03: 8 truth pairs, 8 planned near misses):
with every course name in the seed's own words the detector found 8 of 8 with no false positive
(precision 1.0, recall 1.0, 0 near misses flagged), while the bare candidate rule (same topic,
region and window, flagging every neighbour) scores precision 0.67 and flags 3 near misses.
Since 3 of the 8 pairs (and 3 of the near misses) are named from the held-out course vocabulary
(sandbox/generator/heldout.py), the in-sample part is held to precision >= 0.85 and recall >=
0.85 (5 pairs: no miss, no wrong pair) with at most one near miss flagged. On the held-out part
the detector with numbered levels and the second real-world vocabulary (docs/mission.md) finds
3 of 3 with no wrong pair and flags 0 of 3 near misses; the first real-world vocabulary scored
precision 0.60 (3 of 5) and flagged 2 of 3. Its floors allow one miss of three (recall >= 0.66),
one wrong pair of four (precision >= 0.75) and one near miss: the old detector fails them. So a
detector that stops reading the titles, or misses translated duplicates, fails here. The 0.90
held-out target is judged at scales 1 and 10 (met at scale 1, not at scale 10:
docs/mission.md), not on three pairs.
The identity floors are the scale-1 target (F1 >= 0.97), and every truth record must reach the
crosswalk.
"""

from __future__ import annotations

import pytest

from ingestion.evaluate import evaluate, format_report


@pytest.fixture(scope="module")
def scored(published_sandbox, sandbox_tree):
    """The evaluation of the published sandbox's build file (its private tier maps the truth's
    platform ids to keys)."""
    result = evaluate(
        published_sandbox / "warehouse" / "build.duckdb", sandbox_tree / "ground_truth"
    )
    print(format_report(result))
    return result


def test_every_true_record_reaches_the_crosswalk(scored):
    identity = scored["identity"]
    # the generated drops are all well-formed (file faults are applied only by the tests and
    # the demo that ask for them): every truth record must arrive, and nothing else
    assert identity["matched_records"] == identity["truth_records"], identity
    assert identity["matched_records"] == identity["crosswalk_records"]


def test_identity_resolution_quality(scored):
    identity = scored["identity"]
    # the harder sandbox (namesakes, noisy names without e-mail, people who move) scores
    # precision 0.997 / recall 0.980 / F1 0.988 at the test scale: a real regression fails
    assert identity["precision"] >= 0.98, identity
    assert identity["recall"] >= 0.95, identity
    assert identity["f1"] >= 0.97, identity


def test_no_person_merged_across_two_countries(scored):
    identity = scored["identity"]
    # the country guard: no person holds records stating two countries
    assert identity["clusters_merging_recorded_countries"] == 0, identity
    # a record without a country can still join a namesake abroad (same name, same e-mail
    # local part at another domain): rare, and counted against precision above
    assert identity["clusters_merging_countries"] <= 0.005 * identity["predicted_persons"], identity


def test_overlap_detection_quality(scored):
    overlaps = scored["overlaps"]
    # every truth pair is counted, a lost activity as a miss (ingestion.evaluate)
    assert overlaps["true_pairs"] == overlaps["truth_pairs"] >= 8, overlaps
    # both vocabulary parts are scored, and together they are every pair
    parts = overlaps["by_vocabulary"]
    assert parts["held_out"]["true_pairs"] > 0 and parts["in_sample"]["true_pairs"] > 0, parts
    assert sum(p["true_pairs"] for p in parts.values()) == overlaps["true_pairs"], parts
    # each part held to its floor (the docstring: measured 5 of 5 and 3 of 3, no wrong pair)
    inside, held = parts["in_sample"], parts["held_out"]
    assert inside["precision"] is not None and inside["precision"] >= 0.85, overlaps
    assert inside["recall"] is not None and inside["recall"] >= 0.85, overlaps
    assert held["precision"] is not None and held["precision"] >= 0.75, overlaps
    assert held["recall"] is not None and held["recall"] >= 0.66, overlaps


def test_near_misses_are_not_flagged(scored):
    overlaps = scored["overlaps"]
    assert overlaps["near_miss_pairs"] >= 8, overlaps
    inside, held = overlaps["by_vocabulary"]["in_sample"], overlaps["by_vocabulary"]["held_out"]
    assert inside["near_miss_pairs_flagged"] <= 1, overlaps
    assert held["near_miss_pairs_flagged"] <= 1, overlaps
