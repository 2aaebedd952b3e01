"""Start Superset over the published warehouse: set up its metadata, users and dashboards, serve.

    dashboards/.venv/bin/python dashboards/start.py              # what `make dashboards` runs
    dashboards/.venv/bin/python dashboards/start.py --setup-only # set up, do not serve

Runs in the dashboards' own environment (``dashboards/pyproject.toml``: Superset pins other
SQLAlchemy and DuckDB versions than the pipeline). Every start:

1. reads the settings: ``SUPERSET_SECRET_KEY`` (else a key generated once into
   ``data/superset/secret_key``), ``SUPERSET_ADMIN_PASSWORD`` and ``SUPERSET_MANAGER_PASSWORD``
   (else generated once into ``data/superset/*_password``, readable by the owner only);
2. migrates Superset's metadata database (``data/superset/superset.db``) and syncs its roles;
3. creates the ``Manager`` role (dashboards and SQL Lab on the published database, nothing
   else) and the users ``admin`` (Admin) and ``manager`` (Manager), resetting their passwords
   to the settings;
4. imports the committed assets (``dashboards/assets/``: database, datasets, charts,
   dashboards as Superset's assets export writes them), overwriting what is there, with the
   published warehouse's path filled in;
5. serves on loopback with gunicorn (``--host``/``--port``, default 127.0.0.1:8088).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ASSETS = HERE / "assets"
#: Written in the committed YAML where the published warehouse's URI goes (it differs per machine).
URI_PLACEHOLDER = "duckdb:///__CAPDEV_PUBLISHED_WAREHOUSE__"
DATABASE_NAME = "ITU capacity development (published)"
ADMIN, MANAGER = "admin", "manager"  # the two logins
MANAGER_ROLE = "Manager"


def data_dir() -> Path:
    """The project's data folder (``CAPDEV_DATA_DIR``, as ``ingestion.config`` reads it)."""
    return Path(os.environ.get("CAPDEV_DATA_DIR", HERE.parent / "data")).resolve()


def setting(name: str, file_name: str) -> str:
    """A secret from the environment, else one generated once and kept in ``data/superset/``."""
    if os.environ.get(name):
        return os.environ[name]
    path = data_dir() / "superset" / file_name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def prepare_environment() -> None:
    """Everything superset_config.py and Superset read, set before Superset is imported."""
    os.environ["CAPDEV_DATA_DIR"] = str(data_dir())
    os.environ["SUPERSET_CONFIG_PATH"] = str(HERE / "superset_config.py")
    os.environ["SUPERSET_HOME"] = str(data_dir() / "superset")
    os.environ["SUPERSET_SECRET_KEY"] = setting("SUPERSET_SECRET_KEY", "secret_key")
    os.environ["SCARF_ANALYTICS"] = "false"
    os.environ.setdefault("FLASK_APP", "superset.app:create_app()")


def asset_bundle(uri: str) -> dict[str, str]:
    """The committed YAML as Superset's importer reads a bundle, with the warehouse URI set."""
    contents = {}
    for path in sorted(ASSETS.rglob("*.yaml")):
        text = path.read_text()
        contents[path.relative_to(ASSETS).as_posix()] = text.replace(URI_PLACEHOLDER, uri)
    return contents


def sync_manager_role(security_manager, database) -> None:
    """``Manager``: what Gamma (dashboards, charts) and sql_lab give, on the published database.

    Data access is the one ``database_access`` on the published database: no other database is
    registered, so SQL Lab sees that one only; the database itself is read-only (DuckDB opens
    the file read-only, locked down, and Superset allows no DML on it).
    """
    role = security_manager.find_role(MANAGER_ROLE) or security_manager.add_role(MANAGER_ROLE)
    wanted = set()
    for template in ("Gamma", "sql_lab"):
        wanted |= set(security_manager.find_role(template).permissions)
    wanted.add(security_manager.add_permission_view_menu("database_access", database.perm))
    role.permissions = sorted(wanted, key=lambda pv: pv.id or 0)
    from superset.extensions import db

    db.session.commit()


def ensure_user(security_manager, username: str, role_name: str, password: str) -> None:
    """Create the user, or put its role and password back to the settings."""
    role = security_manager.find_role(role_name)
    user = security_manager.find_user(username=username)
    if user is None:
        security_manager.add_user(
            username, username.title(), "User", f"{username}@localhost", role, password
        )
        return
    user.roles = [role]
    user.active = True
    security_manager.reset_password(user.id, password)
    from superset.extensions import db

    db.session.commit()


def set_up() -> None:
    """Migrate, sync roles, users and the committed dashboards (idempotent)."""
    from flask import g
    from flask_migrate import upgrade
    from superset.app import create_app

    app = create_app()
    with app.app_context():
        import superset
        from superset import security_manager
        from superset.commands.importers.v1.assets import ImportAssetsCommand
        from superset.extensions import appbuilder, db
        from superset.models.core import Database

        upgrade(directory=str(Path(superset.__file__).parent / "migrations"))
        appbuilder.add_permissions(update_perms=True)
        security_manager.sync_role_definitions()

        admin_password = setting("SUPERSET_ADMIN_PASSWORD", "admin_password")
        ensure_user(security_manager, ADMIN, "Admin", admin_password)
        g.user = security_manager.find_user(username=ADMIN)

        uri = app.config["WAREHOUSE_URI"]
        ImportAssetsCommand(asset_bundle(uri)).run()
        database = db.session.query(Database).filter_by(database_name=DATABASE_NAME).one()
        # The path and the lock-down are the settings' to say, whatever an export held.
        database.sqlalchemy_uri = uri
        extra = json.loads(database.extra or "{}")
        extra["engine_params"] = {"connect_args": app.config["WAREHOUSE_CONNECT_ARGS"]}
        database.extra = json.dumps(extra)
        database.allow_dml = False
        database.allow_file_upload = False
        database.expose_in_sqllab = True
        db.session.commit()

        sync_manager_role(security_manager, database)
        ensure_user(
            security_manager,
            MANAGER,
            MANAGER_ROLE,
            setting("SUPERSET_MANAGER_PASSWORD", "manager_password"),
        )


def serve(host: str, port: int) -> None:
    """Replace this process with gunicorn serving Superset."""
    gunicorn = Path(sys.executable).with_name("gunicorn")
    os.execv(
        str(gunicorn),
        [
            str(gunicorn),
            "--bind",
            f"{host}:{port}",
            "--workers",
            "1",
            "--threads",
            "8",
            "--worker-class",
            "gthread",
            "--timeout",
            "120",
            "--limit-request-line",
            "0",
            "--limit-request-field_size",
            "0",
            "superset.app:create_app()",
        ],
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("SUPERSET_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("SUPERSET_PORT", 8088)))
    parser.add_argument("--setup-only", action="store_true", help="set up, do not serve")
    args = parser.parse_args(argv)
    prepare_environment()
    set_up()
    home = data_dir() / "superset"
    print(f"Superset: http://{args.host}:{args.port}/  (data dictionary: /dbt-docs/)")
    print(
        f"  Admin:   {ADMIN} / password in {home / 'admin_password'} (or SUPERSET_ADMIN_PASSWORD)"
    )
    print(
        f"  Manager: {MANAGER} / password in {home / 'manager_password'}"
        " (or SUPERSET_MANAGER_PASSWORD)",
        flush=True,
    )
    if not args.setup_only:
        serve(args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
