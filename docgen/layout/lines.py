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

from dataclasses import dataclass

from docgen.cache import Bounded
from docgen.layout.kinsoku import (
    AMBIGUOUS,
    CLASSES,
    HALF_WIDTH,
    IDEOGRAPH,
    LATIN_ALNUM,
    NO_LINE_END,
    NO_LINE_START,
    atom_bounds,
)
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

    def __init__(self, char: str, style: str, font_role: str, size_pt: float, bold: bool, color: str | None,
                 advance_pt: float, full_width: bool, spacing_pt: float = 0.0) -> None:
        # Written straight into __dict__, as Glyph does: a frozen dataclass's own __init__ goes
        # through object.__setattr__ for every field, and a document makes a thousand Items.
        fields = self.__dict__
        fields["char"] = char
        fields["style"] = style
        fields["font_role"] = font_role
        fields["size_pt"] = size_pt
        fields["bold"] = bold
        fields["color"] = color
        fields["advance_pt"] = advance_pt
        fields["full_width"] = full_width
        fields["spacing_pt"] = spacing_pt


@dataclass(frozen=True)
class SetLine:
    """One line of a block before pagination: items with x offsets from the 版心's left edge."""

    items: tuple[Item, ...]
    xs: tuple[float, ...]
    last_of_block: bool
    natural_pt: float


# Items already made, per (profile value, metrics): an Item depends only on the character, the
# style, the (frozen) profile's values and the metrics' advances, and a document asks for the same
# few hundred (char, style) pairs thousands of times. Profiles are keyed by value, so the profile
# each render loads afresh finds the items of an equal one; the entries hold the metrics object,
# so its id cannot be reused while cached.
_ITEM_CACHES: dict[tuple[str, int], tuple[Profile, Metrics, dict[tuple[str, str], Item], Bounded]] = {}
_MAX_CACHES = 8
_MAX_ITEMS = 200_000
# Blocks kept, counted in glyphs (≈ 230 bytes each): ≈ 5 MB, a 35-page document; a batch of
# thousands of notices keeps the most recent ones instead of growing.
_MAX_BLOCK_GLYPHS = 20_000
_PROFILE_KEYS: dict[int, tuple[Profile, str]] = {}


def profile_key(profile: Profile) -> str:
    """A value key of a (frozen) profile: equal profiles give equal keys."""
    entry = _PROFILE_KEYS.get(id(profile))
    if entry is not None and entry[0] is profile:
        return entry[1]
    # repr lists every field's value (floats exactly) and needs no pydantic serializer; a
    # profile that is not a pydantic model (a test double) is keyed by its identity.
    value = repr(profile) if hasattr(type(profile), "model_fields") else f"id:{id(profile)}"
    key = f"{type(profile).__module__}.{type(profile).__qualname__}:{value}"
    while len(_PROFILE_KEYS) >= 16:
        del _PROFILE_KEYS[next(iter(_PROFILE_KEYS))]
    _PROFILE_KEYS[id(profile)] = (profile, key)
    return key


def _caches(profile: Profile, metrics: Metrics) -> tuple[dict[tuple[str, str], Item], Bounded]:
    key = (profile_key(profile), id(metrics))
    entry = _ITEM_CACHES.get(key)
    if entry is not None and entry[1] is metrics:
        return entry[2], entry[3]
    while len(_ITEM_CACHES) >= _MAX_CACHES:
        del _ITEM_CACHES[next(iter(_ITEM_CACHES))]
    entry = (profile, metrics, {}, Bounded())  # the profile too: an id-keyed one stays alive
    _ITEM_CACHES[key] = entry
    return entry[2], entry[3]


def _item_cache(profile: Profile, metrics: Metrics) -> dict[tuple[str, str], Item]:
    cache = _caches(profile, metrics)[0]
    if len(cache) > _MAX_ITEMS:
        cache.clear()
    return cache


def block_cache(profile: Profile, metrics: Metrics) -> Bounded:
    """Laid-out lines of blocks already set with this profile value and metrics (same validity as
    the Items: a block's lines depend only on its text, styles, the profile and the advances),
    sized in glyphs (:data:`_MAX_BLOCK_GLYPHS`)."""
    return _caches(profile, metrics)[1]


def keep_block_lines(cache: Bounded, block: Block, lines: list) -> None:
    cache.put(block, lines, sum(len(line.glyphs) for line in lines), _MAX_BLOCK_GLYPHS)


def clear_item_cache() -> None:
    """Forget every cached Item and block (a test that changes a metrics object in place)."""
    _ITEM_CACHES.clear()
    _PROFILE_KEYS.clear()


def make_item(char: str, style_name: str, profile: Profile, metrics: Metrics) -> Item:
    cache = _item_cache(profile, metrics)
    item = cache.get((char, style_name))
    if item is None:
        item = cache[(char, style_name)] = _make_item(char, style_name, profile, metrics)
    return item


def _make_item(char: str, style_name: str, profile: Profile, metrics: Metrics) -> Item:
    spec = profile.style(style_name)
    size = spec.size
    spacing = profile.spacing_for(size)
    if CLASSES[char] & HALF_WIDTH:
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
            or bool((CLASSES[left.char] ^ CLASSES[right.char]) & AMBIGUOUS))


def _ambiguous(char: str) -> bool:
    return bool(CLASSES[char] & AMBIGUOUS)


def autospace_pt(left: Item, right: Item) -> float:
    """Extra space between two adjacent characters, as LibreOffice sets them:
    - autospace between a Han character and a Latin letter or digit (0.2 em);
    - the last character of a text portion does not get the run's character spacing (measured:
      “〕3” and “4〕” in a 3号 文号 sit 0.25 pt wider apart than the spacing says; a 3号 line with
      four quote runs holds one character less), so a portion break gives the spacing back."""
    lc = CLASSES[left.char]
    rc = CLASSES[right.char]
    gap = 0.0
    if (lc & IDEOGRAPH and rc & LATIN_ALNUM) or (lc & LATIN_ALNUM and rc & IDEOGRAPH):
        gap += AUTOSPACE_EM * max(left.size_pt, right.size_pt)
    if (left.style != right.style or left.full_width != right.full_width
            or (lc ^ rc) & AMBIGUOUS):  # portion_break
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


def line_advances(text: str, style_name: str, profile: Profile, metrics: Metrics) -> tuple[list[float], list[float]]:
    """Each character's advance and the gap before it (autospace, portion ends) for ``text`` set
    on one line in ``style_name``: what :func:`set_block` adds up for a line's natural width.
    Callers that try many candidate lines (the title breaker) sum slices of these."""
    cache = _item_cache(profile, metrics)
    items = [cache.get((char, style_name)) or make_item(char, style_name, profile, metrics) for char in text]
    advances = [item.advance_pt for item in items]
    gaps = [0.0] + [autospace_pt(items[index - 1], items[index]) for index in range(1, len(items))]
    return advances, gaps


def line_width_pt(text: str, style_name: str, profile: Profile, metrics: Metrics) -> float:
    """Natural width of ``text`` set on one line in ``style_name`` (as :func:`set_block` measures
    a line that ends a paragraph or a forced-break segment)."""
    if not text:
        return 0.0
    advances, gaps = line_advances(text, style_name, profile, metrics)
    spacing = make_item(text[-1], style_name, profile, metrics).spacing_pt
    return sum(advances) + sum(gaps) - spacing


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
    line_align = align or spec.align
    cache = _item_cache(profile, metrics)
    lines: list[SetLine] = []
    first = True
    segments = block_segments(block)
    for seg_index, segment in enumerate(segments):
        items = [cache.get(pair) or make_item(pair[0], pair[1], profile, metrics) for pair in segment]
        last_segment = seg_index == len(segments) - 1
        if not items:
            # An empty paragraph or an empty line between forced breaks still takes a line.
            lines.append(SetLine((), (), last_segment, 0.0))
            first = False
            continue
        # Every advance and every gap between neighbours (autospace, portion ends) once; the
        # widths below add them in the same order as a character-by-character walk would.
        advances = [item.advance_pt for item in items]
        gaps = [0.0]
        gaps += [autospace_pt(items[index - 1], items[index]) for index in range(1, len(items))]
        bounds = atom_bounds("".join(pair[0] for pair in segment))
        # (A one-character atom's width is its advance: 0.0 + advance.)
        widths = [advances[a] if b - a == 1 else _span_width(advances, gaps, a, b) for a, b in bounds]
        start_atom = 0
        while start_atom < len(bounds):
            left = indent if first else 0.0
            measure = full_measure - left
            end_atom = _fill(items, bounds, widths, gaps, start_atom, measure)
            a, b = bounds[start_atom][0], bounds[end_atom - 1][1]
            if end_atom == start_atom:  # one atom wider than the line: split it by characters
                a, end = bounds[start_atom]
                b = _split_point(advances, gaps, a, end, measure)
                bounds[start_atom:start_atom + 1] = [(a, b), (b, end)]
                widths[start_atom:start_atom + 1] = [_span_width(advances, gaps, a, b),
                                                     _span_width(advances, gaps, b, end)]
                end_atom = start_atom + 1
            is_last = end_atom == len(bounds)
            xs, natural = _place_span(items, advances, gaps, a, b, measure, line_align,
                                      justify=not is_last, offset=side_left + left, ends_portion=is_last)
            lines.append(SetLine(tuple(items[a:b]), tuple(xs), is_last and last_segment, natural))
            start_atom = end_atom
            first = False
    return lines


def _span_width(advances: list[float], gaps: list[float], a: int, b: int) -> float:
    """Natural width of items a..b-1: each advance, and the gap before each but the first."""
    width = 0.0
    for index in range(a, b):
        if index > a:
            width += gaps[index]
        width += advances[index]
    return width


def _fill(items: list[Item], bounds: list[tuple[int, int]], widths: list[float], gaps: list[float],
          start: int, measure: float) -> int:
    """Index of the first atom of the next line (== start when not even one atom fits).
    ``widths``: each atom's natural width; ``gaps``: the gap before each item."""
    width = 0.0
    k = start
    count = len(bounds)
    while k < count:
        add = widths[k]
        if k > start:
            add += gaps[bounds[k][0]]
        if width + add > measure + 1e-6:
            break
        width += add
        k += 1
    if k == count:
        return k
    if k == start:
        return start
    # Push down: move the break back until it is allowed (the next line may not start with a
    # closing mark, this one may not end with an opening mark).
    m = k
    while m > start and (items[bounds[m - 1][1] - 1].char in NO_LINE_END
                         or items[bounds[m][0]].char in NO_LINE_START):
        m -= 1
    return m if m > start else k


def _split_point(advances: list[float], gaps: list[float], a: int, b: int, measure: float) -> int:
    end = a + 1
    while end < b and _span_width(advances, gaps, a, end + 1) <= measure + 1e-6:
        end += 1
    return end


def _place_span(items: list[Item], advances: list[float], gaps: list[float], a: int, b: int,
                measure: float, align: str, justify: bool, offset: float,
                ends_portion: bool = False) -> tuple[list[float], float]:
    """x of items a..b-1 of a segment (from the 版心's left edge) and the line's natural width.
    The last character of a paragraph (or before a forced break) ends a portion: no spacing
    after it. ``advances``/``gaps``: each item's advance and the gap before it."""
    natural = _span_width(advances, gaps, a, b)
    if ends_portion and b > a:
        natural -= items[b - 1].spacing_pt
    slack = max(0.0, measure - natural)
    extra = 0.0
    start = offset
    if align == "justify" and justify:
        # The leftover goes after each full-width character but the line's last one, so the
        # line ends flush on the 版心 edge; nothing when that is under a twip a gap (a natural
        # 28-cell line, 1.2 pt short of the 版心, stays at the cell pitch as in LibreOffice).
        spread = len([None for index in range(a, b - 1) if items[index].full_width])
        if spread:
            extra = slack / spread
            if extra * TWIPS_PER_PT < 1:
                extra = 0.0
    elif align == "center":
        start += slack / 2
    elif align == "right":
        start += slack
    xs = []
    x = start
    last = b - 1
    for index in range(a, b):
        if index > a:
            x += gaps[index]
        xs.append(x)
        x += advances[index]
        if index < last and items[index].full_width:
            x += extra
    return xs, natural
