"""Running the CLI as a careless or hostile user would, timing each run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SPEECH = """\
kind: speech
title: 在全市工会工作会议上的讲话
sections:
  - heading: 提高认识
    points:
      - heading: 统一思想
        body: 我们要统一思想。
"""

NOTICE = """\
kind: notice
issuer: 某市总工会
title: 关于开展测试工作的通知
recipients: [各单位]
body: 现将有关事项通知如下。
signature: 某市总工会
date: 2024-03-15
seal: {seal}
"""

REPORT = """\
kind: report
title: 某市总工会2024年工作总结
unit: 某市总工会
sections:
  - heading: 主要工作
    intro: 全年工作有序推进。
    tables:
      - caption: 主要指标
        csv: {csv}
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float


def run_docgen(*args, cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float = 60) -> Run:
    """``python -m docgen …`` from the checkout under test; a hang fails the test at ``timeout``."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    start = time.monotonic()
    result = subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                            cwd=cwd or ROOT, env=environment, timeout=timeout)
    return Run(result.returncode, result.stdout, result.stderr, time.monotonic() - start)


def assert_refused(run: Run, *fragments: str, outdir: Path | None = None) -> None:
    """Exit 2, a Chinese 错误 line with each fragment, no traceback, nothing written."""
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr + run.stdout
    assert "错误：" in run.stderr
    for fragment in fragments:
        assert fragment in run.stderr, run.stderr
    if outdir is not None:
        assert not outdir.exists() or not any(outdir.iterdir()), list(outdir.iterdir())


@pytest.fixture
def docgen():
    return run_docgen
