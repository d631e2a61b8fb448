"""Benchmark: docgen's native PDF against LibreOffice converting the same .docx.

Run with `make bench`. Measures, in one run on this machine:
  1. in-process time per PDF (and per .docx) of the example speech, after warm-up;
  2. cold wall time of `docgen render -f pdf` (a new process each time);
  3. LibreOffice headless converting the same .docx to PDF (one soffice call per file).
Writes the medians and ratios to bench/RESULTS.md. Goals (reported, not asserted):
warm ≥ 20× faster than LibreOffice per document, cold ≥ 3× faster.
"""

from __future__ import annotations

import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "sanxing-sanli-speech.yaml"
RESULTS = ROOT / "bench" / "RESULTS.md"
DOCGEN = [sys.executable, "-m", "docgen"]


def median_time(action, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def in_process(repeat: int = 30) -> dict[str, float]:
    from docgen.api import build_document
    from docgen.fonts import FontSet
    from docgen.writers.docx import write_docx
    from docgen.writers.pdf import write_pdf

    document, profile = build_document(EXAMPLE)
    fontset = FontSet.load(profile)

    def pdf() -> None:
        write_pdf(document, profile, io.BytesIO(), fontset=fontset)

    def docx() -> None:
        write_docx(document, profile, io.BytesIO())

    def whole() -> None:
        doc, prof = build_document(EXAMPLE, profile=profile)
        write_pdf(doc, prof, io.BytesIO(), fontset=fontset)

    for _ in range(3):  # warm-up: imports, font registration, template compilation
        pdf(), docx(), whole()
    return {
        "pdf": median_time(pdf, repeat),
        "docx": median_time(docx, repeat),
        "outline_to_pdf": median_time(whole, repeat),
    }


def cold_cli(outdir: Path, repeat: int = 5) -> float:
    def run() -> None:
        subprocess.run([*DOCGEN, "render", str(EXAMPLE), "-f", "pdf", "-o", str(outdir)], check=True,
                       capture_output=True)

    run()  # page cache warm-up
    return median_time(run, repeat)


def libreoffice(docx: Path, outdir: Path, repeat: int = 5) -> float | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    command = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
               "--outdir", str(outdir), str(docx)]

    def run() -> None:
        subprocess.run(command, check=True, capture_output=True)

    run()  # the first call creates the profile; measure the warm-profile case
    try:
        return median_time(run, repeat)
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def pdf_section() -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-"))
    subprocess.run([*DOCGEN, "render", str(EXAMPLE), "-f", "docx", "-f", "pdf", "-o", str(work)], check=True)
    docx = work / f"{EXAMPLE.stem}.docx"
    pdf_size = (work / f"{EXAMPLE.stem}.pdf").stat().st_size
    pages = _pages(work / f"{EXAMPLE.stem}.pdf")
    warm = in_process()
    cold = cold_cli(work / "cold")
    lo = libreoffice(docx, work / "lo")
    lo_size = (work / "lo" / f"{EXAMPLE.stem}.pdf").stat().st_size if lo else None
    shutil.rmtree(work, ignore_errors=True)
    lines = [
        f"## 单份 PDF：`examples/{EXAMPLE.name}`（{pages} 页讲话稿），各项取中位数",
        "",
        "| 项目 | 结果 |",
        "|---|---|",
        f"| docgen，进程内，每份 PDF（预热后） | {warm['pdf'] * 1000:.1f} ms |",
        f"| docgen，进程内，每份 .docx（预热后） | {warm['docx'] * 1000:.1f} ms |",
        f"| docgen，进程内，提纲 → PDF（读取、模板、排版、写出） | {warm['outline_to_pdf'] * 1000:.1f} ms |",
        f"| docgen render -f pdf，冷启动（新进程） | {cold * 1000:.0f} ms |",
        f"| LibreOffice headless .docx → PDF（每次一个文件） | {lo * 1000:.0f} ms |" if lo else "| LibreOffice | 未安装 |",
        f"| PDF 大小：docgen / LibreOffice | {pdf_size / 1024:.0f} KB / {lo_size / 1024:.0f} KB |" if lo_size else "",
        "",
    ]
    if lo:
        lines += [
            "| 倍数 | 实测 | 目标 |",
            "|---|---|---|",
            _ratio("LibreOffice ÷ docgen 进程内（提纲 → PDF）", lo / warm["outline_to_pdf"], 20),
            _ratio("LibreOffice ÷ docgen 冷启动", lo / cold, 3),
            "",
        ]
    return lines


def _ratio(name: str, value: float, goal: float) -> str:
    return f"| {name} | {value:.1f}× | ≥ {goal:g}× {'✓' if value >= goal else '✗'} |"


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def main() -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import batch

    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# 基准测试结果",
        "",
        f"由 `make bench` 生成。时间：{stamp}；机器：{os.cpu_count()} 核，{platform.machine()}，"
        f"Python {platform.python_version()}。同一次运行、同一台机器上测得；机器有噪声，倍数比绝对值更可靠。",
        "",
        *pdf_section(),
        *batch.run(),
    ]
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print(RESULTS.read_text(encoding="utf-8"))


if __name__ == "__main__":
    main()
