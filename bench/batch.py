"""Batch benchmark: the same notice for N rows, docgen against docxtpl + LibreOffice.

Measured in one run on this machine (see bench/RESULTS.md):
  (a) `docgen batch` → .docx + PDF for 200 rows;
  (b) docxtpl renders the same notice from a .docx template, then LibreOffice converts all of them
      to PDF in one batched call;
  (c) .docx only: `docgen batch -f docx` against docxtpl;
plus 100 vs 1,000 rows (time and peak RSS), cold `docgen --version` against `python -c "import typer"`,
and the PDF sizes of (a) and (b).
"""

from __future__ import annotations

import csv
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"
DOCGEN = [sys.executable, "-m", "docgen"]


def make_rows(path: Path, count: int) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["单位", "主送", "文号", "名额", "联系人"])
        for i in range(1, count + 1):
            writer.writerow([f"第{i}镇街", f"第{i}镇街工会", f"某工发〔2024〕{i}号", i % 9 + 2, f"联系人{i}"])


def timed(command: list[str], **kwargs) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB, largest process of the tree) of one command."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        start = time.perf_counter()
        subprocess.run([gnu_time, "-f", "%M", "-o", rss.name, *command], check=True, capture_output=True, **kwargs)
        elapsed = time.perf_counter() - start
        peak = int(rss.read().strip().splitlines()[-1])
    return elapsed, peak


def docgen_batch(rows_csv: Path, outdir: Path, formats: list[str]) -> tuple[float, int]:
    shutil.rmtree(outdir, ignore_errors=True)
    flags = [part for fmt in formats for part in ("-f", fmt)]
    return timed([*DOCGEN, "batch", str(OUTLINE), "--data", str(rows_csv), *flags, "-o", str(outdir),
                  "--name", "{序号}"])


# --- the usual pipeline: docxtpl + LibreOffice -------------------------------------------------
def docxtpl_template(path: Path) -> None:
    """A Word template of the same notice, styled like docgen's (so both do comparable work)."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)

    def paragraph(text: str, font: str, size: float, align=None, indent: bool = False) -> None:
        p = document.add_paragraph()
        p.paragraph_format.line_spacing = Pt(28.95)
        p.paragraph_format.space_after = Pt(0)
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if align is not None:
            p.alignment = align
        run = p.add_run(text)
        run.font.size = Pt(size)
        run.font.name = "Times New Roman"
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)

    paragraph("某市总工会文件", "方正小标宋简体", 42, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("{{ 文号 }}", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("关于下达2024年度职工疗休养名额的通知", "方正小标宋简体", 22, WD_ALIGN_PARAGRAPH.CENTER)
    paragraph("{{ 主送 }}：", "仿宋_GB2312", 16)
    paragraph("为落实职工疗休养制度，关心关爱一线职工身心健康，经研究，现将2024年度职工疗休养名额下达给{{ 单位 }}，"
              "共{{ 名额 }}名。", "仿宋_GB2312", 16, indent=True)
    paragraph("请{{ 单位 }}按照“优先一线、优先劳模、兼顾公平”的原则，于2024年5月31日前确定人选，并将名单报市总工会"
              "职工服务中心。联系人：{{ 联系人 }}。", "仿宋_GB2312", 16, indent=True)
    paragraph("某市总工会", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph("2024年4月10日", "仿宋_GB2312", 16, WD_ALIGN_PARAGRAPH.RIGHT)
    document.save(str(path))


DOCXTPL_SCRIPT = """
import csv, sys
from docxtpl import DocxTemplate
template, rows, outdir = sys.argv[1:4]
with open(rows, encoding="utf-8") as handle:
    for i, row in enumerate(csv.DictReader(handle), start=1):
        document = DocxTemplate(template)
        document.render(row)
        document.save(f"{outdir}/{i}.docx")
"""


def docxtpl_render(template: Path, rows_csv: Path, outdir: Path) -> tuple[float, int]:
    shutil.rmtree(outdir, ignore_errors=True)
    outdir.mkdir(parents=True)
    return timed([sys.executable, "-c", DOCXTPL_SCRIPT, str(template), str(rows_csv), str(outdir)])


def libreoffice_batch(docx_dir: Path, pdf_dir: Path) -> tuple[float, int] | None:
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    profile = Path(tempfile.mkdtemp(prefix="bench-lo-"))
    pdf_dir.mkdir(parents=True, exist_ok=True)
    files = sorted(str(p) for p in docx_dir.glob("*.docx"))
    warm = [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
            "--outdir", str(pdf_dir / "warm"), files[0]]
    subprocess.run(warm, check=True, capture_output=True)  # creates the profile
    try:
        return timed([soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
                      "--outdir", str(pdf_dir), *files])
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def cold_start(command: list[str], repeat: int = 7) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def mean_size(folder: Path) -> float:
    sizes = [p.stat().st_size for p in folder.glob("*.pdf")]
    return sum(sizes) / len(sizes) if sizes else 0.0


def run() -> list[str]:
    work = Path(tempfile.mkdtemp(prefix="docgen-batch-bench-"))
    rows = {n: work / f"rows-{n}.csv" for n in (100, 200, 1000)}
    for n, path in rows.items():
        make_rows(path, n)
    subprocess.run([*DOCGEN, "fonts", "build"], check=True, capture_output=True)

    a_time, a_rss = docgen_batch(rows[200], work / "a", ["docx", "pdf"])
    template = work / "notice-template.docx"
    docxtpl_template(template)
    tpl_time, _ = docxtpl_render(template, rows[200], work / "b-docx")
    lo = libreoffice_batch(work / "b-docx", work / "b-pdf")
    c_time, _ = docgen_batch(rows[200], work / "c", ["docx"])
    t100, rss100 = docgen_batch(rows[100], work / "n100", ["docx", "pdf"])
    t1000, rss1000 = docgen_batch(rows[1000], work / "n1000", ["docx", "pdf"])
    version = cold_start([*DOCGEN, "--version"])
    typer = cold_start([sys.executable, "-c", "import typer"])
    size_a, size_b = mean_size(work / "a"), mean_size(work / "b-pdf")

    b_time = tpl_time + (lo[0] if lo else float("nan"))
    lines = [
        "## 批量生成（200 份通知，make bench）",
        "",
        "| 项目 | 结果 |",
        "|---|---|",
        f"| (a) docgen batch → .docx + PDF，200 份 | {a_time:.1f} s（{200 / a_time:.1f} 份/秒），峰值内存 {a_rss / 1024:.0f} MiB |",
        f"| (b) docxtpl 生成 200 份 .docx | {tpl_time:.1f} s |",
        f"| (b) LibreOffice 一次调用转换 200 份 PDF | {lo[0]:.1f} s |" if lo else "| (b) LibreOffice | 未安装 |",
        f"| (b) 合计 | {b_time:.1f} s（{200 / b_time:.1f} 份/秒） |",
        f"| (c) docgen batch 仅 .docx，200 份 | {c_time:.1f} s |",
        f"| (c) docxtpl 仅 .docx，200 份 | {tpl_time:.1f} s |",
        f"| 100 份 / 1,000 份（docx + PDF） | {t100:.1f} s / {t1000:.1f} s |",
        f"| 峰值内存 100 份 / 1,000 份 | {rss100 / 1024:.0f} MiB / {rss1000 / 1024:.0f} MiB |",
        f"| 冷启动 docgen --version / python -c \"import typer\" | {version * 1000:.0f} ms / {typer * 1000:.0f} ms |",
        f"| 每份 PDF 平均大小：docgen / LibreOffice | {size_a / 1024:.1f} KB / {size_b / 1024:.1f} KB |",
        "",
        "| 目标 | 实测 | |",
        "|---|---|---|",
        _goal("docx+PDF 吞吐量 ≥ 10 × 流水线 (b)", b_time / a_time, 10, "×", higher=True),
        _goal("仅 docx ≥ 1.5 × docxtpl", tpl_time / c_time, 1.5, "×", higher=True),
        _goal("time(1,000) / time(100) ≤ 11", t1000 / t100, 11, "", higher=False),
        _goal("峰值内存(1,000) ≤ 1.2 × 峰值内存(100)", rss1000 / rss100, 1.2, "×", higher=False),
        _goal("冷启动 docgen --version ≤ 2 × import typer", version / typer, 2, "×", higher=False),
        _goal("PDF 大小 ≤ LibreOffice", size_a / size_b if size_b else float("nan"), 1, "×", higher=False),
        "",
    ]
    shutil.rmtree(work, ignore_errors=True)
    return lines


def _goal(name: str, value: float, goal: float, unit: str, higher: bool) -> str:
    ok = value >= goal if higher else value <= goal
    relation = "≥" if higher else "≤"
    return f"| {name} | {value:.2f}{unit} | {'✓' if ok else '✗'}（目标 {relation} {goal:g}{unit}） |"


if __name__ == "__main__":
    print("\n".join(run()))
