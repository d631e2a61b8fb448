"""The native PDF of 公文 elements, measured on the PDF itself: 版头 (red 标志, 文号, red separator),
署名/日期 with and without a seal, attachments, the 版记 on an even last page (at the foot of the
body's last page, or on its own page after a blank one), tables across pages
and charts (GB/T 9704-2012 7.2–7.5)."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from docgen.api import build_document
from docgen.model import Block, Document, Meta, Signoff, Span, Table
from docgen.writers.pdf import write_pdf
from tests.support.documents import notice_ending_on_page_3, request_with_lines
from tests.support.pdfmeasure import TypeArea, mm, pt, read_pages
from tests.writers.test_pdf import fontset  # noqa: F401 - the module's FontSet fixture

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
RED = (1.0, 0.0, 0.0)


def block(style: str, text: str) -> Block:
    return Block(style, (Span(text, style),))


@pytest.fixture(scope="module")
def notice(tmp_path_factory, fontset, profile):  # noqa: F811
    document, _ = build_document(EXAMPLES / "notice.yaml", profile=profile)
    path = tmp_path_factory.mktemp("official") / "notice.pdf"
    write_pdf(document, profile, path, fontset)
    return path


@pytest.fixture(scope="module")
def area(profile):
    return TypeArea.from_profile(profile)


def rects(path, page_index: int):
    with pdfplumber.open(str(path)) as pdf:
        page = pdf.pages[page_index]
        return [dict(r) for r in page.rects], [dict(c) for c in page.chars], len(pdf.pages)


# --- 版头 -------------------------------------------------------------------------------------------
def test_mark_is_red_centred_with_its_top_72mm_from_the_paper_top(notice, area):
    pages = read_pages(notice)
    mark = next(line for line in pages[0].lines if line.text == "某市总工会文件")
    _, chars, _ = rects(notice, 0)
    colours = {tuple(c["non_stroking_color"]) for c in chars if c["text"] in "某市总工会文件" and c["size"] > 30}
    assert colours == {RED}
    centre = (mark.x0 + mark.x1) / 2
    assert centre == pytest.approx((area.left + area.right) / 2, abs=1.0)
    # The ink top, found on the rendered page: the first row with red pixels.
    import pypdfium2 as pdfium

    scale = 300 / 72
    image = pdfium.PdfDocument(str(notice))[0].render(scale=scale).to_pil().convert("RGB")
    width, height = image.size
    pixels = image.load()
    top_row = next(y for y in range(height) if any(
        pixels[x, y][0] > 200 and pixels[x, y][1] < 90 and pixels[x, y][2] < 90 for x in range(0, width, 2)))
    assert mm(top_row / scale) == pytest.approx(72, abs=1.0)


def test_issue_number_red_separator_and_title(notice, area, profile):
    pages = read_pages(notice)
    lines = pages[0].lines
    number = next(line for line in lines if line.text == "某工发〔2024〕3号")
    assert (number.x0 + number.x1) / 2 == pytest.approx((area.left + area.right) / 2, abs=1.0)
    rules, _, _ = rects(notice, 0)
    (red,) = [r for r in rules if tuple(r["non_stroking_color"]) == RED]
    assert mm(red["x1"] - red["x0"]) == pytest.approx(156, abs=0.5)
    assert red["x0"] == pytest.approx(area.left, abs=0.5)
    centre = (red["top"] + red["bottom"]) / 2
    assert mm(centre - number.bottom) == pytest.approx(4, abs=1.0)
    # Title 空二行 under the separator: its line box starts two grid lines below it.
    title = lines[lines.index(number) + 1]
    assert title.text == "关于开展2024年度"
    title_box_top = title.baseline - (0.8 * profile.line_pitch_pt + 0.45)
    assert title_box_top - red["bottom"] == pytest.approx(2 * profile.line_pitch_pt, abs=1.5)
    assert [line.text for line in lines[:2]] == ["000001", "特急"]


# --- 版记, blank page, page numbers -------------------------------------------------------------------
def _colophon_rules(path, page_index: int, area, expected_mm):
    """The 版记's rules on a page (below the body): thicknesses, 156 mm, the last on the 版心 bottom."""
    rules, _, _ = rects(path, page_index)
    rules = sorted((r for r in rules if tuple(r["non_stroking_color"]) != RED), key=lambda r: r["top"])
    assert [mm(r["bottom"] - r["top"]) for r in rules] == pytest.approx(expected_mm, abs=0.03)
    assert all(mm(r["x1"] - r["x0"]) == pytest.approx(156, abs=0.5) for r in rules)
    assert mm(rules[-1]["bottom"]) == pytest.approx(mm(area.bottom), abs=1.0)
    return rules


def _write(tmp_path, name, document, profile, fontset):  # noqa: F811
    path = tmp_path / f"{name}.pdf"
    write_pdf(document, profile, path, fontset)
    return path, read_pages(path)


def test_colophon_at_the_foot_of_the_last_even_page_numbered(notice, area):
    """The example notice: the body (with 附件2) ends on page 4 with room, so the 版记 sits at the
    foot of page 4, which keeps “— 4 —”; no blank page."""
    pages = read_pages(notice)
    assert len(pages) == 4
    last = pages[-1]
    lines = last.lines_in(area)
    assert lines[0].text == "附件2"
    assert lines[-1].text == "某市总工会办公室2024年3月15日印发"
    cc = next(line for line in lines if line.text.startswith("抄送：市委组织部"))
    assert mm(cc.x0 - area.left) == pytest.approx(mm(14), abs=0.3)  # 左空一字 (4号)
    rules = _colophon_rules(notice, 3, area, [0.35, 0.26, 0.35])
    above = [line for line in lines if line.bottom < rules[0]["top"]]
    assert above and rules[0]["top"] - max(line.bottom for line in above) >= 28.95  # a free line
    for page in pages:
        assert page.page_number_line(area).text.replace(" ", "") == f"—{page.number}—"


def test_request_two_pages_colophon_on_page_2_numbered_left(tmp_path, fontset, profile, area):  # noqa: F811
    document, _ = build_document(EXAMPLES / "request.yaml", profile=profile)
    path, pages = _write(tmp_path, "request", document, profile, fontset)
    assert len(pages) == 2
    _colophon_rules(path, 1, area, [0.35, 0.35])
    assert pages[1].lines_in(area)[-1].text == "某市总工会办公室2024年5月20日印发"
    number = pages[1].page_number_line(area)
    assert number.text.replace(" ", "") == "—2—"
    assert number.x0 - area.left == pytest.approx(14, abs=0.5)  # even page: left, 空一字 (4号)


def test_colophon_after_an_odd_last_page_on_its_own_page(tmp_path, fontset, profile, area):  # noqa: F811
    path, pages = _write(tmp_path, "odd", notice_ending_on_page_3(), profile, fontset)
    assert len(pages) == 4 and pages[2].lines[0].text == "附件1"
    last = pages[-1]
    assert last.page_number_line(area) is None
    assert last.lines[0].text.startswith("抄送：") and len(last.lines) == 3
    _colophon_rules(path, 3, area, [0.35, 0.26, 0.35])
    for page in pages[:-1]:
        assert page.page_number_line(area).text.replace(" ", "") == f"—{page.number}—"


def test_colophon_after_a_full_even_page_blank_page_then_its_own_page(tmp_path, fontset, profile, area):  # noqa: F811
    path, pages = _write(tmp_path, "full", request_with_lines(19), profile, fontset)
    assert len(pages) == 4
    assert len(pages[1].lines_in(area)) == 21 - 1  # 21 lines used, one of them the 署名's empty line
    blank, last = pages[2], pages[3]
    assert blank.lines == () and blank.page_number_line(area) is None
    assert [line.text for line in last.lines] == ["某市总工会办公室2024年5月20日印发"]
    assert last.page_number_line(area) is None
    _colophon_rules(path, 3, area, [0.35, 0.35])
    # with two lines fewer the 版记 still fits under the body, one free line above it
    path, pages = _write(tmp_path, "tight", request_with_lines(17), profile, fontset)
    assert len(pages) == 2 and pages[1].page_number_line(area) is not None
    rules = _colophon_rules(path, 1, area, [0.35, 0.35])
    body_bottom = max(line.bottom for line in pages[1].lines_in(area) if line.bottom < rules[0]["top"])
    assert rules[0]["top"] - body_bottom >= 28.95


def test_attachments_on_new_pages_label_then_title_on_line_3(notice, area, profile):
    pages = read_pages(notice)
    starts = [page for page in pages if page.lines and page.lines[0].text in ("附件1", "附件2")]
    assert len(starts) == 2
    for page in starts:
        label, title = page.lines[0], page.lines[1]
        assert abs(label.x0 - area.left) < 0.5
        assert title.size == 22 and (title.x0 + title.x1) / 2 == pytest.approx((area.left + area.right) / 2, abs=1)
        # Line 1 and line 3 of the 版心: the title's line box starts two grid lines down.
        assert area.top <= label.top < area.top + profile.line_pitch_pt
        title_box_top = title.baseline - (0.8 * profile.line_pitch_pt + 0.45)
        assert title_box_top - area.top == pytest.approx(2 * profile.line_pitch_pt, abs=0.5)


# --- 署名/日期 ----------------------------------------------------------------------------------------
def _seal_png(path: Path) -> Path:
    from PIL import Image, ImageDraw

    image = Image.new("RGBA", (300, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 292, 292), outline=(220, 0, 0, 255), width=12)
    image.save(path)
    return path


def _signoff_doc(names, seal=None) -> Document:
    blocks = (block("title", "关于开展活动的通知"), block("recipients", "各区总工会："),
              block("body", "为深入学习贯彻党的二十大精神，现将有关事项通知如下。" * 2),
              Signoff(names=names, date="2024年3月15日", seal=seal))
    return Document(Meta(title="t"), blocks)


def _name_and_date(path):
    lines = read_pages(path)[0].lines
    return lines[-3], lines[-2], lines  # 署名, 日期 (the page number is last)


def test_unsealed_signature_and_date(tmp_path, fontset, profile, area):  # noqa: F811
    path = tmp_path / "unsealed.pdf"
    write_pdf(_signoff_doc(("某市人力资源和社会保障局",)), profile, path, fontset)
    name, date, lines = _name_and_date(path)
    assert (name.text, date.text) == ("某市人力资源和社会保障局", "2024年3月15日")
    char = profile.grid_size_pt
    last = name.glyphs[-1]
    assert area.right - (last.x0 + char) == pytest.approx(2 * char, abs=0.6)  # 右空二字
    assert date.glyphs[0].x0 - name.glyphs[0].x0 == pytest.approx(2 * char, abs=0.6)
    body = lines[-4]
    assert name.baseline - body.baseline == pytest.approx(2 * profile.line_pitch_pt, abs=0.2)  # 空一行
    assert date.baseline - name.baseline == pytest.approx(profile.line_pitch_pt, abs=0.2)
    # The date longer than the 署名: the date 右空二字, the 署名 two characters left of it.
    write_pdf(_signoff_doc(("某市总工会",)), profile, path, fontset)
    name, date, _ = _name_and_date(path)
    assert area.right - (date.glyphs[-1].x0 + char) == pytest.approx(2 * char, abs=0.6)
    assert date.glyphs[0].x0 - name.glyphs[0].x0 == pytest.approx(2 * char, abs=0.6)


def test_sealed_signature_date_and_seal(tmp_path, fontset, profile, area):  # noqa: F811
    seal = _seal_png(tmp_path / "seal.png")
    path = tmp_path / "sealed.pdf"
    write_pdf(_signoff_doc(("某市总工会",), seal=str(seal)), profile, path, fontset)
    name, date, lines = _name_and_date(path)
    char = profile.grid_size_pt
    date_end = date.glyphs[-1].x0 + char
    assert area.right - date_end == pytest.approx(4 * char, abs=0.6)  # 右空四字
    date_centre = (date.glyphs[0].x0 + date_end) / 2
    assert (name.glyphs[0].x0 + name.glyphs[-1].x0 + char) / 2 == pytest.approx(date_centre, abs=0.6)
    with pdfplumber.open(str(path)) as pdf:
        (image,) = pdf.pages[0].images
    assert mm(image["x1"] - image["x0"]) == pytest.approx(profile.signoff.seal_mm, abs=0.5)
    assert (image["x0"] + image["x1"]) / 2 == pytest.approx(date_centre, abs=1.0)
    body_bottom = lines[-4].baseline + 0.12 * 16
    assert 0 < image["top"] - body_bottom <= profile.line_pitch_pt  # top within one line of the body
    assert image["top"] < name.top and image["bottom"] > date.bottom  # pressing on both


# --- tables and charts ---------------------------------------------------------------------------------
def test_long_table_stays_in_the_type_area_and_repeats_its_header(tmp_path, fontset, profile, area):  # noqa: F811
    rows = tuple((f"第{i}项工作任务", str(1000 + 37 * i), f"{90 + i % 10}.5%") for i in range(1, 41))
    table = Table(1, "各项任务完成情况", ("任务", "数量（个）", "完成率"), rows, style="three_line",
                  numeric=(False, True, True))
    doc = Document(Meta(title="t"), (block("body", "现将各项任务完成情况列表如下。" * 4), table,
                                     block("body", "以上是全年工作完成情况。")))
    path = tmp_path / "table.pdf"
    write_pdf(doc, profile, path, fontset)
    pages = read_pages(path)
    assert len(pages) == 2
    header = "任务数量（个）完成率"
    for index, page in enumerate(pages):
        texts = [line.text for line in page.lines_in(area)]
        assert header in texts
        rules, chars, _ = rects(path, index)
        for rule in rules:
            assert rule["x0"] >= area.left - 0.5 and rule["x1"] <= area.right + 0.5
            assert area.top - 0.5 <= rule["top"] and rule["bottom"] <= area.bottom + 0.5
        for char in chars:
            assert area.left - 0.5 <= char["x0"] and char["x1"] <= area.right + 0.5
    assert pages[1].lines[0].text == header
    rows_on = [line for page in pages for line in page.lines if line.text.startswith("第")]
    assert len(rows_on) == 40
    ends = {round(line.x1, 1) for line in rows_on}  # numbers right-aligned: one right edge
    assert len(ends) == 1
    rules, _, _ = rects(path, 1)
    thick = [r for r in rules if r["bottom"] - r["top"] > 1.2]
    assert len(thick) == 2  # the repeated header's top rule and the table's bottom rule


def test_chart_is_the_docx_png_with_its_caption_below(tmp_path, fontset, profile):  # noqa: F811
    from docgen.charts import render_chart_png
    from docgen.model import Chart

    document, _ = build_document(EXAMPLES / "report.yaml", profile=profile)
    path = tmp_path / "report.pdf"
    write_pdf(document, profile, path, fontset)
    chart = next(element for element in document.blocks if isinstance(element, Chart))
    png = render_chart_png(chart, profile)
    from PIL import Image

    size = Image.open(io.BytesIO(png)).size
    found = []
    with pdfplumber.open(str(path)) as pdf:
        for number, page in enumerate(pdf.pages):
            found += [(number, image) for image in page.images]
    assert len(found) == 1
    number, image = found[0]
    assert tuple(image["srcsize"]) == size
    assert mm(image["x1"] - image["x0"]) == pytest.approx(156, abs=0.5)
    caption = next(line for line in read_pages(path)[number].lines if line.text.startswith("图1"))
    assert caption.text == chart.label.replace("　", "")
    assert 0 < caption.top - image["bottom"] < pt(10)


def test_synthetic_bold_ends_with_its_run(tmp_path):
    """A bold heading (a common unit override) strokes its own glyphs only, not the text after it."""
    import re

    from pypdf import PdfReader

    from docgen.api import render

    unit = tmp_path / "unit.yaml"
    unit.write_text("styles:\n  heading2: {bold: true}\n", encoding="utf-8")
    outline = tmp_path / "bold.yaml"
    outline.write_text(
        "kind: speech\ntitle: 讲话\nsections:\n  - heading: 部分\n    points:\n"
        "      - heading: 加粗的二级标题\n        body: 之后的正文不应加粗。\n", encoding="utf-8")
    (pdf,) = render(outline, ["pdf"], tmp_path, profile=unit)
    content = PdfReader(pdf).pages[0].get_contents().get_data().decode("latin-1")
    bold_runs = re.findall(r"q [\d.]+ w BT .*? 2 Tr .*? 0 Tr ET Q", content)
    assert bold_runs, "no stroked run"
    assert content.count(" 2 Tr") == len(bold_runs)
