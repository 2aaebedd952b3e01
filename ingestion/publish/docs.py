"""The data dictionary: dbt's docs site for the published warehouse, as one static page.

    python -m ingestion.publish.docs          # `make docs`; writes data/dbt_docs/index.html

Superset serves the page at ``/dbt-docs/`` to logged-in users (``dashboards/superset_config.py``)
and every dashboard links to it. The catalog (columns and types as they are in the database) is
read from a throwaway copy of the *published* warehouse: only published tables get one, the
private build file is never opened, and dbt's artifacts go to their own folder so the nightly
build's ``run_results.json`` and ``manifest.json`` are left alone.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
from pathlib import Path

from ingestion import config


def docs_dir() -> Path:
    """Where the generated page lives (served by the dashboards)."""
    return config.data_dir() / "dbt_docs"


def generate_docs() -> Path:
    """Run ``dbt docs generate --static`` against a copy of the published warehouse."""
    from ingestion.warehouse.build import run_dbt

    published = config.published_warehouse()
    if not published.exists():
        raise FileNotFoundError(f"no published warehouse at {published}: run `make demo` first")
    out = docs_dir()
    with tempfile.TemporaryDirectory(prefix="capdev-docs-") as tmp:
        copy = Path(tmp) / "capdev.duckdb"
        shutil.copyfile(published, copy)
        target = Path(tmp) / "target"
        # parse, then document without compiling every model (compiling is most of the time;
        # the page still shows each model's SQL as written)
        run_dbt("parse", warehouse_path=copy, target_dir=target)
        run_dbt(
            "docs", "generate", "--static", "--no-compile", warehouse_path=copy, target_dir=target
        )
        out.mkdir(parents=True, exist_ok=True)
        # one self-contained file: manifest and catalog inlined, nothing fetched
        shutil.copyfile(target / "static_index.html", out / "index.html.tmp")
        (out / "index.html.tmp").replace(out / "index.html")
    return out / "index.html"


def main() -> int:
    try:
        page = generate_docs()
    except FileNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"data dictionary: {page} (served by `make dashboards` at /dbt-docs/)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
