"""The Council small-cell threshold, defined once: the dbt var ``council_min_cell_size``.

The dbt models suppress with it (``var('council_min_cell_size')``, no default in the models),
the yml tests check with it, and the publish scan and the disclosure auditor read it here from
``dbt_project/dbt_project.yml`` so that changing it there changes it everywhere.
"""

from __future__ import annotations

from functools import cache

from ingestion import config

VAR_NAME = "council_min_cell_size"


@cache
def min_cell_size() -> int:
    """Smallest number of people a published cell may describe (cells of 1..n-1 suppressed)."""
    value = int(config.dbt_var(VAR_NAME))
    if value < 2:
        raise ValueError(f"{VAR_NAME} must be at least 2, not {value}")
    return value
