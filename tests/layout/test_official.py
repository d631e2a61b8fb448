"""Layout of the 公文 elements: 版头, 署名/日期, attachments, 版记, tables — positions as data."""

from __future__ import annotations

import pytest

from docgen.layout import colophon_on_last_page, layout_document
from docgen.layout.boxes import Rule, VRule
from docgen.layout.colophon import FREE_LINES_ABOVE, fits_under, layout_colophon
from docgen.layout.flow import Piece, paginate
from docgen.layout.pages import body_pages
from docgen.model import (Attachment, Block, Colophon, Document, Header, IssuerMark, Meta, Signoff, Span,
                          Table)
from docgen.style.profile import mm_to_pt

from .conftest import han

PITCH = 28.95


def block(style: str, text: str) -> Block:
    return Block(style, (Span(text, style),))


def notice(body_lines: int = 3, *, seal: str | None = None, date: str = "2024年3月15日",
           colophon: bool = True, attachments: int = 0, names=("某市总工会",)) -> Document:
    blocks = [block("title", "关于开展活动的通知"), block("recipients", "各区总工会：")]
    blocks += [block("body", han(26)) for _ in range(body_lines)]
    blocks.append(Signoff(names=names, date=date, seal=seal))
    blocks.append(block("note", "（联系人：刘晓燕，电话：0000-12345678）"))
    return Document(
        Meta(title="t"), tuple(blocks),
        header=Header(copy_number="000001", urgency="特急", mark=IssuerMark(("某市总工会",)),
                      number="某工发〔2024〕3号"),
        attachments=tuple(Attachment(f"附件{n}", f"推荐表{n}", (block("body", han(40)),))
                          for n in range(1, attachments + 1)),
        colophon=Colophon(cc=("市委组织部", "市人力资源和社会保障局"), printer="某市总工会办公室",
                          print_date="2024年3月15日") if colophon else None,
    )


def line_with(page, text):
    return next(line for line in page.lines if line.text == text)


# --- flow ------------------------------------------------------------------------------------------
def test_flow_keeps_chains_and_repeats_headers():
    line = Piece(10.0)
    header = Piece(5.0)
    pieces = [line] * 8 + [Piece(10.0, keep_with_next=True), line]
    pages = paginate(pieces, 0.0, 95.0)
    # 8 lines take 80; the kept pair (20) does not fit under them: both move.
    assert [len(p.lines) for p in pages] == [0, 0] and pages[0].used_pt == 80 and pages[1].used_pt == 20
    rows = [Piece(10.0, group=1, repeat=(header,), split_rules=(Rule(0, 1, 10, 1),))] * 12
    pages = paginate(rows, 0.0, 100.0)
    assert pages[1].used_pt == pytest.approx(5 + 20)  # header repeated, then the two rows left
    assert pages[0].rules and pages[0].rules[0].y_pt == pytest.approx(100.0)


# --- 版头 -------------------------------------------------------------------------------------------
def test_header_on_page_one(profile, metrics, area):
    pages = layout_document(notice(), profile, metrics)
    first = pages[0]
    top = mm_to_pt(profile.page.margin_top_mm)
    assert [ln.text for ln in first.lines[:2]] == ["000001", "特急"]
    assert first.lines[0].top_pt == pytest.approx(top)
    mark = line_with(first, "某市总工会文件")
    assert {g.color for g in mark.glyphs} == {profile.colors.red}
    size = mark.glyphs[0].size_pt
    assert size == 42
    # The ink top (0.85 em above the baseline) 35 mm under the 版心 top.
    assert mark.baseline_pt - 0.85 * size - top == pytest.approx(mm_to_pt(35), abs=mm_to_pt(1))
    left, right = area
    width = mark.glyphs[-1].x_pt + size - mark.glyphs[0].x_pt
    assert mark.glyphs[0].x_pt - left == pytest.approx(right - mark.glyphs[0].x_pt - width, abs=0.5)
    red = [r for r in first.rules if r.color == profile.colors.red]
    assert len(red) == 1 and red[0].x1_pt - red[0].x0_pt == pytest.approx(right - left, abs=0.1)
    number = line_with(first, "某工发〔2024〕3号")
    gap = red[0].y_pt - (number.baseline_pt + 0.12 * 16)
    assert gap == pytest.approx(mm_to_pt(4), abs=mm_to_pt(1))
    title = first.lines[first.lines.index(number) + 1]
    assert title.text == "关于开展活动的通知"
    assert title.top_pt - red[0].y_pt == pytest.approx(2 * PITCH, abs=1.5)


def test_joint_mark_stacks_names_with_the_suffix_centred(profile, metrics):
    doc = notice()
    doc = Document(doc.meta, doc.blocks, header=Header(mark=IssuerMark(("某市总工会", "某市人力资源和社会保障局")),
                                                      number="某工发〔2024〕3号"))
    lines = layout_document(doc, profile, metrics)[0].lines
    first, second, suffix = lines[0], lines[1], lines[2]
    assert (first.text, second.text, suffix.text) == ("某市总工会", "某市人力资源和社会保障局", "文件")
    assert first.glyphs[0].x_pt == pytest.approx(second.glyphs[0].x_pt, abs=0.2)
    assert first.glyphs[-1].x_pt == pytest.approx(second.glyphs[-1].x_pt, abs=0.2)  # spread to one width
    middle = (first.baseline_pt + second.baseline_pt) / 2
    assert suffix.baseline_pt == pytest.approx(middle, abs=0.5)
    assert suffix.glyphs[0].x_pt > second.glyphs[-1].x_pt


def test_upward_document_puts_signer_right_and_number_left(profile, metrics, area):
    doc = notice()
    doc = Document(doc.meta, doc.blocks, header=Header(mark=IssuerMark(("某市总工会",)), number="某工〔2024〕12号",
                                                      signers=("王建国",)))
    line = next(ln for ln in layout_document(doc, profile, metrics)[0].lines if "签" in ln.text)
    left, right = area
    assert line.text == "某工〔2024〕12号签发人：王建国"
    assert line.glyphs[0].x_pt == pytest.approx(left + 16)
    names = [g for g in line.glyphs if g.font_role == "kaiti"]
    assert "".join(g.char for g in names) == "王建国"
    assert names[-1].x_pt + names[-1].advance_pt == pytest.approx(right - 16, abs=1.0)


# --- 署名/日期 ----------------------------------------------------------------------------------------
def _signoff_lines(pages):
    for page in pages:
        lines = [ln for ln in page.lines if ln.style in ("signature", "signature_date")]
        if lines:
            return page, lines
    raise AssertionError("no 署名")


def test_unsealed_signature_right_two_chars_and_date_two_chars_in(profile, metrics, area):
    _, right = area
    long_name = ("某市人力资源和社会保障局",)
    page, (name, date) = _signoff_lines(layout_document(notice(names=long_name), profile, metrics))
    end = name.glyphs[-1].x_pt + 16
    assert end == pytest.approx(right - 32, abs=0.5)
    assert date.glyphs[0].x_pt - name.glyphs[0].x_pt == pytest.approx(32, abs=0.5)
    assert date.top_pt - name.top_pt == pytest.approx(PITCH)
    body = [ln for ln in page.lines if ln.style == "body"]
    assert name.top_pt - body[-1].top_pt == pytest.approx(2 * PITCH)  # 空一行


def test_unsealed_longer_date_goes_right_two_chars(profile, metrics, area):
    _, right = area
    _, (name, date) = _signoff_lines(layout_document(notice(), profile, metrics))
    assert date.glyphs[-1].x_pt + 16 == pytest.approx(right - 32, abs=0.5)
    assert date.glyphs[0].x_pt - name.glyphs[0].x_pt == pytest.approx(32, abs=0.5)


def test_sealed_date_right_four_chars_name_centred_seal_over_both(profile, metrics, area, tmp_path):
    _, right = area
    pages = layout_document(notice(seal=str(tmp_path / "seal.png")), profile, metrics)
    page, (name, date) = _signoff_lines(pages)
    date_end = date.glyphs[-1].x_pt + 16
    assert date_end == pytest.approx(right - 64, abs=0.5)
    centre = (date.glyphs[0].x_pt + date_end) / 2
    assert (name.glyphs[0].x_pt + name.glyphs[-1].x_pt + 16) / 2 == pytest.approx(centre, abs=0.5)
    (seal,) = page.pictures
    assert seal.over_text
    assert seal.x_pt + seal.width_pt / 2 == pytest.approx(centre, abs=1.0)
    body = [ln for ln in page.lines if ln.style == "body"]
    assert 0 < seal.top_pt - (body[-1].top_pt + PITCH) <= PITCH  # within one line under the body
    assert seal.top_pt < name.top_pt and seal.top_pt + seal.height_pt > date.top_pt + PITCH / 2


@pytest.mark.parametrize("lines", range(6, 17))
def test_signature_never_stands_alone_on_a_page(profile, metrics, lines):
    pages = layout_document(notice(lines), profile, metrics)
    page, _ = _signoff_lines(pages)
    assert any(ln.style == "body" for ln in page.lines)
    assert any(ln.style == "signature_date" for ln in page.lines)


# --- attachments, 版记, page numbers ---------------------------------------------------------------------
def test_attachments_start_pages_label_line_1_title_line_3(profile, metrics, area):
    pages = layout_document(notice(attachments=2), profile, metrics)
    top = mm_to_pt(profile.page.margin_top_mm)
    starts = [p for p in pages if p.lines and p.lines[0].text.startswith("附件")]
    assert [p.lines[0].text for p in starts] == ["附件1", "附件2"]
    for page in starts:
        label, title = page.lines[0], page.lines[1]
        assert label.top_pt == pytest.approx(top)
        assert label.glyphs[0].x_pt == pytest.approx(area[0])
        assert title.top_pt == pytest.approx(top + 2 * PITCH)
        assert title.glyphs[0].size_pt == 22


def _check_colophon(page, profile, area):
    """The 版记 on ``page``: three rules (thick, thin, thick), the last one's lower edge on the
    版心 bottom; 抄送 左空一字 (4号), then 印发机关 and 印发日期."""
    bottom = mm_to_pt(profile.page.margin_top_mm + profile.page.type_height_mm)
    rules = sorted(page.rules, key=lambda r: r.y_pt)[-3:]
    assert [r.thickness_pt for r in rules] == [1.0, 0.75, 1.0]
    assert rules[-1].y_pt + rules[-1].thickness_pt / 2 == pytest.approx(bottom, abs=mm_to_pt(1))
    lines = [ln for ln in page.lines if ln.style == "colophon"]
    texts = [ln.text for ln in lines]
    assert texts[0].startswith("抄送：") and texts[-2:] == ["某市总工会办公室", "2024年3月15日印发"]
    assert lines[0].glyphs[0].x_pt == pytest.approx(area[0] + 14)
    assert all(rules[0].y_pt < ln.baseline_pt < rules[-1].y_pt for ln in lines)
    return rules


def _numbered(page) -> bool:
    return page.footer is not None and page.footer_label == f"— {page.number} —"


# Body lines (notice(lines)) → the body ends on page 1 (3), page 3 (30, 48): the 版记 takes the next,
# even page; no blank page, no page number on it.
@pytest.mark.parametrize("lines", [3, 30, 48])
def test_colophon_after_an_odd_last_page_on_its_own_even_page(profile, metrics, area, lines):
    doc = notice(lines)
    body = body_pages(doc, profile, metrics)
    pages = layout_document(doc, profile, metrics)
    assert len(body) % 2 == 1 and len(pages) == len(body) + 1
    assert not colophon_on_last_page(doc, profile, metrics)
    last = pages[-1]
    assert last.footer is None and last.footer_label == ""
    _check_colophon(last, profile, area)
    assert {ln.style for ln in last.lines} == {"colophon"}
    assert all(_numbered(page) for page in pages[:-1])


# The body ends on page 2 with room for the 版记 and a free line above it (5: 5 lines on page 2,
# 22: 18 lines): the 版记 at the foot of page 2, which keeps its number.
@pytest.mark.parametrize("lines", [5, 16, 22])
def test_colophon_at_the_foot_of_an_even_last_page_with_room(profile, metrics, area, lines):
    doc = notice(lines)
    pages = layout_document(doc, profile, metrics)
    assert len(pages) == 2 and colophon_on_last_page(doc, profile, metrics)
    last = pages[-1]
    assert _numbered(last) and _numbered(pages[0])
    assert last.footer.glyphs[0].x_pt == pytest.approx(area[0] + 14)  # even page: left, 空一字
    rules = _check_colophon(last, profile, area)
    body = [ln for ln in last.lines if ln.style != "colophon"]
    assert body[-1].style == "note"
    # at least one empty grid line between the last body line's cell and the first separator
    assert rules[0].y_pt - rules[0].thickness_pt / 2 - (body[-1].top_pt + PITCH) >= PITCH - 0.05


# The body ends on page 2 without that room (23: 19 lines on page 2, one free line would not be
# left; 26: a full page): a blank page 3, the 版记 alone on page 4, neither numbered.
@pytest.mark.parametrize("lines", [23, 26])
def test_colophon_after_a_full_even_page_blank_page_then_its_own_page(profile, metrics, area, lines):
    doc = notice(lines)
    pages = layout_document(doc, profile, metrics)
    assert len(pages) == 4 and not colophon_on_last_page(doc, profile, metrics)
    assert _numbered(pages[0]) and _numbered(pages[1])
    blank, last = pages[2], pages[3]
    assert blank.lines == () and blank.rules == () and blank.footer is None
    assert last.footer is None
    _check_colophon(last, profile, area)
    assert {ln.style for ln in last.lines} == {"colophon"}


def test_free_line_rule_at_the_boundary(profile, metrics):
    """18 body lines on page 2 leave 4 lines: one free + the 版记 (2 rows and rules, 2.08 lines)
    fits; 19 lines leave 0.92 free lines: no."""
    colophon = layout_colophon(notice().colophon, profile, metrics)
    assert colophon.extent_pt == pytest.approx(2 * PITCH + 1.0 + 0.75 + 0.5, abs=0.1)
    assert FREE_LINES_ABOVE == 1
    assert fits_under(18 * PITCH, colophon, profile)
    assert not fits_under(19 * PITCH, colophon, profile)
    assert [body_pages(notice(n), profile, metrics)[-1].used_pt / PITCH for n in (22, 23)] == \
        pytest.approx([18, 19])


def test_decision_matches_the_layout(profile, metrics):
    """colophon_on_last_page (what the .docx writer asks) is what layout_document does."""
    for lines in range(1, 50, 2):
        doc = notice(lines)
        pages = layout_document(doc, profile, metrics)
        shared = any(ln.style != "colophon" for ln in pages[-1].lines)
        assert colophon_on_last_page(doc, profile, metrics) == shared, lines
        assert len(pages) % 2 == 0
    assert not colophon_on_last_page(notice(colophon=False), profile, metrics)


def test_cc_continuation_hangs_after_the_label(profile, metrics, area):
    doc = notice()
    long_cc = Colophon(cc=tuple(f"某某区第{n}街道总工会" for n in range(1, 8)), printer="办公室", print_date="2024年3月15日")
    doc = Document(doc.meta, doc.blocks, header=doc.header, colophon=long_cc)
    last = layout_document(doc, profile, metrics)[-1]
    first, second = last.lines[0], last.lines[1]
    assert first.text.startswith("抄送：")
    assert second.glyphs[0].x_pt == pytest.approx(area[0] + 14 + 3 * 14)
    assert second.text.endswith("。") or last.lines[2].text.endswith("。")


# --- tables -------------------------------------------------------------------------------------------
def test_long_table_repeats_its_header_and_stays_in_the_type_area(profile, metrics, area):
    rows = tuple((f"第{i}项", str(100 + i), f"{90 + i % 10}.5%") for i in range(1, 31))
    table = Table(1, "完成情况", ("任务", "数量", "完成率"), rows, style="grid", numeric=(False, True, True))
    doc = Document(Meta(title="t"), (block("body", han(60)), table, block("body", han(20))))
    pages = layout_document(doc, profile, metrics)
    assert len(pages) == 2
    left, right = area
    top = mm_to_pt(profile.page.margin_top_mm)
    bottom = top + mm_to_pt(profile.page.type_height_mm)
    for page in pages:
        headers = [ln for ln in page.lines if ln.text == "任务"]
        assert len(headers) == 1 and any(ln.text == "完成率" and ln.top_pt == headers[0].top_pt for ln in page.lines)
        for rule in page.rules:
            if isinstance(rule, VRule):
                assert left - 1 <= rule.x_pt <= right + 1 and rule.y1_pt <= bottom + 1
            else:
                assert rule.x0_pt >= left - 0.1 and rule.x1_pt <= right + 0.1 and rule.y_pt <= bottom + 1
    assert pages[1].lines[0].text == "任务"
    assert pages[1].lines[0].top_pt < top + 5
    # Numbers right-aligned among themselves.
    ends = {round(ln.glyphs[-1].x_pt + ln.glyphs[-1].advance_pt, 1) for p in pages for ln in p.lines
            if ln.text.endswith("%")}
    assert len(ends) == 1
