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
class Meta:
    """Document properties written into both outputs (core properties / PDF info)."""

    title: str
    author: str = ""
    subject: str = ""
    created: date | None = None
    kind: str = "speech"


@dataclass(frozen=True)
class Document:
    meta: Meta
    blocks: tuple[Block, ...] = field(default_factory=tuple)

    @property
    def text(self) -> str:
        """All visible text in reading order, one block per line."""
        return "\n".join(block.text for block in self.blocks)

    def headings(self) -> list[Block]:
        return [block for block in self.blocks if block.level]
