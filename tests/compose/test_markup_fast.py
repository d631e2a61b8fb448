"""The plain-markup reader (markup._simple_tokens) gives the blocks markdown-it gives, whenever it
accepts a text; everything else goes to markdown-it."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.compose import markup
from docgen.style.profile import load_profile

ROOT = Path(__file__).resolve().parents[2]
PROFILE = load_profile()


def outcome(text: str, plain: bool):
    """The blocks (or the error message) with the plain reader allowed or not."""
    original = markup._simple_tokens
    try:
        if not plain:
            markup._simple_tokens = lambda *_: None
        return markup._raw_blocks(text, PROFILE, "", {})
    except Exception as exc:  # noqa: BLE001 - compared as text
        return f"{type(exc).__name__}: {exc}"
    finally:
        markup._simple_tokens = original


def both(text: str):
    """(outcome with the plain reader, or None when it declines; outcome with markdown-it)."""
    accepted = markup._simple_tokens(text, PROFILE) is not None
    return (outcome(text, True) if accepted else None), outcome(text, False)


PIECES = ["同志们", "工会", "，", "。", "“", "”", "（", "）", "　", " ", "\n", "\n\n", "{.title}\n", "{.date}\n",
          "{.subtitle}\n", "# ", "## ", "### ", "#### ", "##### ", "#", "\\", "\\%", "\\.", "\\-", "\\#", "\\*",
          "\\\\", "*", "_", "`", "[", "]", "(", ")", "!", "<", ">", "&", "&amp;", "-", "+", "=", "===", "---",
          "1.", "1)", "2020年", "~", "|", "{", "}", "\t", "    ", "\r", "a", "Z", "90", "%", ":", "#x"]


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40))
def test_same_blocks_as_markdown_it(pieces):
    text = "".join(pieces)
    fast, slow = both(text)
    if fast is not None:
        assert fast == slow, repr(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["{.title}\n", "{.salutation}\n", "# ", "## ", ""]), max_size=6),
       st.lists(st.text(alphabet="同志们工会，。：“”（）　0123456789abc\\%.-", min_size=1, max_size=12), max_size=6))
def test_structured_texts(prefixes, lines):
    text = "\n\n".join(prefix + line for prefix, line in zip(prefixes, lines))
    fast, slow = both(text)
    if fast is not None:
        assert fast == slow, repr(text)


def test_the_speech_template_output_takes_the_plain_reader(monkeypatch):
    texts = []
    original = markup._raw_blocks

    def spy(text, *args):
        texts.append(text)
        return original(text, *args)

    monkeypatch.setattr(markup, "_raw_blocks", spy)
    from docgen.api import build_document

    build_document(ROOT / "examples" / "sanxing-sanli-speech.yaml")
    monkeypatch.undo()
    assert texts
    for text in texts:
        fast, slow = both(text)
        assert fast is not None and fast == slow


@pytest.mark.parametrize("text", ["{.title}\n标题\n\n# 一级\n\n正文\\%。\n第二行", "## 二级\n正文", "正文"])
def test_examples(text):
    fast, slow = both(text)
    assert fast is not None and fast == slow
