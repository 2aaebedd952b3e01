"""Write Superset's assets export as the committed YAML, the warehouse's path as a placeholder."""

from __future__ import annotations

import io
import shutil
import zipfile
from pathlib import Path

import yaml
from start import ASSETS, URI_PLACEHOLDER

from .api import Superset


def export(api: Superset) -> None:
    """Write Superset's assets export into dashboards/assets/ (the committed YAML)."""
    response = api.http.get(f"{api.url}/api/v1/assets/export/", timeout=300)
    response.raise_for_status()
    shutil.rmtree(ASSETS, ignore_errors=True)
    with zipfile.ZipFile(io.BytesIO(response.content)) as bundle:
        for member in bundle.namelist():
            if not member.endswith(".yaml"):
                continue
            relative = Path(*Path(member).parts[1:])  # drop the export's dated top folder
            text = bundle.read(member).decode()
            if relative.parts[0] == "databases":
                config = yaml.safe_load(text)
                config["sqlalchemy_uri"] = URI_PLACEHOLDER
                config.pop("extra", None)  # start.py sets the engine's lock-down itself
                config["extra"] = {"allows_virtual_table_explore": True}
                text = yaml.safe_dump(config, sort_keys=False)
            target = ASSETS / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    print(f"exported to {ASSETS}: {sum(1 for _ in ASSETS.rglob('*.yaml'))} files")
