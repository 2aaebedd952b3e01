"""One hand-made council.duckdb and one rendered report for the reporting tests.

The report covers 2019–2024 as of 30 June 2024, so 2024 is a part year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pytest
from council_fixture import build_council_db

from ingestion.publish.reporting import render_report

# The private tier's personal values the report is scanned for (none of them in the fixture).
PERSONAL = pa.table({"kind": ["full_name"], "personal_value": ["amina diallo"]})
AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="session")
def council_db(tmp_path_factory) -> Path:
    return build_council_db(tmp_path_factory.mktemp("council") / "council.duckdb")


@pytest.fixture(scope="session")
def report(council_db, tmp_path_factory) -> dict:
    return render_report(
        2019,
        2024,
        tmp_path_factory.mktemp("reports"),
        council_db=council_db,
        personal=PERSONAL,
        as_of=AS_OF,
    )
