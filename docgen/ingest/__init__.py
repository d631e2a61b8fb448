"""Import drafts (text, Markdown, Word, PDF, and .doc/.wps/.odt via LibreOffice) as outlines.

``import_draft(path)`` reads the draft into one intermediate form (:mod:`docgen.ingest.draft`),
cleans it (:mod:`docgen.ingest.clean`), recognises its structure (:mod:`docgen.ingest.structure`)
and returns the outline as a dict that ``docgen render`` accepts, plus findings saying what was
dropped and guessed. :func:`docgen.ingest.emit.outline_yaml` writes it with a comment header.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen.lint.registry import Finding

KINDS = ("speech", "notice", "request", "report")


@dataclass
class ImportResult:
    outline: dict
    findings: list[Finding]
    guesses: list = field(default_factory=list)
    dropped: list = field(default_factory=list)
    source: Path | None = None

    def yaml(self) -> str:
        from docgen.ingest.emit import outline_yaml

        return outline_yaml(self)

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity in ("warning", "error")]


def import_draft(path: str | Path, kind: str | None = None, framework: str | None = None,
                 templates: str | Path | None = None) -> ImportResult:
    from docgen.errors import DocgenError
    from docgen.ingest import clean
    from docgen.ingest.findings import finding
    from docgen.ingest.readers import read_draft
    from docgen.ingest.structure import Recogniser

    if kind is not None:
        from docgen.outline.schema import KIND_ALIASES

        kind = {"请示": "request"}.get(kind, KIND_ALIASES.get(kind, kind))
        if kind not in KINDS:
            raise DocgenError(f"不认识的类型“{kind}”；可用：speech（讲话稿）、notice（通知）、request（请示）、report（报告）")
    path = Path(path)
    draft = read_draft(path)
    where = "paragraph" if draft.unit == "paragraph" else "line"
    controls = clean.drop_control_characters(draft.lines)
    kept, dropped = clean.drop_noise(draft.lines)
    changes = 0
    for line in kept:
        line.text, n = clean.full_width(line.text)
        changes += n
        if "table" in line.hints:
            rows = []
            for row in line.hints["table"]:
                rows.append([clean.full_width(cell)[0] for cell in row])
            line.hints["table"] = rows
    if not any(line.text.strip() or "table" in line.hints for line in kept):
        raise DocgenError("稿子里没有可导入的文字", file=str(path))
    recogniser = Recogniser(draft, kind, framework, Path(templates) if templates else None)
    recognised = recogniser.run(kept)
    findings: list[Finding] = []
    for item in dropped:
        findings.append(finding("I003", f"删除{item.reason}：“{item.text[:40]}”", **{where: item.line}))
    for number, removed in controls:
        shown = "、".join(f"U+{ord(c):04X}" for c in removed)
        findings.append(finding("L018", f"已删除不可见的控制字符 {shown}", **{where: number}))
    for note in draft.notes:
        findings.append(finding("I007", note))
    if changes:
        findings.append(finding("I008", f"{changes} 处半角标点改为全角（数字、时间、网址和英文中的不变）"))
    findings += recognised.findings
    findings.sort(key=lambda f: (f.line or f.paragraph or 0))
    findings = [Finding(**{**f.__dict__, "file": str(path)}) for f in findings]
    return ImportResult(outline=recognised.outline, findings=findings, guesses=recognised.guesses,
                        dropped=dropped, source=path)


__all__ = ["ImportResult", "import_draft", "KINDS"]
