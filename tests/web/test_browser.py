"""The page in a real headless Chromium (Debian's, driven by Playwright) against a real
``docgen serve`` process: paste the seed speech, fix a heading level, download Word and PDF; run the
batch example and download its zip."""

from __future__ import annotations

import csv
import re
import io
import zipfile
from pathlib import Path

import docx
import pdfplumber
import pytest

from tests.web.browser import CHROMIUM, paste_seed, screenshot, serve
from tests.web.conftest import EXAMPLES

playwright_api = pytest.importorskip("playwright.sync_api", reason="browser tests need playwright (docgen[test])")
if not CHROMIUM.exists():
    pytest.skip(f"browser tests need Chromium at {CHROMIUM} (Debian package chromium)", allow_module_level=True)


@pytest.fixture(scope="module")
def server():
    with serve() as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1360, "height": 820})
    page = context.new_page()
    errors: list[str] = []
    # script errors and CSP violations; a failed request is answered in the page, tested as such
    page.on("console", lambda message: message.type == "error" and not message.text.startswith(
        "Failed to load resource") and errors.append(message.text))
    page.goto(server)
    yield page
    context.close()
    assert errors == [], errors  # no CSP violation, no script error


def download(page, selector: str, target: Path) -> Path:
    with page.expect_download() as info:
        page.click(selector)
    info.value.save_as(target)
    return target


def docx_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def pdf_pages(path: Path) -> list[str]:
    with pdfplumber.open(path) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def node_number(page, heading: str) -> str:
    item = page.locator("#nodes li", has=page.locator(f"input.heading[value='{heading}']"))
    return item.locator(".number").inner_text()


def test_paste_seed_fix_a_level_and_download(page, seed_text, tmp_path):
    from docgen.api import format_draft

    assert not page.is_visible("#templates-file")  # user templates are off unless --allow-templates
    paste_seed(page, seed_text)
    numbers = page.locator("#nodes .number").all_inner_texts()
    assert numbers[:2] == ["一、", "（一）"] and "二、" in numbers
    truncated = page.locator("#nodes li", has=page.locator("input.heading[value='大力开展']"))
    assert "I004" in truncated.locator(".findings").inner_text()
    assert page.locator("#nodes .findings li", has_text="L001").count() == 7
    assert page.locator("#preview figcaption").last.inner_text().startswith("第 ")
    assert page.input_value("#yaml-text").startswith("# 由 docgen import 从“粘贴的文字.txt”导入")
    # the downloads are what `docgen format` makes of the same text
    reference = tmp_path / "reference"
    seed_file = tmp_path / "讲话.txt"
    seed_file.write_text(seed_text, encoding="utf-8")
    expected_docx, expected_pdf = format_draft(seed_file, ["docx", "pdf"], reference)[0]
    got_docx = download(page, "#dl-docx", tmp_path / "page.docx")
    got_pdf = download(page, "#dl-pdf", tmp_path / "page.pdf")
    assert docx_paragraphs(got_docx) == docx_paragraphs(expected_docx)
    assert pdf_pages(got_pdf) == pdf_pages(expected_pdf)
    assert "— 1 —" in pdf_pages(got_pdf)[0]
    screenshot(page, tmp_path / "page.png")
    assert (tmp_path / "page.png").stat().st_size < 150_000
    # promote （二）大力推进“三创” to 一级: the structure and the pages change without a reload
    before = page.locator("#pages img.page").nth(3).get_attribute("src")
    page.evaluate("window.__sameDocument = true")
    page.locator("select.level[data-path='sections.1.points.1']").select_option("1")
    page.locator("select.level[data-path='sections.2']").wait_for()
    assert node_number(page, "大力推进“三创”，立足岗位争一流") == "三、"
    assert node_number(page, "大力开展") == "（一）"
    playwright_api.expect(page.locator("#pages img.page").nth(3)).not_to_have_attribute("src", before)
    assert page.evaluate("window.__sameDocument") is True  # updated in place, not reloaded
    edited = docx_paragraphs(download(page, "#dl-docx", tmp_path / "edited.docx"))
    assert any(p.startswith("三、大力推进“三创”，立足岗位争一流") for p in edited)
    assert "（二）大力推进“三创”" not in "".join(edited)
    edited_pdf = "".join(pdf_pages(download(page, "#dl-pdf", tmp_path / "edited.pdf")))
    assert "三、大力推进“三创”" in edited_pdf
    outline = download(page, "#dl-yaml", tmp_path / "edited.yaml").read_text(encoding="utf-8")
    assert "大力推进“三创”，立足岗位争一流" in outline
    # the downloaded Word file checked by the page (docgen check): the placeholders, no format error
    page.click("[data-tab=upload]")
    page.set_input_files("#draft-file", str(tmp_path / "edited.docx"))
    page.click("#check-go")
    playwright_api.expect(page.locator("#check-summary")).to_contain_text("其中错误 0 条")
    assert page.locator("#check-findings li", has_text="L001").count() == 7


def test_an_error_is_shown_in_chinese(page):
    page.click("[data-tab=upload]")
    page.set_input_files("#draft-file", files=[{"name": "旧稿.wps", "mimeType": "application/octet-stream",
                                                "buffer": b"\xd0\xcf\x11\xe0 wps"}])
    page.click("#upload-go")
    page.wait_for_selector("#error:not([hidden])")
    assert "另存为 .docx" in page.inner_text("#error")


def test_batch_example_downloads_the_zip(page, tmp_path):
    page.click("[data-tab=batch]")
    page.set_input_files("#batch-outline", str(EXAMPLES / "batch-notice.yaml"))
    page.set_input_files("#batch-data", str(EXAMPLES / "units.csv"))
    page.fill("#batch-name", "{序号}-{单位}")
    page.click("#batch-go")
    page.wait_for_selector("#batch-download:not([hidden])", timeout=120_000)
    assert page.inner_text("#batch-status") == "成功 21 行，失败 1 行"
    assert page.evaluate("[document.querySelector('#batch-progress').value, document.querySelector('#batch-progress').max]") == [22, 22]
    failed = page.locator("#batch-results tr")
    assert failed.count() == 1
    archive = zipfile.ZipFile(download(page, "#batch-download", tmp_path / "batch.zip"))
    names = archive.namelist()
    assert sum(n.endswith(".docx") for n in names) == 21 and "batch-report.csv" in names
    report = list(csv.DictReader(io.StringIO(archive.read("batch-report.csv").decode("utf-8-sig"))))
    broken = next(r for r in report if r["状态"] == "失败")
    assert broken["原因"] in failed.inner_text()


def test_outline_editor_and_kind_change(page):
    page.click("[data-tab=outline]")
    page.select_option("#starter", "notice")
    assert "issuer:" in page.input_value("#yaml-text")
    page.click("#yaml-go")
    page.wait_for_selector("#pages img.page", timeout=60_000)
    assert page.input_value("#field-issuer") == "某市总工会"
    assert page.locator("#kind option:checked").inner_text() == "公文（通知等）"
    page.fill("#field-title", "关于做好安全生产工作的通知")
    page.press("#field-title", "Tab")  # a change of a field re-renders
    playwright_api.expect(page.locator("#yaml-text")).to_have_value(re.compile("关于做好安全生产工作的通知"))
    page.select_option("#kind", "report")
    playwright_api.expect(page.locator("#field-unit")).to_have_value("某市总工会")  # 发文机关 → 单位
    assert page.locator("#kind option:checked").inner_text() == "工作总结/报告"
    assert page.is_hidden("#error")


def test_api_docs_page_works_offline(page, server):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/import", "/api/render", "/api/check", "/api/batch"} <= {p.strip() for p in paths}
    assert all(url.startswith(server) or url.startswith("data:") for url in requests), requests
