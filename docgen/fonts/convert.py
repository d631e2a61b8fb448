"""The one-time font build: CFF faces (Noto CJK, or an official .otf) → TrueType subsets in a cache.

reportlab embeds TrueType outlines only, and every Noto CJK face is CFF. We draw each glyph of the
core charset (ASCII + GB2312 + punctuation, see README.md for why not all of GBK) through
``Cu2QuPen(TTGlyphPen)`` (measurements §4) and assemble a new ``glyf``-based font around the
source's metrics and names; rarer characters go into an on-demand supplement per face. The glyphs are converted in parallel
chunks (one process per core); assembling and saving a face happens in the calling process.

Files are named ``<face>-<key>.ttf``; the key hashes the source file's path, size and mtime plus the
charset and converter versions, so an updated system font or a changed charset rebuilds.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import FontError
from docgen.fonts import charset
from docgen.fonts.resolve import FontSource, resolve_all

CONVERTER_VERSION = "1"
MAX_ERR = 1.0  # font units; cu2qu's default, invisible at 1000 upem
CHUNK_GLYPHS = 1500

Progress = Callable[[str, int, int], None]


def cache_dir() -> Path:
    """Where built fonts live: the top of docgen's cache folder (``$DOCGEN_FONT_CACHE``, else
    ``~/.cache/docgen/fonts``)."""
    from docgen import cache

    return cache.root()


def cache_key(source: FontSource) -> str:
    try:
        st = source.path.stat()
    except OSError as exc:
        raise FontError(f"无法读取字体文件 {source.path}：{exc.strerror}") from None
    text = "|".join(map(str, (source.path.resolve(), st.st_size, st.st_mtime_ns, source.index,
                              charset.CHARSET_VERSION, CONVERTER_VERSION)))
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def built_path(source: FontSource) -> Path:
    return cache_dir() / f"{source.label}-{cache_key(source)}.ttf"


def is_built(source: FontSource) -> bool:
    return built_path(source).is_file()


def _role_sources(profile=None, font_dir: Path | None = None,
                  paths: dict[str, Path] | None = None) -> list[FontSource]:
    """The distinct faces the roles resolve to (fangsong and songti share Noto Serif Regular)."""
    if profile is None:
        from docgen.style.profile import load_profile

        profile = load_profile()
    sources = resolve_all(profile.fonts.model_dump(), font_dir, paths)
    unique: dict[tuple[Path, int], FontSource] = {}
    for source in sources.values():
        unique.setdefault((source.path, source.index), source)
    return list(unique.values())


def sources_to_build(profile=None, font_dir: Path | None = None,
                     paths: dict[str, Path] | None = None) -> list[FontSource]:
    """The distinct CFF faces the roles resolve to."""
    return [s for s in _role_sources(profile, font_dir, paths) if s.needs_build]


# --- trimmed TrueType faces -----------------------------------------------------------------
# reportlab copies a face's hinting programs and its whole name table into every subset it embeds:
# AR PL KaitiM's 43 KB name table and Liberation Serif's instructions cost ~40 KB in each PDF.
# The build keeps a copy of each TrueType role face without hinting and with only names 1–6; the
# outlines, metrics and character map are unchanged, so layout and line breaks are too.


def trimmed_path(source: FontSource) -> Path:
    return cache_dir() / f"{source.label}-{cache_key(source)}.trim.ttf"


def trim_truetype(source: FontSource, out: Path) -> None:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(str(source.path), fontNumber=source.index)
    options = subset.Options()
    options.hinting = False
    options.name_IDs = [1, 2, 3, 4, 5, 6]
    options.name_languages = ["*"]
    options.retain_gids = True
    options.notdef_outline = True
    options.glyph_names = False
    options.layout_features = []
    options.drop_tables += ["kern", "mort", "morx", "vhea", "vmtx", "hdmx", "VDMX", "LTSH", "FFTM", "DSIG"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=font.getBestCmap().keys())
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    from docgen.output import write_atomic

    write_atomic(out, buffer.getvalue())


def build(progress: Progress | None = None, force: bool = False, *, profile=None,
          font_dir: Path | None = None, paths: dict[str, Path] | None = None,
          workers: int | None = None) -> list[Path]:
    """Convert every CFF face the roles need (skipping those already in the cache unless ``force``).

    ``progress(face_label, done, total)`` is called from this thread as glyph chunks finish
    (``done == total`` once the face's file is written). Returns the built files of all needed faces.
    """
    everything = _role_sources(profile, font_dir, paths)
    sources = [s for s in everything if s.needs_build]
    todo = [s for s in sources if force or not is_built(s)]
    for source in sources:
        if source not in todo and progress is not None:
            progress(source.label, 1, 1)
    if todo:
        chars = sorted(charset.core_charset())
        convert_faces([(s, chars, built_path(s)) for s in todo], progress, workers)
    trimmed = []
    for source in (s for s in everything if not s.needs_build):
        out = trimmed_path(source)
        if force or not out.is_file():
            if progress is not None:
                progress(source.label, 0, 1)
            trim_truetype(source, out)
        if progress is not None:
            progress(source.label, 1, 1)
        trimmed.append(out)
    return [built_path(s) for s in sources] + trimmed


# --- on-demand supplement ------------------------------------------------------------------
# The up-front build holds GB2312. A character outside it that the source face has (the rest of
# GBK, CJK Ext-A …) goes into a small per-face supplement, rebuilt as a superset when a document
# needs more: ``<label>-<key>.sup-<digest>.ttf``, with ``<label>-<key>.sup.json`` naming the newest.
# Files are content-addressed, so processes that build at the same time never overwrite each
# other's font; at worst one of them rebuilds later.


def source_cmap(source: FontSource) -> dict[int, str]:
    """The source face's cmap (loaded once per process)."""
    return _load(str(source.path), source.index).getBestCmap() or {}


def _supplement_index(source: FontSource) -> Path:
    return cache_dir() / f"{source.label}-{cache_key(source)}.sup.json"


def current_supplement(source: FontSource) -> tuple[Path, frozenset[str]] | None:
    """The newest supplement of a face in the cache, with the characters it holds."""
    try:
        data = json.loads(_supplement_index(source).read_text("utf-8"))
        path = cache_dir() / data["file"]
        chars = frozenset(data["chars"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (path, chars) if path.is_file() else None


def ensure_supplement(source: FontSource, chars: Iterable[str]) -> tuple[Path, frozenset[str]] | None:
    """A supplement of ``source`` holding ``chars`` (those the source face has at all) and every
    character of the current supplement. Returns None when the face has none of ``chars``."""
    cmap = source_cmap(source)
    wanted = {c for c in chars if ord(c) in cmap}
    current = current_supplement(source)
    have = current[1] if current else frozenset()
    if not wanted - have:
        return current if wanted else None
    holds = frozenset(have | wanted)
    digest = hashlib.sha256("".join(sorted(holds)).encode()).hexdigest()[:12]
    out = cache_dir() / f"{source.label}-{cache_key(source)}.sup-{digest}.ttf"
    if not out.is_file():
        convert_faces([(source, sorted(holds), out)], workers=1, core=False)
    index = _supplement_index(source)
    tmp = index.with_name(f".{index.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"file": out.name, "chars": "".join(sorted(holds))}, ensure_ascii=False), "utf-8")
    os.replace(tmp, index)
    _prune_supplements(source, keep=out)
    return out, holds


def _prune_supplements(source: FontSource, keep: Path, min_age_s: float = 600) -> None:
    """Delete superseded supplements once they are old enough that no other process is about to
    open one it read from the index a moment ago."""
    now = time.time()
    for old in cache_dir().glob(f"{source.label}-{cache_key(source)}.sup-*.ttf"):
        try:
            if old != keep and now - old.stat().st_mtime > min_age_s:
                old.unlink()
        except OSError:
            continue


# ------------------------------------------------------------------------------------------
@dataclass
class _FacePlan:
    source: FontSource
    out: Path
    cmap: dict[int, str]
    order: list[str]
    results: dict[str, tuple]
    started: float
    core: bool = True
    pending: int = 0


def _plan(source: FontSource, chars: Iterable[str], out: Path, core: bool = True) -> _FacePlan:
    font = _load(str(source.path), source.index)
    best = font.getBestCmap() or {}
    cmap = {ord(c): best[ord(c)] for c in chars if ord(c) in best}
    names = sorted(set(cmap.values()), key=font.getGlyphID)
    order = [".notdef"] + [n for n in names if n != ".notdef"]
    return _FacePlan(source, out, cmap, order, {}, time.perf_counter(), core)


def convert_faces(jobs: list[tuple[FontSource, Iterable[str], Path]], progress: Progress | None = None,
                  workers: int | None = None, core: bool = True) -> list[Path]:
    """Convert each (source, characters, output file) to a TrueType subset; returns the files."""
    for out in {out.parent for _, _, out in jobs}:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise FontError(f"无法创建字体缓存目录 {out}：{exc.strerror}") from None
    plans = [_plan(source, chars, out, core) for source, chars, out in jobs]
    chunks = [(plan, plan.order[i:i + CHUNK_GLYPHS]) for plan in plans
              for i in range(0, len(plan.order), CHUNK_GLYPHS)]
    for plan in plans:
        plan.pending = sum(1 for p, _ in chunks if p is plan)
        if progress is not None:
            progress(plan.source.label, 0, len(plan.order))

    def finished(plan: _FacePlan, chunk: list) -> None:
        plan.results.update((r[0], r) for r in chunk)
        plan.pending -= 1
        total = len(plan.order)
        if plan.pending == 0:
            _assemble(plan)
            if progress is not None:
                progress(plan.source.label, total, total)
        elif progress is not None:
            progress(plan.source.label, min(len(plan.results), total - 1), total)

    workers = min(workers or os.cpu_count() or 1, len(chunks))
    if workers <= 1:
        for plan, names in chunks:
            finished(plan, _convert_chunk(str(plan.source.path), plan.source.index, names))
    else:
        from concurrent.futures import ProcessPoolExecutor, as_completed

        with ProcessPoolExecutor(workers, mp_context=_mp_context(), initializer=_worker_init) as pool:
            futures = {pool.submit(_convert_chunk, str(plan.source.path), plan.source.index, names): plan
                       for plan, names in chunks}
            for future in as_completed(futures):
                finished(futures[future], future.result())
    return [plan.out for plan in plans]


def _mp_context():
    """fork on Linux: spawn would re-run ``python -m docgen``'s unguarded ``__main__``. Children
    open their own font files (``_worker_init``), so no file offset is shared with the parent."""
    import multiprocessing
    import sys

    return multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")


def _worker_init() -> None:
    _SOURCES.clear()


# --- worker side ----------------------------------------------------------------------------
_SOURCES: dict[tuple[str, int], object] = {}


def _load(path: str, index: int):
    """Open a source face once per process (lazy: tables and glyphs are read when used)."""
    from fontTools.ttLib import TTFont

    key = (path, index)
    if key not in _SOURCES:
        _SOURCES[key] = TTFont(path, fontNumber=index, lazy=True)
    return _SOURCES[key]


def _convert_chunk(path: str, index: int, names: list[str]) -> list[tuple]:
    """Draw ``names`` through cu2qu; each result is (name, glyf bytes, xMin, points, contours, bbox)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    glyph_set = _load(path, index).getGlyphSet()
    out = []
    for name in names:
        pen = TTGlyphPen(None)
        glyph_set[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyph = pen.glyph()
        data = glyph.compile(None, True)
        if glyph.numberOfContours > 0:
            bbox = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
            out.append((name, data, glyph.xMin, len(glyph.coordinates), glyph.numberOfContours, bbox))
        else:
            out.append((name, b"", 0, 0, 0, None))
    return out


# --- assembly ---------------------------------------------------------------------------------
def _assemble(plan: _FacePlan) -> None:
    """A new TrueType font: converted glyphs + the source's head/hhea/OS/2/name/post metrics."""
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._c_m_a_p import CmapSubtable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    src = _load(str(plan.source.path), plan.source.index)
    font = TTFont(recalcBBoxes=False, recalcTimestamp=False)
    font.setGlyphOrder(plan.order)
    results = [plan.results[name] for name in plan.order]
    boxes = [r[5] for r in results if r[5] is not None]

    head = font["head"] = copy.deepcopy(src["head"])
    head.glyphDataFormat = 0
    head.xMin = min(b[0] for b in boxes)
    head.yMin = min(b[1] for b in boxes)
    head.xMax = max(b[2] for b in boxes)
    head.yMax = max(b[3] for b in boxes)
    font["hhea"] = copy.deepcopy(src["hhea"])
    font["OS/2"] = copy.deepcopy(src["OS/2"])
    font["name"] = copy.deepcopy(src["name"])

    glyf = font["glyf"] = newTable("glyf")
    font["loca"] = newTable("loca")
    glyf.glyphOrder = plan.order
    glyf.glyphs = {r[0]: Glyph(r[1]) for r in results}

    src_hmtx = src["hmtx"]
    hmtx = font["hmtx"] = newTable("hmtx")
    hmtx.metrics = {r[0]: (src_hmtx[r[0]][0], r[2]) for r in results}

    cmap = font["cmap"] = newTable("cmap")
    cmap.tableVersion = 0
    cmap.tables = []
    for platform, encoding in ((0, 3), (3, 1)):
        sub = CmapSubtable.newSubtable(4)
        sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
        sub.cmap = {cp: name for cp, name in plan.cmap.items() if cp <= 0xFFFF}
        cmap.tables.append(sub)
    wide = {cp: name for cp, name in plan.cmap.items() if cp > 0xFFFF}
    if wide:
        for platform, encoding in ((0, 4), (3, 10)):
            sub = CmapSubtable.newSubtable(12)
            sub.platformID, sub.platEncID, sub.language = platform, encoding, 0
            sub.cmap = dict(plan.cmap)
            cmap.tables.append(sub)

    maxp = font["maxp"] = newTable("maxp")
    maxp.tableVersion = 0x00010000
    maxp.numGlyphs = len(plan.order)
    maxp.maxPoints = max(r[3] for r in results)
    maxp.maxContours = max(r[4] for r in results)
    maxp.maxZones = 1
    for field in ("maxCompositePoints", "maxCompositeContours", "maxTwilightPoints", "maxStorage",
                  "maxFunctionDefs", "maxInstructionDefs", "maxStackElements", "maxSizeOfInstructions",
                  "maxComponentElements", "maxComponentDepth"):
        setattr(maxp, field, 0)

    if not plan.core:
        _rename_postscript(font, "S" + hashlib.sha256(plan.out.name.encode()).hexdigest()[:8])

    src_post = src["post"]
    post = font["post"] = newTable("post")
    post.formatType = 2.0
    for field in ("italicAngle", "underlinePosition", "underlineThickness", "isFixedPitch"):
        setattr(post, field, getattr(src_post, field))
    post.minMemType42 = post.maxMemType42 = post.minMemType1 = post.maxMemType1 = 0
    post.extraNames = []
    post.mapping = {}

    tmp = plan.out.with_name(f".{plan.out.name}.{os.getpid()}.tmp")
    try:
        font.save(str(tmp))
        os.replace(tmp, plan.out)
    finally:
        tmp.unlink(missing_ok=True)
    if plan.core:
        _write_meta(plan)
        _prune(plan)


def _rename_postscript(font, suffix: str) -> None:
    """Give a supplement its own PostScript name: reportlab treats two fonts with the same
    PostScript name as one (``pdfmetrics.registerFont`` aliases them), which would draw the
    supplement's characters from the core font's subset."""
    name = font["name"]
    ps = name.getDebugName(6) or "Font"
    new = f"{ps[:54]}-{suffix}"
    for record in [r for r in name.names if r.nameID == 6]:
        name.setName(new, 6, record.platformID, record.platEncID, record.langID)


def _write_meta(plan: _FacePlan) -> None:
    meta = {
        "source": str(plan.source.path), "index": plan.source.index, "family": plan.source.family,
        "role": plan.source.role, "charset": charset.CHARSET_VERSION, "characters": len(plan.cmap),
        "glyphs": len(plan.order), "seconds": round(time.perf_counter() - plan.started, 1),
        "bytes": plan.out.stat().st_size,
    }
    plan.out.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1), "utf-8")


def _prune(plan: _FacePlan) -> None:
    """Remove older builds of the same face (another source mtime or charset version), with their
    supplements: ``<label>-<key>.ttf``, ``<label>-<key>.json``, ``<label>-<key>.sup*``."""
    label, current = plan.source.label, plan.out.stem
    for old in plan.out.parent.glob(f"{label}-*"):
        stem = old.name.split(".")[0]
        if stem != current and stem.rsplit("-", 1)[0] == label:
            old.unlink(missing_ok=True)
