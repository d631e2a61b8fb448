"""Charts for reports: a model :class:`~docgen.model.Chart` → PNG bytes, the one image both writers embed.

matplotlib (Agg, no pyplot state) is imported only when a chart is drawn. Labels are set in the
body font's own file (the 仿宋 role as :mod:`docgen.fonts` resolves it: the official font when
installed, else its free stand-in; any CJK font as a last resort), so Chinese never shows as boxes.
The caption (“图1　…”) is document text under the image, not part of it.

The bytes are deterministic for a given chart, profile and font file: fixed size and dpi, no
timestamp or software tag in the PNG metadata.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from docgen.model import Chart
from docgen.style.profile import Profile

DPI = 300
# Series colours: dark, distinguishable in greyscale print too.
COLORS = ("#1F4E79", "#C55A11", "#548235", "#7F6000", "#5B2C6F", "#404040")
MARKERS = ("o", "s", "^", "D", "v", "x")
LABEL_PT = 11  # tick and legend labels at print size


_RENDERED: dict[tuple, bytes] = {}


def render_chart_png(chart: Chart, profile: Profile, font_path: str | Path | None = None) -> bytes:
    """Draw ``chart`` (bar or line) at the width of the 版心 and 300 dpi; returns PNG bytes.

    Both writers embed the chart, and matplotlib takes ~0.2 s a chart: each one is drawn once per
    process and its bytes reused (they are deterministic anyway).
    """
    key = (chart, profile.model_dump_json(), str(font_path))
    if key not in _RENDERED:
        _RENDERED[key] = _draw_chart(chart, profile, font_path)
    return _RENDERED[key]


def _draw_chart(chart: Chart, profile: Profile, font_path: str | Path | None) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from docgen.layout.placement import chart_size_mm

    width_mm, height_mm = chart_size_mm(chart, profile)
    figure = Figure(figsize=(width_mm / 25.4, height_mm / 25.4), dpi=DPI)
    FigureCanvasAgg(figure)
    font = _font_properties(str(font_path) if font_path else None, profile.fonts.fangsong)
    axes = figure.add_subplot()
    positions = list(range(len(chart.categories)))
    count = max(len(chart.series), 1)
    for index, (name, values) in enumerate(chart.series):
        color = COLORS[index % len(COLORS)]
        if chart.kind == "bar":
            width = 0.8 / count
            shifted = [x - 0.4 + width * (index + 0.5) for x in positions]
            axes.bar(shifted, values, width * 0.9, label=name, color=color)
        else:
            axes.plot(positions, values, label=name, color=color, marker=MARKERS[index % len(MARKERS)],
                      linewidth=1.6, markersize=5)
            for x, y in zip(positions, values):
                axes.annotate(f"{y:g}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center",
                              fontproperties=font, fontsize=LABEL_PT - 2, color=color)
    axes.set_xticks(positions, list(chart.categories))
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(font)
        label.set_fontsize(LABEL_PT)
    if chart.unit:
        axes.set_ylabel(f"单位：{chart.unit}", fontproperties=font, fontsize=LABEL_PT)
    if chart.kind == "bar":
        axes.set_ylim(bottom=0)
    axes.margins(y=0.15)
    axes.spines[["top", "right"]].set_visible(False)
    axes.grid(axis="y", color="#D0D0D0", linewidth=0.6)
    axes.set_axisbelow(True)
    if len(chart.series) > 1 or chart.kind == "line":
        # Above the plot, one row: never over the data, and the same place for every chart.
        legend = axes.legend(prop=font, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0),
                             ncol=len(chart.series))
        for text in legend.get_texts():
            text.set_fontsize(LABEL_PT)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _font_properties(path: str | None, family: str):
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=path or chart_font_path(family))


@lru_cache(maxsize=8)
def chart_font_path(family: str | None = None) -> str:
    """The file matplotlib draws labels with: the 仿宋 role's TrueType (the converted one for CFF
    faces when ``docgen fonts build`` has run), else the role's source file when it is a single-face
    font, else a CJK TrueType fallback (WenQuanYi). Raises FontError when nothing is found."""
    from docgen.errors import FontError
    from docgen.fonts import convert
    from docgen.fonts.resolve import resolve_fallback, resolve_role

    candidates = []
    try:
        candidates.append(resolve_role("fangsong", family))
    except FontError:
        pass
    fallback = resolve_fallback()
    if fallback is not None:
        candidates.append(fallback)
    for source in candidates:
        if source.needs_build and convert.is_built(source):
            return str(convert.built_path(source))
        # matplotlib reads face 0 of a collection; only a plain file or face 0 is the right face.
        if not source.needs_build and source.index == 0:
            return str(source.path)
    for source in candidates:
        if source.index == 0:
            return str(source.path)
    raise FontError("找不到可用于图表文字的中文字体，请安装 fonts-noto-cjk 或 fonts-wqy-microhei")
