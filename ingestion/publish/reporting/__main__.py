"""``python -m ingestion.publish.reporting --from 2018 --to 2025``."""

from ingestion.publish.reporting.render import main

raise SystemExit(main())
