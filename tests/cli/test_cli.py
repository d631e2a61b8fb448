"""The command line as a user meets it: exit codes, Chinese messages, no traceback, no stray files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"


def docgen(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=120
    )


def assert_user_error(result: subprocess.CompletedProcess, *fragments: str) -> None:
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in result.stderr


def test_version_and_help():
    result = docgen("--version")
    assert result.returncode == 0 and result.stdout.startswith("docgen ")
    help_text = docgen("--help").stdout
    for command in ("render", "new", "templates", "profile", "fonts"):
        assert command in help_text
    assert "讲话稿" in help_text


def test_render_docx_writes_the_file_and_prints_its_path(tmp_path):
    result = docgen("render", EXAMPLE, "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    target = tmp_path / "sanxing-sanli-speech.docx"
    assert result.stdout.strip() == str(target)
    assert target.stat().st_size > 10_000
    assert [p.name for p in tmp_path.iterdir()] == ["sanxing-sanli-speech.docx"]  # no temp files left


BAD_INPUTS = {
    "malformed": ("kind: speech\ntitle: [未闭合\n", ["bad.yaml:3:1", "YAML 格式错误"]),
    "missing field": (
        "kind: speech\ntitle: 讲话\nsections:\n  - points:\n      - body: 正文\n",
        ["bad.yaml:5:9 sections[0].points[0].heading：缺少必填字段"],
    ),
    "wrong type": ("kind: speech\ntitle: 讲话\nsections: 三个部分\n", ["bad.yaml:3:11 sections：应为列表"]),
    "unknown key": ("kind: speech\ntitle: 讲话\nspeakr: 王建国\n", ["bad.yaml:3:1 speakr：未知字段", "是否要写“speaker”"]),
    "unknown framework": ("kind: speech\nframework: 四个意识\n", ["bad.yaml:2:12 framework：", "可用的框架：三性三力"]),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_outline_exits_2_with_position_and_writes_nothing(tmp_path, case):
    text, fragments = BAD_INPUTS[case]
    outline = tmp_path / "bad.yaml"
    outline.write_text(text, encoding="utf-8")
    out = tmp_path / "out"
    assert_user_error(docgen("render", outline, "-o", out), *fragments)
    assert not out.exists() or not any(out.iterdir())


def test_non_utf8_and_unreadable_files(tmp_path):
    gbk = tmp_path / "gbk.yaml"
    gbk.write_bytes("kind: speech\ntitle: 讲话\n".encode("gbk"))
    assert_user_error(docgen("render", gbk, "-o", tmp_path / "out"), "gbk.yaml:2:8", "UTF-8")
    assert_user_error(docgen("render", tmp_path / "missing.yaml", "-o", tmp_path / "out"), "找不到文件")
    assert not (tmp_path / "out").exists()
    locked = tmp_path / "locked.yaml"
    locked.write_text("kind: speech\ntitle: 讲话\n", encoding="utf-8")
    locked.chmod(0)
    result = docgen("render", locked, "-o", tmp_path / "locked-out")
    locked.chmod(0o644)
    if result.returncode != 0:  # root reads anything; for everyone else this is the unreadable path
        assert_user_error(result, "无法读取")
        assert not (tmp_path / "locked-out").exists()


def test_speech_needs_a_title_or_a_framework(tmp_path):
    outline = tmp_path / "bad.yaml"
    outline.write_text("kind: speech\nspeaker: 王建国\n", encoding="utf-8")
    assert_user_error(docgen("render", outline, "-o", tmp_path / "out"), "title：缺少必填字段（标题）")


def test_undefined_template_variable(tmp_path):
    templates = tmp_path / "tpl"
    (templates / "speech").mkdir(parents=True)
    (templates / "speech" / "body.md.j2").write_text("{.title}\n{{ title }}\n\n{{ speeker }}\n", encoding="utf-8")
    result = docgen("render", EXAMPLE, "-o", tmp_path / "out", "--templates", templates)
    assert_user_error(result, "body.md.j2:4", "未定义的变量（speeker）")
    assert not (tmp_path / "out").exists()


def test_new_writes_a_starter_that_renders(tmp_path):
    for kind in ("speech", "notice", "report"):
        starter = tmp_path / f"{kind}.yaml"
        assert docgen("new", kind, "-o", starter).returncode == 0
        assert "#" in starter.read_text(encoding="utf-8")  # commented for the user
        result = docgen("render", starter, "-o", tmp_path / "out")
        assert result.returncode == 0, result.stderr
    assert_user_error(docgen("new", "speech", "-o", tmp_path / "speech.yaml"), "已存在")
    assert_user_error(docgen("new", "memo"), "不认识的类型")


def test_templates_list_and_copy(tmp_path):
    listing = docgen("templates", "list").stdout
    assert "speech/body.md.j2" in listing and "frameworks/三性三力.yaml" in listing
    assert docgen("templates", "copy", tmp_path / "mine").returncode == 0
    copied = tmp_path / "mine" / "speech" / "body.md.j2"
    assert copied.is_file()
    copied.write_text(copied.read_text(encoding="utf-8"), encoding="utf-8")
    listing = docgen("templates", "list", "--templates", tmp_path / "mine").stdout
    assert "自定义" in listing
    assert_user_error(docgen("templates", "copy", tmp_path / "mine"), "已有同名文件")


def test_profile_show_marks_overrides(tmp_path):
    plain = docgen("profile", "show")
    assert plain.returncode == 0 and "全部取值与 GB/T 9704-2012 一致" in plain.stdout
    unit = tmp_path / "unit.yaml"
    unit.write_text("styles:\n  heading2: {bold: true}\n", encoding="utf-8")
    shown = docgen("profile", "show", "--profile", unit)
    assert "styles.heading2.bold" in shown.stdout and "与国标不同" in shown.stdout
    assert "与国标不同的项：1 个" in shown.stdout
    unit.write_text("grid: {lines: 0}\n", encoding="utf-8")
    assert_user_error(docgen("profile", "show", "--profile", unit), "unit.yaml:1:15 grid.lines：应大于 0")


def test_render_docx_and_pdf_with_preview(tmp_path):
    result = docgen("render", EXAMPLE, "-f", "docx", "-f", "pdf", "--preview", "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "sanxing-sanli-speech.docx" in names and "sanxing-sanli-speech.pdf" in names
    previews = [n for n in names if n.endswith(".png")]
    from pypdf import PdfReader

    pages = len(PdfReader(tmp_path / "sanxing-sanli-speech.pdf").pages)
    assert len(previews) == pages >= 6
    assert (tmp_path / previews[0]).read_bytes().startswith(b"\x89PNG")


def test_unknown_format_is_a_user_error(tmp_path):
    assert_user_error(docgen("render", EXAMPLE, "-f", "odt", "-o", tmp_path), "不支持的格式：odt")
    assert not any(tmp_path.iterdir())


def test_cli_start_imports_neither_reportlab_nor_python_docx():
    probe = (
        "import sys, runpy\n"
        "sys.argv = ['docgen', '--version']\n"
        "try:\n    runpy.run_module('docgen', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('reportlab', 'docx', 'pydantic', 'jinja2', 'fontTools') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    for args in (["--version"], ["--help"]):
        result = subprocess.run([sys.executable, "-c", probe.replace("'--version'", ", ".join(map(repr, args)))],
                                capture_output=True, text=True)
        assert "HEAVY []" in result.stdout, result.stdout + result.stderr


def test_single_render_refuses_batch_placeholders(tmp_path):
    result = docgen("render", ROOT / "examples" / "batch-notice.yaml", "-o", tmp_path)
    assert_user_error(result, "batch-notice.yaml:9:7 body：含有批量占位符")
    assert not any(tmp_path.iterdir())


def test_pdf_font_fallback_is_reported_and_missing_glyph_is_an_error(tmp_path):
    fallback = tmp_path / "fallback.yaml"
    fallback.write_text("kind: speech\ntitle: 讲话\nopening: 约等于符号≒在这里。\n", encoding="utf-8")
    result = docgen("render", fallback, "-f", "pdf", "-o", tmp_path / "a")
    assert result.returncode == 0, result.stderr
    assert "字体替代" in result.stderr and "U+2252" in result.stderr and "WenQuanYi Zen Hei" in result.stderr
    missing = tmp_path / "missing.yaml"
    missing.write_text("kind: speech\ntitle: 讲话\nopening: 私用区字符\ue000在这里。\n", encoding="utf-8")
    result = docgen("render", missing, "-f", "docx", "-f", "pdf", "-o", tmp_path / "b")
    assert_user_error(result, "U+E000", "没有字形", "第 3 段")
    assert not (tmp_path / "b").exists()  # no .docx either: nothing half-written


def test_fonts_table_and_json():
    import json

    rows = json.loads(docgen("fonts", "--json").stdout)
    roles = {row["role"]: row for row in rows}
    assert {"xiaobiaosong", "fangsong", "heiti", "kaiti", "songti", "latin"} <= set(roles)
    assert roles["fangsong"]["docx_family"] == "仿宋_GB2312"
    assert roles["fangsong"]["status"] in ("官方字体", "替代字体")
    table = docgen("fonts").stdout
    assert "仿宋_GB2312" in table and "替代字体" in table or "官方字体" in table
