"""The monthly 通报 (bulletin): numbers from the published snapshot's marts, Word from the office's
template (docxtpl), PDF from that .docx (LibreOffice headless). No Dagster, no Dash."""
from .numbers import BulletinError, Period
from .render import PAGE_ROWS, TEMPLATE, Written, file_stem, template_path, write_bulletins

__all__ = ["BulletinError", "PAGE_ROWS", "Period", "TEMPLATE", "Written", "file_stem", "template_path", "write_bulletins"]
