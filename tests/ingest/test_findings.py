"""Every import finding code: registered once, with its severity, and raised where it should be."""

from __future__ import annotations

import pytest

from docgen.ingest import import_draft
from docgen.lint.registry import RULES

CODES = {"I001": "info", "I002": "info", "I003": "info", "I004": "warning", "I005": "warning",
         "I006": "warning", "I007": "info", "I008": "info", "I009": "warning", "L001": "warning"}


def _findings(tmp_path, text: str, **options):
    path = tmp_path / "draft.txt"
    path.write_text(text, encoding="utf-8")
    return import_draft(path, **options).findings


def _codes(findings) -> list[str]:
    return [f.code for f in findings]


def test_registered_with_severities():
    import docgen.ingest.findings  # noqa: F401 - registers the I-codes

    for code, severity in CODES.items():
        assert RULES[code].severity == severity
        assert RULES[code].title


SPEECH = "在全市工会工作会议上的讲话\n同志们：\n今天召开会议。\n一、提高认识\n认识到位。\n二、狠抓落实\n落实到位。\n同志们，让我们共同努力！\n"


def test_kind_and_guesses(tmp_path):
    findings = _findings(tmp_path, SPEECH)
    kind = [f for f in findings if f.code == "I001"]
    assert len(kind) == 1 and "讲话稿" in kind[0].message and "同志们：" in kind[0].message
    guesses = [f.message for f in findings if f.code == "I002"]
    assert any(m.startswith("标题：在全市工会工作会议上的讲话") for m in guesses)
    assert any(m.startswith("称呼：同志们：") for m in guesses)
    assert not [f for f in findings if f.severity == "warning"]


def test_noise_line(tmp_path):
    findings = _findings(tmp_path, "立即下载\n" + SPEECH)
    noise = [f for f in findings if f.code == "I003"]
    assert len(noise) == 1 and noise[0].line == 1 and "立即下载" in noise[0].message


def test_truncated_end_and_point_without_body(tmp_path):
    text = SPEECH.replace("同志们，让我们共同努力！\n", "（一）加强领导\n要切实加强")
    findings = [f for f in _findings(tmp_path, text) if f.code == "I004"]
    assert any("稿子在句中结束" in f.message and f.line == 9 for f in findings)
    text = SPEECH.replace("落实到位。\n", "落实到位。\n（一）加强领导\n")
    findings = [f for f in _findings(tmp_path, text) if f.code == "I004"]
    assert any("“加强领导”只有标题" in f.message for f in findings)


@pytest.mark.parametrize("second, word", [("三、狠抓落实", "不连续"), ("一、狠抓落实", "重复")])
def test_numbering_gap_and_repeat(tmp_path, second, word):
    findings = [f for f in _findings(tmp_path, SPEECH.replace("二、狠抓落实", second)) if f.code == "I005"]
    assert len(findings) == 1 and word in findings[0].message and findings[0].line == 6


def test_framework_mismatch(tmp_path):
    text = SPEECH.replace("提高认识", "坚持政治性，增强向心力").replace("狠抓落实", "坚持先进性，增强战斗力")
    findings = _findings(tmp_path, text, framework="三性三力")
    messages = [f.message for f in findings if f.code == "I006"]
    assert any("第 2 部分" in m and "坚持先进性，增强凝聚力" in m for m in messages)


def test_unimported_content(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某单位2024年工作总结")
    document.add_paragraph("一、主要工作")
    document.add_paragraph("全年完成各项任务。")
    document.add_paragraph("图1　会员人数变化")
    path = tmp_path / "report.docx"
    document.save(path)
    findings = import_draft(path).findings
    assert any(f.code == "I007" and "图1" in f.message and f.paragraph == 4 for f in findings)


def test_punctuation_summary(tmp_path):
    findings = _findings(tmp_path, SPEECH.replace("同志们：", "同志们:"))
    assert any(f.code == "I008" and f.message.startswith("1 处") for f in findings)


@pytest.mark.parametrize("mark", ["X", "XX", "XXX", "××", "某某", "……"])
def test_placeholders(tmp_path, mark):
    text = SPEECH.replace("认识到位。", f"表彰{mark}名先进个人。")
    findings = [f for f in _findings(tmp_path, text) if f.code == "L001"]
    assert len(findings) == 1 and findings[0].line == 5 and mark in findings[0].message


def test_latin_words_are_not_placeholders(tmp_path):
    text = SPEECH.replace("认识到位。", "GDP增长了，XML文件已报送。")
    assert not [f for f in _findings(tmp_path, text) if f.code == "L001"]


def test_missing_required_elements(tmp_path):
    text = "关于举办职工技能大赛的请示\n省总工会、市人社局：\n我会拟举办大赛。\n妥否，请批示。\n某市总工会\n2024年5月20日\n"
    path = tmp_path / "request.txt"
    path.write_text(text, encoding="utf-8")
    result = import_draft(path)
    assert result.outline["signer"] == ["XXX"]
    assert result.outline["recipients"] == ["省总工会"] and result.outline["cc"] == ["市人社局"]
    assert any(f.code == "I009" and "签发人" in f.message and f.severity == "warning" for f in result.findings)


def test_framework_found_by_its_pattern(tmp_path):
    text = SPEECH.replace("提高认识", "坚持政治性，增强向心力").replace("狠抓落实", "坚持先进性，增强战斗力")
    path = tmp_path / "s.txt"
    path.write_text(text, encoding="utf-8")
    result = import_draft(path)
    assert result.outline["framework"] == "三性三力"
    assert result.outline["sections"][1]["heading"] == "坚持先进性，增强战斗力"  # the draft's wording stays
    assert any(f.code == "I006" and "凝聚力" in f.message for f in result.findings)
    plain = tmp_path / "plain.txt"
    plain.write_text(SPEECH, encoding="utf-8")
    assert "framework" not in import_draft(plain).outline
