"""The monthly 通报 (bulletin): numbers from the published snapshot's marts (``numbers``), Word from the
office's template with docxtpl and PDF from that .docx with LibreOffice headless (``render``). No Dagster,
no Dash. This module imports neither Word nor matplotlib: the dashboard names the files from here."""
from .numbers import DEFAULT_SCOPE_SQL, BulletinError, Period, file_stem

__all__ = ["DEFAULT_SCOPE_SQL", "BulletinError", "Period", "file_stem"]
