"""A document a clerk makes from ``docgen dotx`` — new from the template, placeholders overwritten,
paragraphs added with the template's styles only (no direct formatting) — passes ``docgen check``
without a format finding; and one wrong style setting in it is still found."""

import docx
import pytest
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import PartFactory
from docx.oxml.ns import qn
from docx.parts.document import DocumentPart
from typer.testing import CliRunner

from docgen.api import check
from docgen.cli import app
from docgen.writers.docx import TEMPLATE_CONTENT_TYPE

BODY = ("为进一步做好全市职工服务工作，经研究，决定在全市开展职工服务月活动。现将有关事项通知如下。",
        "各单位要高度重视，精心组织，确保各项工作落到实处，切实把服务职工的好事办好、实事办实。")


def new_document_from(template):
    """What Word's 新建 (from a .dotx) gives: the template's package, as a document."""
    PartFactory.part_type_for[TEMPLATE_CONTENT_TYPE] = DocumentPart
    package = OpcPackage.open(str(template))
    part = package.part_related_by(RT.OFFICE_DOCUMENT)
    part._content_type = CT.WML_DOCUMENT_MAIN
    return part.document


def fill(document, kind):
    """Overwrite the placeholders (typing over them keeps each paragraph's style) and add a
    section with ``add_paragraph(style=…)``, as a clerk picking styles from the gallery would."""
    texts = {"公文标题": {"speech": "在全市职工服务工作会议上的讲话", "notice": "关于开展职工服务月活动的通知",
                      "report": "关于职工服务工作情况的报告"}[kind],
             "副标题": "——在全市职工服务工作会议上的讲话", "讲话人": "市总工会主席　王建国", "讲话日期": "（2024年3月5日）",
             "主送机关": "各区总工会，市直各产业工会：", "一级标题": "一、提高思想认识", "二级标题": "（一）加强组织领导",
             "三级标题": "1.明确工作责任", "四级标题": "（1）细化工作任务", "附件说明": "附件：职工服务月活动安排",
             "署名": "某市总工会", "成文日期": "2024年3月5日", "附注": "（联系人：李明，电话：12345678）",
             "发文机关标志": "某市总工会文件", "发文字号": "某工发〔2024〕3号", "份号密级": None}
    body = iter(BODY * 10)
    for p in document.paragraphs:
        name = p.style.name
        if name in ("Normal",) and p.text.strip():
            p.text = next(body)
        elif texts.get(name):
            p.text = texts[name]
    signature = next((p for p in document.paragraphs if p.style.name == "署名"), None)
    if signature is not None:
        anchor = signature
        while anchor._p.getprevious() is not None and not anchor.text.strip():
            anchor = docx.text.paragraph.Paragraph(anchor._p.getprevious(), anchor._parent)
        added = [("一级标题", "二、抓好工作落实"), ("Normal", BODY[0]), ("二级标题", "（一）突出工作重点"), ("Normal", BODY[1])]
        for style, text in added:
            signature.insert_paragraph_before(text, style=style)
    else:
        for style, text in [("一级标题", "二、抓好工作落实"), ("Normal", BODY[0]), ("二级标题", "（一）突出工作重点"),
                            ("Normal", BODY[1])]:
            document.add_paragraph(text, style=style)


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("dotx")
    paths = {}
    for kind in ("speech", "notice", "report"):
        path = out / f"{kind}.dotx"
        result = CliRunner().invoke(app, ["dotx", "--kind", kind, "-o", str(path)])
        assert result.exit_code == 0, result.output
        paths[kind] = path
    return paths


def format_findings(path):
    return [str(f) for f in check([path]).findings if f.code.startswith("F") and f.severity != "info"]


@pytest.mark.parametrize("kind", ["speech", "notice", "report"])
def test_document_from_the_template_has_no_format_finding(templates, tmp_path, kind):
    # New from the template, untouched: placeholders (××) are content findings, no format ones.
    untouched = tmp_path / f"{kind}-new.docx"
    new_document_from(templates[kind]).save(untouched)
    assert format_findings(untouched) == []
    document = new_document_from(templates[kind])
    fill(document, kind)
    path = tmp_path / f"{kind}.docx"
    document.save(path)
    reread = docx.Document(path)  # a real .docx now (python-docx refuses a template content type)
    assert any(p.text == "二、抓好工作落实" and p.style.name == "一级标题" for p in reread.paragraphs)
    for p in reread.paragraphs:
        for r in p.runs:  # styles only: no run states its own font or size
            assert r._r.rPr is None or r._r.rPr.find(qn("w:rFonts")) is None, p.text
    assert format_findings(path) == []


def test_a_wrong_style_in_the_template_document_is_found(templates, tmp_path):
    document = new_document_from(templates["report"])
    fill(document, "report")
    heading = document.styles["二级标题"].element
    heading.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").set(qn("w:eastAsia"), "黑体")
    path = tmp_path / "wrong.docx"
    document.save(path)
    found = [f for f in check([path]).findings if f.code.startswith("F")]
    assert [f.code for f in found] == ["F005"] and "二级标题的中文字体是“黑体”，应为楷体" in found[0].message
    assert found[0].quote.startswith("（一）")
