"""Rule thicknesses as the .docx stores them, so both outputs draw the same strokes."""

from __future__ import annotations

from docgen.style.profile import mm_to_pt

# Single-line border widths Word offers, in eighths of a point (¼ … 6 pt); the .docx writer
# (docgen.writers.ooxml.border_eighths) writes the nearest of these, and LibreOffice draws it.
WORD_BORDER_EIGHTHS = (2, 4, 6, 8, 12, 18, 24, 36, 48)


def border_pt(mm: float) -> float:
    """A thickness in mm → the nearest Word border width, in points (0.35 mm → 1 pt,
    0.25 mm → ¾ pt, 0.5 mm → 1½ pt)."""
    eighths = mm_to_pt(mm) * 8
    return min(WORD_BORDER_EIGHTHS, key=lambda value: abs(value - eighths)) / 8
