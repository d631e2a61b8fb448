"""FandolFang as the free 仿宋: what a user sees when a document has characters it lacks, and what
`docgen fonts` says about it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from docgen.fonts.resolve import find_official, resolve_role


def docgen(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=180)


@pytest.fixture
def fandol_body():
    if find_official("fangsong", "仿宋_GB2312") is not None or resolve_role("fangsong").family != "FandolFang":
        pytest.skip("the 仿宋 role is not FandolFang here")


def test_a_name_character_fandol_lacks_is_drawn_by_songti_and_reported(tmp_path, fandol_body, built):
    outline = tmp_path / "speech.yaml"
    # 喆 (GBK, a name character) is not in FandolFang; 們 (GBK too) is.
    outline.write_text("kind: speech\ntitle: 讲话\nopening: 张喆同志和他們一起参加了培训。\n", encoding="utf-8")
    result = docgen("render", outline, "-f", "pdf", "-o", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "“喆”（U+5586，正文（仿宋））改用 Noto Serif CJK SC" in result.stderr
    assert "們" not in result.stderr  # FandolFang's own glyph: nothing to report
    assert "正文（仿宋）的“仿宋_GB2312”→ FandolFang" in result.stderr  # the stand-in notice
    assert (tmp_path / "out" / "speech.pdf").is_file()


def test_fonts_report_names_fandolfang_for_the_body(fandol_body):
    rows = {row["role"]: row for row in json.loads(docgen("fonts", "--json").stdout)}
    body = rows["fangsong"]
    assert body["family"] == "FandolFang" and body["status"] == "替代字体"
    assert "FandolFang" in body["note"] and body["file"].endswith("FandolFang-Regular.otf")
    assert body["counts"]["gb2312"] == [7444, 7445]  # all but ―, which 宋体 draws
