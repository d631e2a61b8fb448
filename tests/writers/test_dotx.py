"""``docgen dotx``: a real Word template — template content type, named styles, page setup, line
grid, odd/even “— N —” footers, and for notices a 版头 block to fill."""

from __future__ import annotations

import zipfile

import docx
import pytest
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.package import OpcPackage
from docx.opc.part import PartFactory
from docx.parts.document import DocumentPart
from typer.testing import CliRunner

from docgen.cli import app
from docgen.writers.docx import TEMPLATE_CONTENT_TYPE

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def open_template(path):
    """python-docx's Document of a .dotx (python-docx opens only .docx by default: register the
    template content type for the same part class)."""
    PartFactory.part_type_for[TEMPLATE_CONTENT_TYPE] = DocumentPart
    package = OpcPackage.open(str(path))
    return package.part_related_by(RT.OFFICE_DOCUMENT).document


@pytest.fixture(scope="module")
def templates(tmp_path_factory):
    out = tmp_path_factory.mktemp("dotx")
    runner = CliRunner()
    paths = {}
    for kind in ("speech", "notice", "report"):
        path = out / f"{kind}.dotx"
        result = runner.invoke(app, ["dotx", "--kind", kind, "-o", str(path)])
        assert result.exit_code == 0, result.output
        assert str(path) in result.output
        paths[kind] = path
    return paths


@pytest.mark.parametrize("kind", ["speech", "notice", "report"])
def test_template_content_type_styles_page_and_footers(templates, kind):
    path = templates[kind]
    with zipfile.ZipFile(path) as z:
        types = z.read("[Content_Types].xml").decode()
        assert TEMPLATE_CONTENT_TYPE in types
        assert "document.main+xml" not in types
        settings = z.read("word/settings.xml").decode()
    assert "evenAndOddHeaders" in settings
    document = open_template(path)
    names = {s.name for s in document.styles}
    assert {"Normal", "公文标题", "一级标题", "二级标题", "三级标题", "四级标题", "主送机关", "署名", "成文日期"} <= names
    section = document.sections[0]
    assert (section.page_width.mm, section.page_height.mm) == pytest.approx((210, 297), abs=0.1)
    assert (section.top_margin.mm, section.left_margin.mm) == pytest.approx((37, 28), abs=0.1)
    grid = section._sectPr.find(f"{W}docGrid")
    assert (grid.get(f"{W}type"), grid.get(f"{W}linePitch")) == ("lines", "579")
    for footer in (section.footer, section.even_page_footer):
        xml = footer._element.xml
        assert "PAGE" in xml and "—" in xml


def test_notice_template_has_a_header_block_to_fill(templates):
    document = open_template(templates["notice"])
    styles = [p.style.name for p in document.paragraphs]
    assert "发文机关标志" in styles and "发文字号" in styles
    texts = [p.text for p in document.paragraphs]
    assert any("文件" in t for t in texts)
    number = next(p for p in document.paragraphs if p.style.name == "发文字号")
    assert "FF0000" in number._p.xml  # the red separator under the 文号


def test_unknown_kind_is_a_chinese_error(tmp_path):
    target = tmp_path / "x.dotx"
    result = CliRunner().invoke(app, ["dotx", "--kind", "memo", "-o", str(target)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert "不认识的类型" in str(result.exception)
    assert not target.exists()
