"""The structure view and the page's edits, as plain functions (no server)."""

from __future__ import annotations

import copy

import pytest

from docgen.errors import DocgenError
from docgen.web.structure import apply_edits, structure

SPEECH = {
    "kind": "speech", "title": "讲话", "salutation": "同志们：", "opening": "开头一段。",
    "sections": [
        {"heading": "第一部分", "intro": "导语。", "points": [{"heading": "甲", "body": "甲的正文。"},
                                                            {"heading": "乙", "body": "乙的正文。"},
                                                            {"heading": "丙"}]},
        {"heading": "第二部分", "points": [{"heading": "丁"}]},
    ],
}


def test_a_point_made_level_1_and_back_is_the_same_outline():
    promoted = apply_edits(SPEECH, [{"op": "level", "path": "sections.0.points.1", "level": 1}])
    assert [s["heading"] for s in promoted["sections"]] == ["第一部分", "乙", "第二部分"]
    assert promoted["sections"][1] == {"heading": "乙", "intro": "乙的正文。", "points": [{"heading": "丙"}]}
    back = apply_edits(promoted, [{"op": "level", "path": "sections.1", "level": 2}])
    assert back == SPEECH
    assert SPEECH["sections"][0]["points"][1]["heading"] == "乙"  # the input is not changed


def test_numbers_follow_the_structure():
    view = structure(apply_edits(SPEECH, [{"op": "level", "path": "sections.0.points.1", "level": 1}]), [])
    assert [(n["number"], n["heading"]) for n in view["nodes"]] == [
        ("一、", "第一部分"), ("（一）", "甲"), ("二、", "乙"), ("（一）", "丙"), ("三、", "第二部分"), ("（一）", "丁")]


@pytest.mark.parametrize(("edit", "fragment"), [
    ({"op": "level", "path": "sections.0", "level": 2}, "第一个一级标题"),
    ({"op": "level", "path": "sections.0.points.7", "level": 1}, "找不到"),
    ({"op": "level", "path": "sections.0", "level": 3}, "层级只能是"),
    ({"op": "set", "path": "sections.0.points.0.colour", "value": "红"}, "找不到"),
    ({"op": "set", "path": "kind", "value": "notice"}, "类型"),
    ({"op": "kind", "kind": "poem"}, "不认识的类型"),
])
def test_impossible_edits_are_chinese_errors(edit, fragment):
    with pytest.raises(DocgenError, match=fragment):
        apply_edits(SPEECH, [edit])


def test_kind_changes_keep_what_the_new_kind_has():
    notice = apply_edits(SPEECH, [{"op": "kind", "kind": "notice"}])
    assert notice["kind"] == "notice" and notice["body"] == "开头一段。" and notice["recipients"] == "同志们"
    assert "salutation" not in notice and "opening" not in notice
    speech = apply_edits(notice, [{"op": "kind", "kind": "speech"}])
    assert speech["opening"] == "开头一段。" and "body" not in speech
    report = apply_edits({"kind": "notice", "title": "通知", "issuer": ["某局"], "number": "某发〔2024〕1号"},
                         [{"op": "kind", "kind": "report"}])
    assert report == {"kind": "report", "title": "通知", "unit": "某局"}


def test_set_fields_lists_one_per_line_and_blank_removes():
    edited = apply_edits(SPEECH, [{"op": "set", "path": "speaker", "value": "王建国"},
                                  {"op": "set", "path": "opening", "value": ""},
                                  {"op": "set", "path": "sections.1.heading", "value": "新标题"}])
    assert edited["speaker"] == "王建国" and "opening" not in edited
    assert edited["sections"][1]["heading"] == "新标题"
    notice = apply_edits({"kind": "notice", "title": "通知"}, [{"op": "set", "path": "cc", "value": "甲局\n\n乙局\n"}])
    assert notice["cc"] == ["甲局", "乙局"]


def test_findings_go_to_the_field_or_heading_they_name():
    findings = [
        {"code": "I002", "message": "标题：讲话（依据：开头短句）"},
        {"code": "I004", "message": "“丙”只有标题，没有正文（稿子可能不完整）"},
        {"code": "L001", "message": "疑似未替换的占位符“X”：…乙的正文。…"},
        {"code": "I001", "message": "类型：讲话稿（依据：称呼）"},
        {"code": "I008", "message": "3 处半角标点改为全角"},
    ]
    view = structure(copy.deepcopy(SPEECH), findings)
    by_heading = {n["heading"]: [f["code"] for f in n["findings"]] for n in view["nodes"]}
    assert by_heading["丙"] == ["I004"] and by_heading["乙"] == ["L001"]
    assert [f["code"] for f in next(f for f in view["fields"] if f["key"] == "title")["findings"]] == ["I002"]
    assert [f["code"] for f in view["kind_findings"]] == ["I001"]
    assert [f["code"] for f in view["general"]] == ["I008"]


def test_attachments_with_content_are_read_only_in_the_form():
    view = structure({"kind": "notice", "title": "通知", "attachments": [{"title": "名单", "body": "……"}]}, [])
    field = next(f for f in view["fields"] if f["key"] == "attachments")
    assert field["readonly"] and field["value"] == "名单"
