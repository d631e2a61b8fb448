from dataclasses import replace

import pytest

from docgen.errors import FontError
from docgen.fonts import FontSet, resolve_role
from docgen.fonts.fontset import clear_cache
from docgen.fonts.resolve import ALTERNATES, DEFAULTS, find_official

from .conftest import make_font


def test_official_font_in_font_dir_wins(fake_fangsong_dir):
    source = resolve_role("fangsong", "仿宋_GB2312", font_dir=fake_fangsong_dir)
    assert source.origin == "font_dir"
    assert source.official
    assert source.family == "仿宋_GB2312"
    assert source.path == fake_fangsong_dir / "FS_GB2312.ttf"
    assert source.outline == "truetype" and not source.needs_build


def test_profile_family_is_searched_first(tmp_path):
    make_font(tmp_path / "a.ttf", "仿宋_GB2312", "中")
    make_font(tmp_path / "b.ttf", "方正仿宋_GBK", "中")
    assert resolve_role("fangsong", "方正仿宋_GBK", font_dir=tmp_path).path.name == "b.ttf"
    assert resolve_role("fangsong", "仿宋_GB2312", font_dir=tmp_path).path.name == "a.ttf"


def test_without_official_font_the_free_default_is_used(tmp_path):
    if find_official("fangsong", "仿宋_GB2312") is not None:
        pytest.skip("this machine has a real 仿宋")
    make_font(tmp_path / "other.ttf", "Some Other Font", "中")  # a font_dir without 仿宋
    source = resolve_role("fangsong", "仿宋_GB2312", font_dir=tmp_path)
    assert source.origin == "default" and not source.official
    assert source.family == DEFAULTS["fangsong"].family == "FandolFang"  # a 仿宋 design (make fandol-fonts)
    assert source.path.name == "FandolFang-Regular.otf" and source.needs_build  # CFF
    title = resolve_role("xiaobiaosong", "方正小标宋简体")
    assert title.path.name == "NotoSerifCJK-Bold.ttc" and title.index == 2
    assert resolve_role("kaiti", "楷体_GB2312").path.name == "gkai00mp.ttf"
    assert resolve_role("latin", "Times New Roman").family in ("Times New Roman", "Liberation Serif")


def test_without_fandol_the_fangsong_role_falls_back_to_noto_serif(tmp_path, monkeypatch):
    """Fandol is installed by make, not by a Debian font package: without it 仿宋 is Noto Serif."""
    if find_official("fangsong", "仿宋_GB2312") is not None:
        pytest.skip("this machine has a real 仿宋")
    missing = replace(DEFAULTS["fangsong"], family="FandolFang Missing", debian_path=str(tmp_path / "none.otf"))
    monkeypatch.setitem(DEFAULTS, "fangsong", missing)
    source = resolve_role("fangsong", "仿宋_GB2312")
    assert source.family == ALTERNATES["fangsong"][0].family == "Noto Serif CJK SC"
    assert source.origin == "default" and not source.official and source.index == 2
    monkeypatch.setitem(ALTERNATES, "fangsong", ())
    with pytest.raises(FontError, match="make fandol-fonts"):
        resolve_role("fangsong", "仿宋_GB2312")


def test_explicit_path_wins_over_font_dir(tmp_path, fake_fangsong_dir):
    mine = make_font(tmp_path / "mine.ttf", "My FangSong", "中")
    source = resolve_role("fangsong", "仿宋_GB2312", font_dir=fake_fangsong_dir, paths={"fangsong": mine})
    assert source.origin == "paths" and source.path == mine
    assert not source.official  # not named like the official font: reported as a substitute
    with pytest.raises(FontError, match="不存在"):
        resolve_role("fangsong", None, paths={"fangsong": tmp_path / "missing.ttf"})


def test_unknown_role_and_missing_font_dir(tmp_path):
    with pytest.raises(FontError, match="未知的字体角色"):
        resolve_role("gothic")
    with pytest.raises(FontError, match="字体目录不存在"):
        resolve_role("fangsong", font_dir=tmp_path / "nope")


def test_fontset_uses_the_official_face_and_falls_back_per_character(built, profile, fake_fangsong_dir):
    fonts = FontSet.load(profile, font_dir=fake_fangsong_dir)
    own = fonts.face_for("fangsong", "仿")
    assert own.family == "仿宋_GB2312" and own.official
    assert fonts.advance_em("fangsong", "仿") == 1.0
    # 国 is not in the fake font: drawn by the 宋体 role's face, and reported.
    other = fonts.face_for("fangsong", "国")
    assert other.family == "Noto Serif CJK SC" and not other.official
    assert ("国", "fangsong") in [(f.char, f.role) for f in fonts.take_fallbacks()]
    assert fonts.take_fallbacks() == []


def test_load_without_build_says_how_to_build(tmp_path, monkeypatch, profile):
    monkeypatch.setenv("DOCGEN_FONT_CACHE", str(tmp_path / "empty-cache"))
    clear_cache()
    try:
        with pytest.raises(FontError, match="字体尚未构建，请先运行 docgen fonts build"):
            FontSet.load(profile)
    finally:
        clear_cache()


def test_render_names_stand_in_faces_once_per_process(tmp_path):
    """Font honesty: a role drawn with a stand-in face is reported, with the face and the fix."""
    from pathlib import Path

    import docgen
    from docgen.fonts import fontset

    fontset._TOLD.clear()
    example = Path(__file__).resolve().parents[2] / "examples" / "notice.yaml"
    said: list[str] = []
    try:
        docgen.render(example, formats=["pdf"], outdir=tmp_path, warn=said.append)
    except docgen.errors.FontError:
        import pytest

        pytest.skip("字体尚未构建")
    notices = [m for m in said if m.startswith("字体替代：本机没有公文字体")]
    assert len(notices) == 1
    assert "正文（仿宋）的“仿宋_GB2312”→" in notices[0] and "--font-dir" in notices[0]
    said.clear()
    docgen.render(example, formats=["pdf"], outdir=tmp_path, warn=said.append)
    assert not [m for m in said if m.startswith("字体替代：本机没有公文字体")]

