"""The pooled quality figures add up the seeds' counts: a seed with few pairs weighs little,
and a ratio is never averaged."""

from __future__ import annotations

import pytest

from sandbox.quality_bench import format_quality, pooled


def _seed(seed, held, inside, activities, type_accuracy):
    """A seed's evaluation with (right, predicted, true, near flagged, near) per part."""

    def part(right, predicted, true, flagged, near):
        return {
            "true_positive_pairs": right,
            "predicted_pairs": predicted,
            "true_pairs": true,
            "true_pairs_found": right,
            "near_miss_pairs_flagged": flagged,
            "near_miss_pairs": near,
            "precision": right / predicted if predicted else None,
            "recall": right / true,
        }

    words = {
        "activities": activities,
        "type_accuracy": type_accuracy,
        "topic_accuracy": 1.0,
        "type_unmapped_share": 0.0,
        "topic_unmapped_share": 0.0,
    }
    return {
        "seed": seed,
        "overlaps": {"by_vocabulary": {"held_out": part(*held), "in_sample": part(*inside)}},
        "taxonomy": {"held_out": words, "in_sample": words},
    }


def test_pooled_figures_are_the_sums_of_the_seeds_counts():
    results = [
        _seed(1, (9, 10, 10, 1, 20), (30, 30, 31, 0, 40), 100, 0.90),
        _seed(2, (1, 4, 10, 2, 20), (20, 20, 20, 0, 40), 300, 1.00),
    ]
    total = pooled(results)
    held = total["overlaps"]["held_out"]
    # 10 right of 14 predicted, not the mean of 0.9 and 0.25
    assert held["precision"] == pytest.approx(10 / 14)
    assert held["recall"] == pytest.approx(10 / 20)
    assert (held["near_miss_pairs_flagged"], held["near_miss_pairs"]) == (3, 40)
    assert total["overlaps"]["in_sample"]["recall"] == pytest.approx(50 / 51)
    # taxonomy weighted by activities: (0.9 * 100 + 1.0 * 300) / 400
    assert total["taxonomy"]["held_out"]["type_accuracy"] == pytest.approx(0.975)
    assert total["seeds"] == [1, 2]
    printed = format_quality(results, total)
    assert "pooled  0.714 ( 10/ 14) 0.500 ( 10/ 20)" in printed
