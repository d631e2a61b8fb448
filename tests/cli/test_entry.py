"""docgen/entry.py: the quick path of a plain `docgen render` prints, writes and exits exactly as
the full Typer command does (DOCGEN_FULL_CLI=1 forces the full command for the comparison)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docgen.entry import parse_render

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"


@pytest.mark.parametrize(("args", "expected"), [
    (["render", "a.yaml"], ("a.yaml", ["docx"], "outputs")),
    (["render", "a.yaml", "-f", "pdf", "-o", "out"], ("a.yaml", ["pdf"], "out")),
    (["render", "-f", "pdf", "--format=docx", "a.yaml", "--outdir=o"], ("a.yaml", ["pdf", "docx"], "o")),
])
def test_plain_render_lines_are_parsed(args, expected):
    assert parse_render(args) == expected


@pytest.mark.parametrize("args", [
    [], ["render"], ["--help"], ["render", "--help"], ["render", "a.yaml", "-h"], ["batch", "a.yaml"],
    ["render", "a.yaml", "b.yaml"], ["render", "a.yaml", "-f"], ["render", "a.yaml", "-o", "x", "-o", "y"],
    ["render", "a.yaml", "--profile", "p.yaml"], ["render", "a.yaml", "--preview"], ["render", "a.yaml", "-fpdf"],
    ["render", "--", "a.yaml"], ["render", "a.yaml", "-f", "-o"], ["render", ""],
])
def test_everything_else_goes_to_the_full_cli(args):
    assert parse_render(args) is None


def run(args, full: bool) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("DOCGEN_FULL_CLI", None)
    env["SOURCE_DATE_EPOCH"] = "1700000000"  # the .docx zip entries carry the time otherwise
    if full:
        env["DOCGEN_FULL_CLI"] = "1"
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.mark.parametrize("formats", [["pdf"], ["docx", "pdf"]])
def test_quick_render_matches_the_full_command(tmp_path, formats):
    flags = [part for fmt in formats for part in ("-f", fmt)]
    quick = run(["render", EXAMPLE, *flags, "-o", tmp_path / "quick"], full=False)
    full = run(["render", EXAMPLE, *flags, "-o", tmp_path / "full"], full=True)
    assert quick.returncode == full.returncode == 0, quick.stderr + full.stderr
    assert quick.stderr == full.stderr
    assert quick.stdout.replace(str(tmp_path / "quick"), str(tmp_path / "full")) == full.stdout
    for fmt in formats:
        name = f"{EXAMPLE.stem}.{fmt}"
        assert (tmp_path / "quick" / name).read_bytes() == (tmp_path / "full" / name).read_bytes()


@pytest.mark.parametrize("case", ["missing", "bad yaml", "bad format"])
def test_errors_are_reported_by_the_full_command(tmp_path, case):
    outline = tmp_path / "bad.yaml"
    args = ["render", outline, "-f", "pdf", "-o", tmp_path / "out"]
    if case == "bad yaml":
        outline.write_text("kind: speech\ntitle: [未闭合\n", encoding="utf-8")
    elif case == "bad format":
        args = ["render", EXAMPLE, "-f", "odt", "-o", tmp_path / "out"]
    quick, full = run(args, full=False), run(args, full=True)
    assert quick.returncode == full.returncode == 2
    assert (quick.stdout, quick.stderr) == (full.stdout, full.stderr)
    assert "错误" in quick.stderr and not (tmp_path / "out").exists()


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_matches_the_full_command(flag):
    quick, full = run([flag], full=False), run([flag], full=True)
    assert quick.returncode == full.returncode == 0
    assert (quick.stdout, quick.stderr) == (full.stdout, full.stderr)
    assert quick.stdout.startswith("docgen ")


def test_the_console_script_runs_without_pydantic_plugins_or_pil(tmp_path):
    # pydantic's plugin loader imports importlib.metadata and reads every installed package's entry
    # points (≈ 25 ms of a cold render); the console script replaces it with one that finds none.
    # PIL.Image (which reportlab imports at once) is imported only when a picture is drawn.
    env = dict(os.environ)
    env.pop("DOCGEN_FULL_CLI", None)
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "docgen", "render", str(EXAMPLE), "-f", "pdf",
                           "-o", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / f"{EXAMPLE.stem}.pdf").read_bytes().startswith(b"%PDF")
    imported = {line.split("|")[-1].strip() for line in done.stderr.splitlines() if line.startswith("import time:")}
    assert "pydantic" in imported and "importlib.metadata" not in imported
    assert "reportlab.lib.utils" in imported and "PIL.ExifTags" not in imported


def test_a_seal_is_drawn_when_pil_is_deferred(tmp_path):
    from PIL import Image

    Image.new("RGBA", (300, 300), (230, 0, 0, 200)).save(tmp_path / "seal.png")
    outline = tmp_path / "notice.yaml"
    outline.write_text("kind: notice\nissuer: 某市总工会\ntitle: 关于开展测试工作的通知\nrecipients: [各单位]\n"
                       "body: 现将有关事项通知如下。\nsignature: 某市总工会\ndate: 2024-03-15\nseal: seal.png\n",
                       encoding="utf-8")
    quick = run(["render", outline, "-f", "pdf", "-f", "docx", "-o", tmp_path / "quick"], full=False)
    # The same render through the library, where PIL is imported as usual.
    library = subprocess.run([sys.executable, "-c", "import sys; from docgen.api import render; "
                              "render(sys.argv[1], ['pdf', 'docx'], sys.argv[2])", str(outline), str(tmp_path / "full")],
                             capture_output=True, text=True, env={**os.environ, "SOURCE_DATE_EPOCH": "1700000000"},
                             timeout=120)
    assert quick.returncode == library.returncode == 0, quick.stderr + library.stderr
    pdf = (tmp_path / "quick" / "notice.pdf").read_bytes()
    assert b"/Subtype /Image" in pdf and pdf == (tmp_path / "full" / "notice.pdf").read_bytes()
    assert (tmp_path / "quick" / "notice.docx").read_bytes() == (tmp_path / "full" / "notice.docx").read_bytes()


def test_importing_docgen_leaves_pydantic_plugins_alone():
    code = ("import sys, docgen.api, pydantic\n"
            "class M(pydantic.BaseModel):\n    x: int = 1\n"
            "M(); print(sys.modules['pydantic.plugin._loader'].__spec__ is not None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "True"  # pydantic's own loader module, not the stub
