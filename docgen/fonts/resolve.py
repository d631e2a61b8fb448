"""Role → font file: explicit paths, then a ``--font-dir``, then the official fonts installed on the
system, then the free defaults from Debian packages.

The .docx names the official family (收文方的电脑用它自己的字体); the PDF embeds whatever this
module finds, and says so when it is a substitute.
"""

from __future__ import annotations

import json

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from docgen.errors import FontError
from docgen.fonts import fontconfig

ROLES = ("xiaobiaosong", "fangsong", "heiti", "kaiti", "songti", "latin")
CJK_ROLES = ("xiaobiaosong", "fangsong", "heiti", "kaiti", "songti")

# What each role is used for (for reports).
USAGE = {
    "xiaobiaosong": "标题（小标宋）",
    "fangsong": "正文（仿宋）",
    "heiti": "一级标题（黑体）",
    "kaiti": "二级标题、署名、日期（楷体）",
    "songti": "页码（宋体）",
    "latin": "西文字母与数字",
}

FONT_SUFFIXES = (".ttf", ".otf", ".ttc", ".otc")


@dataclass(frozen=True)
class Official:
    """The official (Windows / 方正) font of a role: family names and usual file names."""

    families: tuple[str, ...]
    files: tuple[str, ...]


OFFICIAL: dict[str, Official] = {
    "xiaobiaosong": Official(
        ("方正小标宋简体", "FZXiaoBiaoSong-B05S", "方正小标宋_GBK", "FZXiaoBiaoSong-B05"),
        ("FZXBSJW.TTF", "FZXBSK.TTF", "方正小标宋简体.ttf", "方正小标宋_GBK.ttf"),
    ),
    "fangsong": Official(
        ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong"),
        ("仿宋_GB2312.ttf", "FS_GB2312.ttf", "simfang.ttf"),
    ),
    "kaiti": Official(
        ("楷体_GB2312", "KaiTi_GB2312", "楷体", "KaiTi"),
        ("楷体_GB2312.ttf", "KAITI_GB2312.TTF", "simkai.ttf"),
    ),
    "heiti": Official(("黑体", "SimHei"), ("simhei.ttf",)),
    "songti": Official(("宋体", "SimSun"), ("simsun.ttc", "simsun.ttf")),
    "latin": Official(("Times New Roman", "TimesNewRomanPSMT"), ("times.ttf", "Times New Roman.ttf")),
}


@dataclass(frozen=True)
class FreeDefault:
    """A free stand-in from a Debian package: family + style as fontconfig lists them, the usual
    Debian path (used when fontconfig is absent), and the package to install."""

    family: str
    style: str
    debian_path: str
    index: int
    package: str


_NOTO = "/usr/share/fonts/opentype/noto/"
# Where `make fandol-fonts` puts the Fandol faces it extracts from Debian's texlive-lang-chinese.
FANDOL_DIR = "/usr/local/share/fonts/fandol/"
FANDOL_PACKAGE = "Fandol 字体（texlive-lang-chinese，运行 make fandol-fonts）"
DEFAULTS: dict[str, FreeDefault] = {
    "xiaobiaosong": FreeDefault("Noto Serif CJK SC", "Bold", _NOTO + "NotoSerifCJK-Bold.ttc", 2, "fonts-noto-cjk"),
    # A free simplified 仿宋 (GB2312 coverage; rarer characters fall back per character).
    "fangsong": FreeDefault("FandolFang", "Regular", FANDOL_DIR + "FandolFang-Regular.otf", 0, FANDOL_PACKAGE),
    "heiti": FreeDefault("Noto Sans CJK SC", "Regular", _NOTO + "NotoSansCJK-Regular.ttc", 2, "fonts-noto-cjk"),
    "kaiti": FreeDefault(
        "AR PL KaitiM GB", "Regular", "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0,
        "fonts-arphic-gkai00mp",
    ),
    "songti": FreeDefault("Noto Serif CJK SC", "Regular", _NOTO + "NotoSerifCJK-Regular.ttc", 2, "fonts-noto-cjk"),
    "latin": FreeDefault(
        "Liberation Serif", "Regular", "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 0,
        "fonts-liberation2",
    ),
}

# Second choices when a default is not installed (Fandol comes from outside the Debian font
# packages): the Song design is the closest stand-in for 仿宋 that fonts-noto-cjk has.
ALTERNATES: dict[str, tuple[FreeDefault, ...]] = {
    "fangsong": (FreeDefault("Noto Serif CJK SC", "Regular", _NOTO + "NotoSerifCJK-Regular.ttc", 2,
                             "fonts-noto-cjk"),),
}

# Per-character fallback for anything outside a role's face (rare hanzi beyond GBK, odd symbols).
FALLBACK = FreeDefault(
    "WenQuanYi Zen Hei", "Regular", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "fonts-wqy-zenhei"
)

Origin = Literal["paths", "font_dir", "system", "default", "fallback"]


@dataclass(frozen=True)
class FontSource:
    """Where a role's glyphs come from, before any conversion."""

    role: str
    path: Path
    index: int  # face inside a .ttc/.otc collection
    family: str
    official: bool  # the official font of the role (by family name), not a stand-in
    origin: Origin
    outline: Literal["truetype", "cff"]

    @property
    def needs_build(self) -> bool:
        """reportlab embeds TrueType outlines only; CFF faces are converted once into the cache."""
        return self.outline == "cff"

    @property
    def label(self) -> str:
        """A short, file-name-safe name of the face, e.g. ``NotoSerifCJK-Bold-2``."""
        stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in self.path.stem)
        return f"{stem}-{self.index}" if self.path.suffix.lower() in (".ttc", ".otc") else stem


# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FaceInfo:
    families: tuple[str, ...]
    styles: tuple[str, ...]
    outline: Literal["truetype", "cff"] | None  # None: not a font reportlab or the build can use


def inspect_face(path: Path, index: int = 0) -> FaceInfo:
    """Family names (every language), style names and outline format of one face of a font file."""
    try:
        st = path.stat()
    except OSError as exc:
        raise FontError(f"无法读取字体文件 {path}：{exc.strerror}") from None
    key = f"{path}|{index}|{st.st_size}|{st.st_mtime_ns}"
    known = _known_faces()
    if key not in known:
        info = _inspect(str(path), index, st.st_size, st.st_mtime_ns)
        known[key] = [list(info.families), list(info.styles), info.outline]
        _save_known_faces(known)
    families, styles, outline = known[key]
    return FaceInfo(tuple(families), tuple(styles), outline)


# What inspect_face found, kept beside the font cache: reading name tables with fontTools costs
# ~120 ms per process (import included) for the six default faces, every cold start.
_KNOWN: dict[str, list] = {}


def _known_faces_file() -> Path:
    from docgen.fonts.convert import cache_dir

    return cache_dir() / "faces.json"


def _known_faces() -> dict[str, list]:
    if not _KNOWN:
        try:
            _KNOWN.update(json.loads(_known_faces_file().read_text(encoding="utf-8")))
        except (OSError, ValueError):
            pass
    return _KNOWN


def _save_known_faces(known: dict[str, list]) -> None:
    try:
        from docgen.output import write_atomic

        write_atomic(_known_faces_file(), json.dumps(known, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a read-only cache only costs speed


@lru_cache(maxsize=512)
def _inspect(path: str, index: int, _size: int, _mtime_ns: int) -> FaceInfo:
    from fontTools.ttLib import TTFont, TTLibError

    try:
        font = TTFont(str(path), fontNumber=index, lazy=True)
    except (TTLibError, OSError, AssertionError, IndexError, ValueError) as exc:
        raise FontError(f"无法读取字体文件 {path}：{exc}") from None
    with font:
        families: list[str] = []
        styles: list[str] = []
        if "name" in font:
            for rec in font["name"].names:
                try:
                    text = rec.toUnicode().strip()
                except UnicodeDecodeError:
                    continue
                bucket = families if rec.nameID in (1, 16) else styles if rec.nameID in (2, 17) else None
                if bucket is not None and text and text not in bucket:
                    bucket.append(text)
        if "glyf" in font:
            outline = "truetype"
        elif "CFF " in font:
            outline = "cff"
        else:
            outline = None
    return FaceInfo(tuple(families), tuple(styles), outline)


def face_count(path: Path) -> int:
    if path.suffix.lower() not in (".ttc", ".otc"):
        return 1
    from fontTools.ttLib import TTCollection

    try:
        with TTCollection(str(path), lazy=True) as coll:
            return len(coll.fonts)
    except Exception:  # noqa: BLE001 - an unreadable collection is simply skipped
        return 0


def _matches(info: FaceInfo, names: tuple[str, ...] | list[str]) -> str | None:
    wanted = {fontconfig.normalise_family(n): n for n in names}
    for fam in info.families:
        if fontconfig.normalise_family(fam) in wanted:
            return fam
    return None


def _source(role: str, path: Path, index: int, info: FaceInfo, family: str, official: bool,
            origin: Origin) -> FontSource:
    if info.outline is None:
        raise FontError(f"{path} 不是可用的 TrueType/OpenType 字体")
    return FontSource(role, path, index, family, official, origin, info.outline)


def official_names(role: str, profile_family: str | None) -> tuple[str, ...]:
    """The profile's family first (a unit may name 方正仿宋_GBK), then the built-in aliases."""
    names = list(OFFICIAL[role].families)
    if profile_family and profile_family not in names:
        names.insert(0, profile_family)
    return tuple(names)


# ------------------------------------------------------------------------------------------
def system_font_dirs() -> list[Path]:
    """Folders where Windows and macOS keep fonts (fontconfig covers Linux)."""
    dirs: list[Path] = []
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR", r"C:\Windows")
        dirs.append(Path(windir) / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        dirs += [Path("/Library/Fonts"), Path.home() / "Library" / "Fonts", Path("/System/Library/Fonts"),
                 Path("/System/Library/Fonts/Supplemental")]
    return [d for d in dirs if d.is_dir()]


def _font_files(folder: Path) -> list[Path]:
    files = []
    for root, _dirs, names in os.walk(folder):
        for name in names:
            if name.lower().endswith(FONT_SUFFIXES):
                files.append(Path(root) / name)
    return sorted(files)


def scan_dir(folder: Path, names: tuple[str, ...], style: str | None = None) -> tuple[Path, int, FaceInfo, str] | None:
    """The first face in ``folder`` (recursively) whose family is literally one of ``names``."""
    best = None
    for file in _font_files(folder):
        for index in range(face_count(file)):
            try:
                info = inspect_face(file, index)
            except FontError:
                continue
            family = _matches(info, names)
            if family is None or info.outline is None:
                continue
            if style is not None and not any(
                fontconfig.normalise_family(s) == fontconfig.normalise_family(style) for s in info.styles
            ):
                continue
            rank = names.index(next(n for n in names if fontconfig.normalise_family(n)
                                    == fontconfig.normalise_family(family)))
            if best is None or rank < best[0]:
                best = (rank, (file, index, info, family))
    return best[1] if best else None


def _find_by_filename(folders: list[Path], files: tuple[str, ...]) -> list[Path]:
    found = []
    for folder in folders:
        try:
            present = {p.name.casefold(): p for p in folder.iterdir()}
        except OSError:
            continue
        for name in files:
            hit = present.get(name.casefold())
            if hit is not None:
                found.append(hit)
    return found


def find_official(role: str, profile_family: str | None) -> FontSource | None:
    """The role's official font if the system has it (fontconfig, then Windows/macOS folders)."""
    names = official_names(role, profile_family)
    face = fontconfig.find_family(names)
    if face is not None and face.file.is_file():
        info = inspect_face(face.file, face.index)
        if info.outline is not None:
            return _source(role, face.file, face.index, info, _matches(info, names) or face.family, True, "system")
    for file in _find_by_filename(system_font_dirs(), OFFICIAL[role].files):
        for index in range(face_count(file)):
            info = inspect_face(file, index)
            family = _matches(info, names)
            if family and info.outline is not None:  # the literal family check: never trust a file name
                return _source(role, file, index, info, family, True, "system")
    return None


def find_default(spec: FreeDefault, role: str, font_dir: Path | None = None) -> FontSource | None:
    """A free default face: from ``font_dir`` if it holds one, else fontconfig, else the Debian path."""
    origin: Origin = "fallback" if spec is FALLBACK else "default"
    if font_dir is not None:
        hit = scan_dir(font_dir, (spec.family,), spec.style)
        if hit:
            file, index, info, family = hit
            return _source(role, file, index, info, family, False, origin)
    # The Debian path first (deterministic: fonts-liberation and fonts-liberation2 both install a
    # "Liberation Serif"), then wherever fontconfig has the family.
    candidates = [(Path(spec.debian_path), spec.index)]
    face = fontconfig.find_family((spec.family,), spec.style)
    if face is not None:
        candidates.append((face.file, face.index))
    for file, index in candidates:
        if file.is_file():
            info = inspect_face(file, index)
            if _matches(info, (spec.family,)) and info.outline is not None:
                return _source(role, file, index, info, spec.family, False, origin)
    return None


def resolve_role(role: str, profile_family: str | None = None, font_dir: Path | None = None,
                 paths: dict[str, Path] | None = None) -> FontSource:
    """Resolve one role: ``paths[role]`` → ``font_dir`` → installed official font → free default."""
    if role not in OFFICIAL:
        raise FontError(f"未知的字体角色“{role}”；可用：{'、'.join(ROLES)}")
    names = official_names(role, profile_family)
    if paths and paths.get(role):
        path = Path(paths[role]).expanduser()
        if not path.is_file():
            raise FontError(f"{USAGE[role]}的字体文件不存在：{path}")
        index = 0
        if path.suffix.lower() in (".ttc", ".otc"):
            # Pick the face named like the official font (simsun.ttc: 0 = SimSun, 1 = NSimSun).
            for i in range(face_count(path)):
                if _matches(inspect_face(path, i), names):
                    index = i
                    break
        info = inspect_face(path, index)
        family = _matches(info, names)
        return _source(role, path, index, info, family or (info.families[0] if info.families else path.stem),
                       family is not None, "paths")
    if font_dir is not None:
        folder = Path(font_dir).expanduser()
        if not folder.is_dir():
            raise FontError(f"字体目录不存在：{folder}")
        hit = scan_dir(folder, names)
        if hit:
            file, index, info, family = hit
            return _source(role, file, index, info, family, True, "font_dir")
    found = find_official(role, profile_family)
    if found is not None:
        return found
    spec = DEFAULTS[role]
    for choice in (spec, *ALTERNATES.get(role, ())):
        found = find_default(choice, role, Path(font_dir).expanduser() if font_dir else None)
        if found is not None:
            return found
    raise FontError(
        f"找不到{USAGE[role]}所用的字体：既没有官方字体（{'、'.join(names)}），"
        f"也没有替代字体 {spec.family} {spec.style}。请安装 {spec.package}，或用 --font-dir 指定字体目录"
    )


def resolve_all(fonts: dict[str, str] | None = None, font_dir: Path | None = None,
                paths: dict[str, Path] | None = None) -> dict[str, FontSource]:
    """Every role, given the profile's family names (``profile.fonts`` as a dict)."""
    fonts = fonts or {}
    return {role: resolve_role(role, fonts.get(role), font_dir, paths) for role in ROLES}


def resolve_fallback(font_dir: Path | None = None) -> FontSource | None:
    return find_default(FALLBACK, "fallback", Path(font_dir).expanduser() if font_dir else None)
