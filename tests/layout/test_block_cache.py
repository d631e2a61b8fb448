"""Lines of blocks already set are reused across layouts (docgen.layout.paragraphs.block_lines):
a layout with the cache warm equals one from scratch, after an edit, an insertion or a new profile."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from docgen.api import build_document
from docgen.layout import StubMetrics
from docgen.layout.lines import clear_item_cache
from docgen.layout.pages import layout_document
from docgen.model import Block, Span

SPEECH = Path(__file__).resolve().parents[2] / "examples" / "sanxing-sanli-speech.yaml"


def fresh(document, profile, metrics):
    clear_item_cache()
    return layout_document(document, profile, metrics)


def test_warm_layout_equals_a_fresh_one_after_edits():
    document, profile = build_document(SPEECH)
    metrics = StubMetrics()
    first = layout_document(document, profile, metrics)
    assert layout_document(document, profile, metrics) == first == fresh(document, profile, metrics)
    layout_document(document, profile, metrics)  # cache warm again

    # one word changed in the first body paragraph: that paragraph's lines change, the rest follow
    index = next(i for i, b in enumerate(document.blocks) if b.style == "body")
    block = document.blocks[index]
    edited_block = dataclasses.replace(block, spans=(Span("改" + block.spans[0].text, block.spans[0].style),
                                                     *block.spans[1:]))
    edited = dataclasses.replace(document, blocks=(*document.blocks[:index], edited_block,
                                                   *document.blocks[index + 1:]))
    warm = layout_document(edited, profile, metrics)
    assert warm == fresh(edited, profile, metrics) != first
    assert any(line.text.startswith("改") for page in warm for line in page.lines)

    # a paragraph inserted at the top: every later block keeps its lines but gets its new index
    layout_document(document, profile, metrics)
    inserted = dataclasses.replace(document, blocks=(Block("body", (Span("新的一段。", "body"),)),
                                                     *document.blocks))
    warm = layout_document(inserted, profile, metrics)
    assert warm == fresh(inserted, profile, metrics)
    indexes = [line.block_index for page in warm for line in page.lines if line.block_index >= 0]
    assert indexes == sorted(indexes) and indexes[0] == 0 and max(indexes) == len(inserted.blocks) - 1


def test_another_profile_value_sets_the_lines_again():
    document, profile = build_document(SPEECH)
    metrics = StubMetrics()
    moved = profile.model_copy(update={"page": profile.page.model_copy(
        update={"margin_left_mm": profile.page.margin_left_mm + 10})})
    normal = layout_document(document, profile, metrics)
    shifted = layout_document(document, moved, metrics)
    assert shifted == fresh(document, moved, metrics) != normal
    first_normal = normal[0].lines[0].glyphs[0].x_pt
    assert shifted[0].lines[0].glyphs[0].x_pt != first_normal


def test_the_cache_is_bounded_in_glyphs_oldest_first(monkeypatch):
    """A batch of thousands of different notices keeps the most recent blocks, not all of them."""
    from docgen.layout import lines as lines_module
    from docgen.layout.lines import block_cache
    from docgen.layout.paragraphs import block_lines
    from docgen.style.profile import load_profile

    monkeypatch.setattr(lines_module, "_MAX_BLOCK_GLYPHS", 500)
    profile, metrics = load_profile(), StubMetrics()
    blocks = [Block("body", (Span(f"第{n}段：为深入贯彻落实会议精神，进一步做好工会工作。", "body"),)) for n in range(100)]
    for index, block in enumerate(blocks):
        block_lines(block, index, profile, metrics)
    cache = block_cache(profile, metrics)
    assert 0 < cache.size <= 500
    assert cache.size == sum(len(line.glyphs) for kept in cache.values() for line in kept)
    assert blocks[-1] in cache and blocks[0] not in cache
