"""Documents built to put the 版记 in each of its three places (GB/T 9704 7.4.1 + 7.5), shared by
the layout/PDF tests and the LibreOffice end-to-end tests.

The extra body paragraphs are Han characters only (no punctuation, digits or Latin), so every
line holds exactly 28 characters (26 on a first line) in LibreOffice, the layout and Word alike:
where the body ends does not depend on fonts.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from docgen.api import build_document
from docgen.model import Block, Document, Span

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
HAN = "为深入学习贯彻党的二十大精神团结动员全市广大职工在推动高质量发展中建功立业市总工会决定在全市开展创建活动"


def han(count: int, start: int = 0) -> str:
    """``count`` Han characters without punctuation or digits: lines break exactly every 28 (26)."""
    return "".join(HAN[(start + i) % len(HAN)] for i in range(count))


def request_with_lines(paragraph_lines: int) -> Document:
    """The example 请示 with one more body paragraph of ``paragraph_lines`` lines before
    “妥否，请批示。”. The body then ends on page 2 after ``paragraph_lines + 2`` of its 22 lines
    (the paragraph starts on page 1): 17 → 19 lines, the 版记 (one row, 1.07 lines) still fits
    under them with a free line; 19 → 21 lines, it does not."""
    document, _ = build_document(EXAMPLES / "request.yaml")
    extra = Block("body", (Span(han(26 + 28 * (paragraph_lines - 1)), "body"),))
    return dataclasses.replace(document, blocks=document.blocks[:3] + (extra,) + document.blocks[3:])


def notice_ending_on_page_3() -> Document:
    """The example 通知 with only its first attachment: the body ends on page 3 (odd)."""
    document, _ = build_document(EXAMPLES / "notice.yaml")
    return dataclasses.replace(document, attachments=document.attachments[:1])
