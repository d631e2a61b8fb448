"""Fixtures for docgen serve: one app (and its render processes) per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("fastapi", reason="docgen serve needs the extra docgen[serve]")

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "tests" / "check" / "data" / "seed-speech.txt"  # the seed speech (/work/shared/seeds)
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def client():
    from fastapi.testclient import TestClient

    from docgen.web import create_app
    from docgen.web.settings import Settings

    with TestClient(create_app(Settings.from_env(processes=2))) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def seed_import(client, seed_text) -> dict:
    response = client.post("/api/import", data={"text": seed_text})
    assert response.status_code == 200, response.text
    return response.json()
