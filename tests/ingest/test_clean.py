"""Cleaning: each noise pattern, each punctuation rule, encodings, line joins."""

from __future__ import annotations

import pytest

from docgen.errors import DocgenError
from docgen.ingest import clean, import_draft
from docgen.ingest.draft import Line
from docgen.ingest.readers.text import decode

BODY = ["关于召开年度工作会议的通知", "各单位：", "定于2024年3月5日召开年度工作会议，请准时参加。", "特此通知。"]


def _dropped(lines: list[str]) -> list[tuple[int, str]]:
    kept, dropped = clean.drop_noise([Line(t, n) for n, t in enumerate(lines, start=1)])
    return [(d.line, d.reason) for d in dropped]


@pytest.mark.parametrize("noise, reason", [
    ("购物车", "网页导航或下载提示"),
    ("我的足迹", "网页导航或下载提示"),
    ("登录 | 注册", "网页导航或下载提示"),
    ("加入Vip免费下载 立即下载", "网页导航或下载提示"),
    ("本文档由 张三 上传", "网页下载提示或版权信息"),
    ("版权所有 © 2024 某某网", "网页下载提示或版权信息"),
    ("第 1 页 共 3 页", "页码"),
    ("第2页/共3页", "页码"),
    ("— 2 —", "页码"),
    ("- 3 -", "页码"),
    ("2/5", "页码"),
    ("首页 > 范文 > 讲话稿", "网页导航"),
])
def test_noise_line(noise, reason):
    assert _dropped([noise, *BODY]) == [(1, reason)]


def test_document_file_name_before_the_text():
    assert _dropped(["2020081607在全市镇街工会干部培训班上的讲话", *BODY]) == [(1, "网页上的文档名")]
    assert _dropped(["工作总结范文.docx", *BODY]) == [(1, "网页上的文档名")]


def test_repeated_header_footer():
    lines = []
    for page in range(3):
        lines += ["某市总工会内部资料", f"第{page + 1}段正文内容，写得很长很长。"]
    assert [d for d in _dropped(lines)] == [(1, "重复的页眉或页脚"), (3, "重复的页眉或页脚"), (5, "重复的页眉或页脚")]


def test_related_articles_list():
    lines = [*BODY, "", "相关文章", "2023年工会工作总结", "在职工代表大会上的讲话", "", "（完）"]
    assert _dropped(lines) == [(6, "相关文章列表"), (7, "相关文章列表"), (8, "相关文章列表")]


def test_body_text_is_not_noise():
    assert _dropped(BODY) == []
    assert _dropped([*BODY, "一、下载和安装软件的要求。"]) == []


@pytest.mark.parametrize("source, expected", [
    ("同志们:", "同志们："),
    ("提升工会干部的素质,市总工会决定", "提升工会干部的素质，市总工会决定"),
    ("镇(街)工会", "镇（街）工会"),
    ("(一)发挥作用", "（一）发挥作用"),
    ('开展"工人先锋号"创建', "开展“工人先锋号”创建"),
    ("你好;再见", "你好；再见"),
    ("是吗?是的!", "是吗？是的！"),
    ("完成任务.", "完成任务。"),
])
def test_half_width_to_full_width(source, expected):
    assert clean.full_width(source)[0] == expected


@pytest.mark.parametrize("text", [
    "会议于12:30开始",
    "增长3.5个百分点",
    "共1,000人",
    "详见 http://www.example.com/a,b:c?d=1 网站",
    "联系邮箱 office@example.com 即可",
    "This is an English sentence, with commas: and colons (and parentheses).",
    'He said "hello" to me.',
])
def test_left_alone(text):
    assert clean.full_width(text)[0] == text


@pytest.mark.parametrize("left, right, joined", [
    ("提升", "工会干部", "提升工会干部"),
    ("the quick", "brown fox", "the quick brown fox"),
    ("共", "20个", "共20个"),
])
def test_join(left, right, joined):
    assert clean.join(left, right) == joined


TEXT = "关于召开会议的通知\n各单位：\n定于下周召开会议。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16", "utf-16-le", "utf-16-be"])
def test_encodings(encoding, tmp_path):
    data = TEXT.encode(encoding)
    if encoding in ("utf-16-le", "utf-16-be"):
        assert not data.startswith((b"\xff\xfe", b"\xfe\xff"))
    path = tmp_path / "draft.txt"
    path.write_bytes(data)
    assert import_draft(path).outline["title"] == "关于召开会议的通知"


def test_gb18030_only_characters():
    text = "镕基同志讲话：䶮。"
    assert decode(text.encode("gb18030"), None) == text


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "bad.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 20)
    with pytest.raises(DocgenError, match="无法识别文件编码"):
        import_draft(path)


def test_wrapped_lines_are_rejoined(tmp_path):
    path = tmp_path / "wrapped.txt"
    path.write_text(
        "关于召开会议的通知\n\n各单位：\n"
        "定于下周召开年度工作会议，请各单位主要负责\n同志准时参加，不得缺席。会议材料另行下发，\n"
        "请各单位认真准备汇报材料，提前一天报送到办\n公室。\n"
        "会议期间请遵守会场纪律，将手机调至静音状态\n或者关闭。\n", encoding="utf-8")
    body = import_draft(path).outline["body"].splitlines()
    assert body == ["定于下周召开年度工作会议，请各单位主要负责同志准时参加，不得缺席。会议材料另行下发，"
                    "请各单位认真准备汇报材料，提前一天报送到办公室。",
                    "会议期间请遵守会场纪律，将手机调至静音状态或者关闭。"]
