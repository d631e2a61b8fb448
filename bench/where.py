"""Where a cold `docgen render -f pdf` spends its time: py-spy samples of several new processes.

cProfile inflates imports and small calls two to three times; a sampling profiler running beside
the process (``py-spy --nonblocking``, 1 kHz) does not slow it. Each sample is charged to

* the package that owns it: the innermost frame outside the standard library (so the standard
  library's ``re``/``dataclasses``/``typing`` work is charged to whoever called it), and
* the stage it belongs to: importing a module, or one of the render's steps (api.py functions).

All threads are sampled: the PDF writer's compression thread runs beside the main thread on a
second core, so its share is not on top of the main thread's time. Only Python code is sampled: interpreter start-up before the first frame is not in the figures
(the empty process is measured separately by run.py). Used by run.py; also runnable on its own:
``python bench/where.py [runs]``.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"
RATE_HZ = 1000

THIRD_PARTY = ("pydantic", "pydantic_core", "reportlab", "jinja2", "ruamel", "markupsafe", "fontTools",
               "platformdirs", "annotated_types", "typing_inspection", "typing_extensions.py", "PIL")
# The render's steps, by the docgen function a sample runs under (outermost match wins).
STAGES = (
    ("load_profile", "样式（内置样式表，取自缓存）"),
    ("load_outline", "读取并校验提纲（YAML + pydantic）"),
    ("document_from", "组版（框架、模板、标记）"),
    ("lint", "检查（提示）"),
    ("load_fontset", "字体（解析结果取自缓存）"),
    ("encode", "排版与写出 PDF"),
)
_FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^()]*?)(?::\d+)?\)$")


# docgen's own import machinery (docgen/startup.py: the module bundle's finder and loader, the
# compiled cache): charged like importlib's, to whoever imports or compiles.
_MACHINERY = ("ModuleBundle.", "_BundledLoader.", "CompiledCache.")
# Where a module's code is decoded before its body runs (the bundle, or a .pyc read as usual).
_DECODING = ("ModuleBundle.code", "_compile_bytecode")


def _machinery(func: str, file: str) -> bool:
    return file == "docgen/startup.py" and func.startswith(_MACHINERY)


def _owner(file: str) -> str:
    first = file.split("/")[0]
    if first == "yaml":  # py-spy names ruamel/yaml/… files after their last package folder
        return "ruamel.yaml"
    if first in THIRD_PARTY:
        return first.removesuffix(".py")
    return "docgen" if first == "docgen" else "标准库"


def _stage(frames: list[tuple[str, str]]) -> str:
    if frames and frames[0][0] == "Thread._bootstrap":
        return "PDF 压缩线程（与主线程同时运行）"
    if any(func == "_find_and_load" for func, _ in frames):
        return "导入模块"
    for func, file in frames:
        if file.startswith("docgen/"):
            for name, label in STAGES:
                if func == name:
                    return label
    return "其他（命令行、写文件、进程收尾）"


def _module_body(frames: list[tuple[str, str]]) -> str:
    """Whose module body an import sample runs: the innermost ``<module>`` frame's package (for
    docgen, its module: class bodies, dataclasses and pydantic models are built there); decoding
    a module's code, before any body runs, is a row of its own."""
    if any(func in _DECODING for func, _ in frames):
        return "（解码模块代码：模块包或 .pyc）"
    for func, file in reversed(frames):
        if func == "<module>":
            if file == "docgen/__main__.py":  # the script itself: an import made inside a function
                return "（函数内的导入：查找与载入）"
            owner = _owner(file)
            if owner == "docgen":
                return file.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            return owner
    return "标准库"


def analyse(raw: str, runs: int) -> tuple[dict[str, float], dict[str, float], dict[str, float], float]:
    """(ms per run by package, by stage, by imported module body; sampled ms per run) from
    py-spy's raw output."""
    owners: collections.Counter[str] = collections.Counter()
    stages: collections.Counter[str] = collections.Counter()
    bodies: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [(m["func"], m["file"]) for m in map(_FRAME.match, stack.split(";")) if m]
        n = int(count)
        total += n
        owner = next((o for o in (_owner(file) for func, file in reversed(frames) if not _machinery(func, file))
                      if o != "标准库"), "标准库")
        owners[owner] += n
        stage = _stage(frames)
        stages[stage] += n
        if stage == "导入模块":
            bodies[_module_body(frames)] += n
    scale = 1000 / RATE_HZ / runs
    return (*({k: v * scale for k, v in counter.most_common()} for counter in (owners, stages, bodies)),
            total * scale)


def sample(runs: int, env: dict[str, str] | None = None) -> str | None:
    """py-spy's raw samples of ``runs`` cold renders, or None when py-spy cannot run here."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    if not Path(spy).exists():
        return None
    work = Path(tempfile.mkdtemp(prefix="docgen-where-"))
    command = [sys.executable, "-m", "docgen", "render", str(EXAMPLE), "-f", "pdf", "-o", str(work)]
    chunks = []
    try:
        subprocess.run(command, check=True, capture_output=True, env=env)  # __pycache__ and caches warm
        for i in range(runs):
            out = work / f"samples-{i}.txt"
            done = subprocess.run([spy, "record", "--nonblocking", "-r", str(RATE_HZ), "-f", "raw", "-o",
                                   str(out), "--", *command], capture_output=True, env=env)
            if done.returncode != 0 or not out.is_file():
                return None  # e.g. ptrace not permitted in this container
            chunks.append(out.read_text(encoding="utf-8"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return "\n".join(chunks)


def section(runs: int = 8, env: dict[str, str] | None = None) -> list[str]:
    raw = sample(runs, env)
    title = f"## 冷启动的时间花在哪里（py-spy 采样，{runs} 次新进程 docgen render -f pdf，每次平均）"
    if raw is None:
        return [title, "", "py-spy 无法运行（未安装，或本机不允许跟踪进程），未测。", ""]
    owners, stages, bodies, sampled = analyse(raw, runs)
    lines = [title, "", f"采到的 Python 代码时间：每次 {sampled:.0f} ms（不含解释器启动）。", "",
             "| 归属（最内层的非标准库帧） | 每次 | 占比 |", "|---|---|---|"]
    lines += [f"| {name} | {ms:.0f} ms | {ms / sampled:.0%} |" for name, ms in owners.items() if ms >= 1]
    lines += ["", "| 阶段 | 每次 | 占比 |", "|---|---|---|"]
    lines += [f"| {name} | {ms:.0f} ms | {ms / sampled:.0%} |" for name, ms in stages.items() if ms >= 1]
    lines += ["", "| 导入时执行的模块（最内层的模块体；docgen 按模块） | 每次 | 占比 |", "|---|---|---|"]
    lines += [f"| {name} | {ms:.0f} ms | {ms / sampled:.0%} |" for name, ms in bodies.items() if ms >= 2]
    return [*lines, ""]


if __name__ == "__main__":
    print("\n".join(section(int(sys.argv[1]) if len(sys.argv) > 1 else 8)))
