"""The seed speech (a real draft copied off the web): every X/XX placeholder with its line, and
the text cut off after 二(三)."""

from pathlib import Path

from docgen.api import check

SEED = Path(__file__).with_name("data") / "seed-speech.txt"


def test_seed_placeholders_and_truncation():
    findings = check([SEED]).findings
    placeholders = [f for f in findings if f.code == "L001"]
    text = SEED.read_text(encoding="utf-8").splitlines()
    expected = sum(line.count("X") for line in text)  # every X of the seed is a placeholder
    assert sum(f.message.count("“X”") + f.message.count("“XX”") * 2 for f in placeholders) == expected == 9
    assert {f.line for f in placeholders} == {7}
    assert any("三个X" in f.message for f in placeholders)
    assert any("XX户" in f.message for f in placeholders)
    cut = [f for f in findings if f.code == "L017"]
    assert len(cut) == 1 and cut[0].line == 7 and "二(三)" in cut[0].message and "大力开展" in cut[0].message
    assert str(cut[0]).startswith(f"L017 seed-speech.txt:7:{len(text[6])}：")
    # Columns point at the X themselves on the 2,500-character pasted line.
    assert all(text[f.line - 1][f.column - 1] == "X" for f in placeholders)


def test_seed_half_width_punctuation_is_one_finding_with_a_count():
    half = [f for f in check([SEED]).findings if f.code == "L008"]
    assert len(half) == 1 and half[0].line == 7 and "半角标点" in half[0].message
