"""The style profile: GB/T 9704-2012 as data (``gbt9704.yaml``) plus optional unit overrides.

Every number of the standard lives in the YAML file once; everything that follows from those numbers
(right/bottom margins, line pitch, character pitch, run character spacing) is computed here.
Both writers read only this object.
"""

from __future__ import annotations

import math
import re
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, field_validator

from docgen.errors import Problem, ProfileError

BASE_PROFILE = Path(__file__).with_name("gbt9704.yaml")
# Presets shipped with docgen, usable by name: ``--profile windows``.
PRESETS = {"windows": Path(__file__).with_name("windows.yaml")}

MM_PER_PT = 25.4 / 72
TWIPS_PER_PT = 20

# 字号 → points (Word, ctex and typst agree).
ZIHAO_PT: dict[str, float] = {
    "初号": 42, "小初": 36, "一号": 26, "小一": 24, "二号": 22, "小二": 18, "三号": 16,
    "小三": 15, "四号": 14, "小四": 12, "五号": 10.5, "小五": 9, "六号": 7.5, "小六": 6.5,
    "七号": 5.5, "八号": 5,
}
PT_ZIHAO = {pt: name for name, pt in ZIHAO_PT.items()}


def mm_to_pt(mm: float) -> float:
    return mm / MM_PER_PT


def pt_to_mm(pt: float) -> float:
    return pt * MM_PER_PT


def parse_size(value: Any) -> float:
    """'三号' → 16.0; 16 → 16.0; '16pt' → 16.0."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    text = str(value).strip()
    if text in ZIHAO_PT:
        return float(ZIHAO_PT[text])
    try:
        return float(text.removesuffix("pt").removesuffix("磅"))
    except ValueError:
        names = "、".join(ZIHAO_PT)
        raise ValueError(f"不认识的字号“{text}”；可用：{names}，或磅值如 16") from None


def size_label(pt: float) -> str:
    name = PT_ZIHAO.get(pt)
    return f"{name}（{pt:g} pt）" if name else f"{pt:g} pt"


class _Strict(BaseModel):
    # defer_build: the validators are built on the first validation, not at import — a render
    # with the built-in profile takes it from the cache (load_profile) and never validates.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False, defer_build=True)


# --- ranges --------------------------------------------------------------------------------
# Bounds that keep a profile printable: beyond them text turns invisible (size 0, white-on-white
# colours), a line holds no character, or a page holds one line and the speech runs to 30 pages.
# They are wide enough for every real unit style (GB/T 9704 uses 16/22 pt, 22 × 28, A4).
SIZE_PT = (5.0, 72.0)  # 八号 … about 初号 × 1.7
GRID_LINES = (10, 40)
GRID_CHARS = (10, 40)
PAGE_MM = (100.0, 1200.0)  # A6 … A0
GAP_LINES_MAX = 10
RULE_MM_MAX = 3.0
_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def _within(low: float, high: float, unit: str = ""):
    """An AfterValidator: the value lies in [low, high] (after the basic type/sign checks)."""

    def check(value: float) -> float:
        if not low <= value <= high:
            raise ValueError(f"应在 {low:g}–{high:g}{unit}之间")
        return value

    return AfterValidator(check)


def _hex_colour(value: str) -> str:
    if not _HEX_COLOUR.fullmatch(value.strip()):
        raise ValueError(f"“{value}”不是颜色；请写成 #RRGGBB，如 #FF0000")
    return value.strip()


def _placeholders(allowed: tuple[str, ...], required: str | None = None):
    """An AfterValidator for a format string: only ``{name}`` placeholders from ``allowed``."""

    def check(value: str) -> str:
        usable = "、".join(f"{{{name}}}" for name in allowed)
        unknown = [name for name in re.findall(r"\{([^{}]*)\}", value) if name not in allowed]
        if unknown:
            shown = "、".join(f"{{{name}}}" for name in unknown)
            raise ValueError(f"含有不认识的占位符 {shown}；可用：{usable}")
        if set("{}") & set(re.sub(r"\{[^{}]*\}", "", value)):
            raise ValueError(f"含有落单的花括号；占位符写成 {usable}")
        if required and f"{{{required}}}" not in value:
            raise ValueError(f"缺少页码占位符 {{{required}}}，如“— {{{required}}} —”")
        return value

    return AfterValidator(check)


Size = Annotated[float, _within(*SIZE_PT, " pt ")]
GapLines = Annotated[int, Field(ge=0, le=GAP_LINES_MAX)]
RuleMm = Annotated[float, Field(gt=0, le=RULE_MM_MAX)]
Chars = Annotated[float, Field(ge=0)]  # an indent or offset in characters; fits the line (see below)


class Page(_Strict):
    width_mm: Annotated[float, Field(gt=0), _within(*PAGE_MM, " mm ")]
    height_mm: Annotated[float, Field(gt=0), _within(*PAGE_MM, " mm ")]
    margin_top_mm: float = Field(gt=0)
    margin_left_mm: float = Field(gt=0)
    type_width_mm: float = Field(gt=0)
    type_height_mm: float = Field(gt=0)


class Grid(_Strict):
    lines: Annotated[int, Field(gt=0), _within(*GRID_LINES, " 行")]
    chars: Annotated[int, Field(gt=0), _within(*GRID_CHARS, " 字")]


class Fonts(_Strict):
    xiaobiaosong: str
    fangsong: str
    heiti: str
    kaiti: str
    songti: str
    latin: str


FontRole = Literal["xiaobiaosong", "fangsong", "heiti", "kaiti", "songti"]


class StyleSpec(_Strict):
    """How one element looks: font role, size, alignment, indent, keep-with-next, space before."""

    font: FontRole
    size: Size
    align: Literal["left", "center", "right", "justify"] = "justify"
    indent_chars: Chars = 0  # first-line indent, in characters of the grid size
    left_indent_chars: Chars = 0
    right_indent_chars: Chars = 0
    bold: bool = False
    keep_with_next: bool = False
    space_before_lines: GapLines = 0
    color: str | None = None  # a name from ``colors`` (red) or #RRGGBB

    @field_validator("color")
    @classmethod
    def _color(cls, value: str | None) -> str | None:
        if value is None or value in Colors.model_fields:
            return value
        if not _HEX_COLOUR.fullmatch(value.strip()):
            names = "、".join(Colors.model_fields)
            raise ValueError(f"“{value}”不是颜色；请写颜色名（{names}）或 #RRGGBB")
        return value.strip()

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> float:
        return parse_size(value)


class Headings(_Strict):
    # one pattern for each of the four heading levels (一、 （一） 1. （1）)
    numbering: list[Annotated[str, _placeholders(("cn", "n"))]] = Field(min_length=4, max_length=4)
    run_in_levels: list[Annotated[int, Field(ge=1, le=4)]] = []
    run_in_end: str = "。"


class PageNumber(_Strict):
    format: Annotated[str, _placeholders(("n",), required="n")]
    below_type_mm: float = Field(ge=0)  # and inside the bottom margin (checked with the page)
    indent_chars: Chars = 1
    odd: Literal["left", "center", "right"] = "right"
    even: Literal["left", "center", "right"] = "left"


class Colors(_Strict):
    red: Annotated[str, AfterValidator(_hex_colour)] = "#FF0000"


class HeaderSpec(_Strict):
    mark_top_mm: float = Field(ge=0, le=100)
    number_gap_lines: GapLines
    red_line_gap_mm: float = Field(ge=0, le=50)
    red_line_mm: RuleMm
    title_gap_lines: GapLines


class SignoffSpec(_Strict):
    right_chars: Chars
    date_offset_chars: Chars
    sealed_date_right_chars: Chars
    gap_lines: GapLines
    sealed_gap_lines: GapLines = 2  # body → 署名 when sealed (seal top within one line)
    seal_mm: float = Field(default=42, ge=10, le=80)  # printed width of the seal image


class ColophonSpec(_Strict):
    thick_mm: RuleMm
    thin_mm: RuleMm
    side_chars: Chars


class TableSpec(_Strict):
    style: Literal["three_line", "grid"] = "three_line"
    rule_mm: RuleMm
    thin_rule_mm: RuleMm


REQUIRED_STYLES = ("title", "subtitle", "byline", "date", "salutation", "body",
                   "heading1", "heading2", "heading3", "heading4", "page_number",
                   "recipients", "attachment_note", "attachment_note_more", "signature", "signature_date",
                   "note", "attachment_label", "attachment_title", "header_meta", "issuer_mark",
                   "issue_number", "signer_name", "colophon", "table", "table_caption")


class Profile(_Strict):
    """A complete, validated style profile with derived grid values."""

    name: str
    page: Page
    grid: Grid
    fonts: Fonts
    styles: dict[str, StyleSpec]
    headings: Headings
    header: HeaderSpec
    signoff: SignoffSpec
    colophon: ColophonSpec
    table: TableSpec
    page_number: PageNumber
    colors: Colors = Colors()
    # Font files by role (xiaobiaosong, fangsong, heiti, kaiti, songti, latin) for the PDF; they win
    # over fonts found by family name. Relative paths are relative to the profile file.
    font_files: dict[str, str] = {}

    def font_paths(self) -> dict[str, Path]:
        return {role: Path(path) for role, path in self.font_files.items()}

    # --- derived page geometry -------------------------------------------------
    @property
    def margin_right_mm(self) -> float:
        return self.page.width_mm - self.page.margin_left_mm - self.page.type_width_mm

    @property
    def margin_bottom_mm(self) -> float:
        return self.page.height_mm - self.page.margin_top_mm - self.page.type_height_mm

    @property
    def body(self) -> StyleSpec:
        return self.styles["body"]

    # The derived sizes are computed once: the profile is frozen, and the layout reads them for
    # every character it places.
    @cached_property
    def grid_size_pt(self) -> float:
        """The type size the 22×28 grid is counted in (the body's 3号)."""
        return self.body.size

    @cached_property
    def line_pitch_twips(self) -> int:
        """Largest whole-twip line pitch that still fits ``grid.lines`` lines in the 版心 (579)."""
        height_twips = mm_to_pt(self.page.type_height_mm) * TWIPS_PER_PT
        return math.floor(height_twips / self.grid.lines + 1e-9)

    @cached_property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @cached_property
    def char_pitch_pt(self) -> float:
        """Width of one grid cell: 版心 width / chars per line (15.79 pt)."""
        return mm_to_pt(self.page.type_width_mm) / self.grid.chars

    @cached_property
    def char_spacing_twips(self) -> int:
        """Run character spacing (in 1/20 pt, as .docx stores it) that makes grid-size type fit the
        grid: the largest whole value with ``chars × (size + spacing) ≤ 版心 width`` (−5 = −0.25 pt)."""
        return math.floor((self.char_pitch_pt - self.grid_size_pt) * TWIPS_PER_PT + 1e-9)

    @cached_property
    def char_spacing_pt(self) -> float:
        return self.char_spacing_twips / TWIPS_PER_PT

    @cached_property
    def cell_pt(self) -> float:
        """Advance of one full-width grid-size character as laid out (size + spacing, 15.75 pt)."""
        return self.grid_size_pt + self.char_spacing_pt

    def spacing_for(self, size_pt: float) -> float:
        """Character spacing (pt) for text of a given size: only grid-size text is tightened."""
        return self.char_spacing_pt if size_pt == self.grid_size_pt else 0.0

    def style(self, name: str) -> StyleSpec:
        try:
            return self.styles[name]
        except KeyError:
            raise ProfileError(f"样式表中没有“{name}”样式") from None

    def font_family(self, role: str) -> str:
        return getattr(self.fonts, role)

    def derived(self) -> dict[str, str]:
        """Computed values, for ``docgen profile show``."""
        return {
            "page.margin_right_mm": f"{self.margin_right_mm:g}",
            "page.margin_bottom_mm": f"{self.margin_bottom_mm:g}",
            "grid.line_pitch": f"{self.line_pitch_pt:g} pt（{self.line_pitch_twips} twips）",
            "grid.char_pitch": f"{self.char_pitch_pt:.2f} pt（{pt_to_mm(self.char_pitch_pt):.3f} mm）",
            "grid.char_spacing": f"{self.char_spacing_pt:g} pt（3号字排 {self.grid.chars} 字 = "
            f"{pt_to_mm(self.cell_pt * self.grid.chars):.1f} mm）",
        }


# ------------------------------------------------------------------------------------------
def _deep_merge(base: Any, override: Any) -> Any:
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _deep_merge(base.get(key), value) if key in base else value
        return merged
    return override


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: data}


_BASE_CACHE: dict[str, Any] = {}


def _base_source():
    if "source" not in _BASE_CACHE:
        from docgen.outline.source import load_yaml

        _BASE_CACHE["source"] = load_yaml(BASE_PROFILE, ProfileError, cache=True)
    return _BASE_CACHE["source"]


def _base_data() -> dict[str, Any]:
    return _base_source().data


def _locate(source, message: str, loc: tuple | list[tuple]) -> Problem:
    """A problem at the first of ``loc`` (one field path or several involved) that the unit file
    sets, else where the base profile sets it."""
    locs = [tuple(item) for item in loc] if isinstance(loc, list) else [tuple(loc)]
    for candidate in (source, _base_source()):
        for path in locs:
            if candidate is not None and (path in candidate.values or path in candidate.keys):
                return candidate.problem(message, path)
    where = source.path if source else BASE_PROFILE
    return Problem(message, file=str(where), field=".".join(map(str, locs[0])))


def _normalised(data: dict[str, Any]) -> dict[str, Any]:
    """Values as the profile compares them (sizes in pt), so '三号' and 16 count as equal."""
    flat = _flatten(data)
    for key, value in flat.items():
        if key.endswith(".size"):
            try:
                flat[key] = parse_size(value)
            except ValueError:
                pass
    return flat


def load_profile(path: str | Path | None = None) -> Profile:
    """The base GB/T 9704 profile, with the overrides from ``path`` merged over it."""
    if path is not None and str(path) in PRESETS and not Path(path).exists():
        path = PRESETS[str(path)]
    if path is None or Path(path) in PRESETS.values():
        # The built-in profiles: validated once, then unpickled from the cache folder (a new
        # object each call, as validating gives).
        return _bundled_profile(Path(path) if path is not None else None)
    return _load_profile(path)


_BUNDLED: dict[tuple, bytes] = {}


def _bundled_profile(path: Path | None) -> Profile:
    import pickle

    from docgen import cache

    files = [BASE_PROFILE] + ([path] if path is not None else [])
    try:
        key = cache.key("profile", *(cache.file_key(f) for f in files))
    except OSError:
        return _load_profile(path)
    raw = _BUNDLED.get(key) or cache.load_raw("profile", key)
    if raw is not None:
        try:
            profile = pickle.loads(raw)
        except Exception:  # noqa: BLE001 - damaged: validate again
            profile = None
        if isinstance(profile, Profile):
            _BUNDLED[key] = raw
            return profile
    profile = _load_profile(path)
    raw = pickle.dumps(profile, protocol=pickle.HIGHEST_PROTOCOL)
    _BUNDLED[key] = raw
    cache.store_raw("profile", key, raw)
    return profile


def _load_profile(path: str | Path | None) -> Profile:
    from docgen.outline.source import load_yaml

    data = _base_data()
    source = None
    if path is not None:
        source = load_yaml(path, ProfileError, cache=True)
        if not isinstance(source.data, dict):
            raise ProfileError("样式文件应是“键: 值”的映射", file=str(path))
        overrides = dict(source.data)
        if isinstance(overrides.get("font_files"), dict):
            base = Path(path).resolve().parent
            overrides["font_files"] = {role: str(base / str(file)) for role, file in overrides["font_files"].items()}
        data = _deep_merge(data, overrides)
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems = [_locate(source, _profile_message(err), tuple(err["loc"])) for err in exc.errors()]
        raise ProfileError(problems) from None
    missing = [name for name in REQUIRED_STYLES if name not in profile.styles]
    if missing:
        raise ProfileError(f"样式表缺少：{'、'.join(missing)}", file=str(path or BASE_PROFILE))
    problems = [_locate(source, message, loc) for message, loc in _misfits(profile)]
    if problems:
        raise ProfileError(problems)
    return profile


def _misfits(profile: Profile) -> list[tuple[str, tuple | list[tuple]]]:
    """Values that are each in range but do not fit together: (message, field path) pairs.

    The page must keep margins and a type area, the grid must fit it, every indent must leave room
    for a character on its line, and the page number must stay on the paper.
    """
    page, grid = profile.page, profile.grid
    problems: list[tuple[str, tuple]] = []
    if profile.margin_right_mm <= 0:
        problems.append((f"版心宽 {page.type_width_mm:g} mm 加左白边 {page.margin_left_mm:g} mm 超出纸宽 "
                         f"{page.width_mm:g} mm，右边没有白边",
                         [("page", k) for k in ("type_width_mm", "margin_left_mm", "width_mm")]))
    if profile.margin_bottom_mm <= 0:
        problems.append((f"版心高 {page.type_height_mm:g} mm 加天头 {page.margin_top_mm:g} mm 超出纸高 "
                         f"{page.height_mm:g} mm，下边没有白边",
                         [("page", k) for k in ("type_height_mm", "margin_top_mm", "height_mm")]))
    if problems:
        return problems
    if profile.cell_pt * grid.chars > mm_to_pt(page.type_width_mm) + 0.01:
        problems.append((f"每行 {grid.chars} 字放不进 {page.type_width_mm:g} mm 的版心宽度", ("grid", "chars")))
    elif profile.char_spacing_pt < -0.2 * profile.grid_size_pt:
        problems.append((f"正文 {profile.grid_size_pt:g} pt 的字排 {grid.chars} 字需要压缩过多"
                         f"（字距 {profile.char_spacing_pt:g} pt），请减小字号或每行字数", ("grid", "chars")))
    if profile.line_pitch_pt < profile.grid_size_pt:
        problems.append((f"每面 {grid.lines} 行时行距只有 {profile.line_pitch_pt:g} pt，小于正文字号",
                         ("grid", "lines")))
    problems += _indent_misfits(profile)
    number = profile.page_number
    number_mm = number.below_type_mm + pt_to_mm(profile.style("page_number").size)
    if number_mm > profile.margin_bottom_mm:
        problems.append((f"页码在版心下 {number.below_type_mm:g} mm，超出下白边 {profile.margin_bottom_mm:g} mm，"
                         "会印到纸外", ("page_number", "below_type_mm")))
    if profile.header.mark_top_mm >= page.type_height_mm:
        problems.append(("发文机关标志的位置超出版心高度", ("header", "mark_top_mm")))
    return problems


def _indent_misfits(profile: Profile) -> list[tuple[str, tuple]]:
    chars = profile.grid.chars
    line_pt = mm_to_pt(profile.page.type_width_mm)
    problems = []
    for name, spec in profile.styles.items():
        parts = {"indent_chars": spec.indent_chars, "left_indent_chars": spec.left_indent_chars,
                 "right_indent_chars": spec.right_indent_chars}
        if line_pt - sum(parts.values()) * profile.grid_size_pt < spec.size:
            widest = max(parts, key=parts.get)
            problems.append((f"缩进合计 {sum(parts.values()):g} 字，每行只有 {chars} 字，放不下文字",
                             ("styles", name, widest)))
    signoff = profile.signoff
    signoff_key = "right_chars" if signoff.right_chars >= signoff.date_offset_chars else "date_offset_chars"
    offsets = [
        (signoff.right_chars + signoff.date_offset_chars, ("signoff", signoff_key)),
        (signoff.sealed_date_right_chars, ("signoff", "sealed_date_right_chars")),
        (2 * profile.colophon.side_chars, ("colophon", "side_chars")),
        (profile.page_number.indent_chars, ("page_number", "indent_chars")),
    ]
    for used, loc in offsets:
        if used >= chars - 2:  # a 署名 or 抄送 line needs a few characters of its own
            problems.append((f"空 {used:g} 字超出每行 {chars} 字，放不下文字", loc))
    return problems


def _profile_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段"
    if kind == "literal_error":
        expected = str(err.get("ctx", {}).get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"取值不在允许范围内（可用：{'、'.join(expected.split(', '))}）"
    if kind in ("value_error",):
        return str(err.get("ctx", {}).get("error", err["msg"]))
    ctx = err.get("ctx", {})
    bounds = {"greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}",
              "less_than": "应小于 {lt}", "less_than_equal": "应不大于 {le}"}
    if kind in bounds:
        return bounds[kind].format(**{key: f"{value:g}" if isinstance(value, float) else value
                                      for key, value in ctx.items()})
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return "不能为空" if least <= 1 else f"至少应有 {least} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind == "finite_number":
        return "应为有限的数字"
    if kind.startswith("int"):
        return "应为整数"
    if kind.startswith("float"):
        return "应为数字"
    if kind.startswith("string"):
        return "应为文本"
    if kind.startswith("bool"):
        return "应为 true 或 false"
    if kind in ("dict_type", "model_type"):
        return "应为“键: 值”的映射"
    if kind == "list_type":
        return "应为列表"
    return "取值无效"


def differences(profile: Profile) -> dict[str, tuple[Any, Any]]:
    """Every flattened value that differs from the standard: key → (standard, this profile)."""
    base = _normalised(Profile.model_validate(_base_data()).model_dump(mode="json"))
    mine = _normalised(profile.model_dump(mode="json"))
    diff = {}
    for key in sorted(set(base) | set(mine)):
        if base.get(key) != mine.get(key):
            diff[key] = (base.get(key), mine.get(key))
    return diff


def flat_values(profile: Profile) -> dict[str, Any]:
    return _normalised(profile.model_dump(mode="json"))
