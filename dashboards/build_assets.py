"""Build the dashboards through Superset's REST API, then export them as the committed YAML.

    make dashboards                       # in one terminal: Superset running
    dashboards/.venv/bin/python dashboards/build_assets.py [--url http://127.0.0.1:8088]

How the YAML in ``dashboards/assets/`` was made, and how to remake it from scratch after a
change of design. Everyday edits go through Superset's UI instead, then
``build_assets.py --export-only`` writes the YAML back for review. Either way the
committed files are exactly what Superset's ``/api/v1/assets/export/`` writes, with the
machine-specific warehouse path replaced by a placeholder that ``start.py`` fills in.

The dashboards themselves are data in ``builder/``: the datasets (``datasets.py``), the chart
kinds (``charts.py``) and each dashboard's charts and filters (``boards.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from builder.api import Superset  # noqa: E402
from builder.build import build  # noqa: E402
from builder.export import export  # noqa: E402
from start import data_dir  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:8088")
    parser.add_argument("--export-only", action="store_true")
    args = parser.parse_args(argv)
    password = (data_dir() / "superset" / "admin_password").read_text().strip()
    api = Superset(args.url, password)
    if not args.export_only:
        build(api)
    export(api)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
