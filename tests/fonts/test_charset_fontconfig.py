from docgen.fonts import charset, fontconfig


def test_gbk_and_gb2312_sizes():
    assert len(charset.gb2312_chars()) == 7445
    assert len(charset.gbk_chars()) == 21791
    assert "喆" in charset.gbk_chars() and "喆" not in charset.gb2312_chars()
    assert "中" in charset.core_charset() and "A" in charset.core_charset()
    assert "—" in charset.core_charset()  # 一字线 of the page number


def test_latin_routing_set():
    assert charset.is_latin("A") and charset.is_latin("7") and charset.is_latin(".")
    assert not charset.is_latin(" ") and not charset.is_latin("Ａ") and not charset.is_latin("中")


def test_parse_fc_list_splits_families_literally():
    out = ("/f/a.ttc\t2\tNoto Serif CJK SC,Noto Serif CJK SC Bold\tBold\tCFF\n"
           "/f/b.ttf\t0\tWeird\\, Inc Sans\tRegular\tTrueType\n"
           "broken line\n")
    faces = fontconfig.parse_fc_list(out)
    assert [f.index for f in faces] == [2, 0]
    assert faces[0].families == ("Noto Serif CJK SC", "Noto Serif CJK SC Bold")
    assert faces[1].families == ("Weird, Inc Sans",)


def test_find_family_never_trusts_fc_match_fallback():
    if not fontconfig.available():
        return
    # fc-match answers with *some* font for a name that is not installed; the literal check does not.
    assert fontconfig.find_family(["仿宋_GB2312_不存在的字体"]) is None
    assert fontconfig.match("仿宋_GB2312_不存在的字体") is not None
    noto = fontconfig.find_family(["Noto Serif CJK SC"], style="Bold")
    assert noto is not None and "Bold" in noto.styles
