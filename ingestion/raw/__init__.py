"""The raw zone: a batch's whole life, from landing to its outcome.

``landing`` archives what was pulled and lands it as Parquet; ``batch`` owns each batch's state
and is the only writer of manifest records; ``validation`` (Great Expectations) decides what is
accepted, quarantined or rejected and writes nothing; ``quarantine`` keeps held-back rows and
releases them; ``ingest`` is the nightly steps the DAGs call. See ``docs/raw-zone.md``.
"""
