"""The warehouse: dbt on DuckDB builds it from the raw zone (identity resolution inside)."""
