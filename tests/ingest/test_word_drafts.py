""".docx drafts written by another tool (built here with python-docx) import with the right levels."""

from __future__ import annotations

import docx
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from docgen.ingest import import_draft


def _numbering(document) -> None:
    """A Word multilevel list like office templates use: 一、 / （一） / 1. — in numbering.xml."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
        '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>'
        '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>'
        '<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>'
        "</w:abstractNum>")
    numbering.insert(0, abstract)
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def _numbered(paragraph, level: int) -> None:
    props = paragraph._p.get_or_add_pPr()
    props.append(parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))


def _title(document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = 1
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(22)


def test_automatic_numbering_levels(tmp_path):
    document = docx.Document()
    _numbering(document)
    _title(document, "在全区工会工作会议上的讲话")
    document.add_paragraph("同志们：")
    document.add_paragraph("今天召开会议，主要任务是总结工作、部署任务。")
    heading = document.add_paragraph("统一思想认识")
    _numbered(heading, 0)
    document.add_paragraph("做好今年的工作，意义重大。")
    point = document.add_paragraph("加强组织领导。各单位要把这项工作摆上重要议程。")
    _numbered(point, 1)
    point = document.add_paragraph("强化督促检查。要定期检查，及时通报。")
    _numbered(point, 1)
    heading = document.add_paragraph("狠抓工作落实")
    _numbered(heading, 0)
    document.add_paragraph("同志们，任务艰巨，使命光荣。")
    path = tmp_path / "numbered.docx"
    document.save(path)
    outline = import_draft(path).outline
    assert outline["kind"] == "speech"
    assert [s["heading"] for s in outline["sections"]] == ["统一思想认识", "狠抓工作落实"]
    points = outline["sections"][0]["points"]
    assert [p["heading"] for p in points] == ["加强组织领导", "强化督促检查"]
    assert points[0]["body"] == "各单位要把这项工作摆上重要议程。"
    assert outline["closing"] == "同志们，任务艰巨，使命光荣。"


def test_typed_numbers_bold_run_in_blank_paragraphs_and_soft_break(tmp_path):
    document = docx.Document()
    _title(document, "关于做好2024年防汛")
    document.paragraphs[-1].runs[0].add_break()  # soft line break inside the title
    document.paragraphs[-1].add_run("工作的通知").bold = True
    document.add_paragraph("")
    document.add_paragraph("各镇（街）工会：")
    document.add_paragraph("")
    document.add_paragraph("为做好今年防汛工作，现将有关事项通知如下。")
    document.add_paragraph("一、总体要求")
    paragraph = document.add_paragraph()
    paragraph.add_run("（一）压实责任").bold = True  # bold run-in heading without a 。
    paragraph.add_run("各单位主要负责人是第一责任人。")
    paragraph = document.add_paragraph("（二）加强值守。")
    run = paragraph.add_run("汛期实行24小时值班，")
    run.add_break()
    paragraph.add_run("发现险情立即报告。")
    document.add_paragraph("")
    document.add_paragraph("二、保障措施")
    document.add_paragraph("所需物资由各单位自行解决。")
    path = tmp_path / "typed.docx"
    document.save(path)
    outline = import_draft(path).outline
    assert outline["kind"] == "notice"
    assert outline["title"] == "关于做好2024年防汛工作的通知"
    assert outline["recipients"] == ["各镇（街）工会"]
    first, second = outline["sections"]
    assert first["heading"] == "总体要求" and second["heading"] == "保障措施"
    assert first["points"][0] == {"heading": "压实责任", "body": "各单位主要负责人是第一责任人。"}
    assert first["points"][1] == {"heading": "加强值守", "body": "汛期实行24小时值班，发现险情立即报告。"}


def test_heading_styles_give_levels(tmp_path):
    document = docx.Document()
    document.add_heading("某单位2024年工作总结", 0)
    document.add_paragraph("2024年，我们围绕中心工作，取得了新成效。")
    document.add_heading("主要工作", 1)
    document.add_heading("抓好队伍建设", 2)
    document.add_paragraph("全年培训干部120人次。")
    document.add_heading("存在的问题", 1)
    document.add_paragraph("一是人员不足；二是经费偏紧。")
    path = tmp_path / "styles.docx"
    document.save(path)
    outline = import_draft(path).outline
    assert outline["kind"] == "report"
    assert [s["heading"] for s in outline["sections"]] == ["主要工作", "存在的问题"]
    assert outline["sections"][0]["points"] == [{"heading": "抓好队伍建设", "body": "全年培训干部120人次。"}]
    # 一是…二是… is an enumeration inside a paragraph, not a level
    assert outline["sections"][1]["intro"] == "一是人员不足；二是经费偏紧。"


def test_images_are_reported(tmp_path):
    document = docx.Document()
    document.add_paragraph("关于召开会议的通知")
    document.add_paragraph("各单位：")
    document.add_paragraph("定于下周召开会议。")
    image = tmp_path / "dot.png"
    image.write_bytes(_png())
    document.add_picture(str(image))
    path = tmp_path / "image.docx"
    document.save(path)
    result = import_draft(path)
    assert any(f.code == "I007" and "图片" in f.message for f in result.findings)


def _png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()

