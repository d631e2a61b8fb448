"""The Document: the one model every writer reads.

Plain immutable data, no I/O and no format knowledge. A document is a list of blocks; a block is
one paragraph-like unit with a *style* (a key of the style profile's ``styles`` table: ``title``,
``body``, ``heading1`` …) and one or more spans. A span carries its own style so that a run-in
heading (``（一）发挥教育引导职能，全面贯彻党的主张。各级工会组织要……``) is one block with a
``heading2`` span followed by a ``body`` span. A ``"\\n"`` inside span text is a forced line break
(used by multi-line titles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Span:
    """A stretch of text in one style."""

    text: str
    style: str


@dataclass(frozen=True)
class Block:
    """One paragraph-like unit: a title, a heading, a body paragraph, a salutation …"""

    style: str
    spans: tuple[Span, ...]
    # Heading level (1–4) when the block is, or starts with, a numbered heading; 0 otherwise.
    level: int = 0

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    @property
    def is_heading(self) -> bool:
        return self.style.startswith("heading")


@dataclass(frozen=True)
class Table:
    """A data table (reports): caption above (“表1 …”), header row repeated on every page."""

    number: int
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    style: str = "three_line"  # or "grid"
    # Columns whose cells are numbers: right-aligned by the writers.
    numeric: tuple[bool, ...] = ()

    @property
    def label(self) -> str:
        return f"表{self.number}　{self.caption}"


@dataclass(frozen=True)
class Chart:
    """A bar or line chart drawn from table data; both writers embed the same PNG image."""

    number: int
    caption: str
    kind: str  # "bar" | "line"
    categories: tuple[str, ...]
    series: tuple[tuple[str, tuple[float, ...]], ...]
    unit: str = ""

    @property
    def label(self) -> str:
        return f"图{self.number}　{self.caption}"


@dataclass(frozen=True)
class Signoff:
    """署名 and 成文日期 (GB/T 9704 7.3.5), with an optional seal image (a user's PNG file).

    Without a seal: 署名 右空二字, the date on the next line starting two characters to the right of
    the 署名's first character (or 右空二字 when the date is longer). With a seal: the date 右空四字,
    the 署名 centred on the date, the seal centred over both.
    """

    names: tuple[str, ...]
    date: str  # already written out: 2024年1月5日
    seal: str | None = None


@dataclass(frozen=True)
class IssuerMark:
    """发文机关标志: one organ, or several for a joint document (主办机关 first)."""

    names: tuple[str, ...]
    suffix: str = "文件"


@dataclass(frozen=True)
class Header:
    """版头: 份号, 密级和保密期限, 紧急程度 (top left), the red 标志, 发文字号 and 签发人, red line."""

    copy_number: str | None = None
    secrecy: str | None = None
    urgency: str | None = None
    mark: IssuerMark | None = None
    number: str | None = None
    signers: tuple[str, ...] = ()  # 上行文: 文号 left, “签发人：” + names right


@dataclass(frozen=True)
class Colophon:
    """版记: 抄送 and 印发机关/印发日期 between separators at the foot of the last, even page."""

    cc: tuple[str, ...] = ()
    printer: str | None = None
    print_date: str | None = None  # written out: 2024年1月5日


@dataclass(frozen=True)
class Attachment:
    """An attachment printed after the body on a new page: 附件N on line 1, its title on line 3."""

    label: str  # 附件1 (or 附件 when there is only one)
    title: str
    blocks: tuple[Block, ...] = ()


Element = Block | Table | Chart | Signoff


@dataclass(frozen=True)
class Meta:
    """Document properties written into both outputs (core properties / PDF info)."""

    title: str
    author: str = ""
    subject: str = ""
    created: date | None = None
    kind: str = "speech"


@dataclass(frozen=True)
class Document:
    """The whole document: optional 版头, the body elements in order, attachments, optional 版记.

    ``blocks`` holds the 主体 in reading order: paragraph-like Blocks, and for reports Tables and
    Charts, and for notices the Signoff where the 署名/日期 stand (the 附注 block follows it).
    """

    meta: Meta
    blocks: tuple[Element, ...] = field(default_factory=tuple)
    header: Header | None = None
    attachments: tuple[Attachment, ...] = ()
    colophon: Colophon | None = None
    # Invisible characters compose removed from the user's text (bidi controls, C0 controls …),
    # one "U+202E" entry per kind, so the lint can say so; the writers never read it.
    removed: tuple[str, ...] = ()

    @property
    def paragraphs(self) -> list[Block]:
        return [element for element in self.blocks if isinstance(element, Block)]

    @property
    def text(self) -> str:
        """All body text in reading order, one paragraph per line (tables and charts left out)."""
        return "\n".join(block.text for block in self.paragraphs)

    def headings(self) -> list[Block]:
        return [block for block in self.paragraphs if block.level]
