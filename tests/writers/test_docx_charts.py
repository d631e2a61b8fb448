"""docgen.charts: the PNG both writers embed — size, determinism, Chinese labels drawn in a CJK font."""

from __future__ import annotations

import dataclasses
import io
import zlib

import pytest
from PIL import Image

from docgen.charts import DPI, chart_font_path, render_chart_png
from docgen.model import Chart

CHART = Chart(1, "会员人数变化", "line", ("2020", "2021", "2022"),
              (("会员（万人）", (35.6, 37.1, 38.4)), ("农民工会员（万人）", (9.8, 10.5, 11.2))), "万人")


@pytest.fixture(scope="module")
def line_png(profile) -> bytes:
    return render_chart_png(CHART, profile)


def text_chunks(png: bytes) -> list[bytes]:
    """Keywords of the tEXt/iTXt/zTXt chunks."""
    chunks, at = [], 8
    while at < len(png):
        length = int.from_bytes(png[at:at + 4], "big")
        kind = png[at + 4:at + 8]
        if kind in (b"tEXt", b"iTXt", b"zTXt"):
            chunks.append(png[at + 8:at + 8 + length].split(b"\0")[0])
        at += 12 + length
    return chunks


def test_png_is_the_type_width_at_300_dpi(line_png, profile):
    image = Image.open(io.BytesIO(line_png))
    assert image.format == "PNG"
    assert image.width == pytest.approx(profile.page.type_width_mm / 25.4 * DPI, abs=1)
    assert 0.4 < image.height / image.width < 0.7
    assert len(line_png) < 400_000


def test_bytes_are_deterministic_without_software_tag(line_png, profile):
    assert render_chart_png(CHART, profile) == line_png
    assert b"Software" not in text_chunks(line_png)
    assert b"matplotlib" not in line_png


def test_bar_chart_differs_and_is_deterministic(profile, line_png):
    bar = dataclasses.replace(CHART, kind="bar")
    first = render_chart_png(bar, profile)
    assert first == render_chart_png(bar, profile) and first != line_png


def test_labels_use_a_cjk_font_file(profile):
    from fontTools.ttLib import TTFont

    path = chart_font_path(profile.fonts.fangsong)
    with TTFont(path, fontNumber=0, lazy=True) as font:
        cmap = font.getBestCmap()
    assert all(ord(ch) in cmap for ch in "会员农民工单位万人")


def test_an_explicit_font_file_is_used(profile, line_png):
    import glob

    other = sorted(glob.glob("/usr/share/fonts/truetype/arphic-gkai00mp/*.ttf"))
    if not other:
        pytest.skip("AR PL KaitiM GB 未安装")
    assert render_chart_png(CHART, profile, font_path=other[0]) != line_png


def test_chinese_labels_are_drawn_not_boxes(profile):
    """A chart whose labels differ only in Chinese text gives different pixels (tofu would not)."""
    a = render_chart_png(dataclasses.replace(CHART, series=(("会员", (1.0, 2.0, 3.0)),)), profile)
    b = render_chart_png(dataclasses.replace(CHART, series=(("职工", (1.0, 2.0, 3.0)),)), profile)
    pixels = lambda data: zlib.crc32(Image.open(io.BytesIO(data)).tobytes())  # noqa: E731
    assert pixels(a) != pixels(b)
