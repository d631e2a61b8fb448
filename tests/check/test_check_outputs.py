"""docgen check is silent on what docgen produces: no error or warning on any example outline or
its .docx, and no format finding with another profile."""

import json
from pathlib import Path
import subprocess
import sys

import pytest

from docgen.api import check, render

from .conftest import EXAMPLES, OUTLINES


def loud(result):
    return [str(f) for f in result.findings if f.severity in ("error", "warning")]


def test_every_example_docx_is_clean(rendered):
    result = check(list(rendered.values()))
    assert result.unreadable == {}
    assert loud(result) == []
    assert result.exit_code == 0


@pytest.mark.parametrize("outline", [*OUTLINES, EXAMPLES / "batch-notice.yaml"], ids=lambda p: p.name)
def test_every_example_outline_is_clean(outline):
    result = check([outline])
    assert loud(result) == [] and result.exit_code == 0


@pytest.mark.parametrize("override", [
    "styles:\n  heading2: {bold: true}\n  title: {size: 小一}\ncolors: {red: '#C8102E'}\n",
    "grid: {lines: 20, chars: 26}\n",
    "page: {margin_top_mm: 30, type_height_mm: 232}\n",
])
def test_no_format_finding_with_another_profile(tmp_path, override):
    profile = tmp_path / "unit.yaml"
    profile.write_text(override, encoding="utf-8")
    docs = [render(EXAMPLES / name, ["docx"], tmp_path, profile=profile)[0]
            for name in ("notice.yaml", "sanxing-sanli-speech.yaml", "request.yaml")]
    result = check(docs, profile=profile)
    assert [str(f) for f in result.findings if f.code.startswith("F") and f.severity != "info"] == []


def test_cli_json_and_exit_codes(rendered, tmp_path):
    run = [sys.executable, "-m", "docgen", "check"]
    clean = subprocess.run([*run, "--json", str(rendered["notice"])], capture_output=True, text=True)
    assert clean.returncode == 0 and json.loads(clean.stdout) == []
    missing = subprocess.run([*run, str(tmp_path / "无此文件.docx")], capture_output=True, text=True)
    assert missing.returncode == 2 and "错误" in missing.stderr and "Traceback" not in missing.stderr
    bad = tmp_path / "坏.docx"
    bad.write_bytes(b"not a zip")
    broken = subprocess.run([*run, str(bad)], capture_output=True, text=True)
    assert broken.returncode == 2 and "无法作为 .docx 打开" in broken.stderr


def test_cli_rules_lists_every_code():
    from docgen.lint import RULES

    listing = subprocess.run([sys.executable, "-m", "docgen", "check", "--rules"], capture_output=True, text=True)
    assert listing.returncode == 0
    codes = [line.split()[0] for line in listing.stdout.splitlines()]
    assert codes == list(RULES) and {"L001", "L017", "F001", "F019"} <= set(codes)
    assert "L001  警告  占位符" in listing.stdout


def test_unknown_disable_code_is_a_user_error(rendered):
    out = subprocess.run([sys.executable, "-m", "docgen", "check", "--disable", "Z999", str(rendered["notice"])],
                         capture_output=True, text=True)
    assert out.returncode == 2 and "不认识的规则代码：Z999" in out.stderr


def test_docgen_pdfs_check_clean_and_a_pdf_defect_is_found(tmp_path):
    """A PDF is judged on the paragraphs import rebuilds, so wrapped lines are not “cut off”."""
    from docgen.api import check, render

    root = Path(__file__).resolve().parents[2]
    for name in ("notice", "sanxing-sanli-speech"):
        pdf = render(root / "examples" / f"{name}.yaml", ["pdf"], tmp_path)[0]
        assert [str(f) for f in check([pdf]).findings if f.severity != "info"] == []
    outline = tmp_path / "x.yaml"
    outline.write_text((root / "examples" / "notice.yaml").read_text(encoding="utf-8")
                       .replace("市总工会决定在全市开展", "市总工会决定在XX开展"), encoding="utf-8")
    pdf = render(outline, ["pdf"], tmp_path / "x")[0]
    assert "L001" in [f.code for f in check([pdf]).findings]
