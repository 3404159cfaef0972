"""The Dagster shell: thin assets, checks, jobs, schedules and sensors over the core in pipelines/."""
