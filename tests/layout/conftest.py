from __future__ import annotations

import pytest

from docgen.layout import StubMetrics
from docgen.model import Block, Document, Meta, Span
from docgen.style.profile import load_profile, mm_to_pt

# Han text with no punctuation, long enough to fill any line.
HAN = ("为了深入贯彻中央和省市委群团工作会议精神提升工会干部的综合素质和工会工作科学化水平市总工会"
       "决定举办了这期全市镇街社区工会干部培训班前面几位同志结合工会工作有针对性地做了辅导讲座") * 20


def han(n: int) -> str:
    return HAN[:n]


@pytest.fixture(scope="session")
def profile():
    return load_profile()


@pytest.fixture(scope="session")
def metrics():
    return StubMetrics()


@pytest.fixture(scope="session")
def area(profile):
    left = mm_to_pt(profile.page.margin_left_mm)
    return left, left + mm_to_pt(profile.page.type_width_mm)


def document(*blocks: tuple[str, str] | str) -> Document:
    made = []
    for block in blocks:
        style, text = ("body", block) if isinstance(block, str) else block
        made.append(Block(style, (Span(text, style),)))
    return Document(Meta(title="测试"), tuple(made))
