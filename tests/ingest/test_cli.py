"""docgen import / docgen format as a user meets them: exit codes, Chinese messages, files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import docx
import pytest

from tests.ingest.support import DATA

ROOT = Path(__file__).resolve().parents[2]
SEED = DATA / "seed-speech.txt"


def docgen(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT, timeout=300)


def assert_user_error(result, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr


def test_import_writes_outline_and_prints_findings(tmp_path):
    target = tmp_path / "seed.yaml"
    result = docgen("import", SEED, "-o", target)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(target)
    assert target.read_text(encoding="utf-8").startswith("# 由 docgen import 从“seed-speech.txt”导入")
    assert "警告 L001 seed-speech.txt:7：疑似未替换的占位符“XX”" in result.stderr
    assert "提示 I003 seed-speech.txt:1：删除网页导航或下载提示：“购物车”" in result.stderr
    assert "共 20 条：警告 10 条，提示 10 条。" in result.stderr
    rendered = docgen("render", target, "-o", tmp_path)
    assert rendered.returncode == 0, rendered.stderr


def test_strict_exits_1_on_warnings(tmp_path):
    result = docgen("import", SEED, "-o", tmp_path / "seed.yaml", "--strict")
    assert result.returncode == 1
    clean = tmp_path / "clean.txt"
    clean.write_text("在全市工会工作会议上的讲话\n同志们：\n今天召开会议。\n", encoding="utf-8")
    assert docgen("import", clean, "--strict").returncode == 0
    assert (tmp_path / "clean.yaml").is_file()  # default: beside the draft


def test_format_one_step(tmp_path):
    result = docgen("format", SEED, "-f", "docx", "-f", "pdf", "-o", tmp_path, "--keep-outline")
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["seed-speech.docx", "seed-speech.pdf", "seed-speech.yaml"]
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "seed-speech.docx")).paragraphs)
    assert "（一）发挥教育引导职能，全面贯彻党的主张。各级工会组织" in text
    assert "L001" in result.stderr and result.stderr.count("L001") == 7  # not repeated by render


def test_format_without_keep_outline_leaves_only_outputs(tmp_path):
    result = docgen("format", SEED, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["seed-speech.docx"]


def test_missing_and_unsupported_and_unreadable(tmp_path):
    assert_user_error(docgen("import", tmp_path / "none.txt"), "错误：", "稿子文件不存在")
    other = tmp_path / "draft.xyz"
    other.write_text("内容", encoding="utf-8")
    assert_user_error(docgen("import", other), "不支持的稿子格式“.xyz”")
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"not a zip file")
    assert_user_error(docgen("import", broken), "无法打开 Word 文件")
    broken_pdf = tmp_path / "broken.pdf"
    broken_pdf.write_bytes(b"%PDF-1.4 garbage")
    assert_user_error(docgen("format", broken_pdf, "-o", tmp_path / "out"), "无法打开 PDF 文件")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02\xff" * 10 + b"\x00")
    assert_user_error(docgen("import", binary), "无法导入")
    empty = tmp_path / "empty.txt"
    empty.write_text("购物车\n\n", encoding="utf-8")
    assert_user_error(docgen("import", empty), "没有可导入的文字")
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.glob("*.yaml"))


def test_bad_kind_option(tmp_path):
    assert_user_error(docgen("import", SEED, "--kind", "poem", "-o", tmp_path / "x.yaml"), "不认识的类型“poem”")


def test_converted_formats_without_libreoffice(tmp_path, monkeypatch):
    from docgen.errors import DocgenError
    from docgen.ingest import import_draft
    from docgen.ingest.readers import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    draft = tmp_path / "old.doc"
    draft.write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(DocgenError, match="需要安装 LibreOffice"):
        import_draft(draft)


@pytest.mark.libreoffice
def test_odt_through_libreoffice(tmp_path):
    from docgen.ingest.readers.office import soffice

    if soffice() is None:
        pytest.skip("LibreOffice is not installed")
    document = docx.Document()
    for text in ("关于召开会议的通知", "各单位：", "定于下周召开会议。", "特此通知。"):
        document.add_paragraph(text)
    source = tmp_path / "draft.docx"
    document.save(source)
    subprocess.run([soffice(), f"-env:UserInstallation={(tmp_path / 'p').as_uri()}", "--headless",
                    "--convert-to", "odt", "--outdir", str(tmp_path), str(source)], capture_output=True, timeout=180)
    from docgen.ingest import import_draft

    outline = import_draft(tmp_path / "draft.odt").outline
    assert outline["title"] == "关于召开会议的通知" and outline["closing"] == "特此通知。"


def test_help_lists_import_and_format():
    help_text = docgen("--help").stdout
    assert "import" in help_text and "format" in help_text and "一键排版" in help_text
    assert "--keep-outline" in docgen("format", "--help").stdout


def test_format_strict(tmp_path):
    assert docgen("format", SEED, "-o", tmp_path, "--strict").returncode == 1
    assert (tmp_path / "seed-speech.docx").is_file()  # written anyway; the exit code says “check it”
