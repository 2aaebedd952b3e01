"""The one pseudonymization rule: an HMAC-SHA256 of a text under the secret key.

Published record and participant keys are ``pseudonymize("<platform>|<record key>")`` and
``pseudonymize("participant|<smallest record key>")``; without the secret nobody can link them
back to a platform's ids, and with it nobody needs to: the crosswalk lives in the private tier.
dbt computes the same function through the DuckDB function ``capdev_pseudonym`` that
:mod:`ingestion.warehouse.duckdb_plugin` registers, so the secret never appears in SQL.
"""

from __future__ import annotations

import hashlib
import hmac

from ingestion import secrets

KEY_ENV = secrets.PSEUDONYM_KEY_ENV
DEV_KEY = secrets.DEV_PSEUDONYM_KEY


def pseudonym_key() -> bytes:
    """The secret key (``CAPDEV_PSEUDONYM_KEY``), checked: outside demo/test mode a missing,
    placeholder or development key raises :class:`ingestion.secrets.SecretsError`."""
    return secrets.pseudonym_key().encode("utf-8")


def pseudonymize(text: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of ``text`` under the key, as 64 hex characters."""
    return hmac.new(key or pseudonym_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()
