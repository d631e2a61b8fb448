"""``docgen fonts``: which file each role uses, whether it is the official font, what it covers."""

from __future__ import annotations

from pathlib import Path

from docgen.fonts import convert as _build
from docgen.fonts.charset import ascii_chars, gb2312_chars, gbk_chars
from docgen.fonts.resolve import FontSource, USAGE, resolve_all, resolve_fallback

# Column headers for a table view of :func:`report` rows (the CLI may use them).
COLUMNS = {
    "role": "角色",
    "usage": "用途",
    "docx_family": ".docx 字体名",
    "family": "PDF 所用字体",
    "status": "类别",
    "file": "文件",
    "coverage": "覆盖",
    "build": "构建",
}

_NOTES = {
    "fangsong": "以 FandolFang（仿宋字形）代替仿宋_GB2312；GB2312 以外它没有的字改用宋体",
    "xiaobiaosong": "以 Noto Serif CJK SC Bold 代替方正小标宋",
    "heiti": "以 Noto Sans CJK SC 代替黑体",
    "kaiti": "以文鼎 PL 简中楷代替楷体_GB2312；GB2312 以外的字改用宋体",
    "songti": "以 Noto Serif CJK SC 代替宋体",
    "latin": "以 Liberation Serif（与 Times New Roman 等宽）代替",
}
# When the role's first free choice is not installed (resolve.ALTERNATES).
_ALTERNATE_NOTES = {
    ("fangsong", "Noto Serif CJK SC"): "未安装 FandolFang（make fandol-fonts），以宋体（Noto Serif CJK SC）代替仿宋",
}


def _count(cmap: set[int], chars: frozenset[str]) -> int:
    return sum(1 for c in chars if ord(c) in cmap)


def _coverage(source: FontSource) -> tuple[str, dict[str, list[int]]]:
    cmap = set(_build.source_cmap(source))
    sets = {"ascii": ascii_chars(), "gb2312": gb2312_chars(), "gbk": gbk_chars()}
    numbers = {name: [_count(cmap, chars), len(chars)] for name, chars in sets.items()}

    def part(name: str, label: str) -> str:
        have, total = numbers[name]
        return f"{label} 全部" if have == total else f"{label} {have:,}/{total:,}"

    if source.role == "latin":
        return part("ascii", "ASCII"), numbers
    text = f"{part('gb2312', 'GB2312')}，{part('gbk', 'GBK')}"
    if source.needs_build:
        text += "（GB2312 预先构建，其余按需）"
    return text, numbers


def _row(role: str, docx_family: str | None, source: FontSource) -> dict:
    coverage, numbers = _coverage(source)
    if source.needs_build:
        built = _build.is_built(source)
        build_state, built_file = ("已构建" if built else "未构建"), str(_build.built_path(source))
    else:
        built, build_state, built_file = None, "无需构建", None
    if source.origin == "fallback":
        status = "兜底字体"
    elif source.official:
        status = "官方字体"
    else:
        status = "替代字体"
    return {
        "role": role,
        "usage": USAGE.get(role, "GB2312/GBK 以外的生僻字（逐字兜底）"),
        "docx_family": docx_family,
        "family": source.family,
        "official": source.official,
        "status": status,
        "origin": source.origin,
        "note": _ALTERNATE_NOTES.get((role, source.family), _NOTES.get(role, "")) if source.origin == "default" else "",
        "file": str(source.path),
        "index": source.index,
        "outline": "TrueType" if source.outline == "truetype" else "CFF（需转换为 TrueType）",
        "coverage": coverage,
        "counts": numbers,
        "build": build_state,
        "built": built,
        "built_file": built_file,
    }


def report(profile=None, font_dir: Path | str | None = None, paths: dict[str, Path] | None = None) -> list[dict]:
    """One row per role (plus the per-character fallback), JSON-serialisable."""
    if profile is None:
        from docgen.style.profile import load_profile

        profile = load_profile()
    font_dir = Path(font_dir).expanduser() if font_dir else None
    fonts = profile.fonts.model_dump()
    rows = [_row(role, fonts.get(role), source) for role, source in resolve_all(fonts, font_dir, paths).items()]
    fallback = resolve_fallback(font_dir)
    if fallback is not None:
        rows.append(_row("fallback", None, fallback))
    return rows
