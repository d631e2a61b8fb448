"""Content rules on paragraphs: each defect by its own code, at its paragraph or line."""

import pytest

from docgen.api import check
from docgen.lint.text import Para, content_findings


def run(*texts, roles=None):
    roles = roles or [None] * len(texts)
    paras = [Para(t, line=n, role=r) for n, (t, r) in enumerate(zip(texts, roles), start=1)]
    return [(f.code, f.line) for f in content_findings(paras)]


@pytest.mark.parametrize("texts, expected", [
    (("一、甲", "二、乙", "四、丁"), [("L002", 3)]),
    (("一、甲", "二、乙", "二、乙乙"), [("L002", 3)]),
    (("一、甲", "（一）子", "（二）丑", "（一）寅"), [("L002", 4)]),
    (("一、甲", "1.子项", "2.丑项"), [("L003", 2)]),
    (("一、甲", "（一）子", "1.细", "二、乙", "（一）重新从一开始"), []),
    (("附件：1.名单", "2.统计表"), []),
])
def test_numbering(texts, expected):
    assert run(*texts) == expected


@pytest.mark.parametrize("text, code", [
    ("要完成“三个X”任务。", "L001"),
    ("请某某同志负责。", "L001"),
    ("联系人：……", "L001"),
    ("根据某工发〔2024〕第3号文件。", "L004"),
    ("根据某工发〔24〕3号文件。", "L004"),
    ("根据某工发〔2024〕03号文件。", "L004"),
    ("会议于2024年2月30日召开。", "L005"),
    ("会议于2024年01月05日召开。", "L005"),
    ("同志们,大家好。", "L008"),
    ("开展“三创两争活动。", "L009"),
    ("要抓好落实。。", "L010"),
    ("二〇二四年一月五日", "L006"),
])
def test_one_rule_each(text, code):
    assert [c for c, _ in run(text)] == [code]


def test_clean_text_passes():
    assert run("会议于2024年1月5日上午10:30召开，共有1,000人参加（含列席）。",
               "GDP 增长 6.5%，XML 与 Xbox 不算占位符。") == []


def test_heading_end_marks():
    assert run("一、总体要求。", "（一）主要目标，", "（二）基本原则。各地要抓好落实。") == [("L011", 1), ("L011", 2)]


def test_print_date_before_signed_date():
    found = run("某市总工会", "2024年5月20日", "某市总工会办公室　2024年5月10日印发",
                roles=["signature", "signature_date", "colophon"])
    assert found == [("L007", 3)]


def test_attachment_note_against_attachments():
    found = run("附件：1.名单", "2.统计表", "附件1", "名单",
                roles=[None, "attachment_note_more", "attachment_label", "attachment_title"])
    assert found == [("L012", 1)]


def test_recipients_colon_and_request_rules():
    found = run("关于某事的请示", "省总工会、省人社厅", "正文。",
                roles=["title", "recipients", "body"])
    assert ("L013", 2) in found and found.count(("L015", 2)) == 1 and ("L015", 1) in found


def test_repeated_paragraph_and_truncation():
    assert run("这是一段足够长的重复段落，用来测试。", "这是一段足够长的重复段落，用来测试。") == [("L016", 2)]
    assert run("一、甲", "要坚持问题导向，切实抓好各项工作的落") == [("L017", 2)]


def test_outline_findings_point_at_outline_lines(tmp_path):
    outline = tmp_path / "讲话.yaml"
    outline.write_text(
        "kind: speech\ntitle: 在某会议上的讲话\nspeaker: 王某\n"
        "opening: 同志们,今天我们召开会议。\n"
        "sections:\n  - heading: 提高认识\n    intro: 要完成XX项任务，推进工作。\n", encoding="utf-8")
    found = {(f.code, f.line) for f in check([outline]).findings}
    assert ("L008", 4) in found and ("L001", 7) in found


def test_invalid_outline_is_an_error_finding(tmp_path):
    outline = tmp_path / "通知.yaml"
    outline.write_text("kind: notice\ntitle: 关于某事的通知\nnumber: 某工发[2024]3号\n", encoding="utf-8")
    result = check([outline])
    assert [(f.code, f.line) for f in result.findings] == [("L000", 3)]
    assert "六角括号" in result.findings[0].message and result.exit_code == 1


def test_gbk_draft_is_read(tmp_path):
    draft = tmp_path / "草稿.txt"
    draft.write_bytes("同志们：\n要完成XX项任务。\n".encode("gbk"))
    assert [(f.code, f.line) for f in check([draft]).findings] == [("L001", 2)]
