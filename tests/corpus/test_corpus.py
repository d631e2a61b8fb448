"""The committed bad-input corpus: each file ends in a Chinese message, the right exit code, no
traceback, within seconds, and with nothing written (cases.yaml lists the expectations)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

HERE = Path(__file__).parent
CASES = YAML(typ="safe").load((HERE / "cases.yaml").read_text(encoding="utf-8"))
TIME_LIMIT_S = 60  # generous for a loaded CI machine; each case takes well under 5 s here


def expectation(spec) -> tuple[int, list[str]]:
    if isinstance(spec, dict):
        return spec.get("exit", 2), list(spec.get("has", []))
    return 2, list(spec)


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=TIME_LIMIT_S)


def assert_refused(result: subprocess.CompletedProcess, code: int, fragments: list[str], out: Path) -> None:
    text = result.stderr + result.stdout
    assert result.returncode == code, text
    assert "Traceback" not in text
    assert "错误" in result.stderr or code != 2, result.stderr
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in: {text}"
    if code == 2:
        written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
        assert written == [], written


def params(group: str):
    return [pytest.param(name, spec, id=f"{group}/{name}") for name, spec in CASES[group].items()]


def test_the_corpus_is_large_enough():
    assert sum(len(group) for group in CASES.values()) >= 40
    for group in CASES:
        for name in CASES[group]:
            assert (HERE / group / name).is_file(), name


@pytest.mark.parametrize("name, spec", params("outlines"))
def test_bad_outline(name, spec, tmp_path):
    work = tmp_path / "work"
    shutil.copytree(HERE / "outlines", work)
    out = tmp_path / "out"
    code, fragments = expectation(spec)
    result = run(["render", name, "-f", "docx", "-f", "pdf", "-o", str(out)], cwd=work)
    assert_refused(result, code, fragments, out)


@pytest.mark.parametrize("name, spec", params("profiles"))
def test_bad_profile(name, spec, tmp_path):
    out = tmp_path / "out"
    code, fragments = expectation(spec)
    result = run(["render", str(HERE / "base-speech.yaml"), "-f", "docx", "-f", "pdf", "-o", str(out),
                  "--profile", str(HERE / "profiles" / name)], cwd=tmp_path)
    assert_refused(result, code, fragments, out)


@pytest.mark.parametrize("name, spec", params("templates"))
def test_bad_template(name, spec, tmp_path):
    templates = tmp_path / "templates"
    (templates / "speech").mkdir(parents=True)
    shutil.copyfile(HERE / "templates" / name, templates / "speech" / "body.md.j2")
    out = tmp_path / "out"
    code, fragments = expectation(spec)
    result = run(["render", str(HERE / "base-speech.yaml"), "-f", "docx", "-f", "pdf", "-o", str(out),
                  "--templates", str(templates)], cwd=tmp_path)
    assert_refused(result, code, fragments, out)


@pytest.mark.parametrize("name, spec", params("data"))
def test_bad_data(name, spec, tmp_path):
    out = tmp_path / "out"
    code, fragments = expectation(spec)
    result = run(["batch", str(HERE / "batch.yaml"), "--data", str(HERE / "data" / name), "-f", "docx",
                  "-o", str(out), "--name", "{单位}"], cwd=tmp_path)
    assert_refused(result, code, fragments, out)


def test_an_outline_over_the_size_limit(tmp_path):
    big = tmp_path / "big.yaml"
    paragraph = "  " + "很长的开场白。" * 200 + "\n"
    big.write_text("kind: speech\ntitle: 标题\nopening: |\n" + paragraph * 800, encoding="utf-8")
    assert big.stat().st_size > 2 * 1024 * 1024
    out = tmp_path / "out"
    assert_refused(run(["render", str(big), "-o", str(out)], cwd=tmp_path), 2, ["big.yaml"], out)
