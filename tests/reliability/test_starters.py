"""`docgen new` starters: rendered unchanged they read right and their placeholders are reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docgen.api import build_document
from docgen.lint import check_placeholders
from docgen.model import Block, Document, Meta, Span

ROOT = Path(__file__).resolve().parents[2]


def docgen(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


@pytest.mark.parametrize("kind", ["speech", "notice", "report"])
def test_starter_renders_without_repeating_its_title_and_reports_placeholders(tmp_path, kind):
    starter = tmp_path / f"{kind}.yaml"
    assert docgen("new", kind, "-o", starter).returncode == 0
    result = docgen("render", starter, "-o", tmp_path / "out")
    assert result.returncode == 0 and "Traceback" not in result.stderr
    assert "L001" in result.stderr and "“……”" in result.stderr  # the starter's gaps are pointed out
    document, _ = build_document(starter)
    blocks = [b for b in document.blocks if isinstance(b, Block)]
    title = next(b.text for b in blocks if b.style == "title").replace("\n", "")
    for block in blocks:
        if block.style == "subtitle":
            assert title not in block.text and block.text.lstrip("—") not in title


def test_speech_starter_comment_matches_how_titles_break(tmp_path):
    """The comment says: write `title: |` and one line per row; a “|” inside the title is text."""
    text = (ROOT / "docgen" / "starters" / "speech.yaml").read_text(encoding="utf-8")
    assert "“|”分行" not in text and "title: |" in text
    outline = tmp_path / "two.yaml"
    outline.write_text("kind: speech\ntitle: |\n  第一行标题\n  第二行标题\n", encoding="utf-8")
    document, _ = build_document(outline)
    title = next(b for b in document.blocks if isinstance(b, Block) and b.style == "title")
    assert title.text == "第一行标题\n第二行标题"


@pytest.mark.parametrize("text, expected", [
    ("这次会议的主要任务是……", "……"),
    ("请某某同志发言。", "某某"),
    ("表彰创业明星XX名", "XX"),
])
def test_placeholders_are_found(text, expected):
    document = body(text)
    (found,) = check_placeholders(document)
    assert f"“{expected}”" in found.message


@pytest.mark.parametrize("text", ["GDP 增长…", "某市总工会", "人民群众满意"])
def test_ordinary_text_is_not_a_placeholder(text):
    assert check_placeholders(body(text)) == []


def body(text: str) -> Document:
    return Document(meta=Meta(title="标题"), blocks=(Block(style="body", spans=(Span(text, "body"),)),))
