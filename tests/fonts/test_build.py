import io
import os

import pytest

from docgen.errors import FontError
from docgen.fonts import charset, convert
from docgen.fonts.resolve import FontSource, inspect_face, resolve_fallback


def test_build_writes_truetype_that_reportlab_registers(built):
    from fontTools.ttLib import TTFont
    from reportlab.pdfbase.ttfonts import TTFont as RLFont

    converted = [p for p in built if not p.name.endswith(".trim.ttf")]
    # Noto Serif Bold (title), FandolFang (仿宋), Noto Serif Regular (宋体: page numbers), Noto Sans (黑体)
    assert sorted(p.name.split("-")[0] for p in converted) == [
        "FandolFang", "NotoSansCJK", "NotoSerifCJK", "NotoSerifCJK"]
    for path in converted:
        assert path.parent == convert.cache_dir() and path.suffix == ".ttf"
        with TTFont(str(path), lazy=True) as font:
            assert "glyf" in font and "loca" in font
            assert "CFF " not in font and "VORG" not in font
            assert font["maxp"].tableVersion == 0x00010000
            assert font["head"].glyphDataFormat == 0
            assert font["post"].formatType == 2.0
        RLFont(f"probe-{path.stem}", str(path))  # raises on anything reportlab cannot embed


def test_built_serif_regular_covers_all_of_gb2312(built):
    from fontTools.ttLib import TTFont

    serif = next(p for p in built if p.name.startswith("NotoSerifCJK-Regular-2-"))
    with TTFont(str(serif), lazy=True) as font:
        cmap = font.getBestCmap()
    missing = [c for c in charset.gb2312_chars() | charset.ascii_chars() if ord(c) not in cmap]
    assert missing == []


def test_build_again_is_a_no_op(built, profile):
    before = {p: p.stat().st_mtime_ns for p in built}
    calls = []
    again = convert.build(lambda label, done, total: calls.append((label, done, total)), profile=profile)
    assert again == built
    assert {p: p.stat().st_mtime_ns for p in again} == before
    assert sorted(c[0] for c in calls) == sorted(p.name.rsplit("-", 1)[0] for p in built)


def test_cache_key_follows_the_source_file(tmp_path):
    path = tmp_path / "face.otf"
    path.write_bytes(b"x" * 10)
    source = FontSource("fangsong", path, 0, "X", False, "default", "cff")
    first = convert.cache_key(source)
    os.utime(path, ns=(1, 1))
    assert convert.cache_key(source) != first
    assert convert.built_path(source).name.startswith("face-")


def test_progress_and_conversion_of_a_small_subset(tmp_path, built):
    """convert_faces on a handful of characters, in worker processes, reporting progress."""
    source = next(s for s in convert.sources_to_build() if s.role == "heiti")
    calls = []
    out = tmp_path / "mini.ttf"
    convert.convert_faces([(source, list("黑体ABC"), out)], lambda *a: calls.append(a), workers=2, core=False)
    assert calls[0] == (source.label, 0, 6) and calls[-1] == (source.label, 6, 6)
    info = inspect_face(out)
    assert info.outline == "truetype" and "Noto Sans CJK SC" in info.families


# --- FontSet: coverage and fallback ------------------------------------------------------------
RARE_GBK = "喆"  # GBK, not GB2312; not in the Fandol faces either
FANDOL_GBK = "們"  # GBK, not GB2312, and in FandolFang (which has ~1 300 such characters)


def _default_fangsong(fontset) -> None:
    if fontset.sources["fangsong"].family != "FandolFang":
        pytest.skip("the 仿宋 role is not the free default FandolFang here")


def test_rare_gbk_character_is_drawn_by_the_roles_own_face(fontset):
    assert RARE_GBK in charset.gbk_chars() and RARE_GBK not in charset.gb2312_chars()
    fontset.take_fallbacks()
    for role, family in (("heiti", "Noto Sans CJK SC"), ("xiaobiaosong", "Noto Serif CJK SC")):
        face = fontset.face_for(role, RARE_GBK)
        assert face.family == family and face.has(RARE_GBK)
        assert face.source.path == fontset.sources[role].path  # the role's own design
        assert fontset.advance_em(role, RARE_GBK) == 1.0
    assert fontset.take_fallbacks() == []


def test_fandolfang_draws_its_own_gbk_characters_and_the_rest_falls_back_reported(fontset):
    """FandolFang covers GB2312 (but ―) and some 1 300 more GBK characters: those come from its
    supplement; a GBK name character it lacks (喆) is drawn by the 宋体 face and reported."""
    _default_fangsong(fontset)
    assert FANDOL_GBK in charset.gbk_chars() and FANDOL_GBK not in charset.gb2312_chars()
    fontset.take_fallbacks()
    own = fontset.face_for("fangsong", FANDOL_GBK)
    assert own.family == "FandolFang" and own.supplement and own.has(FANDOL_GBK)
    assert fontset.take_fallbacks() == []
    other = fontset.face_for("fangsong", RARE_GBK)
    assert other.family == fontset.sources["songti"].family == "Noto Serif CJK SC"
    assert fontset.advance_em("fangsong", RARE_GBK) == 1.0
    assert fontset.take_fallbacks() == [(RARE_GBK, "fangsong", "Noto Serif CJK SC")]


def test_fandolfang_covers_gb2312_but_one_character():
    source = next((s for s in convert.sources_to_build() if s.family == "FandolFang"), None)
    if source is None:
        pytest.skip("FandolFang is not the 仿宋 face here")
    cmap = convert.source_cmap(source)
    assert [c for c in charset.gb2312_chars() if ord(c) not in cmap] == ["―"]  # U+2015: from 宋体


def test_every_gbk_character_is_in_the_noto_sources():
    """The supplement can add any GBK character: the Noto faces have all but ≒ (U+2252)."""
    gbk = charset.gbk_chars()
    noto = [s for s in convert.sources_to_build() if s.family.startswith("Noto")]
    assert noto
    for source in noto:
        cmap = convert.source_cmap(source)
        assert sorted(c for c in gbk if ord(c) not in cmap) == ["≒"]


def test_a_document_of_rare_gbk_characters_renders_in_the_roles_face(fontset):
    """200 GBK-only characters through check_all: one supplement build, no fallback but ≒."""
    rare = sorted(charset.gbk_chars() - charset.gb2312_chars())
    text = "".join(rare[::70]) + "≒"
    fontset.take_fallbacks()
    fontset.check_all([(text, "heiti", "一级标题")])
    for char in text[:-1]:
        face = fontset.face_for("heiti", char)
        assert face.has(char) and face.family == "Noto Sans CJK SC"
    assert [f.char for f in fontset.take_fallbacks()] == ["≒"]


def _outside_gbk_only_in_fallback(fontset):
    wqy = resolve_fallback()
    assert wqy is not None
    # Not in the 仿宋 face, nor in the 宋体 face it falls back to first.
    serif = set(convert.source_cmap(fontset.sources["fangsong"])) | set(convert.source_cmap(fontset.sources["songti"]))
    for cp in sorted(convert.source_cmap(wqy)):
        char = chr(cp)
        if 0x3400 <= cp <= 0x9FFF and cp not in serif and not charset.in_gbk(char):
            return char
    pytest.skip("no CJK character in WenQuanYi Zen Hei that Noto Serif CJK SC lacks")


def test_character_outside_gbk_falls_back_to_wenquanyi_and_is_recorded(fontset):
    char = _outside_gbk_only_in_fallback(fontset)
    fontset.take_fallbacks()
    face = fontset.face_for("fangsong", char)
    assert face.family == "WenQuanYi Zen Hei"
    assert fontset.take_fallbacks() == [("" + char, "fangsong", "WenQuanYi Zen Hei")]
    fontset.check(char, "fangsong", "第 1 段")  # drawable: no error


def test_character_in_no_font_raises_naming_it_and_where(fontset):
    with pytest.raises(FontError) as info:
        fontset.check_all([("正常文字\U0010fffd", "fangsong", "第 3 段"),
                           ("标题\U0010fffd\ue000", "xiaobiaosong", "标题")])
    message = str(info.value)
    assert "U+10FFFD" in message and "第 3 段" in message and "标题" in message
    assert len(info.value.problems) == 2  # one problem per character, with all its places
    with pytest.raises(FontError, match=r"U\+10FFFD"):
        fontset.face_for("fangsong", "\U0010fffd")


def test_latin_letters_and_digits_come_from_the_latin_face(fontset):
    latin = fontset.latin_face
    assert latin.family in ("Liberation Serif", "Times New Roman")
    for role in ("fangsong", "heiti", "kaiti", "xiaobiaosong"):
        assert fontset.face_for(role, "A") is latin
        assert fontset.advance_em(role, "2") == pytest.approx(0.5)
        assert fontset.face_for(role, "A", latin=False).family != latin.family
    own = fontset.sources["fangsong"].family
    assert fontset.face_for("fangsong", "２").family == own  # full-width stays CJK
    assert fontset.advance_em("fangsong", "中") == 1.0
    # Vertical extents are the faces' usWin values (their glyph box), not FandolFang's smaller hhea.
    expected = {"FandolFang": (0.978, 0.272), "Noto Serif CJK SC": (1.151, 0.286)}
    ascent, descent = fontset.vertical_em("fangsong")
    if own in expected:
        assert (ascent, descent) == pytest.approx(expected[own], abs=0.001)
    ascent, descent = fontset.vertical_em("heiti")
    if fontset.sources["heiti"].family == "Noto Sans CJK SC":
        assert (ascent, descent) == pytest.approx((1.160, 0.288), abs=0.001)


def test_faces_draw_into_a_pdf_and_extract_back(fontset):
    pypdf = pytest.importorskip("pypdf")
    from reportlab.pdfgen import canvas

    text = "中华人民共和国喆堃"
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    x = 72
    for role in ("xiaobiaosong", "fangsong", "heiti", "kaiti"):
        for char in text + "2024":
            face = fontset.face_for(role, char)
            pdf.setFont(face.name, 16)
            pdf.drawString(x, 700, char)
            x += fontset.advance_em(role, char) * 16
        x = 72
        pdf.translate(0, -30)
    pdf.showPage()
    pdf.save()
    extracted = "".join(pypdf.PdfReader(io.BytesIO(buffer.getvalue())).pages[0].extract_text().split())
    # Each character was drawn on its own, so compare without the breaks the extractor inserts.
    assert extracted == (text + "2024") * 4


def test_kaiti_gaps_are_filled_from_the_songti_face_and_reported(fontset):
    """AR PL KaitiM GB has GB2312 only; a GBK-only character comes from 宋体 (as Word does)."""
    if fontset.sources["kaiti"].official:
        pytest.skip("a real 楷体 is installed")
    fontset.take_fallbacks()
    face = fontset.face_for("kaiti", RARE_GBK)
    assert face.family == fontset.sources["songti"].family
    assert fontset.take_fallbacks() == [(RARE_GBK, "kaiti", face.family)]


def test_report_lists_every_role(built, profile):
    import json

    from docgen.fonts import report

    rows = report(profile)
    assert [r["role"] for r in rows] == ["xiaobiaosong", "fangsong", "heiti", "kaiti", "songti", "latin",
                                         "fallback"]
    by_role = {r["role"]: r for r in rows}
    assert by_role["fangsong"]["docx_family"] == "仿宋_GB2312"
    assert by_role["fangsong"]["status"] in ("官方字体", "替代字体")
    assert by_role["xiaobiaosong"]["build"] == "已构建" or by_role["xiaobiaosong"]["official"]
    assert by_role["kaiti"]["build"] == "无需构建" or by_role["kaiti"]["official"]
    assert by_role["fallback"]["status"] == "兜底字体"
    if not by_role["heiti"]["official"]:
        assert by_role["heiti"]["counts"]["gb2312"] == [7445, 7445]
        assert "GB2312 全部" in by_role["heiti"]["coverage"]
    json.dumps(rows, ensure_ascii=False)


def test_truetype_role_faces_are_trimmed_without_changing_metrics(built):
    """楷体 (AR PL KaitiM) and the Latin face lose hinting and long names, keep map and widths."""
    from fontTools.ttLib import TTFont

    trimmed = [p for p in built if p.name.endswith(".trim.ttf")]
    assert {p.name.split("-")[0] for p in trimmed} >= {"gkai00mp", "LiberationSerif"}
    originals = {
        "gkai00mp": "/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf",
        "LiberationSerif": "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf",
    }
    for path in trimmed:
        original = originals.get(path.name.split("-")[0])
        if original is None:
            continue
        with TTFont(str(path)) as small, TTFont(original) as big:
            assert not {"fpgm", "prep", "cvt "} & set(small.keys())
            assert len(small["name"].compile(small)) < 4000
            assert set(small.getBestCmap()) == set(big.getBestCmap())
            for code, glyph in list(big.getBestCmap().items())[:500]:
                assert small["hmtx"][small.getBestCmap()[code]][0] == big["hmtx"][glyph][0]
