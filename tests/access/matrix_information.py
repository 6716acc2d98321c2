"""The authorization matrix's rows for the information app (see matrix.py for how to read a row)."""

from .matrix import Case  # noqa: F401

ROWS: dict[str, list[Case]] = {}
