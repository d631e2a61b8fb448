"""``docgen serve`` on the command line: Chinese help, a clear message without the extra, limits
from DOCGEN_SERVE_* variables."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.web.conftest import ROOT


def run(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=60,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})})


MAIN = "import sys; sys.argv[0] = 'docgen'; from docgen.cli import main; main()"


def test_serve_help_is_chinese():
    result = run(MAIN, "serve", "--help")
    assert result.returncode == 0, result.stderr
    for text in ("启动网页版", "--host", "--port", "--workers", "--allow-templates", "监听地址", "DOCGEN_SERVE_MAX_BYTES"):
        assert text in result.stdout


def test_serve_without_fastapi_says_what_to_install():
    blocked = "import sys; sys.modules['fastapi'] = None; " + MAIN
    result = run(blocked, "serve")
    assert result.returncode == 2
    assert "pip install 'docgen[serve]'" in result.stderr and "fastapi" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_import_does_not_load_the_web_stack():
    result = run("import docgen.cli, sys; print(sorted(m for m in ('fastapi', 'uvicorn', 'starlette') if m in sys.modules))")
    assert result.stdout.strip() == "[]"


def test_a_bad_limit_variable_is_a_chinese_error():
    result = run(MAIN, "serve", env={"DOCGEN_SERVE_TIMEOUT": "soon"})
    assert result.returncode == 2
    assert "DOCGEN_SERVE_TIMEOUT" in result.stderr and "正数" in result.stderr


def test_limits_come_from_the_environment(monkeypatch):
    from fastapi.testclient import TestClient

    from docgen.web import create_app
    from docgen.web.settings import Settings

    monkeypatch.setenv("DOCGEN_SERVE_MAX_BYTES", "2000")
    monkeypatch.setenv("DOCGEN_SERVE_ALLOW_TEMPLATES", "1")
    settings = Settings.from_env(processes=1)
    assert settings.max_bytes == 2000 and settings.allow_templates is True
    with TestClient(create_app(settings)) as client:
        response = client.post("/api/import", data={"text": "同志们：" * 500})
        assert response.status_code == 413 and "DOCGEN_SERVE_MAX_BYTES" in response.json()["error"]
        assert client.get("/api/schema").json()["allow_templates"] is True
