"""Limits on YAML files and data files: each hostile or oversized input ends quickly in exit 2 with
a Chinese message naming file and line — never a RecursionError, a hang or gigabytes of memory."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from docgen.errors import DocgenError, OutlineError, ProfileError
from docgen.outline.source import load_yaml

from .conftest import REPORT, SPEECH, assert_refused


def alias_bomb() -> str:
    """The hook's 381-byte shape: 8 items, then 7 levels of 8 aliases each (8**8 ≈ 16.7 M values)."""
    lines = ["a: &a [x, x, x, x, x, x, x, x]"]
    previous = "a"
    for name in "bcdefgh":
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 8) + "]")
        previous = name
    return SPEECH + "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_in_well_under_a_second(tmp_path):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(OutlineError) as caught:
        load_yaml(path)
    assert time.perf_counter() - start < 1.0
    assert "别名炸弹" in str(caught.value)
    # The second *e on line 13 (f) takes the values added by aliases past 100,000 (e holds 37,449).
    assert "bomb.yaml:13:12" in str(caught.value)


def test_alias_bomb_on_the_command_line(tmp_path, docgen):
    path = tmp_path / "bomb.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    run = docgen("render", path, "-o", tmp_path / "out", timeout=20)
    assert_refused(run, "bomb.yaml:13:12", "展开后的内容过多", "DOCGEN_YAML_MAX_ALIAS_NODES", outdir=tmp_path / "out")
    assert run.seconds < 5


def test_ordinary_aliases_still_work(tmp_path):
    path = tmp_path / "ok.yaml"
    path.write_text("common: &c {size: 16}\ntitle: *c\nbody: *c\n", encoding="utf-8")
    assert load_yaml(path).data == {"common": {"size": 16}, "title": {"size": 16}, "body": {"size": 16}}


def test_recursive_alias_is_refused(tmp_path, docgen):
    path = tmp_path / "loop.yaml"
    path.write_text(SPEECH + "loop: &a [1, *a]\n", encoding="utf-8")
    assert_refused(docgen("render", path, "-o", tmp_path / "out"), "loop.yaml:8:", "循环引用", outdir=tmp_path / "out")


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.system", "!include", "!!binary"])
def test_tags_are_refused_and_never_run(tmp_path, docgen, tag):
    path = tmp_path / "tag.yaml"
    path.write_text(f"kind: speech\ntitle: {tag} [\"touch {tmp_path / 'pwned'}\"]\n", encoding="utf-8")
    run = docgen("render", path, "-o", tmp_path / "out")
    assert_refused(run, "tag.yaml:2:8", f"不支持的 YAML 标签“{tag}”", outdir=tmp_path / "out")
    assert not (tmp_path / "pwned").exists()


def test_a_tag_in_a_profile_is_refused_with_its_line(tmp_path, docgen):
    outline = tmp_path / "speech.yaml"
    outline.write_text(SPEECH, encoding="utf-8")
    profile = tmp_path / "unit.yaml"
    profile.write_text("name: 本单位\nbody: !!python/object:os.system {}\n", encoding="utf-8")
    run = docgen("render", outline, "-p", profile, "-o", tmp_path / "out")
    assert_refused(run, "unit.yaml:2:7", "不支持的 YAML 标签", outdir=tmp_path / "out")
    with pytest.raises(ProfileError):
        load_yaml(profile, ProfileError)


@pytest.mark.parametrize("shape", ["flow", "flow-spaced", "block", "mapping"])
def test_deep_nesting_is_an_error_not_a_recursion_error(tmp_path, docgen, shape):
    depth = 3000
    text = {
        "flow": "[" * depth + "]" * depth,
        "flow-spaced": "[ " * depth + "]" * depth,
        "block": "\n" + "".join("  " * (i + 1) + "-\n" for i in range(300)),  # 3,000 would be 9 MB
        "mapping": "{a: " * depth + "1" + "}" * depth,
    }[shape]
    path = tmp_path / "deep.yaml"
    path.write_text(f"kind: speech\ntitle: 讲话\nsections: {text}\n", encoding="utf-8")
    run = docgen("render", path, "-o", tmp_path / "out", timeout=20)
    assert_refused(run, "deep.yaml:", "嵌套层数过多（超过 64 层）", "DOCGEN_YAML_MAX_DEPTH", outdir=tmp_path / "out")
    assert run.seconds < 5


def test_oversized_outline_is_refused_and_the_limit_can_be_raised(tmp_path, docgen):
    path = tmp_path / "big.yaml"
    path.write_text(SPEECH + "# " + "很长的注释" * 70_000 + "\n", encoding="utf-8")  # ≈ 1.05 MB
    run = docgen("render", path, "-o", tmp_path / "out")
    assert_refused(run, "big.yaml：文件太大（超过 1 MB）", "DOCGEN_YAML_MAX_BYTES", outdir=tmp_path / "out")
    raised = docgen("render", path, "-o", tmp_path / "out", env={"DOCGEN_YAML_MAX_BYTES": "2000000"})
    assert raised.returncode == 0, raised.stderr
    assert (tmp_path / "out" / "big.docx").is_file()


def test_a_bad_limit_setting_is_a_chinese_error(tmp_path, docgen):
    path = tmp_path / "speech.yaml"
    path.write_text(SPEECH, encoding="utf-8")
    run = docgen("render", path, "-o", tmp_path / "out", env={"DOCGEN_YAML_MAX_BYTES": "很多"})
    assert_refused(run, "环境变量 DOCGEN_YAML_MAX_BYTES 应为正数", outdir=tmp_path / "out")


def test_an_endless_outline_file_reads_only_up_to_the_limit(tmp_path):
    start = time.perf_counter()
    with pytest.raises(OutlineError, match="文件太大"):
        load_yaml("/dev/zero")
    assert time.perf_counter() - start < 2


def test_oversized_table_csv_is_refused(tmp_path, docgen):
    (tmp_path / "big.csv").write_bytes(b"a,b\n" + b"1,2\n" * 2_600_000)  # 10.4 MB
    outline = tmp_path / "report.yaml"
    outline.write_text(REPORT.format(csv="big.csv"), encoding="utf-8")
    run = docgen("render", outline, "-o", tmp_path / "out")
    assert_refused(run, "report.yaml:9:14", "表格数据文件太大", "DOCGEN_TABLE_MAX_BYTES", outdir=tmp_path / "out")
    assert run.seconds < 10


@pytest.mark.parametrize("content, message", [
    (b"a,b\n\xff\xfe,2\n", "既不是 UTF-8 也不是 GBK 编码"),
    (b"a,b\n1,2\n3\n", "bad.csv 第 3 行有 1 格，表头有 2 列"),
    (b"\n\n", "表格数据文件是空的"),
])
def test_undecodable_or_broken_table_csv_is_refused(tmp_path, docgen, content, message):
    (tmp_path / "bad.csv").write_bytes(content)
    outline = tmp_path / "report.yaml"
    outline.write_text(REPORT.format(csv="bad.csv"), encoding="utf-8")
    run = docgen("render", outline, "-o", tmp_path / "out")
    assert_refused(run, "report.yaml:9:14 sections[0].tables[0].csv", message, outdir=tmp_path / "out")



def docgen_docx(tmp_path, name: str, data: bytes) -> Path:
    """The example notice as docgen writes it, with one more part ``word/media/<name>``."""
    import zipfile

    from docgen.api import render

    (path,) = render(Path(__file__).parents[2] / "examples" / "notice.yaml", ["docx"], tmp_path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"word/media/{name}", data)
    return path


def test_docx_zip_bomb_is_refused_by_import_and_check(tmp_path, docgen):
    bomb = docgen_docx(tmp_path, "zero.bin", b"\0" * (300 * 2**20))  # packs ≈ 1,000 : 1
    assert bomb.stat().st_size < 2**20
    for command in (("import", bomb, "-o", tmp_path / "out" / "x.yaml"), ("check", bomb)):
        run = docgen(*command, timeout=30)
        assert_refused(run, "解压后有 300 MB", "超过上限 200 MB", "DOCGEN_DOCX_MAX_UNPACKED", outdir=tmp_path / "out")


def test_docx_size_limit_follows_the_environment(tmp_path, monkeypatch):
    import os

    from docgen.limits import check_docx_zip

    large = docgen_docx(tmp_path, "photo.bin", os.urandom(20 * 2**20))  # does not pack: no bomb
    check_docx_zip(large)  # 20 MB of 200: read as usual
    monkeypatch.setenv("DOCGEN_DOCX_MAX_UNPACKED", str(10 * 2**20))
    with pytest.raises(DocgenError, match="解压后有 20 MB，超过上限 10 MB"):
        check_docx_zip(large)
