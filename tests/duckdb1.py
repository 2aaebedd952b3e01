"""Open a published DuckDB file with a DuckDB 1.x client, as the BI tools that ship it would.

The client lives in its own locked environment (``tests/duckdb1_reader``, installed by
``make test``), apart from the project's DuckDB 2.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from ingestion import config

READER = config.PROJECT_ROOT / "tests" / "duckdb1_reader" / ".venv" / "bin" / "python"

# Every table's row count and column types, as the 1.x client reads them.
_SCRIPT = """
import duckdb, json, sys
con = duckdb.connect(sys.argv[1], read_only=True)
out = {"version": duckdb.__version__, "tables": {}}
for schema, table in con.execute(
    "select schema_name, table_name from duckdb_tables() order by 1, 2"
).fetchall():
    name = f'"{schema}"."{table}"'
    (rows,) = con.execute(f"select count(*) from {name}").fetchone()
    types = dict(con.execute(
        "select column_name, data_type from duckdb_columns() "
        "where schema_name = ? and table_name = ?", [schema, table]
    ).fetchall())
    out["tables"][f"{schema}.{table}"] = {"rows": rows, "types": types}
print(json.dumps(out))
"""


def read_with_duckdb1(db: Path) -> dict:
    """``{"version": ..., "tables": {"schema.table": {"rows": n, "types": {...}}}}``."""
    if not READER.exists():
        pytest.fail(f"no DuckDB 1.x client: run `uv sync --frozen --project {READER.parents[2]}`")
    done = subprocess.run(
        [str(READER), "-c", _SCRIPT, str(db)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)
