"""Batch data cells: printed as data (never run as a template), blank cells for needed fields are
the row's error naming row and column, blank optional values print nothing, and many failures
are summed up by reason on the console."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUTLINE = ROOT / "examples" / "batch-notice.yaml"


def docgen(*args, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "docgen", *map(str, args)], capture_output=True, text=True,
                          timeout=timeout)


def write_rows(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def report(outdir: Path) -> list[dict]:
    with (outdir / "batch-report.csv").open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def docx_text(path: Path) -> str:
    """Paragraph texts of the body and the footers (the 版记 with 抄送 sits in the last footer)."""
    with zipfile.ZipFile(path) as archive:
        parts = ["word/document.xml"] + sorted(n for n in archive.namelist() if n.startswith("word/footer"))
        xml = "".join(archive.read(name).decode("utf-8") for name in parts)
    paragraphs = re.findall(r"<w:p[ >].*?</w:p>", xml, flags=re.S)
    return "\n".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in paragraphs)


def test_template_syntax_in_a_cell_is_printed_not_run(tmp_path):
    hostile = "{{ 单位 }}{% for i in range(3) %}x{% endfor %}{{ ''.__class__ }}"
    write_rows(tmp_path / "units.csv", ["单位", "主送", "名额", "联系人"],
               [["北山镇", hostile, "3", "{{ 名额 * 1000 }}"], ["南湖街道", "南湖街道工会", "4", "{% raw %}王五"]])
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-o", out, "--name", "{单位}")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    first = docx_text(out / "北山镇.docx")
    assert hostile + "：" in first  # 主送 printed exactly as typed
    assert "联系人：{{ 名额 * 1000 }}" in first and "3000" not in first
    assert "{% raw %}王五" in docx_text(out / "南湖街道.docx")


def test_blank_needed_cells_are_row_errors_with_row_and_column(tmp_path):
    rows = [[f"第{i}镇", f"第{i}镇工会", f"某工发〔2024〕{i}号", "3", "张三"] for i in range(1, 11)]
    rows[2][1] = ""  # 主送 blank: printed a lone "：" line and said 成功
    rows[5][2] = "  "  # 文号 blank
    rows[7][0] = ""  # 单位 used in the body: would print "下达给，共3名"
    write_rows(tmp_path / "units.csv", ["单位", "主送", "文号", "名额", "联系人"], rows)
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-o", out, "--workers", "2")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "第 4 行失败：“主送”列为空" in result.stderr
    assert "第 7 行失败：“文号”列为空" in result.stderr
    assert "第 9 行失败：“单位”列为空" in result.stderr and "{% if 单位 %}" in result.stderr
    lines = report(out)
    failed = {line["行号"]: line["原因"] for line in lines if line["状态"] == "失败"}
    assert set(failed) == {"4", "7", "9"}
    assert sorted(p.name for p in out.glob("*.docx")) == sorted(
        f"{line['序号']}.docx" for line in lines if line["状态"] == "成功")
    assert not (out / "3.docx").exists()
    for path in out.glob("*.docx"):  # no row prints the 主送 line without its 主送
        assert not re.search(r"^：", docx_text(path), flags=re.M)


def test_blank_optional_cell_prints_nothing(tmp_path):
    outline = tmp_path / "notice.yaml"
    outline.write_text(OUTLINE.read_text(encoding="utf-8") + "cc: 各县（市、区）总工会\n", encoding="utf-8")
    write_rows(tmp_path / "units.csv", ["单位", "主送", "名额", "联系人", "抄送"],
               [["甲镇", "甲镇工会", "3", "张三", ""], ["乙镇", "乙镇工会", "4", "李四", "乙县总工会"]])
    out = tmp_path / "out"
    result = docgen("batch", outline, "--data", tmp_path / "units.csv", "-o", out, "--name", "{单位}")
    assert result.returncode == 0, result.stderr
    assert "抄送" not in docx_text(out / "甲镇.docx")
    assert "抄送：乙县总工会。" in docx_text(out / "乙镇.docx")


def test_blank_values_in_a_single_render(tmp_path):
    outline = tmp_path / "blank.yaml"
    outline.write_text('kind: notice\ntitle: 关于开展安全检查的通知\nrecipients: ["各单位", " "]\n'
                       'cc: [" "]\nnote: " "\nbody: 请认真开展检查。\nsignature: 某市总工会\ndate: 2024-04-10\n',
                       encoding="utf-8")
    out = tmp_path / "out"
    result = docgen("render", outline, "-o", out)
    assert result.returncode == 0, result.stderr
    text = docx_text(out / "blank.docx")
    assert "抄送" not in text and "各单位：" in text and "（）" not in text
    assert not re.search(r"^：", text, flags=re.M)
    outline.write_text("kind: notice\ntitle: '   '\nbody: 正文。\n", encoding="utf-8")
    result = docgen("render", outline, "-o", tmp_path / "out2")
    assert result.returncode == 2
    assert "blank.yaml:2" in result.stderr and "缺少必填字段（标题）" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out2").exists()


def test_many_failures_are_grouped_by_reason(tmp_path):
    rows = [[f"第{i}镇", "" if i % 3 else f"第{i}镇工会", "3", "张三"] for i in range(1, 31)]
    rows[0][1] = "第1镇工会"
    write_rows(tmp_path / "units.csv", ["单位", "主送", "名额", "联系人"], rows)
    out = tmp_path / "out"
    result = docgen("batch", OUTLINE, "--data", tmp_path / "units.csv", "-o", out, "--workers", "2")
    assert result.returncode == 1
    failed_rows = [i + 2 for i in range(1, 30) if (i + 1) % 3]
    assert len(failed_rows) == 19
    expected = "、".join(map(str, failed_rows[:10])) + "…"
    assert f"“主送”列为空；主送不能留空（第 {expected} 行，共 19 行）" in result.stderr
    assert result.stderr.count("列为空") == 1  # one line for 19 rows
    assert "成功 11 行，失败 19 行" in result.stderr
    lines = report(out)
    assert len(lines) == 30 and sum(line["状态"] == "失败" for line in lines) == 19
    assert len(list(out.glob("*.docx"))) == 11


def test_schema_blank_values_count_as_absent():
    import pytest
    from pydantic import ValidationError

    from docgen.outline.schema import Notice, Speech

    notice = Notice.model_validate({"title": "通知", "recipients": ["甲", " ", "\u3000"], "cc": [" ", None],
                                    "note": "  ", "signature": "", "mark_suffix": ""})
    assert notice.recipients == ["甲"] and notice.cc == [] and notice.note is None and notice.signature == []
    assert notice.mark_suffix == ""  # a text default: "" stays an explicit "none"
    assert Speech.model_validate({"title": " ", "speaker": "\t"}).title is None
    with pytest.raises(ValidationError) as caught:
        Notice.model_validate({"title": "\u3000 "})
    assert [(e["type"], e["loc"]) for e in caught.value.errors()] == [("missing", ("title",))]


def test_content_findings_of_each_row_go_to_the_report(tmp_path):
    """A placeholder left in one row's cell is that row's L001 in batch-report.csv and a count on
    the console; the document is still produced."""
    import csv as _csv
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    data = tmp_path / "units.csv"
    data.write_text("单位,主送,文号,名额,联系人\n城关镇,城关镇工会,某工发〔2024〕11号,10,张伟\n"
                    "东城街道,东城街道工会,某工发〔2024〕12号,6,XX\n", encoding="utf-8")
    out = tmp_path / "out"
    result = subprocess.run([sys.executable, "-m", "docgen", "batch", str(root / "examples" / "batch-notice.yaml"),
                             "--data", str(data), "-o", str(out), "--name", "{单位}"],
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "1 行有检查提示（L001）" in result.stderr
    rows = list(_csv.DictReader((out / "batch-report.csv").read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0]["检查提示"] == ""
    assert rows[1]["检查提示"].startswith("L001") and "XX" in rows[1]["检查提示"]
    assert (out / "东城街道.docx").is_file()
