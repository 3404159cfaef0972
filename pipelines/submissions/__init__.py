"""Progress reports and indicator observations: sample out, read, validate, ingest. Pure core."""
