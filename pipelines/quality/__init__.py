"""Data quality: GX suites (expectations/gx/expectations/*.json) run on frames pulled from DuckDB.

Great Expectations takes seconds to import and prints progress bars; it is imported only inside
``pipelines.quality.gx_runner``, never on the Definitions import path.
"""
