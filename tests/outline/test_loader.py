"""Outline loading: Chinese aliases, frameworks, and every bad-input path with its position."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from docgen.errors import OutlineError
from docgen.outline.frameworks import apply_framework
from docgen.outline.loader import load_outline


def write(tmp_path: Path, text: str, name: str = "speech.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def messages(exc: pytest.ExceptionInfo) -> list[str]:
    return [str(problem) for problem in exc.value.problems]


def test_chinese_keys_map_to_english_fields(tmp_path):
    path = write(tmp_path, """\
类型: 讲话稿
标题: 在全市工会工作会议上的讲话
讲话人: 王建国
日期: 2020年8月16日
称呼: 各位代表：
部分:
  - 标题: 提高认识
    要点:
      - 标题: 统一思想
        正文: 正文内容
结尾: 谢谢大家！
""")
    speech = load_outline(path).outline
    assert speech.kind == "speech"
    assert speech.title == "在全市工会工作会议上的讲话"
    assert speech.date == date(2020, 8, 16)
    assert speech.salutation == "各位代表："
    assert speech.sections[0].points[0].heading == "统一思想"
    assert speech.closing == "谢谢大家！"


def test_missing_field_names_line_column_and_path(tmp_path):
    path = write(tmp_path, """\
kind: speech
title: 讲话
sections:
  - heading: 一
    points:
      - body: 有正文没有标题
""")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    assert messages(exc) == ["speech.yaml:6:9 sections[0].points[0].heading：缺少必填字段（标题）"]


def test_malformed_yaml_reports_position(tmp_path):
    path = write(tmp_path, "kind: speech\ntitle: 讲话\nsections:\n  - heading: 一\n   points: []\n")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    (message,) = messages(exc)
    assert message.startswith("speech.yaml:5:")
    assert "YAML 格式错误" in message


def test_wrong_type_is_reported_at_the_value(tmp_path):
    path = write(tmp_path, "kind: speech\ntitle: 讲话\nsections: 不是列表\n")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    assert messages(exc) == ["speech.yaml:3:11 sections：应为列表（每项一行，以“- ”开头）"]


def test_unknown_key_suggests_the_nearest_field(tmp_path):
    path = write(tmp_path, "kind: speech\ntitle: 讲话\nclosng: 谢谢\n")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    (message,) = messages(exc)
    assert message.startswith("speech.yaml:3:1 closng：未知字段“closng”")
    assert "closing" in message and "结尾" in message


def test_all_problems_are_reported_together(tmp_path):
    path = write(tmp_path, "kind: speech\nclosng: 1\nspeaker: [a, b]\ndate: 2020-02-30\n")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    text = "\n".join(messages(exc))
    assert "speech.yaml:2:1 closng" in text
    assert "speech.yaml:3:10 speaker：应为文字" in text
    assert "speech.yaml:4:7 date" in text


def test_impossible_date_in_chinese_form(tmp_path):
    path = write(tmp_path, "kind: speech\ndate: 2021年2月29日\n")
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    assert messages(exc) == ["speech.yaml:2:7 date：不存在的日期：2021年2月29日"]


def test_missing_kind_and_unknown_kind(tmp_path):
    with pytest.raises(OutlineError, match="缺少“kind”"):
        load_outline(write(tmp_path, "title: 讲话\n"))
    with pytest.raises(OutlineError, match="不认识的类型“公告”"):
        load_outline(write(tmp_path, "kind: 公告\n"))


def test_non_utf8_file(tmp_path):
    path = tmp_path / "gbk.yaml"
    path.write_bytes("kind: speech\ntitle: 测试\n".encode("gbk"))
    with pytest.raises(OutlineError) as exc:
        load_outline(path)
    (message,) = messages(exc)
    assert message.startswith("gbk.yaml:2:8")
    assert "不是 UTF-8 编码" in message


def test_unreadable_and_missing_file(tmp_path):
    with pytest.raises(OutlineError, match="找不到文件"):
        load_outline(tmp_path / "nope.yaml")
    with pytest.raises(OutlineError, match="目录"):
        load_outline(tmp_path)


def test_top_level_must_be_a_mapping(tmp_path):
    with pytest.raises(OutlineError, match="顶层"):
        load_outline(write(tmp_path, "- a\n- b\n"))


# --- frameworks ---------------------------------------------------------------------------
def test_framework_fills_headings_and_title(tmp_path):
    loaded = load_outline(write(tmp_path, """\
kind: speech
framework: 三性三力
sections:
  - points: [{heading: 第一点}]
  - heading: 自己写的标题
"""))
    speech = apply_framework(loaded.outline, loaded.problem)
    assert speech.title == "坚持“三性” 增强“三力” 推进工会工作创新发展"
    assert [s.heading for s in speech.sections] == ["坚持政治性，增强向心力", "自己写的标题", "坚持群众性，增强吸引力"]
    assert speech.sections[0].points[0].heading == "第一点"


def test_unknown_framework_lists_the_available_ones(tmp_path):
    loaded = load_outline(write(tmp_path, "kind: speech\nframework: 五位一体\n"))
    with pytest.raises(OutlineError) as exc:
        apply_framework(loaded.outline, loaded.problem)
    assert messages(exc) == ["speech.yaml:2:12 framework：没有名为“五位一体”的框架；可用的框架：三性三力"]


def test_user_framework_from_templates_dir(tmp_path):
    (tmp_path / "tpl" / "frameworks").mkdir(parents=True)
    (tmp_path / "tpl" / "frameworks" / "两个维护.yaml").write_text(
        "name: 两个维护\nheading: 坚决{做到}\nparts:\n  - {做到: 维护核心}\n  - {做到: 维护权威}\n", encoding="utf-8"
    )
    loaded = load_outline(write(tmp_path, "kind: speech\ntitle: 讲话\nframework: 两个维护\n"))
    speech = apply_framework(loaded.outline, loaded.problem, tmp_path / "tpl")
    assert [s.heading for s in speech.sections] == ["坚决维护核心", "坚决维护权威"]
