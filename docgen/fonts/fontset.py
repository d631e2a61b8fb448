"""FontSet: the faces the layout measures with and the PDF writer draws with, one per role, plus the
per-character routing (Latin face, on-demand supplement, 宋体 and WenQuanYi fallbacks).
"""

from __future__ import annotations

import hashlib
import sys
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from docgen.errors import FontError, Problem
from docgen.fonts import convert as _build
from docgen.fonts.charset import is_latin
from docgen.fonts.resolve import CJK_ROLES, ROLES, USAGE, FontSource, resolve_all, resolve_fallback

NOT_BUILT = "字体尚未构建，请先运行 docgen fonts build"

# Registered reportlab fonts, keyed by (file, face index): registration parses the whole file.
_REGISTERED: dict[tuple[str, int], object] = {}


def _register(path: Path, index: int):
    key = (str(path), index)
    font = _REGISTERED.get(key)
    if font is None:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError

        digest = hashlib.sha1(f"{path}|{index}".encode()).hexdigest()[:8]
        name = f"{path.stem.split('.')[0][:40]}-{index}-{digest}"
        try:
            font = _parsed_font(name, path, index)
        except (TTFError, OSError) as exc:
            raise FontError(f"reportlab 无法载入字体 {path}：{exc}") from None
        pdfmetrics.registerFont(font)
        # registerFont aliases a second font with an already registered PostScript name to the
        # first one; measure with the object that will actually draw.
        font = pdfmetrics.getFont(name)
        _REGISTERED[key] = font
    return font


def _drawn_file(source: FontSource) -> tuple[Path, int]:
    """The file reportlab embeds for a source: the built TrueType of a CFF face, the trimmed copy
    of a TrueType face when ``docgen fonts build`` made one, else the face itself."""
    if source.needs_build:
        return _build.built_path(source), 0
    trimmed = _build.trimmed_path(source)
    if trimmed.is_file():
        return trimmed, 0
    return source.path, source.index


class _Scale:
    """reportlab's font-unit → 1/1000 em conversion, as a picklable object (it uses a lambda)."""

    def __init__(self, units_per_em: int):
        self.mult = None if units_per_em == 1000 else 1000 / units_per_em

    def __call__(self, value):
        return value if self.mult is None else value * self.mult


def _parsed_font(name: str, path: Path, index: int):
    """A reportlab TTFont whose parsed face comes from a file beside the font cache.

    reportlab parses every glyph's metrics in pure Python (80 ms for a GB2312 face, five faces per
    document): a cold ``docgen render`` spent most of its time there. The parsed tables are kept
    with ``marshal`` (plain dicts and lists of numbers; ≈ 25 % faster to load than pickle), keyed
    by the file's path, size and mtime, reportlab's and Python's versions, so a changed font or
    library re-parses. Two things are not kept: the font's bytes, which reportlab slices when it
    builds a subset, are the file itself mapped read-only (:func:`_font_bytes`; a new process
    copied 17 MB of font data it mostly never reads), and the glyph → characters map, used only
    by reportlab's shaping, is rebuilt if ever asked for (:class:`_Face`).
    """
    import marshal
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import Version, rl_config
    from reportlab.pdfbase import ttfonts

    stat = path.stat()
    key = hashlib.sha1(f"{path}|{stat.st_size}|{stat.st_mtime_ns}|{index}|{Version}|{sys.version_info[:2]}|"
                       f"tables|flat metrics 5|{sys.byteorder}".encode()).hexdigest()[:16]
    stored = _build.cache_dir() / "parsed" / f"{path.stem[:40]}-{key}.marshal"
    face = None
    if stored.is_file():
        try:
            fields = marshal.loads(stored.read_bytes())
            arrays = {name: fields.pop(name) for name in _CODE_ARRAYS if name in fields}
            face = _face_class().__new__(_face_class())
            if "charWidths" in fields:  # a dict kept as it is (see _code_arrays)
                fields["_char_widths"] = fields.pop("charWidths")
            face.__dict__.update(fields)
            face.hmetrics = _Pairs(_array("d", fields["hmetrics"]))
            face.glyphPos = _array("q", fields["glyphPos"])  # offsets into 'glyf', indexed as the list
            if arrays:
                codes = _array("I", arrays["cmap"])
                face.charToGlyph = _CodeMap(codes, _array("I", arrays["glyphs"]))
                if "widths" in arrays:
                    face._widths = _CodeMap(codes, _array("d", arrays["widths"]), arrays["whole widths"])
            face._ttf_data = _font_bytes(path, stat.st_size)
            face._pdfScale = _Scale(face.unitsPerEm)
        except Exception:  # noqa: BLE001 - a damaged or foreign file is simply parsed again
            face = None
    if face is None:
        face = ttfonts.TTFontFace(str(path), subfontIndex=index)
        face._pdfScale = _Scale(face.unitsPerEm)
        fields = {k: v for k, v in vars(face).items() if k not in ("_ttf_data", "_pdfScale", "glyphToChar")}
        # The two per-glyph lists as flat machine arrays (bytes): loading 7,500 (advance, lsb) tuples
        # and offsets took ≈ 0.9 ms a face; reportlab reads only a subset's glyphs from them. Doubles
        # for the metrics: reportlab scales some advances to floats, and makeSubset takes int() of each.
        fields["hmetrics"] = _array("d", [value for pair in face.hmetrics for value in pair]).tobytes()
        fields["glyphPos"] = _array("q", face.glyphPos).tobytes()
        fields.update(_code_arrays(face.charToGlyph, face.charWidths))
        if "cmap" in fields:
            del fields["charToGlyph"]
        if "widths" in fields:
            del fields["charWidths"]
        try:
            from docgen.output import write_atomic

            write_atomic(stored, marshal.dumps(fields))
        except (OSError, ValueError):
            pass  # a read-only cache (or a value marshal cannot keep) only costs speed
    font = ttfonts.TTFont.__new__(ttfonts.TTFont)
    # What TTFont.__init__ does after parsing the face (reportlab 4–5).
    font.fontName = name
    font.face = face
    font.encoding = ttfonts.TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, pattern) for pattern in getattr(ttfonts, "unShapedFontGlob", ()))
    return font


def _array(typecode: str, values):
    """An array of ``values``: a list, or the bytes of an array of the same type."""
    from array import array

    if isinstance(values, bytes):
        result = array(typecode)
        result.frombytes(values)
        return result
    return array(typecode, values)


def _code_arrays(char_to_glyph: dict, char_widths: dict) -> dict:
    """``charToGlyph`` and ``charWidths`` as sorted arrays for :class:`_CodeMap`: marshal builds
    their 15,000 entries in ≈ 1.4 ms a GB2312 face, where a render looks up a few hundred
    characters. ``whole widths`` marks the widths reportlab holds as ints (given back as ints).
    Either dict is kept as it is if an entry does not fit the arrays."""
    codes = sorted(char_to_glyph)
    glyphs = [char_to_glyph[code] for code in codes]
    if not all(type(value) is int and 0 <= value < 2 ** 32 for value in (*codes, *glyphs)):
        return {}
    arrays = {"cmap": _array("I", codes).tobytes(), "glyphs": _array("I", glyphs).tobytes()}
    widths = [char_widths.get(code) for code in codes]
    if len(char_widths) == len(codes) and all(type(w) is float or (type(w) is int and abs(w) < 2 ** 53)
                                              for w in widths):
        arrays["widths"] = _array("d", widths).tobytes()
        arrays["whole widths"] = bytes(type(w) is int for w in widths)
    return arrays


_CODE_ARRAYS = ("cmap", "glyphs", "widths", "whole widths")
_ABSENT = object()


class _CodeMap(Mapping):
    """A read-only ``{code point: value}`` kept as two arrays sorted by code point: reportlab's
    ``charToGlyph`` and ``charWidths`` for a cached face. Each code found is remembered in a small
    dict, so the next look-up of it costs about what the dict's would. ``whole`` marks the values
    to give back as ints (the widths array holds doubles)."""

    __slots__ = ("codes", "values", "whole", "memo")

    def __init__(self, codes, values, whole: bytes | None = None) -> None:
        self.codes, self.values, self.whole = codes, values, whole
        self.memo: dict = {}

    def _value(self, index: int):
        value = self.values[index]
        return int(value) if self.whole is not None and self.whole[index] else value

    def _find(self, code):
        key = code
        if type(key) is not int:
            try:  # what a dict finds for 65.0 or True: the entry of the equal int
                key = int(code) if code == int(code) else None
            except (TypeError, ValueError, OverflowError):
                key = None
        value = _ABSENT
        if key is not None:
            codes = self.codes
            index = bisect_left(codes, key)
            if index < len(codes) and codes[index] == key:
                value = self.values[index]
                if self.whole is not None and self.whole[index]:
                    value = int(value)
                self.memo[code] = value  # hits only: the memo stays within the face's own codes
        return value

    def get(self, code, default=None):
        value = self.memo.get(code)
        if value is None:
            value = self._find(code)
        return default if value is _ABSENT else value

    def __contains__(self, code) -> bool:
        value = self.memo.get(code)
        if value is None:
            value = self._find(code)
        return value is not _ABSENT

    def __getitem__(self, code):
        value = self.memo.get(code)
        if value is None:
            value = self._find(code)
        if value is _ABSENT:
            raise KeyError(code)
        return value

    def __iter__(self):
        return iter(self.codes)

    def __len__(self) -> int:
        return len(self.codes)

    def items(self):
        return [(code, self._value(index)) for index, code in enumerate(self.codes)]


class _Pairs:
    """The face's ``hmetrics``, (advance, left side bearing) per glyph, kept in one flat array of
    doubles (reportlab's own list holds ints and, for scaled faces, float advances; makeSubset,
    the one reader, takes int() of both)."""

    __slots__ = ("flat",)

    def __init__(self, flat) -> None:
        self.flat = flat

    def __len__(self) -> int:
        return len(self.flat) // 2

    def __getitem__(self, glyph: int) -> tuple[float, float]:
        if glyph < 0:
            glyph += len(self)
        return self.flat[2 * glyph], self.flat[2 * glyph + 1]


_FACE_CLASS = None


def _face_class():
    """reportlab's TTFontFace with ``glyphToChar`` rebuilt from ``charToGlyph`` on first use."""
    global _FACE_CLASS
    if _FACE_CLASS is None:
        from reportlab.pdfbase import ttfonts

        class _Face(ttfonts.TTFontFace):
            def get_table(self, tag):
                # makeSubset slices one glyph at a time out of 'glyf' (megabytes in a CJK face):
                # hand it a window on the file instead of a copy of the whole table.
                if tag == "glyf":
                    pos, length = self.get_table_pos(tag)
                    return _Window(self._ttf_data, pos, length)
                return super().get_table(tag)

            @property
            def charWidths(self) -> dict:
                # A real dict, built from the arrays only if asked for: reportlab's C stringWidth
                # takes nothing else; docgen itself reads widths through getCharWidth.
                built = self.__dict__.get("_char_widths")
                if built is None:
                    built = self.__dict__["_char_widths"] = dict(self.__dict__["_widths"].items())
                return built

            @charWidths.setter
            def charWidths(self, value: dict) -> None:
                self.__dict__["_char_widths"] = value

            def getCharWidth(self, code: int):
                widths = self.__dict__.get("_widths")
                if widths is None:
                    return self.charWidths.get(code, self.defaultWidth)
                return widths.get(code, self.defaultWidth)

            @property
            def glyphToChar(self) -> dict[int, list[int]]:
                built = self.__dict__.get("_glyph_to_char")
                if built is None:
                    built = self.__dict__["_glyph_to_char"] = {}
                    for char, glyph in sorted(self.charToGlyph.items()):
                        built.setdefault(glyph, []).append(char)
                return built

        _FACE_CLASS = _Face
    return _FACE_CLASS


class _Window:
    """Bytes ``pos … pos + length`` of a font's data, sliced without copying the rest: each slice
    is the bytes a slice of the copied table would be."""

    def __init__(self, data, pos: int, length: int) -> None:
        self.data, self.pos, self.length = data, pos, length

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, key):
        if type(key) is slice and key.step is None and type(key.start) is int and type(key.stop) is int \
                and 0 <= key.start <= key.stop <= self.length:
            return self.data[self.pos + key.start:self.pos + key.stop]  # makeSubset's one glyph
        if isinstance(key, slice):
            start, stop, step = key.indices(self.length)
            if step != 1:
                return bytes(self.data[self.pos:self.pos + self.length])[key]
            return bytes(self.data[self.pos + start:self.pos + max(start, stop)])
        if key < 0:
            key += self.length
        if not 0 <= key < self.length:
            raise IndexError("font table index out of range")
        return self.data[self.pos + key]


def _font_bytes(path: Path, size: int):
    """The font file's bytes for reportlab to slice: a read-only map of the file (pages are read
    only where a subset needs glyphs), or the bytes read when the file cannot be mapped.

    Font files are replaced by rename (docgen's cache writes atomically, as do package managers),
    which leaves a mapped file intact."""
    import mmap

    with open(path, "rb") as handle:
        try:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            data = handle.read()
    if len(data) != size:
        raise OSError(f"字体文件在读取时被改动：{path}")
    return data


class Face:
    """One font file (one face of it) as reportlab draws it."""

    def __init__(self, role: str, source: FontSource, path: Path, index: int, *, supplement: bool = False):
        self.role = role  # the role it was loaded for (fangsong and songti may share one Face)
        self.source = source
        self.path = path  # the file reportlab embeds (the built TTF for CFF sources)
        self.index = index
        self.supplement = supplement  # an on-demand supplement of the role's face (same design)
        self._font = _register(path, index)
        self.name: str = self._font.fontName  # pass to canvas.setFont
        self._vertical: tuple[float, float] | None = None

    @property
    def family(self) -> str:
        return self.source.family

    @property
    def official(self) -> bool:
        return self.source.official

    def has(self, char: str) -> bool:
        return ord(char) in self._font.face.charToGlyph

    def advance_em(self, char: str) -> float:
        """Advance width in em (hmtx advance / unitsPerEm); .notdef's for a missing character."""
        return self._font.face.getCharWidth(ord(char)) / 1000.0

    @property
    def reportlab_name(self) -> str:
        return self.name

    def vertical_em(self) -> tuple[float, float]:
        """(ascent, descent) in em, positive descent: the layout centres a grid line's ascent+descent
        box in its cell, as LibreOffice does with these values.

        The face's ``OS/2`` usWinAscent/usWinDescent — its real glyph extent, and what Windows
        (Word) lays lines out by — else ``hhea``. For Noto CJK, KaitiM GB and Liberation the two
        agree; FandolFang's ``hhea`` (0.88 / 0.12 em plus a 0.2 em line gap) is smaller than its
        glyphs (0.978 / 0.272), and with it a line holding Times/Liberation digits (descent
        0.216 em) would sit 0.77 pt higher than a line of hanzi alone (docs/fonts.md)."""
        if self._vertical is None:
            self._vertical = _vertical_metrics(self.path, self.index)
        return self._vertical

    def codepoints(self) -> frozenset[int]:
        return frozenset(self._font.face.charToGlyph)

    def __repr__(self) -> str:
        kind = "supplement" if self.supplement else "face"
        return f"<Face {self.role} {self.family!r} {kind} {self.path.name}>"


def _vertical_metrics(path: Path, index: int) -> tuple[float, float]:
    """:meth:`Face.vertical_em` of a font file, read with fontTools once and then kept in the
    cache folder (keyed by the file's path, size and mtime): fontTools is not imported to render."""
    from docgen import cache

    try:
        key = cache.file_key(path, index)
    except OSError:
        key = None
    cached = cache.load("vmetrics", key) if key else None
    if isinstance(cached, tuple) and len(cached) == 2:
        return cached
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        upem = font["head"].unitsPerEm
        os2 = font["OS/2"] if "OS/2" in font else None
        if os2 is not None and (os2.usWinAscent or os2.usWinDescent):
            vertical = (os2.usWinAscent / upem, os2.usWinDescent / upem)
        else:
            vertical = (font["hhea"].ascent / upem, -font["hhea"].descent / upem)
    if key:
        cache.store("vmetrics", key, vertical)
    return vertical


class Fallback(NamedTuple):
    """A character drawn by a face other than its role's own (and other than the Latin face)."""

    char: str
    role: str
    family: str

    def __str__(self) -> str:
        return f"“{self.char}”（U+{ord(self.char):04X}，{USAGE.get(self.role, self.role)}）改用 {self.family}"


@dataclass
class FontSet:
    """Faces for every role. Load with :meth:`FontSet.load` (cached per process)."""

    sources: dict[str, FontSource]
    faces: dict[str, Face]
    font_dir: Path | None = None
    fallbacks: list[Fallback] = field(default_factory=list)
    _fallback_source: FontSource | None | bool = False  # False: not looked up yet
    _fallback_face: Face | None = None
    _supplements: dict[tuple[Path, int], tuple[Face, frozenset[str]]] = field(default_factory=dict)
    _memo: dict[tuple[str, str, bool], Face | None] = field(default_factory=dict)
    _recorded: set[tuple[str, str]] = field(default_factory=set)

    # --- loading ------------------------------------------------------------------------------
    @classmethod
    def load(cls, profile, font_dir: Path | str | None = None, paths: dict[str, Path] | None = None,
             *, auto_build: bool = False) -> FontSet:
        """Resolve every role and register its face with reportlab. Does not build: a missing
        conversion raises FontError, unless ``auto_build`` (then it builds, with a notice on stderr)."""
        font_dir = Path(font_dir).expanduser() if font_dir else None
        fonts = dict(profile.fonts)  # = model_dump() for these str fields, without building a serializer
        key = (tuple(sorted(fonts.items())), str(font_dir), tuple(sorted((paths or {}).items())),
               str(_build.cache_dir()))
        cached = _LOADED.get(key)
        if cached is not None:
            return cached
        sources = resolve_all(fonts, font_dir, paths)
        missing = [s for s in sources.values() if s.needs_build and not _build.is_built(s)]
        if missing:
            if not auto_build:
                hint = f"（使用了 --font-dir {font_dir}，构建时请同样指定）" if font_dir else ""
                raise FontError(NOT_BUILT + hint)
            print("首次使用：正在把 " + "、".join(sorted({s.family for s in missing}))
                  + " 转换为 TrueType 并写入字体缓存，约需半分钟……", file=sys.stderr)
            _build.build(profile=profile, font_dir=font_dir, paths=paths)
        faces: dict[str, Face] = {}
        by_file: dict[tuple[Path, int], Face] = {}
        for role, source in sources.items():
            path, index = _drawn_file(source)
            face = by_file.get((path, index))
            if face is None:
                face = by_file[(path, index)] = Face(role, source, path, index)
            faces[role] = face
        fontset = cls(sources, faces, font_dir)
        _LOADED[key] = fontset
        return fontset

    # --- faces --------------------------------------------------------------------------------
    def face(self, role: str) -> Face:
        try:
            return self.faces[role]
        except KeyError:
            raise FontError(f"未知的字体角色“{role}”；可用：{'、'.join(ROLES)}") from None

    @property
    def latin_face(self) -> Face:
        return self.faces["latin"]

    def face_for(self, role: str, char: str, *, latin: bool = True) -> Face:
        """The face that draws ``char`` in ``role``.

        Order: the Latin face for printable ASCII in a CJK role (unless ``latin=False``); the role's
        face; its on-demand supplement; then, recorded in :attr:`fallbacks`, the 宋体 role's face and
        WenQuanYi Zen Hei. Raises FontError when no font has the character.
        """
        key = (role, char, latin)
        if key in self._memo:
            face = self._memo[key]
        else:
            face = self._memo[key] = self._route(role, char, latin)
        if face is None:
            raise FontError(_missing_message(char, []))
        own = self.sources.get(role)
        if face is not self.latin_face and (face.source.path, face.source.index) != (own.path, own.index):
            self._record(char, role, face)
        return face

    def advance_em(self, role: str, char: str, *, latin: bool = True) -> float:
        """Advance (em) of ``char`` in the face that will draw it."""
        return self.face_for(role, char, latin=latin).advance_em(char)

    def vertical_em(self, role: str) -> tuple[float, float]:
        """(ascent, descent) in em of the role's own face (hhea)."""
        return self.face(role).vertical_em()

    def _route(self, role: str, char: str, latin: bool) -> Face | None:
        self.face(role)  # unknown role → FontError
        if latin and role in CJK_ROLES and is_latin(char) and self.latin_face.has(char):
            return self.latin_face
        chain = [role] + (["songti"] if role != "songti" else [])
        for name in chain:
            face = self._own_face(name, char)
            if face is not None:
                return face
        fallback = self._wqy()
        if fallback is not None and fallback.has(char):
            return fallback
        return None

    def _own_face(self, role: str, char: str) -> Face | None:
        """The role's face or its supplement (built now if the source face has the character)."""
        face = self.faces[role]
        if face.has(char):
            return face
        return self._supplement_for(role, [char], char)

    def _supplement_for(self, role: str, chars: Iterable[str], char: str | None = None) -> Face | None:
        source = self.sources[role]
        if not source.needs_build:
            return None
        key = (source.path, source.index)
        current = self._supplements.get(key)
        if char is not None and current is not None and char in current[1]:
            return current[0]
        cmap = _build.source_cmap(source)
        core = self.faces[role]
        wanted = {c for c in chars if ord(c) in cmap and not core.has(c)}
        if current is not None:
            wanted -= current[1]
        if wanted:
            built = _build.ensure_supplement(source, wanted | (current[1] if current else frozenset()))
            if built is not None:
                path, holds = built
                current = (Face(role, source, path, 0, supplement=True), holds)
                self._supplements[key] = current
        if current is not None and (char is None or char in current[1]):
            return current[0]
        return None

    def _wqy(self) -> Face | None:
        if self._fallback_source is False:
            self._fallback_source = resolve_fallback(self.font_dir)
        if self._fallback_face is None and self._fallback_source:
            self._fallback_face = Face("fallback", self._fallback_source, self._fallback_source.path,
                                       self._fallback_source.index)
        return self._fallback_face

    def _record(self, char: str, role: str, face: Face) -> None:
        if (char, role) not in self._recorded:
            self._recorded.add((char, role))
            self.fallbacks.append(Fallback(char, role, face.family))

    def stand_ins(self, roles: Iterable[str], profile=None) -> list[str]:
        """A notice naming each role (of ``roles``) drawn with a stand-in face instead of its
        official font, and how to supply the real one — each role told once per process, however
        many documents follow. Empty when every role has its official font (or was told)."""
        parts = []
        for role in ROLES:
            source = self.sources.get(role)
            if role not in roles or role == "latin" or source is None or source.official:
                continue
            key = (role, str(source.path), source.index)
            if key in _TOLD:
                continue
            _TOLD.add(key)
            wanted = profile.font_family(role) if profile is not None else role
            parts.append(f"{USAGE.get(role, role)}的“{wanted}”→ {source.family}")
        if not parts:
            return []
        return ["字体替代：本机没有公文字体，PDF 以替代字体绘制：" + "；".join(parts)
                + "。如有正式字体文件，请用 --font-dir 指定其所在目录（docgen fonts 查看各角色所用字体）"]

    def take_fallbacks(self) -> list[Fallback]:
        """The fallbacks recorded since the last call (per document, in a long-running process)."""
        taken = list(self.fallbacks)
        self.fallbacks.clear()
        self._recorded.clear()
        return taken

    # --- coverage checks ------------------------------------------------------------------------
    def prepare(self, items: Iterable[tuple[str, str]]) -> None:
        """Build the supplements a document needs in one go: ``items`` are (text, role) pairs."""
        needed: dict[str, set[str]] = {}
        for text, role in items:
            face = self.face(role)
            for char in set(text):
                if not face.has(char) and not (role in CJK_ROLES and is_latin(char)) and _drawn(char):
                    needed.setdefault(role, set()).add(char)
        for role, chars in needed.items():
            self._supplement_for(role, chars)
            if role != "songti":  # characters the role's face lacks may come from 宋体
                rest = {c for c in chars if self._supplement_for(role, [c], c) is None}
                if rest:
                    self._supplement_for("songti", rest)

    def check(self, text: str, role: str, where: str) -> None:
        """Raise FontError if any character of ``text`` has no glyph in any font."""
        self.check_all([(text, role, where)])

    def check_all(self, items: Iterable[tuple[str, str, str]]) -> None:
        """Check a whole document: ``items`` are (text, role, where) with ``where`` a location label
        such as “第 3 段”. Raises one FontError listing every missing character and where it is."""
        items = list(items)
        self.prepare((text, role) for text, role, _ in items)
        missing: dict[str, list[str]] = {}
        found: set[tuple[str, str]] = set()  # asking face_for again would change nothing
        for text, role, where in items:
            for char in text:
                if (role, char) in found or not _drawn(char):
                    continue
                try:
                    self.face_for(role, char)
                    found.add((role, char))
                except FontError:
                    places = missing.setdefault(char, [])
                    if where not in places:
                        places.append(where)
        if missing:
            raise FontError([Problem(_missing_message(c, places)) for c, places in missing.items()])


_LOADED: dict[tuple, FontSet] = {}
_TOLD: set[tuple[str, str, int]] = set()  # stand-in notices already given in this process


def load_fontset(profile, font_dir=None) -> FontSet:
    """The PDF fonts for a profile (resolved and registered once per process): the FontSet the
    layout measures with and both writers agree on."""
    return FontSet.load(profile, font_dir=Path(font_dir) if font_dir else None, paths=profile.font_paths())


def _drawn(char: str) -> bool:
    """Control characters (line breaks, tabs) are layout instructions, not glyphs."""
    return unicodedata.category(char) != "Cc"


def _missing_message(char: str, places: list[str]) -> str:
    name = unicodedata.name(char, "")
    label = f"“{char}”（U+{ord(char):04X}{' ' + name if name else ''}）"
    where = ""
    if places:
        shown = "、".join(places[:5])
        where = f"，出现在{shown}" + (f" 等 {len(places)} 处" if len(places) > 5 else "")
    return f"字符{label}在所有可用字体中都没有字形{where}；请换用其他字符，或用 --font-dir 提供含此字的字体"


def clear_cache() -> None:
    """Forget loaded FontSets (tests that switch the font cache or font directory)."""
    _LOADED.clear()
    _TOLD.clear()


def document_font_roles(document, profile) -> set[str]:
    """The font roles a document's text is set in (spans of every block, page numbers)."""
    from docgen.model import Block

    roles = {profile.style("page_number").font}
    blocks = [e for e in document.blocks if isinstance(e, Block)]
    for attachment in document.attachments:
        blocks += [e for e in attachment.blocks if isinstance(e, Block)]
    for block in blocks:
        for span in block.spans:
            try:
                roles.add(profile.style(span.style).font)
            except FontError:
                pass
    if document.header is not None:
        roles.update(profile.style(s).font for s in ("issuer_mark", "issue_number"))
    return roles
