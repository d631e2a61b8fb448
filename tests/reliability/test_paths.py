"""Files an outline names stay inside its folder (or --templates, or an --allow-path folder), and a
seal image is checked once, at compose time, so that neither writer meets a bad file."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from docgen.errors import OutlineError
from docgen.outline.paths import confine

from .conftest import NOTICE, REPORT, assert_refused

SECRET = "绝密测试内容"


@pytest.fixture
def folders(tmp_path):
    """An outline folder ``work/`` next to a folder ``outside/`` holding a table and a seal."""
    work, outside = tmp_path / "work", tmp_path / "outside"
    work.mkdir()
    outside.mkdir()
    (outside / "secret.csv").write_text(f"项目,内容\n机密,{SECRET}\n", encoding="utf-8")
    Image.new("RGBA", (300, 300), (230, 0, 0, 200)).save(outside / "seal.png")
    return work, outside


def report(work: Path, csv: str) -> Path:
    path = work / "report.yaml"
    path.write_text(REPORT.format(csv=csv), encoding="utf-8")
    return path


def notice(work: Path, seal: str) -> Path:
    path = work / "notice.yaml"
    path.write_text(NOTICE.format(seal=seal), encoding="utf-8")
    return path


def docx_text(path: Path) -> str:
    with zipfile.ZipFile(path) as package:
        return package.read("word/document.xml").decode("utf-8")


@pytest.mark.parametrize("csv", ["../outside/secret.csv", "{outside}/secret.csv", "/etc/os-release",
                                 "/proc/self/environ", "sub/../../outside/secret.csv"])
def test_table_files_outside_the_outline_folder_are_refused(folders, docgen, csv):
    work, outside = folders
    outline = report(work, csv.format(outside=outside))
    run = docgen("render", outline, "-f", "docx", "-f", "pdf", "-o", work / "out")
    assert_refused(run, "report.yaml:9:14 sections[0].tables[0].csv", "位于提纲所在目录之外", "--allow-path",
                   outdir=work / "out")
    assert SECRET not in run.stderr


def test_a_symlink_pointing_outside_is_refused(folders, docgen):
    work, outside = folders
    os.symlink(outside / "secret.csv", work / "innocent.csv")
    run = docgen("render", report(work, "innocent.csv"), "-o", work / "out")
    assert_refused(run, "innocent.csv", "位于提纲所在目录之外", f"--allow-path {outside}", outdir=work / "out")


def test_allow_path_lets_the_user_choose_a_folder(folders, docgen):
    work, outside = folders
    outline = report(work, "../outside/secret.csv")
    run = docgen("render", outline, "--allow-path", outside, "-o", work / "out")
    assert run.returncode == 0, run.stderr
    assert SECRET in docx_text(work / "out" / "report.docx")


def test_files_under_the_outline_folder_and_templates_are_allowed(folders, docgen, tmp_path):
    work, _ = folders
    (work / "data").mkdir()
    (work / "data" / "t.csv").write_text("项目,数值\n会员,100\n", encoding="utf-8")
    run = docgen("render", report(work, "data/t.csv"), "-o", work / "out")
    assert run.returncode == 0, run.stderr
    templates = tmp_path / "tpl"
    templates.mkdir()
    (templates / "t.csv").write_text("项目,数值\n模板目录中的表,7\n", encoding="utf-8")
    run = docgen("render", report(work, str(templates / "t.csv")), "-t", templates, "-o", work / "out2")
    assert run.returncode == 0, run.stderr
    assert "模板目录中的表" in docx_text(work / "out2" / "report.docx")


def test_seal_outside_is_refused_and_allowed_with_the_option(folders, docgen):
    work, outside = folders
    outline = notice(work, "../outside/seal.png")
    run = docgen("render", outline, "-o", work / "out")
    assert_refused(run, "notice.yaml:8:7 seal", "位于提纲所在目录之外", "--allow-path", outdir=work / "out")
    run = docgen("render", outline, "--allow-path", outside, "-f", "docx", "-f", "pdf", "-o", work / "out")
    assert run.returncode == 0, run.stderr
    assert sorted(p.name for p in (work / "out").iterdir()) == ["notice.docx", "notice.pdf"]


def make_seal(work: Path, kind: str) -> str:
    target = work / "seal.png"
    if kind == "missing":
        return "没有这个文件.png"
    if kind == "text":
        target.write_text("这不是图片", encoding="utf-8")
    elif kind == "jpeg":
        Image.new("RGB", (300, 300), (230, 0, 0)).save(target, format="JPEG")
    elif kind == "truncated":
        Image.new("RGBA", (300, 300), (230, 0, 0, 200)).save(target)
        target.write_bytes(target.read_bytes()[:200])
    elif kind == "huge":
        Image.new("1", (5000, 5000)).save(target)  # 25 megapixels, a small file
    elif kind == "thin":
        Image.new("RGBA", (1, 2000), (230, 0, 0, 200)).save(target)
    elif kind == "folder":
        target.mkdir()
    return target.name


SEAL_CASES = {
    "missing": "找不到印章图片",
    "text": "印章文件不是图片",
    "jpeg": "应为 PNG 格式（透明背景），这个文件是 JPEG 格式",
    "truncated": "印章图片已损坏或不完整",
    "huge": "印章图片太大（5000×5000 像素",
    "thin": "宽高比异常",
    "folder": "这里是一个目录",
}


@pytest.mark.parametrize("kind", SEAL_CASES)
def test_bad_seal_files_are_named_errors_for_both_formats(folders, docgen, kind):
    work, _ = folders
    outline = notice(work, make_seal(work, kind))
    run = docgen("render", outline, "-f", "docx", "-f", "pdf", "-o", work / "out")
    assert_refused(run, "notice.yaml:8:7 seal：", SEAL_CASES[kind], outdir=work / "out")


def test_a_good_seal_renders_in_both_formats(folders, docgen):
    work, _ = folders
    Image.new("P", (400, 400)).save(work / "seal.png", transparency=0)
    run = docgen("render", notice(work, "seal.png"), "-f", "docx", "-f", "pdf", "-o", work / "out")
    assert run.returncode == 0, run.stderr
    with zipfile.ZipFile(work / "out" / "notice.docx") as package:
        assert any(name.startswith("word/media/") for name in package.namelist())


def test_library_api_takes_allow_paths(folders):
    import docgen

    work, outside = folders
    outline = report(work, "../outside/secret.csv")
    with pytest.raises(OutlineError, match="--allow-path"):
        docgen.render(outline, outdir=work / "out")
    assert not (work / "out").exists()
    written = docgen.render(outline, outdir=work / "out", allow_paths=[outside])
    assert SECRET in docx_text(written[0])


def test_confine_resolves_and_names_the_field(tmp_path):
    (tmp_path / "a").mkdir()
    assert confine("a/../a/x.csv", tmp_path) == (tmp_path / "a" / "x.csv").resolve()
    assert confine("/opt/x.png", tmp_path, [Path("/opt")]) == Path("/opt/x.png").resolve()
    with pytest.raises(OutlineError) as caught:
        confine("../x.csv", tmp_path / "a", field="印章", file="data.csv", line=3)
    assert str(caught.value).startswith("data.csv:3 印章：文件“../x.csv”位于提纲所在目录之外")
    with pytest.raises(OutlineError, match="文件路径是空的"):
        confine("  ", tmp_path)
