"""Readers turn a plan file into lines; every format yields the same line-addressed text."""
from .txt import read_lines, file_checksum  # noqa: F401
