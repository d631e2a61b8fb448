"""fontconfig as a font catalogue: list installed faces and look a family up *literally*.

``fc-match 仿宋_GB2312`` always answers with something (DejaVu Sans on a bare Linux box), so it
cannot tell whether the official font is installed. We read ``fc-list`` once and compare family
names ourselves.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

_FORMAT = "%{file}\\t%{index}\\t%{family}\\t%{style}\\t%{fontformat}\\n"
_UNESCAPED_COMMA = re.compile(r"(?<!\\),")


@dataclass(frozen=True)
class FcFace:
    """One face as fontconfig lists it."""

    file: Path
    index: int
    families: tuple[str, ...]  # every name, localized ones included ("AR PL KaitiM GB", "文鼎ＰＬ简中楷")
    styles: tuple[str, ...]
    fontformat: str  # "TrueType" or "CFF"

    @property
    def family(self) -> str:
        return self.families[0] if self.families else self.file.stem


def normalise_family(name: str) -> str:
    """Family names compare case-insensitively and ignoring spaces ("Times New Roman" = "TimesNewRoman")."""
    return "".join(name.split()).casefold()


def available() -> bool:
    return shutil.which("fc-list") is not None


def _split(field: str) -> tuple[str, ...]:
    return tuple(p.replace("\\,", ",").strip() for p in _UNESCAPED_COMMA.split(field) if p.strip())


def parse_fc_list(output: str) -> list[FcFace]:
    faces = []
    for line in output.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or not parts[0]:
            continue
        file, index, families, styles, fontformat = parts
        try:
            idx = int(index or 0)
        except ValueError:
            continue
        faces.append(FcFace(Path(file), idx, _split(families), _split(styles), fontformat))
    return faces


@lru_cache(maxsize=1)
def list_faces() -> tuple[FcFace, ...]:
    """Every face fontconfig knows (empty when fontconfig is not installed). Cached per process."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return ()
    # fc-list's answer is kept in the cache folder, keyed by what fontconfig itself rescans when
    # it changes: the modification times of the font and configuration folders (every
    # subfolder), its cache folders and the FONTCONFIG_* variables.
    from docgen import cache

    key = cache.key("fc-list", fc_list, _FORMAT, *_fontconfig_state())
    faces = cache.load("fontconfig", key)
    if isinstance(faces, tuple) and all(isinstance(face, FcFace) for face in faces):
        return faces
    import subprocess  # only when fontconfig's answer is not cached (≈ 3 ms of a cold render otherwise)

    try:
        done = subprocess.run(
            [fc_list, "--format", _FORMAT], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return ()
    faces = tuple(parse_fc_list(done.stdout))
    if done.returncode == 0:
        cache.store("fontconfig", key, faces)
    return faces


def _fontconfig_state() -> list[str]:
    import os

    home = Path.home()
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    cache_home = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    roots = [Path("/etc/fonts"), Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".fonts",
             data_home / "fonts", Path("/var/cache/fontconfig"), cache_home / "fontconfig",
             config_home / "fontconfig"]
    state = [f"{name}={os.environ.get(name, '')}" for name in
             ("FONTCONFIG_FILE", "FONTCONFIG_PATH", "FONTCONFIG_SYSROOT", "HOME")]
    pending = [str(root) for root in roots]
    while pending:
        folder = pending.pop()
        try:
            stat = os.stat(folder)
            entries = os.scandir(folder)
        except OSError:
            state.append(f"{folder}:-")
            continue
        state.append(f"{folder}:{stat.st_mtime_ns}")
        with entries:
            for entry in entries:
                try:
                    if entry.is_dir():
                        pending.append(entry.path)
                    elif entry.name.endswith(".conf"):  # configuration files are edited in place
                        state.append(f"{entry.path}:{entry.stat().st_mtime_ns}")
                except OSError:
                    continue
    return state


def find_family(names: list[str] | tuple[str, ...], style: str | None = None) -> FcFace | None:
    """The first installed face whose family is literally one of ``names`` (in the order given).

    ``style`` (e.g. "Bold") must then be one of the face's styles; without it, a Regular-like face is
    preferred over Bold/Italic ones.
    """
    by_family = _by_family()
    for name in names:
        hits = by_family.get(normalise_family(name), [])
        if style is not None:
            wanted = normalise_family(style)
            hits = [f for f in hits if any(normalise_family(s) == wanted for s in f.styles)]
        if hits:
            return min(hits, key=_regular_first)
    return None


_INDEX: tuple[tuple[FcFace, ...], dict[str, list[FcFace]]] = ((), {})  # (face list, its index)


def _by_family() -> dict[str, list[FcFace]]:
    """The installed faces by normalised family name, in fc-list's order; built once per face list
    (a render looks up a dozen names among some 75 faces × their localized names)."""
    global _INDEX
    faces = list_faces()
    if _INDEX[0] is not faces:
        index: dict[str, list[FcFace]] = {}
        for face in faces:
            for family in dict.fromkeys(normalise_family(name) for name in face.families):
                index.setdefault(family, []).append(face)
        _INDEX = (faces, index)
    return _INDEX[1]


_REGULAR = {"regular", "normal", "book", "roman", "medium", "standard", "常规"}


def _regular_first(face: FcFace) -> tuple[int, str, int]:
    regular = any(normalise_family(s) in _REGULAR for s in face.styles)
    return (0 if regular else 1, str(face.file), face.index)


def match(pattern: str) -> tuple[Path, str] | None:
    """``fc-match``'s answer (file, family) — for diagnostics only: it falls back silently."""
    if not available():
        return None
    import subprocess

    try:
        done = subprocess.run(
            ["fc-match", "--format", "%{file}\\t%{family}", pattern],
            capture_output=True, text=True, timeout=30, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    file, _, family = done.stdout.partition("\t")
    return (Path(file), family.split(",")[0]) if file else None
