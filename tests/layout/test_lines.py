"""Line breaking on the grid with stub metrics (CJK 1 em, ASCII 0.5 em): the cases measured in
LibreOffice (docgen/layout/README.md)."""

from __future__ import annotations

import pytest

from docgen.layout import layout_document
from docgen.layout.kinsoku import atoms, cannot_end_line, cannot_start_line

from .conftest import document, han

BODY_FIRST = 26  # 28 cells minus the 2-character first-line indent


def lines_of(profile, metrics, *blocks):
    pages = layout_document(document(*blocks), profile, metrics)
    return [line for page in pages for line in page.lines]


def texts(profile, metrics, *blocks):
    return [line.text for line in lines_of(profile, metrics, *blocks)]


def right_edge(line):
    last = line.glyphs[-1]
    return last.x_pt + last.advance_pt


def test_full_lines_hold_28_cells_and_end_flush(profile, metrics, area):
    left, right = area
    lines = lines_of(profile, metrics, han(26 + 28 + 28 + 5))
    assert [len(line.text) for line in lines] == [26, 28, 28, 5]
    for line in lines[:3]:
        # 28 cells of 15.75 pt = 441 pt: flush with the 版心 edge within its 1.2 pt remainder.
        assert right - 1.25 <= right_edge(line) <= right + 0.01
        assert len({round(b.x_pt - a.x_pt, 6) for a, b in zip(line.glyphs, line.glyphs[1:])}) == 1
    assert lines[1].glyphs[0].x_pt == pytest.approx(left)
    assert lines[0].glyphs[0].x_pt == pytest.approx(left + 32)  # 左空二字 = 2 × 16 pt


def test_last_line_is_left_aligned_not_spread(profile, metrics, area):
    left, _ = area
    last = lines_of(profile, metrics, han(30))[-1]
    assert last.text == han(30)[26:]
    assert [round(g.x_pt - left, 2) for g in last.glyphs] == [0, 15.75, 31.5, 47.25]


def test_centred_title(profile, metrics, area):
    left, right = area
    (line,) = lines_of(profile, metrics, ("title", "关于举办培训班的通知"))
    start, end = line.glyphs[0].x_pt, right_edge(line)
    assert end - start == pytest.approx(10 * 22)
    assert start - left == pytest.approx(right - end, abs=0.01)


@pytest.mark.parametrize("mark", list("，。、）”：；！？》"))
def test_closing_mark_pushes_previous_character_down(profile, metrics, area, mark):
    # The mark would be the 27th item of a 26-cell first line: LibreOffice pushes the character
    # before it down with it and spreads the 25 left over 26 cells.
    _, right = area
    lines = lines_of(profile, metrics, han(26) + mark + han(10))
    assert lines[0].text == han(25)
    assert lines[1].text.startswith(han(26)[25] + mark)
    assert right - 1.5 <= right_edge(lines[0]) <= right + 0.01


def test_two_closing_marks_push_one_more(profile, metrics):
    lines = texts(profile, metrics, han(25) + "。”" + han(10))
    assert lines[0] == han(24)
    assert lines[1].startswith(han(25)[24] + "。”")


@pytest.mark.parametrize("mark", list("“（《〔【"))
def test_opening_mark_never_ends_a_line(profile, metrics, mark):
    lines = texts(profile, metrics, han(25) + mark + han(10))
    assert lines[0] == han(25)
    assert lines[1].startswith(mark)


def test_number_straddling_the_end_moves_down_whole(profile, metrics):
    lines = texts(profile, metrics, han(25) + "2023年" + han(10))
    assert lines[0] == han(25)
    assert lines[1].startswith("2023年")


def test_number_may_end_a_line_before_han(profile, metrics):
    # "202" fits (with autospace) after 24 cells; the break falls between the digits and 为.
    lines = texts(profile, metrics, han(24) + "202" + han(10))
    assert lines[0] == han(24) + "202"


@pytest.mark.parametrize("word", ["25.5%", "GDP", "COVID-19", "3.14"])
def test_latin_runs_are_never_split(profile, metrics, word):
    for n in range(20, 27):
        lines = texts(profile, metrics, han(n) + word + han(40))
        assert any(word in line for line in lines), (n, lines)


def test_dash_never_splits(profile, metrics):
    lines = texts(profile, metrics, han(25) + "——" + han(10))
    assert lines[0] == han(25)
    assert lines[1].startswith("——")


def test_ellipsis_never_splits_nor_starts_a_line(profile, metrics):
    # "…" is on Word's cannot-start list, so …… takes the character before it along.
    lines = texts(profile, metrics, han(25) + "……" + han(10))
    assert lines[0] == han(24)
    assert lines[1].startswith(han(25)[24] + "……")


def test_half_width_digits_let_a_line_hold_more_than_28_items(profile, metrics):
    lines = texts(profile, metrics, han(26) + "1234567890" + han(40))
    assert len(lines[1]) > 28


def test_forced_break_ends_a_line_without_spreading(profile, metrics, area):
    left, _ = area
    lines = lines_of(profile, metrics, ("title", "第一行标题\n第二行"))
    assert [line.text for line in lines] == ["第一行标题", "第二行"]


def test_atoms():
    assert atoms("在2023年增长25.5%——好……") == ["在", "2023", "年", "增", "长", "25.5%", "——", "好", "……"]
    assert cannot_start_line("，") and cannot_start_line("”") and cannot_end_line("“")
