"""``python -m ingestion.evaluate``: the same as ``capdev evaluate``."""

from ingestion.evaluate import main

main()
