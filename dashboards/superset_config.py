"""Superset's settings for the capacity-development dashboards (``SUPERSET_CONFIG_PATH``).

Superset runs offline on loopback over the *published* warehouse only: its own metadata database
in ``data/superset/``, no telemetry, nothing loaded from outside the server (strict content
security policy: no map tiles, CDNs or web fonts), no anonymous access. ``dashboards/start.py``
sets the environment this file reads and starts the server; docs in ``dashboards/README.md``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from flask import Blueprint, abort, redirect, send_from_directory
from flask_login import current_user

PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The project's own package owns where files live and how the published file is locked down;
# only its stdlib+PyYAML modules are imported (ingestion/config.py, ingestion/publish/query.py).
sys.path.insert(0, str(PROJECT_ROOT))
from ingestion import config as capdev_config  # noqa: E402
from ingestion.publish.query import LOCKED_DOWN  # noqa: E402

SUPERSET_HOME = capdev_config.data_dir() / "superset"
SUPERSET_HOME.mkdir(parents=True, exist_ok=True)

# --- the server --------------------------------------------------------------------------------
SECRET_KEY = os.environ["SUPERSET_SECRET_KEY"]  # start.py reads it from the settings
SQLALCHEMY_DATABASE_URI = f"sqlite:///{SUPERSET_HOME / 'superset.db'}"
APP_NAME = "ITU capacity development"
# Charts and SQL Lab always query the file as it is now: a nightly publish shows at once.
CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
DATA_CACHE_CONFIG = {"CACHE_TYPE": "NullCache"}
SQLLAB_TIMEOUT = 60
SQL_MAX_ROW = 100_000

# --- who gets in -------------------------------------------------------------------------------
# Anonymous visitors get nothing (the Public role stays empty) and self-registration is off.
PUBLIC_ROLE_LIKE = None
AUTH_USER_REGISTRATION = False
WTF_CSRF_ENABLED = True

# --- nothing leaves the machine ----------------------------------------------------------------
# No telemetry pixel, no external fonts, no Mapbox / OpenStreetMap tiles.
SCARF_ANALYTICS = False
MAPBOX_API_KEY = ""
THEME_FONT_URL_ALLOWED_DOMAINS: list[str] = []
FEATURE_FLAGS = {
    "DASHBOARD_NATIVE_FILTERS": True,
    "DASHBOARD_CROSS_FILTERS": True,
    "ENABLE_TEMPLATE_PROCESSING": False,
    "ALERT_REPORTS": False,
    "EMBEDDED_SUPERSET": False,
}
TALISMAN_ENABLED = True
TALISMAN_CONFIG = {
    "content_security_policy": {
        "base-uri": ["'self'"],
        "default-src": ["'self'"],
        "img-src": ["'self'", "blob:", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "object-src": "'none'",
        "style-src": ["'self'", "'unsafe-inline'"],
        "font-src": ["'self'", "data:"],
        "script-src": ["'self'", "'strict-dynamic'"],
    },
    "content_security_policy_nonce_in": ["script-src"],
    "force_https": False,
    "session_cookie_secure": False,
}

# --- the published warehouse -------------------------------------------------------------------
#: How Superset opens the published file: read-only and locked down exactly as ``capdev query``
#: opens it (no other files or databases, no extensions, configuration locked), and a new
#: connection per query (Superset's default NullPool), so the file swapped in by the nightly
#: publish (an atomic rename) is the one read next.
WAREHOUSE_CONNECT_ARGS = {"read_only": True, "config": dict(LOCKED_DOWN)}
#: The duckdb-engine URI of the published warehouse (start.py registers it).
WAREHOUSE_URI = f"duckdb:///{capdev_config.published_warehouse()}"


# --- the data dictionary (dbt docs), next to the dashboards -------------------------------------
DBT_DOCS_DIR = capdev_config.data_dir() / "dbt_docs"
dbt_docs = Blueprint("capdev_dbt_docs", __name__)


@dbt_docs.route("/dbt-docs/")
@dbt_docs.route("/dbt-docs/<path:name>")
def serve_dbt_docs(name: str = "index.html"):
    """The dbt docs site written by ``make docs``, for logged-in users only."""
    if not current_user.is_authenticated:
        return redirect("/login/")
    if not (DBT_DOCS_DIR / "index.html").exists():
        abort(404, "the data dictionary is not generated yet: run `make docs`")
    return send_from_directory(DBT_DOCS_DIR, name)


BLUEPRINTS = [dbt_docs]


def FLASK_APP_MUTATOR(app) -> None:  # noqa: N802 - Superset's name for the hook
    """dbt's static docs page runs inline scripts: allow them on that page only."""
    from superset.extensions import talisman

    view = app.view_functions["capdev_dbt_docs.serve_dbt_docs"]
    csp = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-inline'", "'unsafe-eval'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
    }
    app.view_functions["capdev_dbt_docs.serve_dbt_docs"] = talisman(
        content_security_policy=csp, content_security_policy_nonce_in=[]
    )(view)
