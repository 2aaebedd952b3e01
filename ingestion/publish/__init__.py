"""What leaves the build: the published warehouse, the Council marts and report, queries."""
