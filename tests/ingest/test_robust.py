"""Any mix of draft lines imports to an outline the real loader accepts (or a Chinese error)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.api import write_imported
from docgen.errors import DocgenError

POOL = [
    "某市总工会文件", "某工发[2024]01号", "\t某工〔2024〕12号\t签发人：\t王建国", "000001", "特急",
    "关于开展职工技能竞赛的通知", "关于某事的请示", "某单位2024年工作总结", "在全市工会工作会议上的讲话",
    "——在全市工会工作会议上的讲话", "——区长 XXX（2023年3月6日）", "（2020年8月16日）", "同志们：",
    "各区（县）总工会、各产业工会：", "为做好工作，现将有关事项通知如下。", "一、", "（一）", "1.", "二、主要工作",
    "（一）加强领导。各单位要高度重视。", "（二）狠抓落实", "一是抓学习；二是抓落实。", "特此通知。", "妥否，请批示。",
    "附件：1.报名表 2.规程", "2.参会回执", "某市总工会", "二〇二四年三月五日", "2024.3.6",
    "（联系人：张三，电话：0000-1234567）", "附件1", "抄送：市委组织部，市人社局。", "某市总工会办公室 2024年3月5日印发",
    "同志们，让我们共同努力！", "购物车", "第 1 页 共 2 页", "表1　主要指标", "图1　会员人数", "XX", "……", "",
    "关于开展\a职工技能竞赛的\u202e通知", "二、\x1b主要工作", "同志们\u2066：",  # invisible controls
]


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(POOL), min_size=1, max_size=14))
def test_any_draft_gives_a_loadable_outline(lines):
    with tempfile.TemporaryDirectory() as folder:
        draft = Path(folder) / "draft.txt"
        draft.write_text("\n".join(lines), encoding="utf-8")
        try:
            write_imported(draft, Path(folder) / "draft.yaml")  # validated by the real loader
        except DocgenError as exc:
            assert "没有可导入的文字" in str(exc)


def test_control_characters_are_removed_and_reported(tmp_path):
    from docgen.api import import_draft

    draft = tmp_path / "稿子.txt"
    draft.write_text("关于开展安全\a检查的通知\n\n各单位\u202e：\n\n一、总体要求\a\n\n现将有关事项通知如下。\n",
                     encoding="utf-8")
    write_imported(draft, tmp_path / "稿子.yaml")  # was: YAML error about its own output
    outline, findings = import_draft(draft)
    assert outline["title"] == "关于开展安全检查的通知"
    removed = [(f.line, f.message) for f in findings if f.code == "L018"]
    assert removed == [(1, "已删除不可见的控制字符 U+0007"), (3, "已删除不可见的控制字符 U+202E"),
                       (5, "已删除不可见的控制字符 U+0007")]
