"""The style profile: GB/T 9704 numbers, derived grid values, overrides and their errors."""

from __future__ import annotations

import pytest

from docgen.errors import ProfileError
from docgen.style.profile import differences, load_profile


def test_base_profile_is_gbt9704():
    profile = load_profile()
    assert (profile.page.margin_top_mm, profile.page.margin_left_mm) == (37, 28)
    assert (profile.margin_right_mm, profile.margin_bottom_mm) == (26, 35)
    assert (profile.grid.lines, profile.grid.chars) == (22, 28)
    assert profile.line_pitch_twips == 579  # 225 mm / 22 lines, whole twips that still fit
    assert profile.char_spacing_twips == -5  # 16 pt type tightened by 0.25 pt → 28 × 15.75 pt ≤ 156 mm
    assert 15.79 < profile.char_pitch_pt < 15.80
    assert profile.style("title").size == 22 and profile.style("body").size == 16
    assert profile.style("page_number").size == 14
    assert differences(profile) == {}


def test_override_changes_values_and_is_listed(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("styles:\n  heading2: {bold: true}\n  title: {size: 小一}\ncolors: {red: '#C8102E'}\n", encoding="utf-8")
    profile = load_profile(unit)
    assert profile.style("heading2").bold is True
    assert profile.style("heading2").font == "kaiti"  # untouched keys keep the standard
    assert profile.style("title").size == 24
    assert set(differences(profile)) == {"styles.heading2.bold", "styles.title.size", "colors.red"}


def test_derived_values_follow_the_grid(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("grid: {lines: 20, chars: 26}\n", encoding="utf-8")
    profile = load_profile(unit)
    assert profile.line_pitch_twips == 637  # 12756 / 20
    assert profile.char_spacing_twips == 20  # 26 chars of 16 pt leave room: +1 pt each


def test_bad_override_names_file_line_and_field(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("styles:\n  body:\n    size: 特大号\n", encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(unit)
    (problem,) = exc.value.problems
    assert (problem.line, problem.column) == (3, 11)
    assert "特大号" in problem.message


def test_impossible_grid_is_rejected(tmp_path):
    unit = tmp_path / "unit.yaml"
    unit.write_text("grid: {chars: 40}\n", encoding="utf-8")
    with pytest.raises(ProfileError, match="压缩过多"):
        load_profile(unit)
