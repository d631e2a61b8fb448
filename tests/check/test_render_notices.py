"""render prints the content findings with their codes, and nothing for the examples."""

import subprocess
import sys

from .conftest import OUTLINES


def render(outline, outdir):
    return subprocess.run([sys.executable, "-m", "docgen", "render", str(outline), "-o", str(outdir)],
                          capture_output=True, text=True)


def test_render_prints_content_findings_with_codes(tmp_path):
    outline = tmp_path / "讲话.yaml"
    outline.write_text("kind: speech\ntitle: 在某会议上的讲话\nopening: 同志们,要完成XX项任务。\n", encoding="utf-8")
    out = render(outline, tmp_path)
    assert out.returncode == 0
    assert "提示：L001" in out.stderr and "提示：L008" in out.stderr
    assert (tmp_path / "讲话.docx").exists()


def test_render_is_silent_on_the_examples(tmp_path):
    for outline in OUTLINES:
        out = render(outline, tmp_path)
        assert out.returncode == 0 and "提示：L" not in out.stderr, out.stderr
