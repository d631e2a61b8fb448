"""Fonts for the PDF: role → font file, the one-time TrueType build, coverage and fallback.

Importing this package is cheap: fontTools and reportlab are imported inside the functions that use them.

- :func:`report` — what each role resolves to (for ``docgen fonts``).
- :func:`build` — convert the CFF faces once into the cache (for ``docgen fonts build``).
- :class:`FontSet` — faces per role for the layout engine and the PDF writer.
"""

from docgen.fonts.convert import build, cache_dir
from docgen.fonts.fontset import NOT_BUILT, Face, Fallback, FontSet, load_fontset
from docgen.fonts.report import COLUMNS, report
from docgen.fonts.resolve import CJK_ROLES, ROLES, USAGE, FontSource, resolve_all, resolve_role

__all__ = [
    "CJK_ROLES", "COLUMNS", "NOT_BUILT", "ROLES", "USAGE", "Face", "Fallback", "FontSet", "FontSource",
    "build", "cache_dir", "load_fontset", "report", "resolve_all", "resolve_role",
]
