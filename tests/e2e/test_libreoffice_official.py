"""End to end for 公文: Document → .docx → LibreOffice PDF → measure 版头, 署名, 版记, tables, charts.

Every document is converted in **one** soffice run for the whole module (≈3 s). What is measured is
what a reader with a ruler sees: the red ink of the 标志 (rendered), the rules LibreOffice strokes,
the glyph positions, the pictures. Run with ``pytest -m libreoffice -s`` to print the positions.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from support.documents import HAN, han, notice_ending_on_page_3, request_with_lines
from support.libreoffice import convert_many
from support.pdfmeasure import (Line, Page, Picture, Rule, TypeArea, is_red, mm, pt, read_pages,
                                read_pictures, read_rules, red_ink_box)

from docgen.api import build_document
from docgen.model import (Block, Chart, Colophon, Document, Header, IssuerMark, Meta, Signoff, Span,
                          Table)
from docgen.writers.docx import write_docx

pytestmark = pytest.mark.libreoffice

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def body(text: str) -> Block:
    return Block("body", (Span(text, "body"),))


@dataclass(frozen=True)
class Rendered:
    document: Document
    pdf: Path
    pages: list[Page]
    rules: dict[int, list[Rule]]
    pictures: dict[int, list[Picture]]

    def lines(self, page: int, area: TypeArea) -> list[Line]:
        return self.pages[page - 1].lines_in(area)

    def find(self, text: str, area: TypeArea, *, exact: bool = False) -> tuple[int, Line]:
        """The first line holding (or, ``exact``, being) ``text``, spaces ignored."""
        for page in self.pages:
            for line in page.lines_in(area):
                squeezed = line.text.replace(" ", "")
                if squeezed == text if exact else text in squeezed:
                    return page.number, line
        raise AssertionError(f"“{text}” not found")


# --- the documents ----------------------------------------------------------------------------------
def seal_png(path: Path) -> Path:
    """A small red circle with a star, transparent outside, as a user's seal file."""
    image = Image.new("RGBA", (240, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((6, 6, 234, 234), outline=(230, 0, 0, 255), width=9)
    draw.regular_polygon((120, 120, 36), 5, fill=(230, 0, 0, 255))
    image.save(path)
    return path


def sealed_joint_notice(seal: Path) -> Document:
    """The example notice with a seal and a joint 标志 (two organs)."""
    document, _ = build_document(EXAMPLES / "notice.yaml")
    blocks = tuple(dataclasses.replace(b, seal=str(seal)) if isinstance(b, Signoff) else b
                   for b in document.blocks)
    header = dataclasses.replace(document.header, mark=IssuerMark(("某市总工会", "某市人力资源和社会保障局")))
    return dataclasses.replace(document, blocks=blocks, header=header)


def page_bottom_notice() -> Document:
    """No 版头; the body fills page 1 exactly (22 lines), so the 署名 would stand alone on page 2.
    The 署名 is longer than the date: 署名 右空二字, date two characters in from its start."""
    blocks = (body(han(26 + 28 * 4)), body(han(26 + 28 * 4, 3)), body(han(26 + 28 * 4, 7)),
              body(han(26 + 28 * 6, 11)),
              Signoff(("某市人力资源和社会保障局",), "2024年3月15日"))
    return Document(Meta(title="测试", kind="notice"), blocks)


def long_table_report() -> Document:
    rows = tuple((f"第{i}项指标名称", str(1000 + i * 37), f"{(i * 7) % 100}.5", f"{90 + i % 10}.0%")
                 for i in range(1, 46))
    table = Table(1, "主要指标完成情况", ("指标", "目标", "完成", "完成率"), rows, "three_line",
                  (False, True, True, True))
    chart = Chart(1, "指标变化", "bar", ("2022", "2023", "2024"), (("完成", (1.0, 2.0, 3.0)),), "万人")
    return Document(Meta(title="报告", kind="report"),
                    (Block("title", (Span("某市总工会工作报告", "title"),)), body(han(60)), table,
                     body(han(40)), chart))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, Rendered]:
    out = tmp_path_factory.mktemp("official")
    seal = seal_png(out / "seal.png")
    documents: dict[str, Document] = {
        "notice": build_document(EXAMPLES / "notice.yaml")[0],
        "request": build_document(EXAMPLES / "request.yaml")[0],
        "report": build_document(EXAMPLES / "report.yaml")[0],
        "sealed": sealed_joint_notice(seal),
        "bottom": page_bottom_notice(),
        "table": long_table_report(),
        "odd": notice_ending_on_page_3(),  # body ends on page 3: 版记 alone on page 4
        "full": request_with_lines(19),  # page 2 full to line 21: blank page 3, 版记 on page 4
        "tight": request_with_lines(17),  # page 2 to line 19: the 版记 still fits under it
    }
    from docgen.style import load_profile

    profile = load_profile()
    paths = []
    for name, document in documents.items():
        path = out / f"{name}.docx"
        write_docx(document, profile, path)
        paths.append(path)
    pdfs = convert_many(paths, out)
    return {name: Rendered(document, pdf, read_pages(pdf), read_rules(pdf), read_pictures(pdf))
            for (name, document), pdf in zip(documents.items(), pdfs)}


@pytest.fixture(scope="module")
def area(profile) -> TypeArea:
    return TypeArea.from_profile(profile)


def red_rules(render: Rendered, page: int = 1) -> list[Rule]:
    return [r for r in render.rules[page] if r.is_red]


def page_number_of(render: Rendered, page: int, area: TypeArea) -> Line | None:
    return render.pages[page - 1].page_number_line(area)


# --- 版头 -------------------------------------------------------------------------------------------
def test_print_measured_header(rendered, area, capsys):
    with capsys.disabled():
        for name in ("notice", "request", "sealed"):
            render = rendered[name]
            [red] = red_rules(render)
            ink = red_ink_box(render.pdf, 1, above=red.top - 2)
            print(f"\n{name}: 标志 ink top {mm(ink.top):.2f} mm, x {mm(ink.x0):.1f}–{mm(ink.x1):.1f} mm; "
                  f"{red.describe()}")
            for line in render.lines(1, area)[:6]:
                print("   ", line.describe())
        notice = rendered["notice"]
        for page in sorted(notice.rules):
            for rule in notice.rules[page]:
                print(f"  notice p{page}: {rule.describe()}")


@pytest.mark.parametrize("name", ["notice", "request", "sealed"])
def test_issuer_mark_red_centred_72mm_from_the_paper_top(rendered, area, profile, name):
    render = rendered[name]
    [red] = red_rules(render)
    ink = red_ink_box(render.pdf, 1, above=red.top - pt(2))
    assert ink is not None
    assert mm(ink.top) == pytest.approx(profile.page.margin_top_mm + profile.header.mark_top_mm, abs=1.0)
    assert mm(ink.center_x) == pytest.approx(mm(area.left + area.width / 2), abs=0.5)
    assert ink.x0 >= area.left and ink.x1 <= area.right
    mark_glyphs = [g for line in render.lines(1, area) for g in line.glyphs if g.size > 20
                   and g.baseline < red.top]
    assert mark_glyphs and all(is_red(g.color) for g in mark_glyphs)
    assert all("SerifCJK" in g.font and "Bold" in g.font for g in mark_glyphs)  # 小标宋
    assert max(g.size for g in mark_glyphs) <= profile.style("issuer_mark").size


def test_joint_mark_stacks_names_with_suffix_centred_on_them(rendered, area):
    render = rendered["sealed"]
    [red] = red_rules(render)
    rows = [ln for ln in render.lines(1, area) if ln.size > 20 and ln.baseline < red.top]
    texts = ["".join(g.text for g in ln.glyphs) for ln in rows]
    names = [ln for ln, t in zip(rows, texts) if "文件" not in t or len(t) > 2]
    suffix = [g for ln in rows for g in ln.glyphs if g.text in "文件"]
    assert [t.replace("文件", "") for t in texts if t.replace("文件", "")] == ["某市总工会", "某市人力资源和社会保障局"]
    assert len(suffix) == 2 and all(g.x0 > max(n.glyphs[-1].x1 for n in names if n.glyphs[-1].text not in "文件") - 1
                                    for g in suffix)
    first, second = rows[0], rows[-1]
    middle = (first.baseline + second.baseline) / 2
    assert suffix[0].baseline == pytest.approx(middle, abs=pt(1.0))
    # the shorter name is spread to the longer one's width
    short = [g for g in first.glyphs if g.text not in "文件"]
    long_ = [g for g in second.glyphs if g.text not in "文件"]
    assert short[0].x0 == pytest.approx(long_[0].x0, abs=pt(0.5))
    assert short[-1].x1 == pytest.approx(long_[-1].x1, abs=pt(0.5))


def test_top_left_items_one_per_line_in_heiti(rendered, area, profile):
    lines = rendered["notice"].lines(1, area)
    assert [ln.text for ln in lines[:2]] == ["000001", "特急"]
    for index, line in enumerate(lines[:2]):
        assert line.x0 == pytest.approx(area.left, abs=pt(0.5))
        assert area.top + index * profile.line_pitch_pt <= line.top <= area.top + (index + 1) * profile.line_pitch_pt
    assert all("SansCJK" in g.font for g in lines[1].glyphs)  # 黑体


def test_issue_number_centred_two_lines_under_the_mark(rendered, area, profile):
    render = rendered["notice"]
    [red] = red_rules(render)
    lines = render.lines(1, area)
    mark = next(ln for ln in lines if ln.size > 20)
    number = next(ln for ln in lines if ln.baseline < red.top and ln.size == 16 and ln.top > mark.bottom)
    assert number.text.replace(" ", "") == render.document.header.number
    assert (number.x0 + number.x1) / 2 == pytest.approx(area.left + area.width / 2, abs=pt(0.7))
    gap = number.top - mark.bottom  # two empty lines, then the 文号's em box inside its own line
    assert 2 * profile.line_pitch_pt <= gap <= 2.5 * profile.line_pitch_pt


def test_red_separator_156mm_4mm_under_the_number(rendered, area, profile):
    for name in ("notice", "request"):
        render = rendered[name]
        [red] = red_rules(render)
        assert mm(red.width) == pytest.approx(profile.page.type_width_mm, abs=0.5)
        assert red.x0 == pytest.approx(area.left, abs=pt(0.5))
        assert mm(red.thickness) == pytest.approx(profile.header.red_line_mm, abs=0.05)
        number = max((ln for ln in render.lines(1, area) if ln.bottom < red.top and ln.size == 16),
                     key=lambda ln: ln.bottom)
        assert mm(red.top - number.bottom) == pytest.approx(profile.header.red_line_gap_mm, abs=1.0)


def test_title_two_lines_under_the_separator(rendered, area, profile):
    for name in ("notice", "request"):
        render = rendered[name]
        [red] = red_rules(render)
        title = next(ln for ln in render.lines(1, area) if ln.top > red.bottom)
        assert title.size == profile.style("title").size
        gap = title.top - red.bottom
        assert 2 * profile.line_pitch_pt <= gap <= 2.3 * profile.line_pitch_pt, mm(gap)
        assert (title.x0 + title.x1) / 2 == pytest.approx(area.left + area.width / 2, abs=pt(1))


def test_upward_document_number_left_signer_right(rendered, area, profile):
    render = rendered["request"]
    [red] = red_rules(render)
    line = max((ln for ln in render.lines(1, area) if ln.bottom < red.top and ln.size == 16),
               key=lambda ln: ln.bottom)
    text = line.text.replace(" ", "")
    assert text.startswith(render.document.header.number) and text.endswith("签发人：王建国")
    one_char = profile.grid_size_pt
    assert line.x0 - area.left == pytest.approx(one_char, abs=pt(0.7))
    assert area.right - line.x1 == pytest.approx(one_char, abs=pt(0.8))
    names = [g for g in line.glyphs if g.text in "王建国"]
    assert all("ZenKai" in g.font or "Kai" in g.font for g in names)  # 楷体
    label = [g for g in line.glyphs if g.text in "签发人"]
    assert all("FandolFang" in g.font for g in label)  # 仿宋


# --- 主体 -------------------------------------------------------------------------------------------
def test_recipients_flush_left_one_line_under_the_title(rendered, area, profile):
    render = rendered["notice"]
    page, line = render.find("各区（县）总工会", area)
    assert page == 1 and line.x0 == pytest.approx(area.left, abs=pt(0.5))
    assert line.text.endswith("：")
    title = [ln for ln in render.lines(1, area) if ln.size == profile.style("title").size]
    assert line.top - title[-1].bottom >= profile.line_pitch_pt


def test_attachment_note_items_line_up(rendered, area):
    render = rendered["notice"]
    _, first = render.find("附件：1.", area)
    _, second = render.find("2.2024年度", area)
    one = next(g for g in first.glyphs if g.text == "1")
    two = next(g for g in second.glyphs if g.text == "2")
    assert two.x0 == pytest.approx(one.x0, abs=pt(0.8))


def test_unsealed_signoff_date_longer_than_name(rendered, area, profile):
    """“某市总工会” (5 字) is shorter than “2024年3月15日”: date 右空二字, 署名 two 字 left of it."""
    render = rendered["notice"]
    char = profile.grid_size_pt
    page, date = render.find("2024年3月15日", area, exact=True)
    _, name = render.find("某市总工会", area, exact=True)
    assert area.right - date.x1 == pytest.approx(2 * char, abs=pt(0.8))
    assert date.x0 - name.x0 == pytest.approx(2 * char, abs=pt(1.5))
    assert date.baseline - name.baseline == pytest.approx(profile.line_pitch_pt, abs=0.5)


def test_unsealed_signoff_name_longer_than_date(rendered, area, profile):
    render = rendered["bottom"]
    char = profile.grid_size_pt
    page, name = render.find("某市人力资源和社会保障局", area)
    date = next(ln for ln in render.lines(page, area) if "2024" in ln.text)
    assert area.right - name.x1 == pytest.approx(2 * char, abs=pt(0.8))
    assert date.x0 - name.x0 == pytest.approx(2 * char, abs=pt(0.8))


def test_signoff_never_alone_on_a_page(rendered, area):
    """The body fills page 1 to its last line; keep-with-next (+ keep-lines) takes the whole last
    body paragraph (7 lines) to page 2 with the 署名."""
    render = rendered["bottom"]
    page, name = render.find("某市人力资源和社会保障局", area)
    assert page == 2
    above = [ln for ln in render.lines(page, area) if ln.bottom <= name.top]
    assert len(above) == 7 and all(set(ln.text) <= set(HAN) for ln in above)
    assert len(render.lines(1, area)) == 15
    # the same check on the examples: every 署名 page holds body text above the 署名
    for key in ("notice", "request", "sealed"):
        r = rendered[key]
        signature = r.document.blocks[[isinstance(b, Signoff) for b in r.document.blocks].index(True)]
        page, date = r.find(signature.date, area, exact=True)
        name = next(ln for ln in r.lines(page, area) if ln.text.replace(" ", "") == signature.names[-1])
        assert [ln for ln in r.lines(page, area) if ln.bottom <= name.top], key


def test_sealed_signoff_seal_over_name_and_date(rendered, area, profile):
    render = rendered["sealed"]
    char = profile.grid_size_pt
    page, date = render.find("2024年3月15日", area, exact=True)
    [seal] = render.pictures[page]
    name = next(ln for ln in render.lines(page, area) if ln.text.replace(" ", "") == "某市总工会")
    assert area.right - date.x1 == pytest.approx(4 * char, abs=pt(0.8))
    assert (name.x0 + name.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=pt(1.5))
    assert mm(seal.width) == pytest.approx(profile.signoff.seal_mm, abs=0.5)
    assert seal.center_x == pytest.approx((date.x0 + date.x1) / 2, abs=pt(1.5))
    body_above = max((ln for ln in render.lines(page, area) if ln.bottom < name.top - pt(5)),
                     key=lambda ln: ln.bottom)
    assert 0 <= seal.top - body_above.bottom <= profile.line_pitch_pt  # top within one line
    center = (seal.top + seal.bottom) / 2
    assert name.baseline > center - pt(3) and date.baseline > center  # 居印章中心偏下
    assert seal.bottom >= date.bottom


# --- attachments and page numbers -------------------------------------------------------------------
def test_attachments_start_new_pages_label_line_one_title_line_three(rendered, area, profile):
    render = rendered["notice"]
    pitch = profile.line_pitch_pt
    for attachment in render.document.attachments:
        page, label = render.find(attachment.label, area)
        lines = render.lines(page, area)
        assert lines[0] is label and label.x0 == pytest.approx(area.left, abs=pt(0.5))
        assert area.top <= label.top <= area.top + pitch
        assert all("SansCJK" in g.font for g in label.glyphs if not g.text.isdigit())  # 黑体
        title = lines[1]
        assert title.text.replace(" ", "") == attachment.title
        assert area.top + 2 * pitch <= title.top <= area.top + 3 * pitch
        assert (title.x0 + title.x1) / 2 == pytest.approx(area.left + area.width / 2, abs=pt(1))


def test_page_numbers_on_body_pages_only(rendered, area):
    """Every page the body is on is numbered, the 版记's page too when it shares the body's last
    page (notice); a blank page before a 版记 page of its own and that page are not (7.5)."""
    for name, unnumbered in (("notice", 0), ("odd", 1), ("full", 2)):
        pages = rendered[name].pages
        for page in pages[:len(pages) - unnumbered]:
            number = page.page_number_line(area)
            assert number is not None and number.text.replace(" ", "") == f"—{page.number}—", name
        for page in pages[len(pages) - unnumbered:]:
            assert page.page_number_line(area) is None, name


# --- 版记 -------------------------------------------------------------------------------------------
def _check_colophon_rules(render: Rendered, page: int, area: TypeArea, profile) -> list[Rule]:
    rules = [r for r in render.rules[page] if not r.is_red]
    colophon = render.document.colophon
    spec = profile.colophon
    expected = [spec.thick_mm] + ([spec.thin_mm] if colophon.cc and colophon.printer else []) + [spec.thick_mm]
    rules = rules[-len(expected):]
    assert [round(mm(r.thickness), 2) for r in rules] == pytest.approx(expected, abs=0.05)
    for rule in rules:
        assert mm(rule.width) == pytest.approx(profile.page.type_width_mm, abs=0.5)
        assert rule.x0 == pytest.approx(area.left, abs=pt(0.5))
    assert mm(rules[-1].bottom) == pytest.approx(mm(area.bottom), abs=1.0)
    return rules


@pytest.mark.parametrize("name,pages", [("notice", 4), ("request", 2), ("sealed", 4), ("tight", 2)])
def test_colophon_at_the_foot_of_the_body_last_even_page(rendered, area, profile, name, pages):
    """The body ends on an even page with room: the 版记 at its foot (last rule on the 版心 bottom,
    at least one empty line above it), the page keeps its number (left: even), no extra pages."""
    render = rendered[name]
    last = len(render.pages)
    assert last == pages
    rules = _check_colophon_rules(render, last, area, profile)
    lines = render.pages[last - 1].lines_in(area)
    body = [ln for ln in lines if ln.bottom < rules[0].top]
    inside = [ln for ln in lines if rules[0].y < ln.baseline < rules[-1].y]
    assert body and len(body) + len(inside) == len(lines)
    assert rules[0].top - max(ln.bottom for ln in body) >= profile.line_pitch_pt
    number = page_number_of(render, last, area)
    assert number is not None and number.text.replace(" ", "") == f"—{last}—"
    assert number.x0 - area.left == pytest.approx(profile.style("page_number").size, abs=pt(0.8))


@pytest.mark.parametrize("name,blank", [("odd", False), ("full", True)])
def test_colophon_on_its_own_even_page(rendered, area, profile, name, blank):
    """The body ends on an odd page (odd), or on an even page without room (full: after a blank
    page): the 版记 alone on the next even page, not numbered."""
    render = rendered[name]
    last = len(render.pages)
    assert last == 4
    rules = _check_colophon_rules(render, last, area, profile)
    assert page_number_of(render, last, area) is None
    # the page holds only the 版记 (between its first and last rule)
    assert all(rules[0].y < ln.baseline < rules[-1].y for ln in render.pages[last - 1].lines)
    body_pages = [p.number for p in render.pages if p.number != last and p.lines]
    assert max(body_pages) == (2 if blank else 3)
    # a blank page before it, if any, is blank: no text, no page number
    for page in range(max(body_pages) + 1, last):
        assert not render.pages[page - 1].lines and not render.rules[page]


def test_colophon_text_positions(rendered, area, profile):
    render = rendered["notice"]
    last = len(render.pages)
    first_rule = [r for r in render.rules[last] if not r.is_red][-3]
    lines = [ln for ln in render.pages[last - 1].lines_in(area) if ln.top > first_rule.y]
    one = profile.style("colophon").size  # 空一字 of 4号
    cc, more, printer = lines[0], lines[1], lines[2]
    assert cc.text.replace(" ", "").startswith("抄送：") and cc.size == 14
    assert cc.x0 - area.left == pytest.approx(one, abs=pt(0.5))
    colon = next(g for g in cc.glyphs if g.text == "：")
    assert more.x0 == pytest.approx(colon.x1, abs=pt(1.0))  # continuation after the colon
    assert more.text.endswith("。")
    assert printer.text.replace(" ", "") == "某市总工会办公室2024年3月15日印发"
    assert printer.x0 - area.left == pytest.approx(one, abs=pt(0.5))
    assert area.right - printer.x1 == pytest.approx(one, abs=pt(0.8))
    assert all("FandolFang" in g.font for g in printer.glyphs if not g.text.isdigit())  # 仿宋


def test_print_measured_colophon(rendered, area, capsys):
    with capsys.disabled():
        for name in ("request", "tight", "full", "odd", "notice"):
            render = rendered[name]
            last = len(render.pages)
            rules = [r for r in render.rules[last] if not r.is_red]
            number = page_number_of(render, last, area)
            print(f"\n{name}: {last} pages; 版记 rules on p{last}: "
                  + ", ".join(f"{mm(r.y):.2f} mm ({mm(r.thickness):.2f})" for r in rules)
                  + f"; last rule bottom {mm(rules[-1].bottom):.2f} mm (版心 bottom {mm(area.bottom):.2f}); "
                  + f"page number {number.text.replace(' ', '') if number else None}")


# --- tables and charts ------------------------------------------------------------------------------
def test_long_table_repeats_its_header_and_stays_in_the_type_area(rendered, area, profile):
    render = rendered["table"]
    header = "指标目标完成完成率"
    pages_with_header = [p.number for p in render.pages
                         if any(ln.text.replace(" ", "") == header for ln in p.lines_in(area))]
    assert len(pages_with_header) >= 2
    for page in pages_with_header:
        rules = render.rules[page]
        assert rules, page
        for rule in rules:
            assert rule.x0 >= area.left - pt(0.5) and rule.x1 <= area.right + pt(0.5)
        assert mm(rules[0].thickness) == pytest.approx(profile.table.rule_mm, abs=0.05)
        if page != pages_with_header[0]:
            first = render.lines(page, area)[0]
            assert first.text.replace(" ", "") == header, first.text
    _, caption = render.find("表1", area)
    assert caption.size == profile.style("table_caption").size
    cells = [ln for p in render.pages for ln in p.lines_in(area) if "第3项指标名称" in ln.text.replace(" ", "")]
    assert cells and all(g.size == profile.style("table").size for g in cells[0].glyphs)


def test_numeric_cells_right_aligned(rendered, area):
    render = rendered["table"]
    ends = []
    for page in render.pages:
        for line in page.lines_in(area):
            text = line.text.replace(" ", "")
            if text.startswith("第") and "项指标名称" in text:
                last = [g for g in line.glyphs if g.text == "%"]
                ends.append(last[-1].x1)
    assert len(ends) >= 40
    assert max(ends) - min(ends) <= pt(0.3)


def test_chart_image_in_the_pdf_with_caption_below(rendered, area, profile):
    for name in ("report", "table"):
        render = rendered[name]
        pictures = [(n, p) for n, ps in render.pictures.items() for p in ps]
        assert len(pictures) == 1, name
        page, picture = pictures[0]
        assert picture.x0 >= area.left - pt(0.5) and picture.x1 <= area.right + pt(0.5)
        assert (picture.x0 + picture.x1) / 2 == pytest.approx(area.left + area.width / 2, abs=pt(1))
        assert picture.pixels[0] >= 1500  # 300 dpi
        _, caption = render.find("图1", area)
        assert caption.top > picture.bottom and caption.top - picture.bottom < profile.line_pitch_pt


def test_report_tables_three_line_and_grid(rendered, area, profile):
    render = rendered["report"]
    page, caption = render.find("表1", area)
    rules = [r for r in render.rules[page] if r.y > caption.bottom]
    thick = [r for r in rules if mm(r.thickness) == pytest.approx(profile.table.rule_mm, abs=0.05)]
    assert len(thick) >= 2  # top and bottom rule of the three-line table
    assert all(mm(r.width) == pytest.approx(profile.page.type_width_mm, abs=0.5) for r in thick)
