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
import os

KEY_ENV = "CAPDEV_PSEUDONYM_KEY"
#: Used only when the environment sets no key (development and tests). Production sets a secret.
DEV_KEY = "capdev-dev-only-pseudonym-key"


def pseudonym_key() -> bytes:
    """The secret key (``CAPDEV_PSEUDONYM_KEY``; the development key when unset)."""
    return os.environ.get(KEY_ENV, DEV_KEY).encode("utf-8")


def pseudonymize(text: str, key: bytes | None = None) -> str:
    """HMAC-SHA256 of ``text`` under the key, as 64 hex characters."""
    return hmac.new(key or pseudonym_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()
