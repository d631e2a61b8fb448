"""Property test over the outline schema and its text fields: whatever a user (or a copy-paste)
puts in, docgen writes a valid .docx and PDF or refuses with a Chinese message — never another
exception, never a hang."""

from __future__ import annotations

import io
import re
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.errors import DocgenError

# Text as users paste it: CJK, punctuation, digits, Latin, and the odd characters that break writers.
ODD = "\x00\x01\x08\x0b\x0c\x1f\x7f\u200b\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\uffff"
CJK = "的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会"
PIECES = st.one_of(
    st.text(alphabet=CJK + "，。、；：“”（）《》——……！？", min_size=1, max_size=30),
    st.text(alphabet="0123456789ABCxyz .,:;()!?-_/", min_size=1, max_size=10),
    st.text(alphabet=ODD, min_size=1, max_size=3),
    st.sampled_from(["😀", "𠀀𠀁", "שלום", "مرحبا", "X", "XX", "××", "……", "一、", "（一）", "1.", "{{ a }}", "{%", "#", "*", "<b>", "&amp;", "\n", "\t"]),
    st.text(max_size=8),  # anything at all, surrogates excluded by hypothesis
)
TEXT = st.lists(PIECES, min_size=0, max_size=12).map("".join)
LONG_TEXT = st.one_of(TEXT, st.integers(90, 400).map(lambda n: "职工" * n))

POINT = st.fixed_dictionaries({"heading": TEXT}, optional={"body": TEXT})
SECTION = st.fixed_dictionaries({}, optional={
    "heading": TEXT, "intro": TEXT, "points": st.lists(POINT, max_size=3)})
SPEECH = st.fixed_dictionaries(
    {"kind": st.just("speech"), "title": LONG_TEXT},
    optional={"occasion": TEXT, "speaker": TEXT, "salutation": TEXT, "opening": TEXT, "closing": TEXT,
              "sections": st.lists(SECTION, max_size=4)},
)
NOTICE = st.fixed_dictionaries(
    {"kind": st.just("notice"), "issuer": TEXT, "number": st.sampled_from(["某工发〔2024〕3号", "", "x"]),
     "title": LONG_TEXT, "recipients": st.lists(TEXT, max_size=3), "body": TEXT, "signature": TEXT,
     "date": st.sampled_from(["2024-03-15", "2024-02-30", "明天"])},
    optional={"cc": st.lists(TEXT, max_size=3), "printer": TEXT, "note": TEXT,
              "sections": st.lists(SECTION, max_size=3),
              "attachments": st.lists(st.fixed_dictionaries({"title": TEXT}, optional={"body": TEXT}), max_size=2)},
)
CJK_MESSAGE = re.compile(r"[\u4e00-\u9fff]")


def _yaml(data) -> str:
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe")
    yaml.allow_unicode = True
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def check_one(data, tmp_path_factory) -> None:
    import docx
    import pypdfium2

    from docgen.api import render

    folder = tmp_path_factory.mktemp("prop")
    try:
        text = _yaml(data)
    except Exception:  # data the YAML emitter itself cannot write is not a docgen input
        return
    outline = folder / "outline.yaml"
    outline.write_text(text, encoding="utf-8", errors="surrogatepass")
    started = time.perf_counter()
    try:
        paths = render(outline, ["docx", "pdf"], folder / "out")
    except DocgenError as error:
        assert CJK_MESSAGE.search(str(error)), str(error)
        assert not (folder / "out").exists() or not any((folder / "out").iterdir())
        return
    finally:
        assert time.perf_counter() - started < 20
    docx_path, pdf_path = paths
    docx.Document(str(docx_path))
    pdf = pypdfium2.PdfDocument(str(pdf_path))
    assert len(pdf) >= 1
    page_text = "".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    title_chars = [c for c in str(data.get("title", "")) if "\u4e00" <= c <= "\u9fff"]
    for char in title_chars[:5]:
        assert char in page_text


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(SPEECH)
def test_any_speech_outline_renders_or_is_refused_in_chinese(tmp_path_factory, data):
    check_one(data, tmp_path_factory)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(NOTICE)
def test_any_notice_outline_renders_or_is_refused_in_chinese(tmp_path_factory, data):
    check_one(data, tmp_path_factory)


@pytest.mark.parametrize("depth", [10, 200, 3000])
def test_nesting_of_any_depth_is_refused_or_read(tmp_path_factory, depth):
    data = {"kind": "speech", "title": "标题", "opening": None}
    value = "正文"
    for _ in range(depth):
        value = [value]
    data["opening"] = value
    folder = tmp_path_factory.mktemp("deep")
    outline = folder / "deep.yaml"
    outline.write_text("kind: speech\ntitle: 标题\nopening: " + "[" * depth + "正文" + "]" * depth + "\n", encoding="utf-8")
    from docgen.api import render

    with pytest.raises(DocgenError):
        render(outline, ["docx"], folder / "out")
