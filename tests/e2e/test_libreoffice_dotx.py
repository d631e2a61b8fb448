"""A document written from ``docgen dotx`` (python-docx, using only the template's styles — as a
clerk writing in Word would) renders 22 lines × 28 字 in LibreOffice."""

from __future__ import annotations

import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import PartFactory
from docx.parts.document import DocumentPart
from support.libreoffice import convert_to_pdf
from support.pdfmeasure import TypeArea, read_pages

from docgen.api import write_template
from docgen.writers.docx import TEMPLATE_CONTENT_TYPE

pytestmark = pytest.mark.libreoffice

SENTENCE = "各级工会组织要坚持把学习贯彻党的二十大精神作为首要政治任务，教育引导广大职工听党话跟党走。"


def test_document_from_the_template_renders_22_by_28(tmp_path, profile):
    dotx = write_template(tmp_path / "speech.dotx", "speech")
    PartFactory.part_type_for[TEMPLATE_CONTENT_TYPE] = DocumentPart
    package = OpcPackage.open(str(dotx))
    part = package.part_related_by(RT.OFFICE_DOCUMENT)
    document = part.document
    body = document.element.body
    for p in list(body.iterchildren("{*}p")):  # the placeholders: a new document starts empty
        body.remove(p)
    document.add_paragraph("关于新起草文件的标题", style="公文标题")
    for n in range(1, 6):
        document.add_paragraph(f"{'一二三四五'[n - 1]}、一级标题", style="一级标题")
        for _ in range(3):
            document.add_paragraph(SENTENCE * 4)  # Normal = 正文, nothing else
    part._content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    target = tmp_path / "drafted.docx"
    package.save(str(target))
    pages = read_pages(convert_to_pdf(target, tmp_path / "pdf"))
    area = TypeArea.from_profile(profile)
    assert len(pages) >= 3
    for page in pages[:-1]:
        assert len(page.lines_in(area)) == 22, page.number
    body_lines = [ln for page in pages for ln in page.lines_in(area)
                  if ln.size == 16 and not ln.text.startswith(("一", "二", "三", "四", "五"))]
    counts = [len("".join(ln.text.split())) for ln in body_lines]
    assert counts.count(28) >= 0.6 * len(counts), counts
    assert max(counts) == 28
