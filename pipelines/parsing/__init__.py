"""Plan texts -> the records of shared/contracts/extraction.md. Pure: no Dagster, dbt, GX or Dash."""
from .document import parse_document, parse_lines  # noqa: F401
