"""Text oddities (issue 8): bidi and XML-illegal characters, right-to-left scripts, heading numbers."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile

import pytest

from docgen.compose.markup import drop_control_characters, strip_existing_number

NOTICE = """kind: notice
issuer: "{issuer}"
number: 某工发〔2024〕3号
title: "{title}"
recipients: 各区总工会
body: 正文第一段。
sections:
  - heading: 加强组织领导
  - heading: 一、二线城市职工住房问题
  - heading: 三、落实工作责任
signature: "{signature}"
date: 2024-03-15
cc: ["{cc}"]
"""


def docgen(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


def write(tmp_path, **fields):
    values = {"issuer": "某市总工会", "title": "关于开展活动的通知", "signature": "某市总工会", "cc": "市委办公室"}
    values.update(fields)
    path = tmp_path / "n.yaml"
    path.write_text(NOTICE.format(**values), encoding="utf-8")
    return path


def all_text(tmp_path):
    import docx
    import pdfplumber

    with pdfplumber.open(tmp_path / "n.pdf") as pdf:
        pdf_text = "\n".join(page.extract_text() or "" for page in pdf.pages)
    document = docx.Document(tmp_path / "n.docx")  # python-docx opens it
    docx_text = "\n".join(p.text for p in document.paragraphs)
    # The 版记 sits in the last page's footer: read every part's text as well.
    with zipfile.ZipFile(tmp_path / "n.docx") as package:
        for name in package.namelist():
            if name.startswith("word/") and name.endswith(".xml"):
                docx_text += "\n" + re.sub(r"<[^>]+>", "", package.read(name).decode("utf-8"))
    return pdf_text, docx_text


@pytest.mark.parametrize("char", ["\\x01", "\\x1b", "\\x7f", "\\uFFFE", "\\uFFFF", "\\u202E", "\\u2067", "\\u200F", "\\u061C"])
def test_control_bidi_and_xml_illegal_characters_are_dropped_in_every_field(tmp_path, char):
    outline = write(tmp_path, issuer=f"某市{char}总工会", signature=f"某市{char}总工会", cc=f"市委{char}办公室",
                    title=f"关于开展{char}活动的通知")
    result = docgen("render", outline, "-f", "pdf", "-f", "docx", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for text in all_text(tmp_path):
        assert "关于开展活动的通知" in text.replace(" ", "")
        assert "某市总工会" in text.replace(" ", "") and "市委办公室" in text.replace(" ", "")
        assert not any(ord(c) in (0x202E, 0x2067, 0x200F, 0x061C, 0xFFFE, 0xFFFF) or ord(c) < 9 for c in text)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_right_to_left_scripts_are_refused_for_either_format(tmp_path, fmt):
    outline = write(tmp_path, signature="שלום 某市总工会")
    result = docgen("render", outline, "-f", fmt, "-o", tmp_path / "out")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "从右向左" in result.stderr and "U+05E9" in result.stderr
    assert not (tmp_path / "out").exists()


def test_arabic_in_a_title_is_refused(tmp_path):
    result = docgen("render", write(tmp_path, title="关于مرحبا的通知"), "-f", "docx", "-o", tmp_path / "out")
    assert result.returncode == 2 and "从右向左" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_heading_numbers_strip_one_numbering_token_and_keep_numeral_lists():
    assert strip_existing_number("一、二线城市职工住房问题") == "一、二线城市职工住房问题"
    assert strip_existing_number("三、四季度工作安排") == "三、四季度工作安排"
    assert strip_existing_number("1、2号楼改造") == "1、2号楼改造"
    assert strip_existing_number("一、加强组织领导") == "加强组织领导"
    assert strip_existing_number("（二）落实责任") == "落实责任"
    assert strip_existing_number("3. 一、二等奖") == "一、二等奖"  # one token only
    assert strip_existing_number("1.5倍") == "1.5倍"


def test_headings_in_pdf_and_docx(tmp_path):
    result = docgen("render", write(tmp_path), "-f", "pdf", "-f", "docx", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    for text in all_text(tmp_path):
        flat = text.replace(" ", "")
        assert "一、加强组织领导" in flat
        assert "二、一、二线城市职工住房问题" in flat
        assert "三、落实工作责任" in flat and "三、三、" not in flat


def test_drop_control_characters_keeps_text_tabs_and_line_breaks():
    assert drop_control_characters("甲\t乙\n丙\x00\u202a丁\ud800") == "甲\t乙\n丙丁"


def test_removed_bidi_characters_are_reported_once_by_render(tmp_path):
    """The characters go, and ``render`` says so (L018) instead of dropping them silently."""
    import subprocess
    import sys

    outline = tmp_path / "bidi.yaml"
    outline.write_text("kind: speech\ntitle: 关于做好工会工作的讲话\nopening: 各级工会\u202e要\u2066加强\u2069学习。\n",
                       encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "docgen", "render", str(outline), "-f", "pdf", "-o", str(tmp_path)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("L018") == 1
    assert "U+202E" in result.stderr and "U+2066" in result.stderr
    import pdfplumber

    with pdfplumber.open(tmp_path / "bidi.pdf") as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "各级工会要加强学习" in text.replace("\n", "")
