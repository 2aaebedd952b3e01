"""The one pseudonymization rule: an HMAC-SHA256 of a text under the secret key.

The published keys are defined here and nowhere else: :func:`participant_record_key` (one
platform record) and :func:`participant_key` (a person: from the smallest record key of their
records). Without the secret nobody can link them back to a platform's ids, and with it nobody
needs to: the crosswalk lives in the private tier. dbt calls these very functions through the
DuckDB functions that :mod:`ingestion.warehouse.duckdb_plugin` registers (the macros of
``dbt_project/macros/keys.sql`` only name them), so the secret never appears in SQL and the
rule is not written twice.
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


def participant_record_key(platform: str, source_record_key: str, key: bytes | None = None) -> str:
    """The published key of one platform record: the HMAC of ``<platform>|<record key>``."""
    return pseudonymize(f"{platform}|{source_record_key}", key)


def participant_key(record_key: str, key: bytes | None = None) -> str:
    """The published key of a person: the HMAC of ``participant|<record key>``, the record key
    being the smallest ``participant_record_key`` of the person's records."""
    return pseudonymize(f"participant|{record_key}", key)
