"""Typed outline schemas for the three document kinds: speech, notice, report.

Keys are English; every key also has a Chinese alias (``标题`` → ``title``) which the loader maps
before validation, so error messages always name the English field path.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

_CN_DATE = re.compile(r"^\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_ISO_DATE = re.compile(r"^\s*(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})\s*$")


def parse_date(value: Any) -> Any:
    """Accept YAML dates, '2020-08-16' and '2020年8月16日'; anything else is left for pydantic."""
    if isinstance(value, str):
        match = _CN_DATE.match(value) or _ISO_DATE.match(value)
        if not match:
            raise ValueError("日期格式应为 2020-08-16 或 2020年8月16日")
        year, month, day = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            raise ValueError(f"不存在的日期：{year}年{month}月{day}日") from None
    return value


def _text_list(value: Any) -> Any:
    """A single string is a one-item list (e.g. one 主送机关)."""
    if isinstance(value, str):
        return [value]
    return value


Date = Annotated[date, BeforeValidator(parse_date)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]
Text = Annotated[str, Field(min_length=1)]


class _Node(BaseModel):
    # Unknown keys are caught earlier by the loader (with a "did you mean"); forbid is a backstop.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Point(_Node):
    """A level-2 point: its heading (观点句) and the paragraph(s) that follow it."""

    heading: Text
    body: str | None = None


class Section(_Node):
    """A level-1 part: heading (may come from a framework), an intro paragraph, points."""

    heading: str | None = None
    intro: str | None = None
    points: list[Point] = Field(default_factory=list)


class Speech(_Node):
    kind: Literal["speech"] = "speech"
    framework: str | None = None
    title: str | None = None
    subtitle: str | None = None
    speaker: str | None = None
    date: Date | None = None
    occasion: str | None = None
    salutation: str = "同志们："
    opening: str | None = None
    sections: list[Section] = Field(default_factory=list)
    closing: str | None = None


class Notice(_Node):
    """A 通知. Its 版头/版记 elements are read now; they are laid out by a later feature."""

    kind: Literal["notice"] = "notice"
    title: Text
    issuer: str | None = None
    number: str | None = None
    signer: str | None = None
    recipients: TextList = Field(default_factory=list)
    body: str | None = None
    sections: list[Section] = Field(default_factory=list)
    attachments: TextList = Field(default_factory=list)
    signature: str | None = None
    date: Date | None = None
    note: str | None = None
    cc: TextList = Field(default_factory=list)
    printer: str | None = None
    print_date: Date | None = None


class Report(_Node):
    """A 工作总结/报告: title, unit, date, opening, ordered parts, closing."""

    kind: Literal["report"] = "report"
    title: Text
    subtitle: str | None = None
    unit: str | None = None
    date: Date | None = None
    opening: str | None = None
    sections: list[Section] = Field(default_factory=list)
    closing: str | None = None


Outline = Speech | Notice | Report
KINDS: dict[str, type[BaseModel]] = {"speech": Speech, "notice": Notice, "report": Report}

# Chinese names of the kinds (also accepted as values of `kind`).
KIND_ALIASES = {
    "讲话稿": "speech", "讲话": "speech", "通知": "notice", "报告": "report",
    "工作总结": "report", "总结": "report",
}

# Chinese aliases per model. The loader maps these to the English field names.
ALIASES: dict[type[BaseModel], dict[str, str]] = {
    Point: {"标题": "heading", "小标题": "heading", "正文": "body", "内容": "body"},
    Section: {"标题": "heading", "导语": "intro", "引言": "intro", "要点": "points"},
    Speech: {
        "类型": "kind", "文种": "kind", "框架": "framework", "标题": "title", "副标题": "subtitle",
        "讲话人": "speaker", "日期": "date", "场合": "occasion", "会议": "occasion",
        "称呼": "salutation", "开头": "opening", "部分": "sections", "结尾": "closing",
    },
    Notice: {
        "类型": "kind", "文种": "kind", "标题": "title", "发文机关": "issuer", "发文字号": "number",
        "签发人": "signer", "主送": "recipients", "主送机关": "recipients", "正文": "body",
        "部分": "sections", "附件": "attachments", "署名": "signature", "成文日期": "date",
        "日期": "date", "附注": "note", "抄送": "cc", "印发机关": "printer", "印发日期": "print_date",
    },
    Report: {
        "类型": "kind", "文种": "kind", "标题": "title", "副标题": "subtitle", "单位": "unit",
        "日期": "date", "开头": "opening", "部分": "sections", "结尾": "closing",
    },
}

# Field labels for messages: English field → Chinese name.
LABELS = {
    "kind": "类型", "framework": "框架", "title": "标题", "subtitle": "副标题", "speaker": "讲话人",
    "date": "日期", "occasion": "场合", "salutation": "称呼", "opening": "开头", "sections": "部分",
    "closing": "结尾", "heading": "标题", "intro": "导语", "points": "要点", "body": "正文",
    "issuer": "发文机关", "number": "发文字号", "signer": "签发人", "recipients": "主送",
    "attachments": "附件", "signature": "署名", "note": "附注", "cc": "抄送", "printer": "印发机关",
    "print_date": "印发日期", "unit": "单位",
}


def child_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    """The model of a nested mapping (or list of mappings) under ``field``, if any."""
    if field == "sections":
        return Section
    if field == "points" and model is Section:
        return Point
    return None
