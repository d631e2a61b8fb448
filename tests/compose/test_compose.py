"""Templates → markup → Document: numbering, run-in headings, escaping, strictness, titles."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docgen.api import build_document
from docgen.compose.chinese import cn_date, cn_number, cn_ordinal
from docgen.compose.markup import break_title, parse_markup
from docgen.errors import TemplateError
from docgen.style import load_profile

PROFILE = load_profile()


def write(tmp_path: Path, text: str, name: str = "speech.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


SPEECH = """\
kind: speech
title: 在全市工会工作会议上的讲话
speaker: 王建国
date: 2020-08-16
opening: 开头一段。
sections:
  - heading: 一、提高认识
    intro: 导语。
    points:
      - heading: （三）统一思想
        body: |
          第一段正文。
          第二段正文。
      - heading: 狠抓落实。
  - heading: 强化保障
    points:
      - heading: 加强领导
        body: 正文。
closing: 谢谢大家！
"""


def test_headings_are_numbered_by_structure_without_doubling(tmp_path):
    document, _ = build_document(write(tmp_path, SPEECH))
    numbered = [b.text for b in document.blocks if b.level]
    assert numbered[0] == "一、提高认识"
    assert numbered[1].startswith("（一）统一思想。第一段正文。")
    assert numbered[2] == "（二）狠抓落实。"
    assert numbered[3] == "二、强化保障"
    assert numbered[4].startswith("（一）加强领导。")


def test_reordering_sections_renumbers_them(tmp_path):
    swapped = SPEECH.replace("  - heading: 一、提高认识", "  - heading: 甲").replace("  - heading: 强化保障", "  - heading: 一、提高认识")
    swapped = swapped.replace("  - heading: 甲", "  - heading: 强化保障")
    document, _ = build_document(write(tmp_path, swapped))
    level1 = [b.text for b in document.blocks if b.level == 1]
    assert level1 == ["一、强化保障", "二、提高认识"]


def test_level2_heading_runs_in_with_its_first_paragraph(tmp_path):
    document, _ = build_document(write(tmp_path, SPEECH))
    run_in = next(b for b in document.blocks if b.level == 2)
    assert run_in.style == "body"
    assert [s.style for s in run_in.spans] == ["heading2", "body"]
    assert run_in.spans[0].text == "（一）统一思想。"
    assert run_in.spans[1].text == "第一段正文。"
    following = document.blocks[document.blocks.index(run_in) + 1]
    assert following.text == "第二段正文。" and following.style == "body"


def test_run_in_can_be_switched_off_by_the_profile(tmp_path):
    override = write(tmp_path, "headings:\n  run_in_levels: []\n", "unit.yaml")
    document, _ = build_document(write(tmp_path, SPEECH), profile=override)
    heading = next(b for b in document.blocks if b.level == 2)
    assert heading.style == "heading2" and heading.text == "（一）统一思想"


def test_speech_front_matter(tmp_path):
    document, _ = build_document(write(tmp_path, SPEECH.replace("speaker", "occasion: 全市工会工作会议\nspeaker")))
    styles = [(b.style, b.text) for b in document.blocks[:5]]
    assert styles == [
        ("title", "在全市工会工作会议上的讲话"),
        ("subtitle", "——在全市工会工作会议上的讲话"),
        ("byline", "王建国"),
        ("date", "（2020年8月16日）"),
        ("salutation", "同志们："),
    ]
    assert document.meta.created == date(2020, 8, 16)
    assert document.meta.author == "王建国"


def test_markup_characters_in_data_are_printed_as_text(tmp_path):
    tricky = "# 不是标题 <b>&amp; \"引号\" 'x' *星* 1. 不是列表 {.title} \\反斜杠"
    text = SPEECH.replace("开头一段。", "'" + tricky.replace("'", "''") + "'")
    document, _ = build_document(write(tmp_path, text))
    opening = next(b for b in document.blocks if b.style == "body")
    assert opening.text == tricky
    assert sum(1 for b in document.blocks if b.style == "title") == 1


def test_undefined_template_variable_names_file_and_line(tmp_path):
    tpl = tmp_path / "tpl" / "speech"
    tpl.mkdir(parents=True)
    (tpl / "body.md.j2").write_text("{.title}\n{{ title }}\n\n{{ speeker }}\n", encoding="utf-8")
    with pytest.raises(TemplateError) as exc:
        build_document(write(tmp_path, SPEECH), templates=tmp_path / "tpl")
    (problem,) = exc.value.problems
    assert problem.file.endswith("body.md.j2") and problem.line == 4
    assert "speeker" in problem.message


def test_template_override_is_file_by_file(tmp_path):
    tpl = tmp_path / "tpl" / "speech"
    tpl.mkdir(parents=True)
    (tpl / "body.md.j2").write_text("{.title}\n{{ title }}\n\n自定义模板：{{ speaker }}\n", encoding="utf-8")
    document, _ = build_document(write(tmp_path, SPEECH), templates=tmp_path / "tpl")
    assert [b.text for b in document.blocks] == ["在全市工会工作会议上的讲话", "自定义模板：王建国"]
    report = write(tmp_path, "kind: report\ntitle: 总结\nopening: 开头\n", "report.yaml")
    document, _ = build_document(report, templates=tmp_path / "tpl")  # falls back to the built-in
    assert [b.text for b in document.blocks] == ["总结", "开头"]


def test_sandbox_blocks_unsafe_attribute_access(tmp_path):
    tpl = tmp_path / "tpl" / "speech"
    tpl.mkdir(parents=True)
    (tpl / "body.md.j2").write_text("{{ title.__class__.__mro__ }}\n", encoding="utf-8")
    with pytest.raises(TemplateError, match="不允许|未定义"):
        build_document(write(tmp_path, SPEECH), templates=tmp_path / "tpl")


def test_unknown_block_style_in_a_template(tmp_path):
    with pytest.raises(TemplateError, match="未知样式“titel”"):
        parse_markup("{.titel}\n标题\n", PROFILE, "x.md.j2")


def test_chinese_numbers_and_dates():
    assert [cn_number(n) for n in (1, 10, 11, 20, 21, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "一百", "一百零五", "一百一十"]
    assert cn_ordinal(3) == "第三" and cn_ordinal(2, "是") == "二是"
    assert cn_date(date(2024, 1, 5)) == "2024年1月5日"


def test_long_titles_break_at_sensible_points():
    assert break_title("坚持“三性” 增强“三力” 推进工会工作创新发展", PROFILE) == ["坚持“三性” 增强“三力”", "推进工会工作创新发展"]
    lines = break_title("某市总工会关于开展2024年度全市职工职业技能竞赛活动的通知", PROFILE)
    assert lines == ["某市总工会关于开展2024年度", "全市职工职业技能竞赛活动的通知"]
    assert break_title("短标题", PROFILE) == ["短标题"]


def test_explicit_title_line_breaks_are_kept(tmp_path):
    text = SPEECH.replace("title: 在全市工会工作会议上的讲话", "title: |\n  第一行\n  第二行")
    document, _ = build_document(write(tmp_path, text))
    assert document.blocks[0].text == "第一行\n第二行"
