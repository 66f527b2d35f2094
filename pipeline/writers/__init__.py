"""Writers: pure functions from stored records to the output tables (Parquet, CSV, DuckDB)."""
