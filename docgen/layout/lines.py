"""Chinese line breaking on the 22 × 28 grid, the way LibreOffice (and Word with kinsoku on and
hanging punctuation off) breaks docgen's .docx. Measured rules: docgen/layout/README.md.

- Full-width characters at grid size advance exactly one cell (``profile.cell_pt``, 15.75 pt);
  other sizes advance their size. Half-width characters advance their Latin-face width plus the
  run's character spacing. Word/LibreOffice autospace puts a gap between a Han character and an
  adjacent Latin letter or digit.
- A line takes atoms (one character, a whole Latin run such as ``25.5%``, a whole ``——``) while
  they fit in the measure (版心 width minus the first-line indent). When the next atom does not fit,
  the break moves back until the next line does not start with a 禁则 mark and this line does not
  end with an opening mark ("push down", no compression, no hanging).
- Justified lines (all but a paragraph's last and lines before a forced break) are spread: the
  leftover width is divided between the full-width characters and added after each but the
  line's last one, so the line ends flush (nothing when that is under one twip a gap, as in
  LibreOffice, which leaves a natural 28-cell line 1.2 pt short of the 版心 edge).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from docgen.layout.kinsoku import atoms, is_half_width, is_ideograph, is_latin_alnum, may_break_between
from docgen.layout.metrics import Metrics
from docgen.model import Block
from docgen.style.profile import Profile, mm_to_pt

# Autospace between Han characters and Latin letters/digits (Word's autoSpaceDE/DN, on by
# default; LibreOffice applies it even when the .docx switches it off): 0.2 em of the larger size
# (measured in LibreOffice 7.4: 4.40 pt at 22 pt, 3.2 pt + the exempt spacing below at 16 pt).
AUTOSPACE_EM = 0.2

TWIPS_PER_PT = 20

# Styles whose digits and Latin letters stay in the style's own face (the .docx writer's
# DIGITS_IN_STYLE_FONT): GB/T 9704 7.5 asks for 宋体 page-number digits.
DIGITS_IN_STYLE_FONT = frozenset({"page_number"})


@dataclass(frozen=True)
class Item:
    """One character with everything the layout needs to place it."""

    char: str
    style: str
    font_role: str
    size_pt: float
    bold: bool
    color: str | None
    advance_pt: float  # natural advance + the run's character spacing
    full_width: bool
    spacing_pt: float = 0.0  # the run's character spacing (−0.25 pt at grid size)


@dataclass(frozen=True)
class SetLine:
    """One line of a block before pagination: items with x offsets from the 版心's left edge."""

    items: tuple[Item, ...]
    xs: tuple[float, ...]
    last_of_block: bool
    natural_pt: float


def make_item(char: str, style_name: str, profile: Profile, metrics: Metrics) -> Item:
    spec = profile.style(style_name)
    size = spec.size
    spacing = profile.spacing_for(size)
    if is_half_width(char):
        role = spec.font if style_name in DIGITS_IN_STYLE_FONT else "latin"
        advance = role_advance_em(metrics, role, char) * size + spacing
        full = False
    elif _ambiguous(char):
        # “”‘’—…· take the CJK face (the .docx names it in every slot of their run) at the
        # face's own advance: Noto Serif CJK's · is 0.33 em, its — 0.89 em (LibreOffice measured).
        role = spec.font
        try:
            advance = role_advance_em(metrics, role, char) * size + spacing
        except Exception:  # noqa: BLE001 - no face has it: the writer reports every such character
            advance = profile.cell_pt if size == profile.grid_size_pt else size + spacing
        full = True
    else:
        role = spec.font
        # Grid-size full-width type advances exactly one cell whatever the face says.
        advance = profile.cell_pt if size == profile.grid_size_pt else size + spacing
        full = True
    return Item(char, style_name, role, size, spec.bold, style_color(profile, spec.color), advance, full, spacing)


def style_color(profile: Profile, color: str | None) -> str | None:
    """A style's colour as "#RRGGBB": the profile's named colours (``red``) resolved."""
    if color is None:
        return None
    named = getattr(profile.colors, color, None)
    return named if isinstance(named, str) else color


def role_advance_em(metrics: Metrics, role: str, char: str) -> float:
    """Advance in the face that draws ``char`` for ``role``. The layout already sends Latin
    characters to the "latin" role, so a FontSet is told not to re-route a CJK role's ASCII
    (page-number digits stay 宋体)."""
    if role != "latin":
        try:
            return metrics.advance_em(role, char, latin=False)  # type: ignore[call-arg]
        except TypeError:
            pass
    return metrics.advance_em(role, char)


def portion_break(left: Item, right: Item) -> bool:
    """Whether LibreOffice starts a new text portion between two characters: a change of run
    (style, or the separate run the .docx gives ambiguous-width marks “”‘’—…) or of script
    (Latin half-width vs CJK)."""
    return (left.style != right.style or left.full_width != right.full_width
            or _ambiguous(left.char) != _ambiguous(right.char))


def _ambiguous(char: str) -> bool:
    return unicodedata.east_asian_width(char) == "A"


def autospace_pt(left: Item, right: Item) -> float:
    """Extra space between two adjacent characters, as LibreOffice sets them:
    - autospace between a Han character and a Latin letter or digit (0.2 em);
    - the last character of a text portion does not get the run's character spacing (measured:
      “〕3” and “4〕” in a 3号 文号 sit 0.25 pt wider apart than the spacing says; a 3号 line with
      four quote runs holds one character less), so a portion break gives the spacing back."""
    gap = 0.0
    if (is_ideograph(left.char) and is_latin_alnum(right.char)) or (
        is_latin_alnum(left.char) and is_ideograph(right.char)
    ):
        gap += AUTOSPACE_EM * max(left.size_pt, right.size_pt)
    if portion_break(left, right):
        gap -= left.spacing_pt
    return gap


def measure_pt(profile: Profile) -> float:
    """Line width: the 版心 width as a whole number of twips (LibreOffice lays out in twips)."""
    return round(mm_to_pt(profile.page.type_width_mm) * TWIPS_PER_PT) / TWIPS_PER_PT


def indent_pt(profile: Profile, style_name: str) -> float:
    """First-line indent: the .docx writes indent_chars × the grid size (2 × 16 pt = 640 twips)."""
    return profile.style(style_name).indent_chars * profile.grid_size_pt


def side_indents_pt(profile: Profile, style_name: str) -> tuple[float, float]:
    """(left, right) paragraph indents, in characters of the grid size like the first-line one."""
    spec = profile.style(style_name)
    return spec.left_indent_chars * profile.grid_size_pt, spec.right_indent_chars * profile.grid_size_pt


def block_segments(block: Block) -> list[list[tuple[str, str]]]:
    """(char, style) pairs of the block, cut at forced line breaks ("\\n")."""
    segments: list[list[tuple[str, str]]] = [[]]
    for span in block.spans:
        for char in span.text:
            if char == "\n":
                segments.append([])
            elif char != "\r":
                segments[-1].append((char, span.style))
    return segments


def set_block(block: Block, profile: Profile, metrics: Metrics, *, width_pt: float | None = None,
              align: str | None = None, left_indent_pt: float | None = None,
              first_indent_pt: float | None = None) -> list[SetLine]:
    """Break one block into lines and place every character horizontally: in the 版心, or in
    ``width_pt`` (a table cell's text area), x measured from its left edge. Indents default to the
    style's; ``first_indent_pt`` is relative to the left indent (negative: hanging)."""
    spec = profile.style(block.style)
    side_left, side_right = side_indents_pt(profile, block.style)
    if left_indent_pt is not None:
        side_left = left_indent_pt
    full_measure = (measure_pt(profile) if width_pt is None else width_pt) - side_left - side_right
    indent = indent_pt(profile, block.style) if first_indent_pt is None else first_indent_pt
    lines: list[SetLine] = []
    first = True
    segments = block_segments(block)
    for seg_index, segment in enumerate(segments):
        items = [make_item(char, style, profile, metrics) for char, style in segment]
        last_segment = seg_index == len(segments) - 1
        if not items:
            # An empty paragraph or an empty line between forced breaks still takes a line.
            lines.append(SetLine((), (), last_segment, 0.0))
            first = False
            continue
        text = "".join(item.char for item in items)
        bounds = _atom_bounds(text)
        start_atom = 0
        while start_atom < len(bounds):
            left = indent if first else 0.0
            measure = full_measure - left
            end_atom = _fill(items, bounds, start_atom, measure)
            a, b = bounds[start_atom][0], bounds[end_atom - 1][1]
            if end_atom == start_atom:  # one atom wider than the line: split it by characters
                a = bounds[start_atom][0]
                b = _split_point(items, a, bounds[start_atom][1], measure)
                bounds[start_atom:start_atom + 1] = [(a, b), (b, bounds[start_atom][1])]
                end_atom = start_atom + 1
            line_items = items[a:b]
            is_last = end_atom == len(bounds)
            xs, natural = _place(line_items, measure, align or spec.align,
                                 justify=not is_last, offset=side_left + left, ends_portion=is_last)
            lines.append(SetLine(tuple(line_items), tuple(xs), is_last and last_segment, natural))
            start_atom = end_atom
            first = False
    return lines


def _atom_bounds(text: str) -> list[tuple[int, int]]:
    bounds, index = [], 0
    for atom in atoms(text):
        bounds.append((index, index + len(atom)))
        index += len(atom)
    return bounds


def _width(items: list[Item], a: int, b: int) -> float:
    width = 0.0
    for index in range(a, b):
        if index > a:
            width += autospace_pt(items[index - 1], items[index])
        width += items[index].advance_pt
    return width


def _fill(items: list[Item], bounds: list[tuple[int, int]], start: int, measure: float) -> int:
    """Index of the first atom of the next line (== start when not even one atom fits)."""
    text_of = lambda k: "".join(item.char for item in items[bounds[k][0]:bounds[k][1]])  # noqa: E731
    width = 0.0
    k = start
    while k < len(bounds):
        a, b = bounds[k]
        add = _width(items, a, b)
        if k > start:
            add += autospace_pt(items[a - 1], items[a])
        if width + add > measure + 1e-6:
            break
        width += add
        k += 1
    if k == len(bounds):
        return k
    if k == start:
        return start
    # Push down: move the break back until it is allowed (the next line may not start with a
    # closing mark, this one may not end with an opening mark).
    m = k
    while m > start and not may_break_between(text_of(m - 1), text_of(m)):
        m -= 1
    return m if m > start else k


def _split_point(items: list[Item], a: int, b: int, measure: float) -> int:
    end = a + 1
    while end < b and _width(items, a, end + 1) <= measure + 1e-6:
        end += 1
    return end


def _place(items: list[Item], measure: float, align: str, justify: bool,
           offset: float, ends_portion: bool = False) -> tuple[list[float], float]:
    """x of each item (from the 版心's left edge) and the line's natural width. The last
    character of a paragraph (or before a forced break) ends a portion: no spacing after it."""
    natural = _width(items, 0, len(items))
    if ends_portion and items:
        natural -= items[-1].spacing_pt
    slack = max(0.0, measure - natural)
    extra = 0.0
    start = offset
    if align == "justify" and justify:
        # The leftover goes after each full-width character but the line's last one, so the
        # line ends flush on the 版心 edge; nothing when that is under a twip a gap (a natural
        # 28-cell line, 1.2 pt short of the 版心, stays at the cell pitch as in LibreOffice).
        gaps = sum(1 for item in items[:-1] if item.full_width)
        if gaps:
            extra = slack / gaps
            if extra * TWIPS_PER_PT < 1:
                extra = 0.0
    elif align == "center":
        start += slack / 2
    elif align == "right":
        start += slack
    xs = []
    x = start
    for index, item in enumerate(items):
        if index:
            x += autospace_pt(items[index - 1], item)
        xs.append(x)
        x += item.advance_pt
        if item.full_width and index < len(items) - 1:
            x += extra
    return xs, natural
