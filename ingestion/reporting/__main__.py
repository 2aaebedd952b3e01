"""``python -m ingestion.reporting --from 2018 --to 2025``."""

from ingestion.reporting.render import main

raise SystemExit(main())
