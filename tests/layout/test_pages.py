"""Pagination: 22 lines a page on the 28.95 pt grid, space before, keep-with-next, page numbers."""

from __future__ import annotations

import pytest

from docgen.layout import layout_document
from docgen.style.profile import mm_to_pt

from .conftest import document, han


def test_22_lines_per_page_on_the_grid(profile, metrics):
    pages = layout_document(document(*[han(26 + 28 * 3)] * 12), profile, metrics)
    top = mm_to_pt(profile.page.margin_top_mm)
    assert len(pages[0].lines) == 22
    assert pages[0].lines[0].top_pt == pytest.approx(top)
    tops = [line.top_pt for line in pages[0].lines]
    assert all(b - a == pytest.approx(28.95) for a, b in zip(tops, tops[1:]))
    assert sum(len(p.lines) for p in pages) == 48


def test_space_before_skips_lines_except_at_page_top(profile, metrics):
    doc = document(("title", "标题"), ("salutation", "同志们："), *[han(26 + 28)] * 10,
                   ("salutation", "同志们："))
    pages = layout_document(doc, profile, metrics)
    first = pages[0].lines
    assert first[1].top_pt - first[0].top_pt == pytest.approx(2 * 28.95)
    # 1 + 1 + 1 + 20 lines: the last body line lands on page 2's first row, so the final
    # salutation's space before is kept (it is not at a page top).
    assert pages[1].lines[-1].text == "同志们："


def test_heading_never_ends_a_page(profile, metrics):
    doc = document(*[han(26 + 28 * 2)] * 7, ("heading1", "一、提高认识"), han(60))
    pages = layout_document(doc, profile, metrics)
    assert pages[0].lines[-1].style != "heading1"
    assert pages[1].lines[0].text == "一、提高认识"
    assert len(pages[0].lines) == 21


def test_page_numbers_alternate_sides(profile, metrics):
    pages = layout_document(document(*[han(26 + 28 * 21)] * 2), profile, metrics)
    left = mm_to_pt(profile.page.margin_left_mm)
    right = left + mm_to_pt(profile.page.type_width_mm)
    odd, even = pages[0].footer, pages[1].footer
    assert pages[0].footer_label == "— 1 —"
    last = odd.glyphs[-1]
    assert last.x_pt + last.advance_pt == pytest.approx(right - 14, abs=0.01)
    assert even.glyphs[0].x_pt == pytest.approx(left + 14)
    bottom = mm_to_pt(profile.page.margin_top_mm + profile.page.type_height_mm + 7)
    assert odd.top_pt == pytest.approx(bottom)
