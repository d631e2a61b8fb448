"""Layout: the Document on the GB/T 9704 grid — Chinese line breaking (禁则), 版头, tables, charts,
署名/日期, attachments, pagination, 版记 and page numbers — as positioned pages of plain data, the way
LibreOffice lays out docgen's .docx. Pure Python; the PDF writer only draws the result.

    from docgen.layout import layout_document
    pages = layout_document(document, profile, metrics)   # metrics: FontSet or StubMetrics

Modules: ``lines`` (breaking one paragraph), ``paragraphs`` (lines as flow pieces), ``flow`` (the
paginator), ``header``, ``signoff``, ``tables`` (tables and charts), ``colophon``, ``pages`` (the
whole document; :func:`colophon_on_last_page`, where the 版记 goes, for both writers), ``placement``
(the arithmetic the .docx writer shares), ``boxes`` (the output data).
"""

from docgen.layout.boxes import Glyph, Line, Page, Picture, Rule, VRule
from docgen.layout.metrics import Metrics, StubMetrics
from docgen.layout.pages import colophon_on_last_page, layout_document, page_number_line

__all__ = ["Glyph", "Line", "Page", "Picture", "Rule", "VRule", "Metrics", "StubMetrics", "colophon_on_last_page",
           "layout_document", "page_number_line"]
