"""Lint rules on the model: placeholders left in the text are reported with where they are."""

from docgen.lint import check_placeholders
from docgen.model import Block, Document, Meta, Span


def doc(*texts: str) -> Document:
    return Document(meta=Meta(title="t"), blocks=tuple(Block("body", (Span(t, "body"),)) for t in texts))


def test_placeholders_are_found_with_their_paragraph():
    findings = check_placeholders(doc("正文没有问题。", "走在建设“三个X”前列，表彰创业明星XX名。", "共××人"))
    assert [(f.code, f.paragraph) for f in findings] == [("L001", 2), ("L001", 2), ("L001", 3)]
    assert findings[0].where == "第 2 段" and findings[0].severity == "warning"
    assert "“X”" in findings[0].message and "三个X" in findings[0].message


def test_latin_words_and_clean_text_pass():
    assert check_placeholders(doc("GDP 增长 6.5%，XML 与 Xbox 不算占位符。", "2024年1月5日")) == []
