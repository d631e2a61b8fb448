"""Property test: random Chinese text with punctuation, digits and Latin words always breaks into
lines that respect 禁则, stay inside the 版心, keep the text in order and end flush."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.layout import layout_document
from docgen.layout.kinsoku import NO_LINE_END, NO_LINE_START, atoms

from .conftest import HAN, document

PUNCT = list("，。、；：？！…—“”‘’（）《》〔〕")
pieces = st.one_of(
    st.text(alphabet=sorted(set(HAN)), min_size=1, max_size=12),
    st.sampled_from(PUNCT + ["——", "……", "。”", "”，", "（一）", "《通知》"]),
    st.integers(0, 10**7).map(str),
    st.sampled_from(["GDP", "25.5%", "COVID-19", "Word", "3.14", "2023年", "ABCDEFGHIJ"]),
)
paragraphs = st.lists(pieces, min_size=1, max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(paragraphs, min_size=1, max_size=4))
def test_line_breaking_properties(profile, metrics, area, texts):
    left, right = area
    pages = layout_document(document(*texts), profile, metrics)
    lines = [line for page in pages for line in page.lines]
    assert "".join(line.text for line in lines) == "".join(texts)
    for index, line in enumerate(lines):
        if not line.glyphs:
            continue
        first, last = line.text[0], line.text[-1]
        units = atoms(line.text)
        # A line may start with a forbidden mark only when nothing else could have been done:
        # it is the paragraph's first line, or the line is one unbreakable atom run.
        starts_block = index == 0 or lines[index - 1].is_last_of_block
        if not starts_block and len(units) > 1:
            assert first not in NO_LINE_START, line.text
        if not line.is_last_of_block and len(units) > 1:
            assert last not in NO_LINE_END, line.text
        for glyph in line.glyphs:
            assert glyph.x_pt >= left - 0.01
            assert glyph.x_pt + glyph.advance_pt <= right + 0.01, line.text
        xs = [glyph.x_pt for glyph in line.glyphs]
        assert xs == sorted(xs)
        if not line.is_last_of_block and line.style == "body":
            end = line.glyphs[-1].x_pt + line.glyphs[-1].advance_pt
            gaps = sum(1 for g in line.glyphs[:-1] if g.advance_pt > 10)
            if gaps:
                # Spread flush to the 版心 edge, or (natural 28-cell lines) within the grid's
                # 1.2 pt remainder.
                assert end >= right - 1.25, line.text
