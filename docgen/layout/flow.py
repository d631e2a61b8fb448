"""The vertical flow: pieces of fixed height stacked down the 版心, page after page.

Everything the body holds becomes :class:`Piece` objects — one per text line, one per table row,
one per picture — whose contents are positioned relative to the piece's top. The paginator stacks
them the way LibreOffice stacks docgen's .docx (measured, docgen/layout/README.md):

- a piece that does not fit below the last one goes to the next page;
- ``space_before_pt`` is kept at the start of the document and after other content, and dropped
  at the top of a later page;
- a run of ``keep_with_next`` pieces plus the piece after it moves to a new page rather than end
  one (unless the run is taller than a page);
- ``new_page`` pieces start a page (附件, 版记);
- ``repeat`` pieces (a table's header row) are placed first when their piece starts a page in the
  middle of its table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.layout.boxes import Line, Picture, Rule, VRule

# LibreOffice lays out in twips; a piece may overshoot the 版心 by rounding.
FIT_EPSILON_PT = 0.05


@dataclass(frozen=True)
class Piece:
    height_pt: float
    lines: tuple[Line, ...] = ()  # top/baseline relative to the piece's top
    rules: tuple[Rule | VRule, ...] = ()
    pictures: tuple[Picture, ...] = ()
    space_before_pt: float = 0.0
    keep_with_next: bool = False
    new_page: bool = False
    # Pieces placed before this one when it opens a page (a table's repeated header row).
    repeat: tuple[Piece, ...] = ()
    # Pieces with the same non-empty group continue one element (a table): ``repeat`` applies only
    # when the previous piece of the page break belonged to the same group.
    group: int = -1
    # Rules added under this piece when the next piece of its group moves to the next page.
    split_rules: tuple[Rule | VRule, ...] = ()


@dataclass
class FlowPage:
    lines: list[Line] = field(default_factory=list)
    rules: list[Rule | VRule] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    used_pt: float = 0.0  # height taken, from the 版心 top
    started: bool = False  # anything placed (a zero-height piece counts)


def paginate(pieces: list[Piece], top_pt: float, height_pt: float,
             first_used_pt: float = 0.0) -> list[FlowPage]:
    """Stack ``pieces`` on pages whose 版心 starts at ``top_pt`` and is ``height_pt`` high.
    ``first_used_pt`` is what the first page already holds (the 版头)."""
    pages = [FlowPage(used_pt=first_used_pt, started=first_used_pt > 0)]
    document_start = True
    previous: Piece | None = None

    def place(piece: Piece, y: float) -> None:
        page = pages[-1]
        page.lines.extend(line.moved(top_pt + y) for line in piece.lines)
        page.rules.extend(rule.moved(top_pt + y) for rule in piece.rules)
        page.pictures.extend(picture.moved(top_pt + y) for picture in piece.pictures)
        page.used_pt = y + piece.height_pt
        page.started = True

    def open_page(continuing: Piece) -> None:
        same_group = previous is not None and previous.group == continuing.group >= 0
        if same_group and previous.split_rules:
            page = pages[-1]
            bottom = page.used_pt - previous.height_pt
            page.rules.extend(rule.moved(top_pt + bottom) for rule in previous.split_rules)
        pages.append(FlowPage())
        if same_group and continuing.repeat:
            for header in continuing.repeat:
                place(header, pages[-1].used_pt)

    for index, piece in enumerate(pieces):
        page = pages[-1]
        if piece.new_page and page.started:
            open_page(piece)
            page = pages[-1]
        at_top = not page.started
        space = piece.space_before_pt if (not at_top or document_start) else 0.0
        y = page.used_pt + space
        if piece.keep_with_next and page.started:
            need = space + _chain_height(pieces, index)
            if page.used_pt + need > height_pt + FIT_EPSILON_PT and need - space <= height_pt:
                open_page(piece)
                page, space = pages[-1], 0.0
                y = page.used_pt
        if y + piece.height_pt > height_pt + FIT_EPSILON_PT and page.started:
            open_page(piece)
            page = pages[-1]
            y = page.used_pt
        place(piece, y)
        document_start = False
        previous = piece
    return pages


def _chain_height(pieces: list[Piece], index: int) -> float:
    """Height of the keep-with-next run starting at ``index`` plus the piece that ends it."""
    need = 0.0
    k = index
    while k < len(pieces):
        piece = pieces[k]
        if k > index:
            need += piece.space_before_pt
        need += piece.height_pt
        if not piece.keep_with_next or k + 1 == len(pieces) or pieces[k + 1].new_page:
            break
        k += 1
    return need
