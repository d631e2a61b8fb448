"""What the layout needs to know about fonts: advances and vertical extents, in em.

Production passes a :class:`docgen.fonts.FontSet`; tests pass :class:`StubMetrics`. The layout never
imports reportlab or reads font files itself.
"""

from __future__ import annotations

from typing import Protocol

# hhea ascent/descent of Noto Serif CJK SC, the default body face; used when a metrics object
# cannot tell (the stub, or a FontSet without vertical metrics).
DEFAULT_VERTICAL_EM = (1.151, 0.286)


class Metrics(Protocol):
    def advance_em(self, font_role: str, char: str) -> float:
        """Horizontal advance of ``char`` in ``font_role``'s face (the face that will draw it)."""
        ...


def vertical_em(metrics: Metrics, font_role: str) -> tuple[float, float]:
    """(ascent, descent) in em of the face of ``font_role``, as LibreOffice uses them to place the
    baseline on a grid line (hhea values); optional on the metrics object."""
    getter = getattr(metrics, "vertical_em", None)
    if getter is not None:
        try:
            return tuple(getter(font_role))  # type: ignore[return-value]
        except Exception:  # noqa: BLE001 - a role without a face falls back to the default
            pass
    return DEFAULT_VERTICAL_EM


class StubMetrics:
    """Every full-width character 1 em, every half-width one 0.5 em (test double)."""

    def __init__(self, half: float = 0.5, full: float = 1.0) -> None:
        self.half = half
        self.full = full

    def advance_em(self, font_role: str, char: str) -> float:
        from docgen.layout.kinsoku import is_half_width

        return self.half if is_half_width(char) else self.full
