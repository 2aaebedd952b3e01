"""The dashboards as code: what ``build_assets.py`` creates in Superset and exports.

``datasets`` (SQL and metrics), ``charts`` (chart specs), ``boards`` (each dashboard's charts
and filters, as data), ``layout`` (position, native filters, metadata), ``api`` (the REST
session), ``build`` (creates everything through the API) and ``export`` (the committed YAML).
Imported with ``dashboards/`` on ``sys.path`` (``build_assets.py`` puts it there), beside
``start.py`` whose names (the assets folder, the database) it shares.
"""
