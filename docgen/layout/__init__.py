"""Layout: the Document on the GB/T 9704 grid — Chinese line breaking (禁则), pagination, page
numbers — as positioned pages of plain data. Pure Python; the PDF writer only draws the result.

    from docgen.layout import layout_document
    pages = layout_document(document, profile, metrics)   # metrics: FontSet or StubMetrics
"""

from docgen.layout.boxes import Glyph, Line, Page
from docgen.layout.metrics import Metrics, StubMetrics
from docgen.layout.pages import layout_document, page_number_line

__all__ = ["Glyph", "Line", "Page", "Metrics", "StubMetrics", "layout_document", "page_number_line"]
