"""Editing in Word: a paragraph a clerk adds in the 正文 style (python-docx, no direct formatting)
to the end of the generated speech sets 28 字 on its full lines; a new 一级标题 is 黑体 3号 on
the grid. Rendered with LibreOffice, measured on the PDF."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from support.libreoffice import convert_to_pdf
from support.pdfmeasure import TypeArea, read_pages

import docgen

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
ADDED = ("新增内容：各级工会要把职工群众满意不满意作为检验工作的根本标准，持续深化服务职工工作，"
         "推动建立健全联系服务职工长效机制，让广大职工在共建共享中有更多获得感、幸福感、安全感。") * 2
HEADING = "五、新增一级标题在这里"


def _squeeze(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def edited(tmp_path_factory):
    out = tmp_path_factory.mktemp("edited")
    [path] = docgen.render(EXAMPLES / "sanxing-sanli-speech.yaml", formats=["docx"], outdir=out)
    document = docx.Document(str(path))
    heading_style = next(s for s in document.styles if s.name == "一级标题")
    document.add_paragraph(HEADING, style=heading_style)
    document.add_paragraph(ADDED)  # Normal, which Word and WPS show as 正文
    target = out / "edited.docx"
    document.save(target)
    return read_pages(convert_to_pdf(target, out / "pdf"))


def test_added_body_paragraph_sets_28_characters_a_line(edited, profile):
    area = TypeArea.from_profile(profile)
    lines = [ln for page in edited for ln in page.lines_in(area)]
    text = _squeeze(ADDED)
    start = next(i for i, ln in enumerate(lines) if text.startswith(_squeeze(ln.text)) and ln.text.startswith("新增内容"))
    mine, got = [], ""
    for ln in lines[start:]:
        mine.append(ln)
        got += _squeeze(ln.text)
        if got == text:
            break
    assert got == text
    assert len(mine) >= 4
    # first line: two 字 indent → 26 cells; middle lines: 28 (no digits or Latin in the text)
    assert len(_squeeze(mine[0].text)) == 26
    assert all(len(_squeeze(ln.text)) == 28 for ln in mine[1:-1]), [ln.text for ln in mine]
    assert {g.size for ln in mine for g in ln.glyphs} == {16}


def test_added_heading_is_heiti_3hao_on_the_grid(edited, profile):
    area = TypeArea.from_profile(profile)
    page = next(p for p in edited if any(ln.text.startswith("五、新增") for ln in p.lines_in(area)))
    lines = page.lines_in(area)
    heading = next(ln for ln in lines if ln.text.startswith("五、新增"))
    assert heading.size == 16
    # the same face LibreOffice draws the generated 一级标题 with (黑体 as mapped in fonts.conf)
    generated = next(ln for p in edited for ln in p.lines_in(area) if ln.text.startswith("一、"))
    assert heading.fonts == generated.fonts
    pitch = profile.line_pitch_pt
    first = lines[0].baseline
    slot = (heading.baseline - first) / pitch
    assert abs(slot - round(slot)) < 0.08, slot
