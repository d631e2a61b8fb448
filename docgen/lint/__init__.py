"""Checks that catch what a reader would call a defect, each with a stable code.

Rules are registered in :mod:`docgen.lint.rules` (the one table, shown by ``docgen check --rules``);
content rules live in :mod:`docgen.lint.text`, .docx format rules in :mod:`docgen.lint.docx`, and
:mod:`docgen.check` runs them on files. ``docgen render`` and ``batch`` show the content
findings on the model as notices; they never stop a render, because only the writer knows whether
“XX” is a placeholder or a real name.
"""

from __future__ import annotations

from docgen.lint import rules as _rules  # noqa: F401  (registers every code)
from docgen.lint.registry import RULES, Finding, Rule, finding, rule
from docgen.lint.text import PLACEHOLDER as _PLACEHOLDER
from docgen.lint.text import Para, content_findings
from docgen.model import Block, Document, Signoff


def check_placeholders(document: Document) -> list[Finding]:
    """L001: a placeholder such as X, XX or ×× is still in the text (numbered by body paragraph)."""
    findings = []
    for number, block in enumerate(document.paragraphs, start=1):
        for match in _PLACEHOLDER.finditer(block.text):
            start = max(0, match.start() - 8)
            context = block.text[start:match.end() + 8].replace("\n", "")
            findings.append(finding("L001", f"疑似未替换的占位符“{match.group()}”：…{context}…", paragraph=number))
    return findings


def document_paragraphs(document: Document) -> list[Para]:
    """The model in reading order as paragraphs with roles: 版头 (文号), 主体 (blocks, 署名 and
    日期), attachments, 版记. Paragraph numbers count these, one per line of text."""
    texts: list[tuple[str, str]] = []
    header = document.header
    if header is not None:
        for text in (header.copy_number, header.secrecy, header.urgency):
            if text:
                texts.append((text, "header_meta"))
        if header.mark:
            texts.append(("".join(header.mark.names) + header.mark.suffix, "issuer_mark"))
        if header.number:
            texts.append((header.number, "issue_number"))
    for element in document.blocks:
        if isinstance(element, Block):
            texts.append((element.text, element.style))
        elif isinstance(element, Signoff):
            texts += [(name, "signature") for name in element.names]
            texts.append((element.date, "signature_date"))
    for attachment in document.attachments:
        texts.append((attachment.label, "attachment_label"))
        texts.append((attachment.title, "attachment_title"))
        texts += [(block.text, block.style) for block in attachment.blocks]
    colophon = document.colophon
    if colophon is not None:
        if colophon.cc:
            texts.append(("抄送：" + "，".join(colophon.cc) + "。", "colophon"))
        if colophon.printer or colophon.print_date:
            texts.append((f"{colophon.printer or ''}　{colophon.print_date or ''}印发", "colophon"))
    return [Para(text, paragraph=n, role=role) for n, (text, role) in enumerate(texts, start=1)]


def lint(document: Document) -> list[Finding]:
    """Every content rule on the model (what ``render`` prints)."""
    signers = document.header.signers if document.header else ()
    found = content_findings(document_paragraphs(document), signers=signers)
    if document.removed:
        found.insert(0, finding("L018", f"已删除不可见的控制字符 {'、'.join(document.removed)}"
                                        "（常见于从网页或 PDF 复制的文字，会在 PDF 中显示为怪符号）"))
    return found


def findings_for(document: Document) -> list[Finding]:
    """The content findings of one composed document, for ``batch`` (one row each in
    batch-report.csv)."""
    return lint(document)


__all__ = ["RULES", "Finding", "Rule", "Para", "finding", "rule", "lint", "findings_for", "check_placeholders",
           "document_paragraphs"]
