"""Helpers for the browser tests: a real ``docgen serve`` process and the Debian Chromium driven by
Playwright (never a downloaded browser).

``python -m tests.web.browser docs/serve.png`` takes the screenshot of the page used in the docs.
"""

from __future__ import annotations

import contextlib
import io
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("DOCGEN_CHROMIUM", "/usr/bin/chromium"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serve(*args: str, env: dict | None = None):
    """``docgen serve`` on a free loopback port; yields its base URL, stops it afterwards."""
    port = free_port()
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    process = subprocess.Popen([sys.executable, "-m", "docgen", "serve", "--port", str(port), *args],
                               env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/api/schema", timeout=2):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("docgen serve did not start: " + process.stderr.read().decode()[-2000:])
                time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def paste_seed(page, text: str) -> None:
    """Paste the seed speech and wait until its structure and pages are shown."""
    page.fill("#paste-text", text)
    page.click("#paste-go")
    page.wait_for_selector("#pages img.page", timeout=60_000)


def screenshot(page, path: Path, max_bytes: int = 150_000) -> Path:
    """A PNG of the page in 64 colours (small enough for the docs)."""
    from PIL import Image

    raw = page.screenshot(full_page=False)
    image = Image.open(io.BytesIO(raw)).convert("RGB").quantize(colors=64)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    if len(buffer.getvalue()) > max_bytes:
        image = image.convert("RGB").resize((image.width * 3 // 4, image.height * 3 // 4)).quantize(colors=48)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
    path.write_bytes(buffer.getvalue())
    return path


def main(target: str) -> None:
    from playwright.sync_api import sync_playwright

    seed = (ROOT / "tests" / "check" / "data" / "seed-speech.txt").read_text(encoding="utf-8")
    with serve() as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page(viewport={"width": 1360, "height": 820})
        page.goto(url)
        paste_seed(page, seed)
        print(screenshot(page, Path(target)), Path(target).stat().st_size, "bytes")
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "docs/serve.png")
