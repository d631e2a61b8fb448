"""Profile values outside their ranges are refused at load time, naming file, line and key."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docgen.errors import ProfileError
from docgen.style.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]

# override → (line:column, field, message fragment)
BAD = {
    "title.size: 0": ("styles: {title: {size: 0}}\n", "1:24", "styles.title.size", "应在 5–72 pt 之间"),
    "huge size": ("styles:\n  body:\n    size: 200\n", "3:11", "styles.body.size", "5–72 pt"),
    "colour word": ("colors: {red: 不是颜色}\n", "1:15", "colors.red", "不是颜色；请写成 #RRGGBB"),
    "short hex": ("colors: {red: '#F00'}\n", "1:15", "colors.red", "#RRGGBB"),
    "style colour": ("styles: {title: {color: blue}}\n", "1:25", "styles.title.color", "不是颜色"),
    "indent past line": ("styles:\n  attachment_note_more: {left_indent_chars: 30}\n", "2:45",
                         "styles.attachment_note_more.left_indent_chars", "每行只有 28 字"),
    "negative indent": ("styles: {body: {indent_chars: -3}}\n", "1:31", "styles.body.indent_chars", "应不小于 0"),
    "grid lines": ("grid: {lines: 200}\n", "1:15", "grid.lines", "应在 10–40 行之间"),
    "grid chars": ("grid: {chars: 3}\n", "1:15", "grid.chars", "应在 10–40 字之间"),
    "no right margin": ("page: {margin_left_mm: 60}\n", "1:24", "page.margin_left_mm", "右边没有白边"),
    "no top margin": ("page: {margin_top_mm: 0}\n", "1:23", "page.margin_top_mm", "应大于 0"),
    "no bottom margin": ("page: {type_height_mm: 260}\n", "1:24", "page.type_height_mm", "下边没有白边"),
    "unknown placeholder": ("page_number: {format: '第 {page} 页'}\n", "1:23", "page_number.format",
                            "不认识的占位符 {page}"),
    "no page placeholder": ("page_number: {format: '第页'}\n", "1:23", "page_number.format", "缺少页码占位符 {n}"),
    "stray brace": ("page_number: {format: '{n} }'}\n", "1:23", "page_number.format", "落单的花括号"),
    "page number off paper": ("page_number: {below_type_mm: 40}\n", "1:30", "page_number.below_type_mm",
                              "超出下白边"),
    "heading pattern": ("headings: {numbering: ['{x}、']}\n", "1:24", "headings.numbering[0]", "不认识的占位符 {x}"),
    "many blank lines": ("styles: {body: {space_before_lines: 50}}\n", "1:37", "styles.body.space_before_lines",
                         "应不大于 10"),
    "signature past line": ("signoff: {right_chars: 27}\n", "1:24", "signoff.right_chars", "超出每行 28 字"),
    "three numbering patterns": ("headings: {numbering: ['{cn}、', '（{cn}）', '{n}.']}\n", "1:23",
                                 "headings.numbering", "至少应有 4 项"),
    "not finite": ("page: {width_mm: .nan}\n", "1:18", "page.width_mm", "应为有限的数字"),
    "fractional lines": ("grid: {lines: 22.5}\n", "1:15", "grid.lines", "应为整数"),
    "font role": ("styles: {body: {font: latin}}\n", "1:23", "styles.body.font", "可用：xiaobiaosong、fangsong"),
    "seal size": ("signoff: {seal_mm: 500}\n", "1:20", "signoff.seal_mm", "应不大于 80"),
}


@pytest.mark.parametrize("case", BAD)
def test_out_of_range_value_is_refused_with_its_place(tmp_path, case):
    text, place, field, fragment = BAD[case]
    unit = tmp_path / "unit.yaml"
    unit.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(unit)
    shown = str(exc.value)
    assert f"unit.yaml:{place} {field}：" in shown, shown
    assert fragment in shown, shown


def test_real_unit_styles_still_load(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("grid: {lines: 23, chars: 28}\ncolors: {red: '#c8102e'}\n"
                    "styles: {title: {size: 小一, color: '#000000'}, heading1: {left_indent_chars: 0}}\n"
                    "page_number: {format: '- {n} -'}\n", encoding="utf-8")
    profile = load_profile(unit)
    assert profile.grid.lines == 23 and profile.style("title").size == 24


def test_cli_refuses_the_profile_before_writing(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("styles: {title: {size: 0}}\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "docgen", "render", ROOT / "examples" / "sanxing-sanli-speech.yaml",
                             "-p", unit, "-o", out], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 2
    assert "unit.yaml:1:24 styles.title.size：应在 5–72 pt 之间" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()
