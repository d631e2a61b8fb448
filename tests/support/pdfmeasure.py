"""Measure a rendered PDF page as a typesetter would: text lines, their extents, the page number.

Used by the end-to-end tests of both outputs (LibreOffice's render of the .docx, and the native
PDF writer) to check GB/T 9704 geometry — 22 lines × 28 字, 版心 edges, page-number position — on
the file itself rather than on the settings that should produce it.

Coordinates are PDF points measured from the **top-left** of the page (pdfplumber's convention).
Besides text: :func:`read_rules` (horizontal rules with thickness and colour — separators, table
rules), :func:`read_pictures` (image boxes) and :func:`red_ink_box` (where red is printed, from a
pdfium render — the 标志 measured on its glyphs). Glyphs carry their fill colour.

Typical use::

    area = TypeArea.from_profile(profile)
    for page in read_pages(pdf_path):
        lines = page.lines_in(area)            # text lines inside the 版心
        number = page.page_number_line(area)   # the line below the 版心, if any
        print(page.number, len(lines), [line.units for line in lines])
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import Path

MM_PER_PT = 25.4 / 72

# The ideographic em box of CJK fonts (Noto CJK, and the GB fonts' metrics) spans 0.88 em above
# the baseline and 0.12 em below it. pdfplumber's char top/bottom come from the font's *ascent
# and descent* (1.16/0.29 em for Noto), which sit well outside the visible type, so line tops
# here are computed from the baseline instead.
EM_ASCENT = 0.88
EM_DESCENT = 0.12


def mm(pt: float) -> float:
    return pt * MM_PER_PT


def pt(millimetres: float) -> float:
    return millimetres / MM_PER_PT


def char_units(ch: str, ambiguous_full: bool = True) -> float:
    """Width of one character in full-width units: CJK and full-width forms 1, half-width
    (ASCII letters, digits, spaces) 0.5. Ambiguous-width marks (“”‘’—…·) count as full width by
    default, as Chinese fonts set them (docgen writes w:hint="eastAsia" for exactly this reason)."""
    width = unicodedata.east_asian_width(ch)
    if width in ("F", "W") or (width == "A" and ambiguous_full):
        return 1.0
    return 0.5


def full_width_units(text: str, ambiguous_full: bool = True) -> float:
    """How many grid cells ``text`` fills: ``"2023年召开"`` → 2 + 3 = 5.0."""
    return sum(char_units(ch, ambiguous_full) for ch in text)


def base_font(name: str) -> str:
    """Font name without the subset tag: ``"BAAAAA+NotoSerifCJKjp-Regular"`` → ``"NotoSerifCJKjp-Regular"``."""
    prefix, plus, rest = name.partition("+")
    return rest if plus and len(prefix) == 6 and prefix.isupper() else name


@dataclass(frozen=True)
class TypeArea:
    """The 版心 in points from the page's top-left corner."""

    left: float
    top: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.left + self.width

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @classmethod
    def from_mm(cls, left: float, top: float, width: float, height: float) -> TypeArea:
        return cls(pt(left), pt(top), pt(width), pt(height))

    @classmethod
    def from_profile(cls, profile) -> TypeArea:
        """From a docgen style profile (``docgen.style.Profile``)."""
        page = profile.page
        return cls.from_mm(page.margin_left_mm, page.margin_top_mm, page.type_width_mm,
                           page.type_height_mm)


@dataclass(frozen=True)
class Glyph:
    text: str
    x0: float
    x1: float
    baseline: float
    size: float
    font: str  # without subset tag
    color: tuple[float, ...] = ()  # fill colour (DeviceRGB components)


@dataclass(frozen=True)
class Line:
    """Glyphs sharing one baseline, left to right."""

    glyphs: tuple[Glyph, ...]

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    @property
    def x0(self) -> float:
        return min(g.x0 for g in self.glyphs)

    @property
    def x1(self) -> float:
        return max(g.x1 for g in self.glyphs)

    @property
    def baseline(self) -> float:
        return max(g.baseline for g in self.glyphs)

    @property
    def size(self) -> float:
        """The largest type size on the line."""
        return max(g.size for g in self.glyphs)

    @property
    def top(self) -> float:
        """Top of the ideographic em box of the line's largest type."""
        return self.baseline - EM_ASCENT * self.size

    @property
    def bottom(self) -> float:
        return self.baseline + EM_DESCENT * self.size

    @property
    def fonts(self) -> frozenset[str]:
        return frozenset(g.font for g in self.glyphs)

    @property
    def units(self) -> float:
        """Full-width units on the line (whitespace glyphs included as half-width)."""
        return full_width_units(self.text)

    def describe(self) -> str:
        return (f"{self.units:5.1f}字 x {mm(self.x0):6.1f}–{mm(self.x1):6.1f} mm "
                f"top {mm(self.top):6.1f} mm  {self.text}")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    width: float
    height: float
    lines: tuple[Line, ...]

    def lines_in(self, area: TypeArea, slack: float = 2.0) -> list[Line]:
        """Lines whose em box lies inside the 版心 vertically (± ``slack`` pt)."""
        return [ln for ln in self.lines
                if ln.top >= area.top - slack and ln.bottom <= area.bottom + slack]

    def page_number_line(self, area: TypeArea, slack: float = 2.0) -> Line | None:
        """The first line below the 版心 (GB/T 9704 puts only the page number there)."""
        below = [ln for ln in self.lines if ln.bottom > area.bottom + slack]
        return below[0] if below else None


@dataclass(frozen=True)
class PageNumberPosition:
    """Where a page number sits relative to the 版心, in millimetres."""

    text: str
    from_left_mm: float  # line start − 版心 left edge
    from_right_mm: float  # 版心 right edge − line end
    below_type_mm: float  # em-box top − 版心 bottom edge
    size: float

    @classmethod
    def of(cls, line: Line, area: TypeArea) -> PageNumberPosition:
        return cls(line.text, mm(line.x0 - area.left), mm(area.right - line.x1),
                   mm(line.top - area.bottom), line.size)


def group_lines(chars: list[dict], tolerance: float = 1.0) -> list[Line]:
    """pdfplumber chars → lines: upright glyphs clustered by baseline, top to bottom."""
    glyphs = []
    for ch in chars:
        if not ch.get("upright", True) or not ch["text"].strip():
            continue
        matrix = ch.get("matrix")
        # The text matrix's f is the baseline in PDF space (bottom-up).
        baseline = ch["page_height"] - matrix[5] if matrix else ch["bottom"]
        glyphs.append(Glyph(ch["text"], ch["x0"], ch["x1"], baseline, round(ch["size"], 2),
                            base_font(ch["fontname"]), _color(ch.get("non_stroking_color"))))
    glyphs.sort(key=lambda g: (g.baseline, g.x0))
    lines: list[list[Glyph]] = []
    for glyph in glyphs:
        if lines and abs(lines[-1][-1].baseline - glyph.baseline) <= tolerance:
            lines[-1].append(glyph)
        else:
            lines.append([glyph])
    return [Line(tuple(sorted(group, key=lambda g: g.x0))) for group in lines]


def read_pages(pdf_path: str | Path) -> list[Page]:
    """Every page of a PDF as text lines."""
    import pdfplumber

    pages = []
    with pdfplumber.open(str(pdf_path)) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            chars = [dict(ch, page_height=page.height) for ch in page.chars]
            pages.append(Page(index, float(page.width), float(page.height), tuple(group_lines(chars))))
    return pages


def line_pitches(lines: list[Line]) -> list[float]:
    """Distances between consecutive baselines."""
    return [b.baseline - a.baseline for a, b in zip(lines, lines[1:])]


# --- rules, pictures and coloured ink ---------------------------------------------------------------
@dataclass(frozen=True)
class Rule:
    """A horizontal rule (a stroked line or a thin filled rectangle), in points from the top-left."""

    x0: float
    x1: float
    y: float  # centre line
    thickness: float
    color: tuple[float, ...]

    @property
    def top(self) -> float:
        return self.y - self.thickness / 2

    @property
    def bottom(self) -> float:
        return self.y + self.thickness / 2

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def is_red(self) -> bool:
        return is_red(self.color)

    def describe(self) -> str:
        return (f"rule {mm(self.x0):6.1f}–{mm(self.x1):6.1f} mm at {mm(self.y):6.2f} mm, "
                f"{mm(self.thickness):.3f} mm thick, colour {self.color}")


def is_red(color) -> bool:
    """A pure-ish red in DeviceRGB (the 标志, the separator): R high, G and B low."""
    return bool(color) and len(color) == 3 and color[0] > 0.7 and color[1] < 0.35 and color[2] < 0.35


def _color(value) -> tuple[float, ...]:
    if value is None:
        return ()
    if isinstance(value, (int, float)):
        return (float(value),) * 3
    return tuple(float(v) for v in value)


def read_rules(pdf_path: str | Path, min_width: float = 20.0) -> dict[int, list[Rule]]:
    """Horizontal rules on every page (page number → rules top to bottom). LibreOffice strokes
    paragraph and table borders as lines, sometimes twice at the same place: duplicates are merged."""
    import pdfplumber

    result: dict[int, list[Rule]] = {}
    with pdfplumber.open(str(pdf_path)) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            rules: list[Rule] = []
            for line in page.lines:
                if abs(line["top"] - line["bottom"]) < 0.1 and line["x1"] - line["x0"] >= min_width:
                    rules.append(Rule(line["x0"], line["x1"], line["top"], float(line["linewidth"]),
                                      _color(line.get("stroking_color"))))
            for rect in page.rects:
                height = rect["bottom"] - rect["top"]
                if height < 3 and rect["x1"] - rect["x0"] >= min_width and rect.get("fill"):
                    rules.append(Rule(rect["x0"], rect["x1"], (rect["top"] + rect["bottom"]) / 2, height,
                                      _color(rect.get("non_stroking_color"))))
            unique: list[Rule] = []
            for rule in sorted(rules, key=lambda r: (r.y, r.x0)):
                if not any(abs(rule.y - u.y) < 0.2 and abs(rule.x0 - u.x0) < 0.5 and abs(rule.x1 - u.x1) < 0.5
                           for u in unique):
                    unique.append(rule)
            result[index] = unique
    return result


@dataclass(frozen=True)
class Picture:
    """An image drawn on a page, its box in points from the top-left."""

    x0: float
    x1: float
    top: float
    bottom: float
    pixels: tuple[int, int]

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2


def read_pictures(pdf_path: str | Path) -> dict[int, list[Picture]]:
    import pdfplumber

    result: dict[int, list[Picture]] = {}
    with pdfplumber.open(str(pdf_path)) as pdf:
        for index, page in enumerate(pdf.pages, start=1):
            result[index] = [Picture(im["x0"], im["x1"], im["top"], im["bottom"], tuple(im["srcsize"]))
                             for im in page.images]
    return result


@dataclass(frozen=True)
class InkBox:
    """The bounding box of the pixels of one colour, in points from the top-left."""

    x0: float
    x1: float
    top: float
    bottom: float

    @property
    def center_x(self) -> float:
        return (self.x0 + self.x1) / 2


def red_ink_box(pdf_path: str | Path, page_number: int, *, above: float | None = None,
                dpi: int = 200) -> InkBox | None:
    """Where red is actually printed on a page (rendered with pdfium): the 标志's glyphs measured
    as a reader with a ruler would, independent of font metrics. ``above`` limits the search to the
    part of the page above that y (points), e.g. above the red separator."""
    import numpy
    import pypdfium2

    document = pypdfium2.PdfDocument(str(pdf_path))
    try:
        bitmap = document[page_number - 1].render(scale=dpi / 72)
        pixels = numpy.asarray(bitmap.to_pil().convert("RGB")).astype(int)
    finally:
        document.close()
    scale = dpi / 72
    if above is not None:
        pixels = pixels[: int(above * scale)]
    red = (pixels[..., 0] > 180) & (pixels[..., 1] < 110) & (pixels[..., 2] < 110)
    rows, cols = numpy.nonzero(red)
    if not len(rows):
        return None
    return InkBox(cols.min() / scale, (cols.max() + 1) / scale, rows.min() / scale, (rows.max() + 1) / scale)
