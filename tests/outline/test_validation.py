"""Load-time checks of notices (issue numbers, dates, 请示) and the 公文 elements compose builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.api import build_document
from docgen.errors import OutlineError
from docgen.model import Block, Signoff
from docgen.outline.loader import load_outline

NOTICE = "kind: notice\ntitle: 关于某事的通知\nissuer: 某市总工会\nsignature: 某市总工会\ndate: 2024-01-05\n"


def write(tmp_path: Path, text: str, name: str = "notice.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_message(tmp_path: Path, text: str) -> str:
    with pytest.raises(OutlineError) as exc:
        load_outline(write(tmp_path, text))
    (problem,) = exc.value.problems
    return str(problem)


@pytest.mark.parametrize(("number", "fragment"), [
    ("某工发[2024]3号", "六角括号〔〕"),
    ("某工发【2024】3号", "六角括号〔〕"),
    ("某工发（2024）3号", "六角括号〔〕"),
    ("某工发〔2024〕第3号", "不加“第”字"),
    ("某工发〔24〕3号", "年份应写全 4 位"),
    ("某工发〔2024〕03号", "序号不编虚位"),
    ("某工发〔2024〕3", "应以“号”结尾"),
])
def test_issue_number_rules(tmp_path, number, fragment):
    message = only_message(tmp_path, NOTICE + f"number: {number}\n")
    assert message.startswith("notice.yaml:6:9 number：") and fragment in message


def test_a_correct_issue_number_passes(tmp_path):
    assert load_outline(write(tmp_path, NOTICE + "number: 某工发〔2024〕13号\n")).outline.number == "某工发〔2024〕13号"


def test_dates_are_real_and_not_zero_padded(tmp_path):
    padded = only_message(tmp_path, NOTICE.replace("2024-01-05", "2024年01月05日"))
    assert padded.startswith("notice.yaml:5:7 date：") and "不编虚位" in padded
    impossible = only_message(tmp_path, NOTICE.replace("2024-01-05", "2023-02-29"))
    assert "不存在的日期" in impossible


def test_copy_number_is_six_digits(tmp_path):
    assert load_outline(write(tmp_path, NOTICE + "copy_number: 12\n")).outline.copy_number == "000012"
    assert "6 位" in only_message(tmp_path, NOTICE + "copy_number: A-1\n")


def test_request_has_one_recipient_and_a_signer(tmp_path):
    request = "kind: notice\n文种: 请示\ntitle: 关于某事的请示\nsigner: 王建国\n"
    assert "只能主送一个机关" in only_message(tmp_path, request + "recipients: [省总工会, 市政府]\n")
    assert "必须写签发人" in only_message(tmp_path, request.replace("signer: 王建国\n", "") + "recipients: 省总工会\n")
    ok = load_outline(write(tmp_path, request + "recipients: 省总工会\n")).outline
    assert ok.upward and ok.recipients == ["省总工会"]


def test_notice_elements_are_built_from_fields(tmp_path):
    text = NOTICE + (
        "number: 某工发〔2024〕3号\ncopy_number: '000001'\nurgency: 特急\nrecipients: [甲单位, 乙单位]\n"
        "body: 正文。\nattachments: [一号附件, {title: 二号附件, body: 附件正文}]\nnote: 联系人：张三\n"
        "cc: [丙单位, 丁单位]\nprinter: 某市总工会办公室\nprint_date: 2024-01-05\n"
    )
    document, _ = build_document(write(tmp_path, text))
    assert document.header.mark.names == ("某市总工会",) and document.header.mark.suffix == "文件"
    assert (document.header.copy_number, document.header.urgency, document.header.signers) == ("000001", "特急", ())
    texts = [b.text if isinstance(b, Block) else b for b in document.blocks]
    assert texts[1] == "甲单位、乙单位："
    assert "附件：1.一号附件" in texts and "2.二号附件" in texts
    signoff = next(b for b in document.blocks if isinstance(b, Signoff))
    assert signoff.names == ("某市总工会",) and signoff.date == "2024年1月5日"
    assert texts[-1] == "（联系人：张三）"
    assert [a.label for a in document.attachments] == ["附件2"]  # only attachments with content get pages
    assert document.colophon.cc == ("丙单位", "丁单位") and document.colophon.print_date == "2024年1月5日"


def test_upward_report_gets_header_signer_and_closing(tmp_path):
    text = (
        "kind: report\ntitle: 某市总工会关于2024年工作情况的报告\nissuer: 某市总工会\nnumber: 某工〔2024〕20号\n"
        "signer: 王建国\nrecipients: 省总工会\ndate: 2024-12-20\nopening: 现将有关情况报告如下。\n"
        "sections: [{heading: 基本情况, intro: 全年工作顺利。}]\n"
    )
    document, _ = build_document(write(tmp_path, text, "report.yaml"))
    assert document.header.signers == ("王建国",)
    paragraphs = [b.text for b in document.paragraphs]
    assert paragraphs[1] == "省总工会：" and paragraphs[-1] == "特此报告。"
    assert any(isinstance(b, Signoff) for b in document.blocks)
    missing_signer = text.replace("signer: 王建国\n", "")
    with pytest.raises(OutlineError, match="签发人"):
        load_outline(write(tmp_path, missing_signer, "report.yaml"))
