"""Typed outline schemas for the three document kinds: speech, notice, report.

Keys are English; every key also has a Chinese alias (``标题`` → ``title``) which the loader maps
before validation, so error messages always name the English field path.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

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


def _is_blank(value: Any) -> bool:
    return isinstance(value, str) and not value.strip()


def _text_list(value: Any) -> Any:
    """A single string is a one-item list (e.g. one 主送机关); blank items are dropped, so an empty
    cell or ``cc: [" "]`` prints nothing rather than a lone ``抄送：。``."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [item for item in value if item is not None and not _is_blank(item)]
    return value


_PADDED_CN_DATE = re.compile(r"\d{4}\s*年\s*0\d|月\s*0\d")
_ISSUE_NUMBER = re.compile(r"^(?P<org>[^〔〕]+)〔(?P<year>\d{4})〕(?P<seq>[1-9]\d*)号$")


def check_unpadded(value: Any) -> Any:
    """GB/T 9704 7.3.5.4: 2024年1月5日, never 2024年01月05日."""
    if isinstance(value, str) and _PADDED_CN_DATE.search(value):
        raise ValueError("日期的月、日不编虚位：应写成 2024年1月5日，而不是 2024年01月05日")
    return parse_date(value)


def check_issue_number(value: Any) -> Any:
    """发文字号 (GB/T 9704 7.2.5): 机关代字〔2024〕3号 — 六角括号, full year, no 第, no leading zeros."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    if _ISSUE_NUMBER.match(text):
        return text
    if re.search(r"[\[\]【】（）()［］{}]", text):
        raise ValueError(f"发文字号“{text}”的年份应使用六角括号〔〕，例如 某工发〔2024〕3号")
    if "第" in text:
        raise ValueError(f"发文字号“{text}”不加“第”字，例如 某工发〔2024〕3号")
    match = re.match(r"^[^〔〕]+〔(\d+)〕(\d+)", text)
    if match and len(match.group(1)) != 4:
        raise ValueError(f"发文字号“{text}”的年份应写全 4 位，例如〔2024〕")
    if match and match.group(2).startswith("0"):
        raise ValueError(f"发文字号“{text}”的序号不编虚位：写 1，不写 01")
    if not text.endswith("号"):
        raise ValueError(f"发文字号“{text}”应以“号”结尾，例如 某工发〔2024〕3号")
    raise ValueError(f"发文字号“{text}”格式应为 机关代字〔年份〕序号号，例如 某工发〔2024〕3号")


Date = Annotated[date, BeforeValidator(check_unpadded)]
IssueNumber = Annotated[str, BeforeValidator(check_issue_number)]
TextList = Annotated[list[str], BeforeValidator(_text_list)]
Text = Annotated[str, Field(min_length=1)]

# A title longer than this is a paragraph pasted into 标题: refused, with a hint (issue 8).
TITLE_MAX_CHARS = 100


def title_too_long_message(length: int) -> str:
    return (f"标题太长：共 {length} 个字，标题最多 {TITLE_MAX_CHARS} 个字；"
            "请把说明性的内容移到正文（例如第一段），标题只保留发文机关、事由和文种")


def check_title_length(value: Any) -> Any:
    if isinstance(value, str):
        length = len(value.strip().replace("\n", ""))
        if length > TITLE_MAX_CHARS:
            raise ValueError(title_too_long_message(length))
    return value


Title = Annotated[str, Field(min_length=1), AfterValidator(check_title_length)]


class _Node(BaseModel):
    # Unknown keys are caught earlier by the loader (with a "did you mean"); forbid is a backstop.
    # defer_build: a render builds the validators of its own kind only (a speech never builds the
    # notice's), on its first validation.
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        """A blank text value counts as not written: a required field is then reported missing
        (缺少必填字段, with its path) and an optional one is left out — never printed as an empty
        line with its punctuation. Fields with a text default (称呼, 标志后缀) keep "" as an
        explicit "none"."""
        if not isinstance(data, dict):
            return data
        cleaned = dict(data)
        for key, value in data.items():
            field = cls.model_fields.get(key)
            if field is None or not _is_blank(value):
                continue
            if field.is_required():
                del cleaned[key]
            elif field.default is None:
                cleaned[key] = None
        return cleaned


class Point(_Node):
    """A level-2 point: its heading (观点句) and the paragraph(s) that follow it."""

    heading: Text
    body: str | None = None


class ChartSpec(_Node):
    """A chart drawn from its table: bar or line, one series per value column."""

    kind: Literal["bar", "line"] = "bar"
    caption: str | None = None
    columns: list[str] = []  # value columns to plot; default: all numeric
    unit: str = ""


def _chart(value: Any) -> Any:
    return {"kind": value} if isinstance(value, str) else value


class TableSpec(_Node):
    """A data table from YAML rows or a CSV file (path relative to the outline)."""

    caption: str
    columns: list[str] = []
    rows: list[list[Any]] = []
    csv: str | None = None
    style: Literal["three_line", "grid"] | None = None
    chart: Annotated[ChartSpec | None, BeforeValidator(_chart)] = None


class Section(_Node):
    """A level-1 part: heading (may come from a framework), an intro paragraph, tables, points."""

    heading: str | None = None
    intro: str | None = None
    tables: list[TableSpec] = []
    points: list[Point] = []


class AttachmentSpec(_Node):
    """An attachment: its title (listed in 附件说明) and, optionally, content printed on new pages."""

    title: Text
    body: str | None = None


def _attachment(value: Any) -> Any:
    return {"title": value} if isinstance(value, str) else value


_COPY_NUMBER = re.compile(r"^\d{6}$")


def check_copy_number(value: Any) -> Any:
    """份号: six Arabic digits (GB/T 9704 7.2.1), e.g. 000001; a plain 1 is padded."""
    text = str(value).strip()
    if text.isdigit() and len(text) < 6:
        text = text.zfill(6)
    if not _COPY_NUMBER.match(text):
        raise ValueError(f"份号应为 6 位阿拉伯数字，例如 000001，而不是“{value}”")
    return text


class Speech(_Node):
    kind: Literal["speech"] = "speech"
    framework: str | None = None
    title: Title | None = None
    subtitle: str | None = None
    speaker: str | None = None
    date: Date | None = None
    occasion: str | None = None
    salutation: str = "同志们："
    opening: str | None = None
    sections: list[Section] = []
    closing: str | None = None


class Notice(_Node):
    """A 公文 with 版头 and 版记: 通知 by default; 文种 may say 通报, 请示, 报告 …"""

    kind: Literal["notice"] = "notice"
    doctype: str = "通知"  # 文种: 通知, 通报, 请示, 报告 …; 请示 and 报告 are 上行文
    copy_number: Annotated[str, BeforeValidator(check_copy_number)] | None = None
    secrecy: str | None = None
    urgency: str | None = None
    issuer: TextList = []  # several = joint issuance, 主办机关 first
    mark_suffix: str = "文件"
    number: IssueNumber | None = None
    signer: TextList = []
    title: Title
    recipients: TextList = []
    body: str | None = None
    sections: list[Section] = []
    closing: str | None = None
    attachments: list[Annotated[AttachmentSpec, BeforeValidator(_attachment)]] = []
    signature: TextList = []
    seal: str | None = None
    date: Date | None = None
    note: str | None = None
    cc: TextList = []
    printer: str | None = None
    print_date: Date | None = None

    @model_validator(mode="after")
    def _upward_documents(self) -> "Notice":
        if self.doctype == "请示" and len(self.recipients) != 1:
            raise PydanticCustomError("one_recipient", "请示只能主送一个机关（其他机关用抄送），现有 {count} 个",
                                      {"count": len(self.recipients)})
        if self.doctype in UPWARD and not self.signer:
            raise PydanticCustomError("signer_required", "{doctype}是上行文，必须写签发人（signer）",
                                      {"doctype": self.doctype})
        return self

    @property
    def upward(self) -> bool:
        return self.doctype in UPWARD


UPWARD = ("请示", "报告")


class Report(_Node):
    """A 工作总结/报告: title, unit, date, opening, ordered parts, closing.

    With an ``issuer`` it is sent upward as a 报告 公文: 版头 with 签发人, 主送, “特此报告。”, 署名.
    """

    kind: Literal["report"] = "report"
    title: Title
    subtitle: str | None = None
    unit: str | None = None
    date: Date | None = None
    opening: str | None = None
    sections: list[Section] = []
    closing: str | None = None
    issuer: TextList = []
    mark_suffix: str = "文件"
    number: IssueNumber | None = None
    signer: TextList = []
    recipients: TextList = []
    signature: TextList = []
    seal: str | None = None
    cc: TextList = []
    printer: str | None = None
    print_date: Date | None = None

    @model_validator(mode="after")
    def _upward_report(self) -> "Report":
        if self.issuer and not self.signer:
            raise PydanticCustomError("signer_required", "报告是上行文，写了发文机关（issuer）就必须写签发人（signer）", {})
        return self

    @property
    def upward(self) -> bool:
        return bool(self.issuer)


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
    Section: {"标题": "heading", "导语": "intro", "引言": "intro", "要点": "points", "表格": "tables"},
    TableSpec: {"表题": "caption", "标题": "caption", "列": "columns", "行": "rows", "数据文件": "csv",
                "样式": "style", "图": "chart", "图表": "chart"},
    ChartSpec: {"类型": "kind", "图题": "caption", "标题": "caption", "列": "columns", "单位": "unit"},
    AttachmentSpec: {"标题": "title", "正文": "body"},
    Speech: {
        "类型": "kind", "文种": "kind", "框架": "framework", "标题": "title", "副标题": "subtitle",
        "讲话人": "speaker", "日期": "date", "场合": "occasion", "会议": "occasion",
        "称呼": "salutation", "开头": "opening", "部分": "sections", "结尾": "closing",
    },
    Notice: {
        "类型": "kind", "文种": "doctype", "标题": "title", "发文机关": "issuer", "发文字号": "number", "文号": "number",
        "签发人": "signer", "主送": "recipients", "主送机关": "recipients", "正文": "body",
        "部分": "sections", "结尾": "closing", "附件": "attachments", "署名": "signature", "成文日期": "date",
        "份号": "copy_number", "密级": "secrecy", "紧急程度": "urgency", "标志后缀": "mark_suffix", "印章": "seal",
        "日期": "date", "附注": "note", "抄送": "cc", "印发机关": "printer", "印发日期": "print_date",
    },
    Report: {
        "类型": "kind", "文种": "kind", "标题": "title", "副标题": "subtitle", "单位": "unit",
        "日期": "date", "开头": "opening", "部分": "sections", "结尾": "closing",
        "发文机关": "issuer", "发文字号": "number", "文号": "number", "签发人": "signer", "主送": "recipients",
        "主送机关": "recipients", "署名": "signature", "印章": "seal", "抄送": "cc", "印发机关": "printer",
        "印发日期": "print_date", "标志后缀": "mark_suffix",
    },
}

# Field labels for messages: English field → Chinese name.
LABELS = {
    "kind": "类型", "framework": "框架", "title": "标题", "subtitle": "副标题", "speaker": "讲话人",
    "date": "日期", "occasion": "场合", "salutation": "称呼", "opening": "开头", "sections": "部分",
    "closing": "结尾", "heading": "标题", "intro": "导语", "points": "要点", "body": "正文",
    "issuer": "发文机关", "number": "发文字号", "signer": "签发人", "recipients": "主送",
    "attachments": "附件", "signature": "署名", "note": "附注", "cc": "抄送", "printer": "印发机关",
    "print_date": "印发日期", "unit": "单位", "doctype": "文种", "copy_number": "份号", "secrecy": "密级",
    "urgency": "紧急程度", "mark_suffix": "标志后缀", "seal": "印章", "tables": "表格", "caption": "表题",
    "columns": "列", "rows": "行", "csv": "数据文件", "style": "样式", "chart": "图",
}


_CHILDREN: dict[tuple[type[BaseModel] | None, str], type[BaseModel]] = {
    (None, "sections"): Section,
    (Section, "points"): Point,
    (None, "tables"): TableSpec,
    (TableSpec, "chart"): ChartSpec,
    (Notice, "attachments"): AttachmentSpec,
}


def child_model(model: type[BaseModel], field: str) -> type[BaseModel] | None:
    """The model of a nested mapping (or list of mappings) under ``field``, if any."""
    return _CHILDREN.get((model, field)) or _CHILDREN.get((None, field))
