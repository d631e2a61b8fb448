"""The style profile: GB/T 9704-2012 as data (``gbt9704.yaml``) plus optional unit overrides.

Every number of the standard lives in the YAML file once; everything that follows from those numbers
(right/bottom margins, line pitch, character pitch, run character spacing) is computed here.
Both writers read only this object.
"""

from __future__ import annotations

import math
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

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
    model_config = ConfigDict(extra="forbid", frozen=True)


class Page(_Strict):
    width_mm: float = Field(gt=0)
    height_mm: float = Field(gt=0)
    margin_top_mm: float = Field(ge=0)
    margin_left_mm: float = Field(ge=0)
    type_width_mm: float = Field(gt=0)
    type_height_mm: float = Field(gt=0)


class Grid(_Strict):
    lines: int = Field(gt=0, le=60)
    chars: int = Field(gt=0, le=60)


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
    size: float
    align: Literal["left", "center", "right", "justify"] = "justify"
    indent_chars: float = 0  # first-line indent, in characters of the grid size
    left_indent_chars: float = 0
    right_indent_chars: float = 0
    bold: bool = False
    keep_with_next: bool = False
    space_before_lines: int = Field(default=0, ge=0)
    color: str | None = None

    @field_validator("size", mode="before")
    @classmethod
    def _size(cls, value: Any) -> float:
        return parse_size(value)


class Headings(_Strict):
    numbering: list[str] = Field(min_length=1)
    run_in_levels: list[int] = Field(default_factory=list)
    run_in_end: str = "。"


class PageNumber(_Strict):
    format: str
    below_type_mm: float
    indent_chars: float = 1
    odd: Literal["left", "center", "right"] = "right"
    even: Literal["left", "center", "right"] = "left"


class Colors(_Strict):
    red: str = "#FF0000"


class HeaderSpec(_Strict):
    mark_top_mm: float = Field(ge=0)
    number_gap_lines: int = Field(ge=0)
    red_line_gap_mm: float = Field(ge=0)
    red_line_mm: float = Field(gt=0)
    title_gap_lines: int = Field(ge=0)


class SignoffSpec(_Strict):
    right_chars: float = Field(ge=0)
    date_offset_chars: float = Field(ge=0)
    sealed_date_right_chars: float = Field(ge=0)
    gap_lines: int = Field(ge=0)
    sealed_gap_lines: int = Field(default=2, ge=0)  # body → 署名 when sealed (seal top within one line)
    seal_mm: float = Field(default=42, gt=0)  # printed width of the seal image


class ColophonSpec(_Strict):
    thick_mm: float = Field(gt=0)
    thin_mm: float = Field(gt=0)
    side_chars: float = Field(ge=0)


class TableSpec(_Strict):
    style: Literal["three_line", "grid"] = "three_line"
    rule_mm: float = Field(gt=0)
    thin_rule_mm: float = Field(gt=0)


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
    font_files: dict[str, str] = Field(default_factory=dict)

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

    @property
    def grid_size_pt(self) -> float:
        """The type size the 22×28 grid is counted in (the body's 3号)."""
        return self.body.size

    @cached_property
    def line_pitch_twips(self) -> int:
        """Largest whole-twip line pitch that still fits ``grid.lines`` lines in the 版心 (579)."""
        height_twips = mm_to_pt(self.page.type_height_mm) * TWIPS_PER_PT
        return math.floor(height_twips / self.grid.lines + 1e-9)

    @property
    def line_pitch_pt(self) -> float:
        return self.line_pitch_twips / TWIPS_PER_PT

    @property
    def char_pitch_pt(self) -> float:
        """Width of one grid cell: 版心 width / chars per line (15.79 pt)."""
        return mm_to_pt(self.page.type_width_mm) / self.grid.chars

    @cached_property
    def char_spacing_twips(self) -> int:
        """Run character spacing (in 1/20 pt, as .docx stores it) that makes grid-size type fit the
        grid: the largest whole value with ``chars × (size + spacing) ≤ 版心 width`` (−5 = −0.25 pt)."""
        return math.floor((self.char_pitch_pt - self.grid_size_pt) * TWIPS_PER_PT + 1e-9)

    @property
    def char_spacing_pt(self) -> float:
        return self.char_spacing_twips / TWIPS_PER_PT

    @property
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


def _base_data() -> dict[str, Any]:
    if "data" not in _BASE_CACHE:
        from docgen.outline.source import load_yaml

        _BASE_CACHE["data"] = load_yaml(BASE_PROFILE, ProfileError).data
    return _BASE_CACHE["data"]


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
    from docgen.outline.source import load_yaml

    data = _base_data()
    source = None
    if path is not None and str(path) in PRESETS and not Path(path).exists():
        path = PRESETS[str(path)]
    if path is not None:
        source = load_yaml(path, ProfileError)
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
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            message = _profile_message(err)
            if source is not None:
                problems.append(source.problem(message, loc))
            else:
                problems.append(Problem(message, file=str(BASE_PROFILE), field=".".join(map(str, loc))))
        raise ProfileError(problems) from None
    missing = [name for name in REQUIRED_STYLES if name not in profile.styles]
    if missing:
        raise ProfileError(f"样式表缺少：{'、'.join(missing)}", file=str(path or BASE_PROFILE))
    _check_fits(profile, path)
    return profile


def _check_fits(profile: Profile, path: Any) -> None:
    """Reject profiles that cannot typeset: a character wider than its grid cell, lines too tight."""
    where = {"file": str(path)} if path else {}
    if profile.cell_pt * profile.grid.chars > mm_to_pt(profile.page.type_width_mm) + 0.01:
        raise ProfileError(
            f"每行 {profile.grid.chars} 字放不进 {profile.page.type_width_mm:g} mm 的版心宽度", **where
        )
    if profile.char_spacing_pt < -0.2 * profile.grid_size_pt:
        raise ProfileError(
            f"正文 {profile.grid_size_pt:g} pt 的字排 {profile.grid.chars} 字需要压缩过多"
            f"（字距 {profile.char_spacing_pt:g} pt），请减小字号或每行字数",
            **where,
        )
    if profile.line_pitch_pt < profile.grid_size_pt:
        raise ProfileError(
            f"每面 {profile.grid.lines} 行时行距只有 {profile.line_pitch_pt:g} pt，小于正文字号", **where
        )
    if profile.page.margin_left_mm + profile.page.type_width_mm > profile.page.width_mm or (
        profile.page.margin_top_mm + profile.page.type_height_mm > profile.page.height_mm
    ):
        raise ProfileError("版心超出纸张", **where)


def _profile_message(err: dict[str, Any]) -> str:
    kind = err.get("type", "")
    if kind == "missing":
        return "缺少必填字段"
    if kind == "extra_forbidden":
        return "未知字段"
    if kind == "literal_error":
        return f"取值不在允许范围内（{err.get('ctx', {}).get('expected', '')}）"
    if kind in ("value_error",):
        return str(err.get("ctx", {}).get("error", err["msg"]))
    ctx = err.get("ctx", {})
    bounds = {"greater_than": "应大于 {gt}", "greater_than_equal": "应不小于 {ge}",
              "less_than": "应小于 {lt}", "less_than_equal": "应不大于 {le}"}
    if kind in bounds:
        return bounds[kind].format(**ctx)
    if kind == "too_short":
        return "不能为空"
    if kind.startswith(("float", "int")):
        return "应为数字"
    return err.get("msg", "取值无效")


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
