"""Document + style profile → PDF, drawn glyph by glyph from :mod:`docgen.layout`.

The layout decides every line, rule and picture and where it goes; this module only draws them
(reportlab canvas, never platypus, so nothing re-breaks lines): pictures under the text, the
lines, the rules (filled rectangles of the exact thickness), then pictures that press on the text
(the seal) and the page number. Fonts come from a FontSet (:mod:`docgen.fonts`):
``advance_em(role, char)`` for the layout and ``face_for(role, char)`` for the registered
reportlab face that draws a character (the role's face, the Latin face, or a fallback). Every
face is embedded as a TrueType subset; the canvas starts in an embedded face so no unembedded
Helvetica is listed. The same input gives the same bytes (invariant mode, fixed dates and ID).
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import threading
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, BinaryIO

from docgen.cache import Bounded
from docgen.errors import FontError, Problem
from docgen.layout import Line, Page, layout_document
from docgen.layout.boxes import Picture, Rule, VRule
from docgen.model import Document
from docgen.style.profile import Profile, mm_to_pt

TOLERANCE_PT = 1e-4


def write_pdf(document: Document, profile: Profile, target: str | Path | BinaryIO,
              fontset: Any = None) -> list[Page]:
    """Lay out ``document`` with ``profile`` and write it as PDF to a path or binary file object.

    Returns the laid-out pages (for reports and tests). Raises :class:`FontError` listing every
    character no font can draw, with its page and line, before anything is written."""
    if fontset is None:
        fontset = default_fontset(profile)
    pages = layout_document(document, profile, fontset)
    faces = resolve_faces(pages, fontset, document)
    data = render(document, profile, pages, faces)
    _write(target, data)
    return pages


def default_fontset(profile: Profile):
    """The FontSet for ``profile`` from :mod:`docgen.fonts` (roles resolved, faces registered)."""
    from docgen.fonts import load_fontset

    return load_fontset(profile)


# --- fonts ----------------------------------------------------------------------------------------
def _face_name(face: Any) -> str:
    if isinstance(face, str):
        return face
    for attribute in ("reportlab_name", "font_name", "fontName", "name"):
        value = getattr(face, attribute, None)
        if isinstance(value, str):
            return value
    raise TypeError(f"FontSet.face_for returned {face!r}")


def face_for(fontset: Any, role: str, char: str) -> str:
    """Registered reportlab face name drawing ``char`` for ``role`` (Latin characters already
    carry the "latin" role, so a CJK role's ASCII — page-number digits — is not re-routed)."""
    if role != "latin":
        try:
            return _face_name(fontset.face_for(role, char, latin=False))
        except TypeError:
            pass
    return _face_name(fontset.face_for(role, char))


def resolve_faces(pages: list[Page], fontset: Any, document: Document) -> dict[tuple[str, str], str]:
    """(role, char) → registered face name for every glyph, or one FontError naming every
    character no face can draw and where it is (the FontSet's whole-document check when it has
    one, so its supplements are built in one go)."""
    # Every (role, char) once, at its first place, in the order of each line's characters
    # grouped by role (the role of a line's first glyph first): the order the check meets them.
    order: dict[tuple[str, str], int] = {}  # (role, char) → number of the line it first appears in
    lines_of: list[tuple[Page, int, Line]] = []
    for page in pages:
        lines = list(page.lines) + ([page.footer] if page.footer else [])
        for line_number, line in enumerate(lines, start=1):
            number = len(lines_of)
            lines_of.append((page, line_number, line))
            pairs = [(glyph.font_role, glyph.char) for glyph in line.glyphs]
            if not pairs:
                continue
            first_role = pairs[0][0]
            if any(role != first_role for role, _ in pairs):
                rank = {role: n for n, role in enumerate(dict.fromkeys(role for role, _ in pairs))}
                pairs.sort(key=lambda pair: rank[pair[0]])  # stable: each role's characters in order
            for pair in pairs:
                if pair not in order:
                    order[pair] = number

    def where(number: int) -> str:
        page, line_number, line = lines_of[number]
        return _where(document, line, page, line_number)

    check_all = getattr(fontset, "check_all", None)
    if check_all is not None:
        # A FontSet's check depends on which characters each role needs, not on how often; when
        # one is missing, check again with every line so the message lists all its places.
        chars_of: dict[str, list[str]] = {}  # each role's characters, in the order met
        for role, char in order:
            chars_of.setdefault(role, []).append(char)
        try:
            check_all([("".join(chars), role, "") for role, chars in chars_of.items() if role != "latin"])
            check_all([("".join(chars), role, "") for role, chars in chars_of.items() if role == "latin"])
        except FontError:
            located = []
            for number, (page, line_number, line) in enumerate(lines_of):
                by_role: dict[str, list[str]] = {}
                for glyph in line.glyphs:
                    by_role.setdefault(glyph.font_role, []).append(glyph.char)
                located.extend(("".join(chars), role, where(number)) for role, chars in by_role.items())
            check_all([item for item in located if item[1] != "latin"])
            check_all([item for item in located if item[1] == "latin"])
            raise
    faces: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for (role, char), number in order.items():
        try:
            faces[(role, char)] = face_for(fontset, role, char)
        except FontError:
            faces[(role, char)] = ""
            problems.append(Problem(f"“{char}”（U+{ord(char):04X}）没有任何字体能显示（{where(number)}）"))
    if problems:
        raise FontError(problems)
    return faces


def _where(document: Document, line: Line, page: Page, line_number: int) -> str:
    if line.block_index == -1:
        return f"第 {page.number} 页页码"
    if line.block_index < 0:
        return f"第 {page.number} 页第 {line_number} 行（{line.style}）"
    block = document.blocks[line.block_index]
    return f"第 {page.number} 页第 {line_number} 行，第 {line.block_index + 1} 段（{block.style}）"


# --- drawing ---------------------------------------------------------------------------------------
def render(document: Document, profile: Profile, pages: list[Page],
           faces: dict[tuple[str, str], str]) -> bytes:
    from reportlab.pdfgen import canvas as rl_canvas

    from docgen import __version__

    width = mm_to_pt(profile.page.width_mm)
    height = mm_to_pt(profile.page.height_mm)
    first_face = next(iter(faces.values()), None)
    buffer = io.BytesIO()
    canvas = rl_canvas.Canvas(
        buffer, pagesize=(width, height), invariant=1, pageCompression=1,
        initialFontName=first_face, initialFontSize=profile.grid_size_pt,
        initialLeading=profile.line_pitch_pt,
    )
    _fix_timestamp(canvas, document)
    meta = document.meta
    canvas.setTitle(meta.title.replace("\n", ""))
    canvas.setAuthor(meta.author)
    canvas.setSubject(meta.subject)
    canvas.setCreator(f"docgen {__version__}")
    canvas.setProducer(f"docgen {__version__} (ReportLab)")

    painter = _TextPainter(canvas, faces)
    _Deflate.install()
    with _Deflate.parallel(canvas._doc):
        _draw_pages(canvas, document, pages, painter, height)
        _Deflate.submit_ready(canvas._doc, painter.fonts.values(), last=True)
        canvas.save()
    return buffer.getvalue()


def _draw_pages(canvas, document: Document, pages: list[Page], painter: _TextPainter, height: float) -> None:
    outline_level = -1
    bookmarked: set[int] = set()
    for page in pages:
        for picture in page.pictures:
            if not picture.over_text:
                _draw_picture(canvas, picture, height)
        for line in page.lines:
            if line.block_index not in bookmarked and line.block_index >= 0:
                block = document.blocks[line.block_index]
                if block.level:
                    bookmarked.add(line.block_index)
                    key = f"h{line.block_index}"
                    canvas.bookmarkPage(key, fit="XYZ", left=0, top=height - line.top_pt)
                    level = min(block.level - 1, outline_level + 1)
                    canvas.addOutlineEntry(_heading_title(block), key, level=level)
                    outline_level = level
            painter.draw_line(line, height)
        for rule in page.rules:
            _draw_rule(canvas, rule, height)
        for picture in page.pictures:
            if picture.over_text:  # a seal presses on the 署名 and date
                _draw_picture(canvas, picture, height)
        if page.footer is not None:
            painter.draw_line(page.footer, height)
        canvas.showPage()
        _Deflate.submit_ready(canvas._doc, painter.fonts.values())


class _Deflate:
    """Memoised, parallel Flate compression of the streams reportlab writes, same bytes.

    ``canvas.save`` spends most of its time in ``zlib.compress`` (font subsets, page contents) and
    in building the TrueType subsets, one after the other. Both are pure functions of their input:
    the subsets are kept per face and glyph list, the compressed streams per content digest (a few
    dozen of each, so renders that share pages or subsets — a batch, a re-render after a small edit —
    reuse them), and while the pages are drawn and ``save`` formats the document, the streams of it
    that are not yet known are compressed on other threads (zlib releases the GIL), each as soon as
    it is final. Output bytes are what reportlab's own calls give."""

    MAX_STREAMS = 64
    MAX_SUBSETS = 24
    streams: dict[tuple[int, bytes], bytes] = {}
    subsets: dict[tuple[int, tuple[int, ...]], tuple[Any, bytes]] = {}
    installed = False
    number_array: type | None = None  # the memoised Widths array class, once installed
    pool: _Compressions | None = None  # while a document is drawn and saved

    @classmethod
    def install(cls) -> None:
        if cls.installed:
            return
        from reportlab.pdfbase import pdfdoc, ttfonts

        flate = pdfdoc.PDFZCompress
        plain = type(flate).encode

        def encode(text):
            if isinstance(text, str):
                text = text.encode("utf8")
            return cls.compress(text)

        if getattr(type(flate), "pdfname", None) != "FlateDecode" or plain.__code__.co_argcount != 2:
            return  # an unknown reportlab: leave it alone
        flate.encode = encode
        make_subset = ttfonts.TTFontFile.makeSubset

        def memo_subset(self, subset):
            key = (id(self), tuple(subset))
            hit = cls.subsets.get(key)
            if hit is not None and hit[0] is self:
                return hit[1]
            data = make_subset(self, subset)
            if len(cls.subsets) >= cls.MAX_SUBSETS:
                cls.subsets.pop(next(iter(cls.subsets)))
            cls.subsets[key] = (self, data)  # the face stays referenced, so its id is not reused
            return data

        ttfonts.TTFontFile.makeSubset = memo_subset
        cls._install_font_objects(pdfdoc, ttfonts)
        cls.installed = True

    @classmethod
    def _install_font_objects(cls, pdfdoc, ttfonts) -> None:
        """Memoise what ``save`` formats for each font subset: the ``Widths`` array (256 numbers,
        each through reportlab's generic ``format``, a third of ``save``) and the ToUnicode CMap
        text. Both depend only on the face and the subset's characters; the bytes are the ones
        reportlab's own ``format`` gives (computed by it on the first use)."""
        plain_array = pdfdoc.PDFArray
        fp_str = pdfdoc.fp_str
        widths_bytes: dict[tuple, bytes] = {}

        class NumberArray(plain_array):
            def format(self, document, IND=b"\n "):
                key = (tuple(self.sequence), self.multiline, pdfdoc.rl_config.pdfMultiLine)
                out = widths_bytes.get(key)
                if out is None:
                    # reportlab formats each number through its generic ``format`` (fp_str, then its
                    # own PDFDocEncoding codec): 3.7 ms for the 1,700 widths of a speech. The same
                    # bytes from one fp_str call and one encoding, laid out by reportlab's own format.
                    laid_out = plain_array.__new__(plain_array)
                    laid_out.__dict__.update(self.__dict__)
                    laid_out.sequence = fp_str(*self.sequence).encode("extpdfdoc").split(b" ") if self.sequence else []
                    out = plain_array.format(laid_out, document, IND)
                    if len(widths_bytes) >= cls.MAX_STREAMS * 4:
                        widths_bytes.pop(next(iter(widths_bytes)))
                    widths_bytes[key] = out
                return out

        cls.number_array = NumberArray
        add_objects = ttfonts.TTFont.addObjects

        def memo_add_objects(self, doc):
            add_objects(self, doc)
            fonts = doc.idToObject.get("BasicFonts")
            for font in getattr(fonts, "dict", {}).values():
                widths = getattr(font, "Widths", None)
                if type(widths) is plain_array and all(type(w) in (int, float) for w in widths.sequence):
                    widths.__class__ = NumberArray

        ttfonts.TTFont.addObjects = memo_add_objects
        from functools import lru_cache

        cmap = ttfonts.makeToUnicodeCMap
        cached_cmap = lru_cache(maxsize=cls.MAX_STREAMS * 4)(lambda name, subset: cmap(name, list(subset)))
        ttfonts.makeToUnicodeCMap = lambda name, subset: cached_cmap(name, tuple(subset))

    @classmethod
    def _key(cls, data: bytes) -> tuple[int, bytes]:
        import hashlib

        # SHA-256: a content digest, and with the CPU's SHA instructions twice as fast as BLAKE2b
        # here (1.2 against 2.6 ms for the 2 MB of streams a 7-page speech hashes).
        return len(data), hashlib.sha256(data).digest()

    @classmethod
    def compress(cls, data: bytes) -> bytes:
        import zlib

        key = cls._key(data)
        out = cls.streams.get(key)
        if out is None:
            pool = cls.pool
            out = pool.take(key) if pool is not None else None
            if out is None:
                out = zlib.compress(data)
            cls._keep(key, out)
        return out

    @classmethod
    def _keep(cls, key, out: bytes) -> None:
        if len(cls.streams) >= cls.MAX_STREAMS:
            cls.streams.pop(next(iter(cls.streams)))
        cls.streams[key] = out

    @classmethod
    @contextmanager
    def parallel(cls, doc):
        """While the block draws and saves ``doc``, compress its streams on other threads: what
        :meth:`submit_ready` hands over as it becomes final; ``compress`` takes each result when
        ``save`` gets there."""
        workers = min(4, os.cpu_count() or 1) - 1  # the drawing and saving thread compresses too
        pool = _Compressions(workers) if cls.installed and getattr(doc, "compression", 0) and workers > 0 else None
        cls.pool = pool
        if pool is not None:
            _SwitchInterval.enter()
        try:
            yield
        finally:
            cls.pool = None
            if pool is not None:
                pool.close()
                _SwitchInterval.leave()

    @classmethod
    def submit_ready(cls, doc, fonts, *, last: bool = False) -> None:
        """Hand the pool every stream of ``doc`` that can no longer change: the pages drawn so far,
        and each face's font subsets but the last (reportlab only ever adds to the last one); all of
        them when ``last``. The subsets of a long document's body face then compress while later
        pages are drawn."""
        pool = cls.pool
        if pool is None:
            return
        try:
            pages = doc.Pages.pages
            for page in pages[pool.pages_sent:]:
                stream = getattr(page, "stream", None)
                pool.pages_sent += 1
                if isinstance(stream, str):
                    cls._submit(pool, stream.encode("utf8"))
            for font in fonts:
                state = getattr(font, "state", None)
                state = state.get(doc) if state is not None else None
                if state is None or not getattr(font, "_dynamicFont", False):
                    continue
                final = len(state.subsets) if last else len(state.subsets) - 1
                for index in range(final):
                    if (id(font), index) not in pool.sent_subsets:
                        pool.sent_subsets.add((id(font), index))
                        cls._submit(pool, font.face.makeSubset(state.subsets[index]))
        except Exception:  # noqa: BLE001 - only a head start: save() compresses whatever is missing
            return

    @classmethod
    def _submit(cls, pool: _Compressions, data: bytes) -> None:
        key = cls._key(data)
        if key not in cls.streams:
            pool.submit(key, data)


class _SwitchInterval:
    """The GIL switch interval at 0.5 ms instead of Python's 5 while a PDF's streams compress beside
    its drawing. A worker back from zlib needs the GIL to take its next stream, and by default
    waits 5 ms for the drawing thread to let go of it: the worker starved and save waited on
    streams (canvas.save in a cold render: 23 ms, 16 ms at 0.5 ms). Counted, so that PDFs written
    on several threads at once (the web app) restore the process's own value when the last ends."""

    FAST = 0.0005
    lock = threading.Lock()
    depth = 0
    saved = 0.005

    @classmethod
    def enter(cls) -> None:
        with cls.lock:
            if cls.depth == 0:
                cls.saved = sys.getswitchinterval()
                sys.setswitchinterval(cls.FAST)
            cls.depth += 1

    @classmethod
    def leave(cls) -> None:
        with cls.lock:
            cls.depth -= 1
            if cls.depth == 0:
                sys.setswitchinterval(cls.saved)


class _Compressions:
    """zlib.compress of streams handed over one by one, on a few threads (zlib releases the GIL),
    the largest waiting first; a stream asked for before a thread has reached it is compressed by
    the thread asking. Threads start as work arrives (none for a document whose streams are all
    known already).

    Plain threads (concurrent.futures would import logging and its executor machinery: ≈ 6 ms of
    a cold render for the same work)."""

    def __init__(self, workers: int) -> None:
        self.work: dict[tuple[int, bytes], bytes] = {}
        self.waiting: set[tuple[int, bytes]] = set()  # submitted, not yet started or taken
        self.running: set[tuple[int, bytes]] = set()  # being compressed by a thread
        self.results: dict[tuple[int, bytes], bytes | None] = {}
        self.closed = False
        self.pages_sent = 0  # what submit_ready has handed over
        self.sent_subsets: set[tuple[int, int]] = set()
        self.changed = threading.Condition()
        self.workers = workers
        self.threads: list[threading.Thread] = []

    def submit(self, key: tuple[int, bytes], data: bytes) -> None:
        with self.changed:
            if key in self.work or self.closed:
                return
            self.work[key] = data
            self.waiting.add(key)
            self.changed.notify()
        if len(self.threads) < self.workers:
            thread = threading.Thread(target=self._run, daemon=True)
            self.threads.append(thread)
            thread.start()

    def _claim_next(self) -> tuple[int, bytes] | None:
        with self.changed:
            while True:
                if self.waiting:
                    return self._claim_longest()
                if self.closed:
                    return None
                self.changed.wait()

    def _claim_longest(self) -> tuple[int, bytes]:
        key = max(self.waiting, key=lambda key: key[0])
        self.waiting.remove(key)
        self.running.add(key)
        return key

    def _run(self) -> None:
        while (key := self._claim_next()) is not None:
            self._compress(key)

    def _compress(self, key: tuple[int, bytes]) -> None:
        import zlib

        try:
            out = zlib.compress(self.work[key])
        except Exception:  # noqa: BLE001 - the saving thread then compresses it itself
            out = None
        with self.changed:
            self.results[key] = out
            self.running.discard(key)
            self.changed.notify_all()

    def take(self, key: tuple[int, bytes]) -> bytes | None:
        """The compressed stream, once the thread on it is done; None if no thread has started it
        (the caller compresses it, and no thread will start it now). While a thread is on it, the
        caller compresses the longest stream still waiting instead of idling: ``save`` reaches the
        last font subsets while the other core is still on an earlier one."""
        while True:
            with self.changed:
                self.waiting.discard(key)
                if key not in self.running:
                    return self.results.get(key)
                if not self.waiting:
                    self.changed.wait()
                    continue
                other = self._claim_longest()
            self._compress(other)

    def close(self) -> None:
        with self.changed:
            self.closed = True
            self.waiting.clear()  # whatever is left stays unstarted
            self.changed.notify_all()
        for thread in self.threads:
            thread.join()


def _heading_title(block) -> str:
    """The bookmark text: the heading span(s) of a block (a run-in heading's own words)."""
    heading = "".join(span.text for span in block.spans if span.style.startswith("heading"))
    return (heading or block.text).replace("\n", "")


class _FaceMaps:
    """Whether the runs cached for earlier renders hold for this one: a line's runs depend on the
    face of each of its glyphs. Face maps of one process agree wherever they overlap (the FontSet
    routes each (role, char) one way), so the maps seen are merged while they agree, and the
    generation changes — dropping every cached run — when one disagrees."""

    merged: dict[tuple[str, str], str] = {}
    generation = 0

    @classmethod
    def key(cls, faces: dict[tuple[str, str], str]) -> int:
        merged = cls.merged
        if len(merged) > 100_000 or any(merged.get(pair, face) != face for pair, face in faces.items()):
            merged.clear()
            _RUNS.clear()
            cls.generation += 1
        merged.update(faces)
        return cls.generation


class _TextPainter:
    """Draws lines as :func:`_draw_line` does, but writes the text objects' code itself.

    For every run reportlab's ``beginText``/``setFont``/``setCharSpace``/``setTextRenderMode``/
    ``textOut``/``drawText`` append one ``BT … ET`` string to the page: the text origin (``Tm``),
    the character spacing (``Tc``), ``2 Tr`` for synthetic bold, then for each piece of the run
    that falls in one 256-glyph subset of the TrueType face the subset's font (``Tf``, leading
    1.2 × size) and the piece (``Tj``). Building that string here, with the glyph widths and
    font objects looked up once per document, gives the same bytes in a fraction of the time
    (tests/writers/test_pdf_fast.py compares it with :func:`_draw_line` on every example).
    The subsets are still assigned by the font's ``splitString``, the colours still set through
    the canvas; a face that is not a TrueType subset font goes through :func:`_draw_line`."""

    def __init__(self, canvas, faces: dict[tuple[str, str], str]) -> None:
        from reportlab.lib.rl_accel import escapePDF, fp_str
        from reportlab.pdfbase.pdfmetrics import getFont

        self.canvas = canvas
        self.faces = faces
        self.doc = canvas._doc
        self.fp_str = fp_str
        self.escape = escapePDF
        self.get_font = getFont
        self.fonts: dict[str, Any] = {}
        self.widths: dict[tuple[str, str, float], float] = {}
        self.font_sizes: dict[float, str] = {}
        self.selects: dict[tuple[str, int, float], str] = {}  # (face, subset, size) → "/F1+0 16 Tf 19.2 TL"
        self.faces_key = _FaceMaps.key(faces)

    def _font(self, face: str):
        font = self.fonts.get(face)
        if font is None:
            font = self.fonts[face] = self.get_font(face)
        return font

    def _width(self, face: str, char: str, size: float) -> float:
        key = (face, char, size)
        width = self.widths.get(key)
        if width is None:
            font = self._font(face)
            if font._dynamicFont:
                # What the font's C stringWidth gives for one character, (width × 0.001) × size,
                # without asking the cached face for its whole charWidths dict.
                width = font.face.getCharWidth(ord(char)) * 0.001 * size
            else:
                width = font.stringWidth(char, size)
            self.widths[key] = width
        return width

    def draw_line(self, line: Line, page_height: float) -> None:
        canvas = self.canvas
        if canvas.bottomup != 1:
            _draw_line(canvas, line, page_height, self.faces)
            return
        fp_str = self.fp_str
        y = page_height - line.baseline_pt
        doc = self.doc
        selects = self.selects
        for face, start, size, color, bold, spacing, text in self._runs(line.glyphs):
            font = self._font(face)
            if not font._dynamicFont:
                glyphs = line.glyphs
                _draw_run(canvas, glyphs[start:start + len(text)], face, spacing, y)
                continue
            parts = [f"BT 1 0 0 1 {fp_str(line.glyphs[start].x_pt, y)} Tm", f"{fp_str(round(spacing or 0.0, 4))} Tc"]
            if bold:
                # No bold face of the role: stroke the outline as Word does for synthetic bold, in a
                # saved graphics state so the stroke width and render mode end with the run.
                parts.insert(0, f"q {fp_str(size * BOLD_STROKE_EM)} w")
                parts.append("2 Tr")
            if color:
                canvas.setFillColor(color)
                canvas.setStrokeColor(color)
            size_code = self.font_sizes.get(size)
            if size_code is None:
                size_code = self.font_sizes[size] = f"{fp_str(size)} Tf {fp_str(size * 1.2)} TL"
            current = -1
            for subset, piece in font.splitString(text, doc):
                if subset != current:
                    select = selects.get((face, subset, size))
                    if select is None:  # a subset's name is fixed from its first use in the document
                        select = selects[(face, subset, size)] = f"{font.getSubsetInternalName(subset, doc)} {size_code}"
                    parts.append(select)
                    current = subset
                parts.append(f"({self.escape(piece)}) Tj")
            parts.append("0 Tr ET Q" if bold else "ET")
            canvas._code.append(" ".join(parts))  # what drawText appends
            if color:
                canvas.setFillColor("#000000")
                canvas.setStrokeColor("#000000")

    def _runs(self, glyphs) -> list[tuple]:
        """(face, first glyph, size, colour, bold, character spacing, text) of each run of a line.

        A run: same face, size and colour, and a constant gap between each glyph's natural advance
        in the face and the next glyph's x — drawn with one character spacing. The runs depend on
        the glyphs and their faces only, so they are kept for glyph tuples seen before (the layout
        reuses an unchanged block's lines) while the faces are the same."""
        hit = _RUNS.get(id(glyphs))
        if hit is not None and hit[0] is glyphs and hit[1] == self.faces_key:
            return hit[2]
        faces = self.faces
        count = len(glyphs)
        face_of = [faces[(glyph.font_role, glyph.char)] for glyph in glyphs]
        widths = self.widths
        runs = []
        index = 0
        while index < count:
            glyph = glyphs[index]
            face = face_of[index]
            size, color, bold = glyph.size_pt, glyph.color, glyph.bold
            spacing: float | None = None
            nxt = index + 1
            while nxt < count:
                other = glyphs[nxt]
                if face_of[nxt] != face or other.size_pt != size or other.color != color or other.bold != bold:
                    break
                prev = glyphs[nxt - 1]
                width = widths.get((face, prev.char, prev.size_pt))
                if width is None:
                    width = self._width(face, prev.char, prev.size_pt)
                gap = other.x_pt - prev.x_pt - width
                if spacing is None:
                    spacing = gap
                elif abs(gap - spacing) > TOLERANCE_PT:
                    break
                nxt += 1
            text = glyph.char if nxt == index + 1 else "".join([g.char for g in glyphs[index:nxt]])
            runs.append((face, index, size, color, bold, spacing, text))
            index = nxt
        _keep_runs(glyphs, self.faces_key, runs)
        return runs


# Runs of lines drawn before: id(glyph tuple) → (the tuple, faces key, runs). See _TextPainter._runs.
# Sized in glyphs (the tuples stay referenced): oldest lines dropped first, a batch does not grow.
_RUNS = Bounded()
_MAX_RUN_GLYPHS = 20_000


def _keep_runs(glyphs, faces_key: int, runs: list) -> None:
    # the tuple stays referenced by the entry: its id is not reused while cached
    _RUNS.put(id(glyphs), (glyphs, faces_key, runs), len(glyphs), _MAX_RUN_GLYPHS)


# Synthetic bold: the outline stroked at 3 % of the type size (0.48 pt at 3号).
BOLD_STROKE_EM = 0.03


def _draw_run(canvas, run, face: str, spacing: float | None, y: float) -> None:
    """One run through reportlab's text object (what :func:`_draw_line` does for each run)."""
    glyph = run[0]
    if glyph.bold:
        canvas.saveState()
        canvas.setLineWidth(glyph.size_pt * BOLD_STROKE_EM)
    text = canvas.beginText(glyph.x_pt, y)
    text.setFont(face, glyph.size_pt)
    text.setCharSpace(round(spacing or 0.0, 4))
    if glyph.bold:
        text.setTextRenderMode(2)
    if glyph.color:
        canvas.setFillColor(glyph.color)
        canvas.setStrokeColor(glyph.color)
    text.textOut("".join(g.char for g in run))
    canvas.drawText(text)
    if glyph.bold:
        canvas.restoreState()
    if glyph.color:
        canvas.setFillColor("#000000")
        canvas.setStrokeColor("#000000")


def _draw_line(canvas, line: Line, page_height: float, faces: dict[tuple[str, str], str]) -> None:
    """Draw one line through reportlab's text objects, run by run (the reference for
    :class:`_TextPainter`)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    glyphs = line.glyphs
    y = page_height - line.baseline_pt
    index = 0
    while index < len(glyphs):
        glyph = glyphs[index]
        face = faces[(glyph.font_role, glyph.char)]
        # A run: same face, size and colour, and a constant gap between each glyph's natural
        # advance in the face and the next glyph's x — drawn with one character spacing.
        run = [glyph]
        spacing: float | None = None
        nxt = index + 1
        while nxt < len(glyphs):
            other = glyphs[nxt]
            if (faces[(other.font_role, other.char)] != face or other.size_pt != glyph.size_pt
                    or other.color != glyph.color or other.bold != glyph.bold):
                break
            prev = glyphs[nxt - 1]
            gap = other.x_pt - prev.x_pt - stringWidth(prev.char, face, prev.size_pt)
            if spacing is None:
                spacing = gap
            elif abs(gap - spacing) > TOLERANCE_PT:
                break
            run.append(other)
            nxt += 1
        _draw_run(canvas, run, face, spacing, y)
        index = nxt


def _draw_rule(canvas, rule: Rule | VRule, page_height: float) -> None:
    """A separator or table rule: a filled rectangle, so its thickness is exact at any zoom."""
    canvas.setFillColor(rule.color or "#000000")
    half = rule.thickness_pt / 2
    if isinstance(rule, VRule):
        canvas.rect(rule.x_pt - half, page_height - rule.y1_pt, rule.thickness_pt, rule.y1_pt - rule.y0_pt,
                    stroke=0, fill=1)
    else:
        canvas.rect(rule.x0_pt, page_height - rule.y_pt - half, rule.x1_pt - rule.x0_pt, rule.thickness_pt,
                    stroke=0, fill=1)
    canvas.setFillColor("#000000")


def _draw_picture(canvas, picture: Picture, page_height: float) -> None:
    from reportlab.lib.utils import ImageReader

    source = io.BytesIO(picture.source) if isinstance(picture.source, bytes) else picture.source
    canvas.drawImage(ImageReader(source), picture.x_pt, page_height - picture.top_pt - picture.height_pt,
                     picture.width_pt, picture.height_pt, mask="auto")


# --- reproducibility and output ---------------------------------------------------------------------
def _fix_timestamp(canvas, document: Document) -> None:
    """Creation/modification dates: SOURCE_DATE_EPOCH if set (reportlab reads it), else the
    document's date, else reportlab's invariant date; the document ID follows from the content."""
    if os.environ.get("SOURCE_DATE_EPOCH", "").strip():
        return
    created = document.meta.created
    if created is None:
        return
    if not isinstance(created, datetime):
        created = datetime(created.year, created.month, created.day)
    stamp = canvas._doc._timeStamp  # reportlab keeps the dates here; no public setter
    moment = created.replace(tzinfo=timezone.utc)
    stamp.t = moment.timestamp()
    stamp.lt = moment.timetuple()
    stamp.YMDhms = tuple(stamp.lt)[:6]
    stamp.dhh = stamp.dmm = 0
    stamp.tzname = "UTC"


def _write(target: str | Path | BinaryIO, data: bytes) -> None:
    if hasattr(target, "write"):
        target.write(data)  # type: ignore[union-attr]
        return
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


__all__ = ["write_pdf", "render", "resolve_faces", "default_fontset"]
