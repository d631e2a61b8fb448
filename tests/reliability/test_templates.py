"""A user template that misbehaves ends in ``模板错误：<file>:<line>：<reason>`` within its budget:
no file read from outside the template folders, no endless loop, no gigabyte string, no
RecursionError traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from docgen.compose.environment import render_template
from docgen.errors import TemplateError

from .conftest import SPEECH, assert_refused


@pytest.fixture
def speech(tmp_path) -> Path:
    path = tmp_path / "speech.yaml"
    path.write_text(SPEECH, encoding="utf-8")
    return path


def with_template(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "tpl"
    (folder / "speech").mkdir(parents=True, exist_ok=True)
    (folder / "speech" / "body.md.j2").write_text(body, encoding="utf-8")
    return folder


CASES = {
    "include absolute": ("# {{ title }}\n{% include '/etc/passwd' %}\n", ":2：", "模板“/etc/passwd”位于模板目录之外"),
    "include parent": ("# {{ title }}\n\n{% include '../speech.yaml' %}\n", ":3：", "模板“../speech.yaml”位于模板目录之外"),
    "import parent": ("{% import '../../x.j2' as x %}\n", ":1：", "位于模板目录之外"),
    "not found": ("# {{ title }}\n{% include 'nothere.md.j2' %}\n", ":2：", "找不到模板“nothere.md.j2”"),
    "range": ("# {{ title }}\n{% for i in range(10**9) %}{% endfor %}\n", ":2：",
              "range(1000000000) 太大：模板中的 range 最多 10000 项"),
    "repeat": ("# {{ title }}\n{{ 'x' * 10**9 }}\n", ":2：", "模板生成的结果过长（超过 1000000 个字符）"),
    "doubling": ("{% set s = namespace(t='x') %}{% for i in range(40) %}{% set s.t = s.t + s.t %}{% endfor %}\n",
                 ":1：", "过长"),
    "join": ("{{ range(10000) | join('x' * 100000) }}\n", ":1：", "过长"),
    "center": ("{{ 'x' | center(1000000000) }}\n", ":1：", "过长"),
    "format": ("{{ '%999999999d' % 1 }}\n", ":1：", "格式化宽度过大"),
    "str.format": ("{{ '{:999999999}'.format(1) }}\n", ":1：", "格式化宽度过大"),
    "output": ("# {{ title }}\n{% for i in range(10000) %}{% for j in range(10000) %}很长{% endfor %}{% endfor %}\n",
               ":2：", "模板生成的正文过长"),
    "recursive macro": ("{% macro f() %}{{ f() }}{% endmacro %}\n# {{ title }}\n\n{{ f() }}\n", ":1：",
                        "模板递归过深"),
    "recursive include": ("# {{ title }}\n{% include 'speech/body.md.j2' %}\n", ":2：", "模板递归过深"),
    "syntax": ("# {{ title }\n", ":1：", "模板语法错误"),
    "deep syntax": ("{{ " + "(" * 3000 + "1" + ")" * 3000 + " }}\n", "body.md.j2：", "模板嵌套过深"),
    "undefined": ("# {{ titel }}\n", ":1：", "模板使用了未定义的变量（titel）"),
    "unsafe": ("{{ ''.__class__.__mro__ }}\n", ":1：", "模板执行了不允许的操作（不能访问 str 的属性 __class__）"),
    "division": ("# {{ title }}\n{{ 1 / 0 }}\n", ":2：", "模板运行出错（ZeroDivisionError"),
}


@pytest.mark.parametrize("case", CASES)
def test_template_errors_name_file_and_line(tmp_path, speech, docgen, case):
    body, place, reason = CASES[case]
    templates = with_template(tmp_path, body)
    run = docgen("render", speech, "-t", templates, "-o", tmp_path / "out", timeout=30)
    assert_refused(run, f"错误：模板错误：{templates / 'speech' / 'body.md.j2'}", place, reason,
                   outdir=tmp_path / "out")
    assert run.seconds < 8, run.seconds


@pytest.mark.parametrize("body", [
    "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}\n",
    "{% set s = 'x' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}\n",
    "{% for a in range(10000) %}{% for b in range(10000) %}{% set c = a + b %}{% endfor %}{% endfor %}\n",
])
def test_a_loop_that_prints_nothing_is_stopped_by_the_clock(tmp_path, speech, docgen, body):
    templates = with_template(tmp_path, body)
    run = docgen("render", speech, "-t", templates, "-o", tmp_path / "out", timeout=30,
                 env={"DOCGEN_TEMPLATE_SECONDS": "1"})
    assert_refused(run, "模板错误：", "body.md.j2:1：模板运行超过 1 秒，已停止", "DOCGEN_TEMPLATE_SECONDS",
                   outdir=tmp_path / "out")
    assert run.seconds < 6, run.seconds


def test_the_default_time_budget_is_five_seconds(tmp_path, speech, docgen):
    templates = with_template(tmp_path, "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}"
                                        "{% endfor %}\n")
    run = docgen("render", speech, "-t", templates, "-o", tmp_path / "out", timeout=60)
    assert_refused(run, "模板运行超过 5 秒，已停止", outdir=tmp_path / "out")
    assert run.seconds < 15, run.seconds


def test_a_template_symlink_pointing_outside_is_refused(tmp_path, speech, docgen):
    templates = with_template(tmp_path, "# {{ title }}\n{% include 'speech/leak.md.j2' %}\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("绝密", encoding="utf-8")
    os.symlink(secret, templates / "speech" / "leak.md.j2")
    run = docgen("render", speech, "-t", templates, "-o", tmp_path / "out")
    assert_refused(run, "body.md.j2:2：", "模板“speech/leak.md.j2”是指向模板目录之外的链接", outdir=tmp_path / "out")
    assert "绝密" not in run.stderr


def test_limits_can_be_raised_by_environment(tmp_path, speech, docgen):
    templates = with_template(tmp_path, "# {{ title }}\n\n{% for i in range(20000) %}{% endfor %}正文。\n")
    assert docgen("render", speech, "-t", templates, "-o", tmp_path / "out").returncode == 2
    run = docgen("render", speech, "-t", templates, "-o", tmp_path / "out", env={"DOCGEN_TEMPLATE_MAX_RANGE": "20000"})
    assert run.returncode == 0, run.stderr


def test_builtin_template_errors_use_the_template_name(tmp_path):
    with pytest.raises(TemplateError) as caught:
        render_template("speech/body.md.j2", {})
    assert str(caught.value).startswith("模板错误：speech/body.md.j2:")


def test_the_budget_does_not_leak_between_renders(tmp_path):
    templates = with_template(tmp_path, "{% for i in range(100) %}{{ i }}{% endfor %}")
    for _ in range(3):
        assert render_template("speech/body.md.j2", {}, templates).startswith("0123")
