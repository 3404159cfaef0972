"""DuckDB: the build database's raw schema, loading, and write-audit-publish."""
