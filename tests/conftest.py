"""Shared fixtures. Helpers that are not fixtures live in ``tests/support`` (``support.*``).

pytest puts this directory on ``sys.path`` (rootdir conftest, default "prepend" import mode),
which is what makes ``from support.pdfmeasure import …`` work in every test module.
"""

from __future__ import annotations

import pytest

from docgen.style import Profile, load_profile


@pytest.fixture(scope="session")
def profile() -> Profile:
    """The base GB/T 9704-2012 style profile."""
    return load_profile()
