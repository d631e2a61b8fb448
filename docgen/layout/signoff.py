"""署名 and 成文日期 (GB/T 9704 7.3.5) as flow pieces, with the seal drawn over them.

The plan is :func:`docgen.layout.placement.signoff_placement` — right-aligned lines with right
indents, the .docx writer's paragraphs — set the way LibreOffice sets a right-aligned line: its
last character's advance ends ``right_indent_pt`` before the 版心's right edge.
- not sealed (7.3.5.2): 署名 右空二字, the date two characters right of the 署名's first (or
  右空二字 when longer, the 署名 moving left with it); ``gap_lines`` (空一行) above the 署名;
- sealed (7.3.5.1): the date 右空四字, the 署名 centred on it; the seal image centred on the date,
  its top half a line below the body, drawn over the text.
The pieces keep together, and the caller keeps the last line before them with them, so the block
never stands alone on a page.
"""

from __future__ import annotations

from dataclasses import replace

from docgen.layout.boxes import Picture
from docgen.layout.flow import Piece
from docgen.layout.lines import measure_pt
from docgen.layout.metrics import Metrics
from docgen.layout.paragraphs import LO_BASELINE_NUDGE_PT, free_line, items_of, type_left_pt, width_of
from docgen.model import Signoff
from docgen.style.profile import Profile
from docgen.layout.placement import signoff_placement


def signoff_pieces(signoff: Signoff, profile: Profile, metrics: Metrics,
                   seal_aspect: float = 1.0) -> list[Piece]:
    """``seal_aspect``: the seal image's height / width."""
    plan = signoff_placement(signoff, profile)
    pitch = profile.line_pitch_pt
    right = type_left_pt(profile) + measure_pt(profile)
    pieces: list[Piece] = []
    for index, line in enumerate(plan.lines):
        width = width_of(items_of(line.text, line.style, profile, metrics))
        placed = free_line(line.text, line.style, right - line.right_indent_pt - width, profile, metrics)
        last = index == len(plan.lines) - 1
        pieces.append(Piece(pitch, (placed,), space_before_pt=plan.space_before_lines * pitch if index == 0 else 0.0,
                            keep_with_next=not last))
    if signoff.seal and pieces:
        width = plan.seal_width_pt
        height = width * seal_aspect
        centre = right - plan.seal_center_from_right_pt
        seal = Picture(centre - width / 2, 0.0, width, height, signoff.seal, over_text=True)
        # Anchored to the date's paragraph; LibreOffice draws it 0.45 pt low, like its text.
        pieces[-1] = replace(pieces[-1], pictures=(
            replace(seal, top_pt=LO_BASELINE_NUDGE_PT - plan.seal_top_above_date_pt),))
    return pieces
