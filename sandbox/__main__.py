"""``python -m sandbox ...``: the same as ``capdev-sandbox ...``."""

from sandbox.cli import main

raise SystemExit(main())
