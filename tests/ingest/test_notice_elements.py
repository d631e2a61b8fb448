"""公文 drafts in plain text: every element of 版头, 主体 and 版记 is recognised."""

from __future__ import annotations

from datetime import date

from docgen.api import write_imported
from docgen.ingest import import_draft
from docgen.outline.loader import load_outline

NOTICE = """\
000123
特急
某市总工会文件
某工发[2024]05号
关于开展2024年度职工技能竞赛的通知
各区（县）总工会，各产业工会：
为提升职工技能水平，市总工会决定开展2024年度职工技能竞赛。现将有关事项通知如下。
一、竞赛项目
设电工、焊工等10个项目。
二、工作要求
（一）精心组织。各单位要认真组织职工报名。
（二）按时报送。请于2024年4月30日前报送名单。
特此通知。
附件：1.竞赛报名表 2.竞赛规程
某市总工会
二〇二四年三月五日
（联系人：刘晓燕，电话：0000-12345678）
附件1
竞赛报名表
姓名、单位、项目。
附件2
竞赛规程
按国家职业技能标准执行。
抄送：市委组织部，市人力资源和社会保障局，各区（县）人民政府。
某市总工会办公室 2024年3月5日印发
"""


def _import(tmp_path, text: str, name: str = "notice.txt", **options):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return import_draft(path, **options)


def test_every_notice_element(tmp_path):
    result = _import(tmp_path, NOTICE)
    outline = result.outline
    assert outline["kind"] == "notice" and "doctype" not in outline
    assert outline["copy_number"] == "000123"
    assert outline["urgency"] == "特急"
    assert outline["issuer"] == "某市总工会"  # 发文机关标志 “某市总工会文件”
    assert outline["number"] == "某工发〔2024〕5号"  # brackets and padding corrected, and said so
    assert any(f.code == "I002" and "六角括号" in f.message for f in result.findings)
    assert outline["title"] == "关于开展2024年度职工技能竞赛的通知"
    assert outline["recipients"] == ["各区（县）总工会", "各产业工会"]
    assert outline["body"].startswith("为提升职工技能水平")
    assert [s["heading"] for s in outline["sections"]] == ["竞赛项目", "工作要求"]
    assert outline["closing"] == "特此通知。"
    assert outline["attachments"] == [
        {"title": "竞赛报名表", "body": "姓名、单位、项目。"},
        {"title": "竞赛规程", "body": "按国家职业技能标准执行。"},
    ]
    assert outline["signature"] == ["某市总工会"]
    assert outline["date"] == date(2024, 3, 5)  # Chinese numerals
    assert outline["note"] == "联系人：刘晓燕，电话：0000-12345678"
    assert outline["cc"] == ["市委组织部", "市人力资源和社会保障局", "各区（县）人民政府"]
    assert outline["printer"] == "某市总工会办公室"
    assert outline["print_date"] == date(2024, 3, 5)
    written, _ = write_imported(tmp_path / "notice.txt", tmp_path / "notice.yaml")
    assert load_outline(written).outline.number == "某工发〔2024〕5号"


def test_attachment_note_on_several_lines_and_numeric_date(tmp_path):
    text = """关于召开会议的通知
各单位：
定于下周召开会议。
附件：1.会议议程
2.参会回执
某市总工会
2024.3.6
"""
    outline = _import(tmp_path, text).outline
    assert outline["attachments"] == ["会议议程", "参会回执"]
    assert outline["date"] == date(2024, 3, 6)
    assert outline["signature"] == ["某市总工会"]


def test_request_with_signer(tmp_path):
    text = """某市总工会文件
某工〔2024〕12号 签发人：王建国
某市总工会关于举办职工技能大赛的请示
省总工会：
我会拟于2024年9月举办全市职工技能大赛。
妥否，请批示。
某市总工会
2024年5月20日
"""
    result = _import(tmp_path, text)
    outline = result.outline
    assert outline["kind"] == "notice" and outline["doctype"] == "请示"
    assert outline["signer"] == ["王建国"]
    assert outline["recipients"] == ["省总工会"]
    assert outline["closing"] == "妥否，请批示。"
    written, _ = write_imported(tmp_path / "notice.txt", tmp_path / "request.yaml")
    assert load_outline(written).outline.upward


def test_kind_option(tmp_path):
    text = "关于某项工作的情况\n各单位：\n现将情况说明如下。\n"
    assert _import(tmp_path, text).outline["kind"] == "speech"
    assert _import(tmp_path, text, kind="notice").outline["kind"] == "notice"
    assert _import(tmp_path, text, kind="report").outline["kind"] == "report"


def test_speaker_and_date_lines(tmp_path):
    text = """在全区安全生产工作会议上的讲话
——区长 张某（2023年3月6日）
同志们：
今天我们召开会议。
"""
    outline = _import(tmp_path, text, name="speech.txt").outline
    assert outline["kind"] == "speech"
    assert outline["speaker"] == "区长张某"
    assert outline["date"] == date(2023, 3, 6)
    text = "在全市工会工作会议上的讲话\n王建国\n（2020年8月16日）\n同志们：\n今天开会。\n"
    outline = _import(tmp_path, text, name="speech.txt").outline
    assert (outline["speaker"], outline["date"]) == ("王建国", date(2020, 8, 16))


def test_run_in_heading_ending_at_a_space(tmp_path):
    text = """关于举办培训班的通知
各单位：
现将有关事项通知如下。
一、培训时间 2023年5月15日至17日，共3天。
二、培训地点 市职工培训中心。
"""
    sections = _import(tmp_path, text).outline["sections"]
    assert sections[0] == {"heading": "培训时间", "intro": "2023年5月15日至17日，共3天。"}
    assert sections[1] == {"heading": "培训地点", "intro": "市职工培训中心。"}


def test_broken_titles_are_rejoined(tmp_path):
    text = "关于开展2024年度“工人先锋号”\n创建活动的通知\n各单位：\n现将有关事项通知如下。\n"
    assert _import(tmp_path, text).outline["title"] == "关于开展2024年度“工人先锋号”创建活动的通知"
    text = "坚持“三性” 增强“三力”\n推进工会工作创新发展\n——在全市工会干部培训班上的讲话\n同志们：\n今天开会。\n"
    outline = _import(tmp_path, text, name="speech.txt").outline
    assert outline["title"] == "坚持“三性” 增强“三力” 推进工会工作创新发展"
    assert outline["occasion"] == "全市工会干部培训班"


def test_request_kind_option(tmp_path):
    text = "关于举办大赛的报告\n省总工会：\n我会拟举办大赛。\n"
    outline = _import(tmp_path, text, kind="request").outline
    assert outline["kind"] == "notice" and outline["doctype"] == "请示"


def test_short_line_after_a_notice_title_is_text(tmp_path):
    text = "关于召开会议的通知\n某市总工会\n定于下周召开会议。\n"
    outline = _import(tmp_path, text).outline
    assert outline["title"] == "关于召开会议的通知"
    assert outline["body"].splitlines()[0] == "某市总工会"
