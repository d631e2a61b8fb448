"""Import findings: the I-codes of ``docgen import`` / ``docgen format``, registered once.

Placeholders use the lint rule L001 (the same meaning everywhere), found with the lint pattern
extended by what drafts also use for a missing name or number: XXX, 某某 and …….
"""

from __future__ import annotations

import re

import docgen.lint  # noqa: F401 - registers L001, which import findings reuse
from docgen.lint.registry import Finding, finding, rule

rule("I001", "info", "推测的文档类型")
rule("I002", "info", "推测的要素（标题、副标题、称呼、日期、层级、框架……）")
rule("I003", "info", "删除的噪声行（网页导航、下载提示、页码、页眉页脚、相关文章）")
rule("I004", "warning", "文本不完整：稿子在句中结束，或某一条只有标题没有正文")
rule("I005", "warning", "层级序号不连续或重复（如“一、”之后是“三、”）")
rule("I006", "warning", "稿子的部分与框架不一致")
rule("I007", "info", "未能导入的内容（图片、图表）")
rule("I008", "info", "清理：半角标点改为全角、断行合并")
rule("I009", "warning", "稿子缺少必需的要素（标题、主送、签发人），提纲里暂填 XXX")

PLACEHOLDER = re.compile(
    r"(?<![A-Za-z])(?:[Xx]{1,4}|[×＊*]{1,4}|[Ｘ]{1,4})(?![A-Za-z])|某某|…{2,}|\.{6}|。{3}"
)


def placeholders(text: str, **where) -> list[Finding]:
    """L001 for each placeholder in ``text`` (one source line or paragraph); in a long line the
    message also says at which character, so it can be found."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        start = max(0, match.start() - 8)
        context = text[start:match.end() + 8].replace("\n", "")
        at = f"（该行第 {match.start() + 1} 字）" if len(text) > 100 else ""
        found.append(finding("L001", f"疑似未替换的占位符“{match.group()}”{at}：…{context}…", **where))
    return found


__all__ = ["PLACEHOLDER", "placeholders", "finding"]
