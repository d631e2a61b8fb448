"""The JSON API of docgen serve as a client meets it: each endpoint's results, and every bad input
answered with a Chinese message and a 4xx — never a 500 or a traceback."""

from __future__ import annotations

import base64
import json
import csv
import io
import re
import tempfile
import zipfile
from pathlib import Path

import docx
import pytest

from tests.web.conftest import EXAMPLES

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def assert_user_error(response, status: int, *fragments: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["status"] == status
    message = body["error"]
    assert CHINESE.search(message) and "Traceback" not in response.text
    for fragment in fragments:
        assert fragment in message, message
    return message


def node(structure: dict, heading: str) -> dict:
    return next(n for n in structure["nodes"] if n["heading"] == heading)


# --- /api/import ---------------------------------------------------------------------------------
def test_import_pasted_seed_shows_levels_and_findings_in_place(seed_import):
    view = seed_import["structure"]
    assert view["kind"] == "speech"
    numbered = [(n["level"], n["number"], n["heading"]) for n in view["nodes"]]
    assert numbered[0] == (1, "一、", "坚持政治性，增强向心力")
    assert numbered[1] == (2, "（一）", "发挥教育引导职能，全面贯彻党的主张")
    assert (1, "二、", "坚持先进性，增强凝聚力") in numbered
    # the truncated end (I004) sits at the heading it concerns, the placeholders at their parts
    assert {f["code"] for f in node(view, "大力开展")["findings"]} == {"I004"}
    placed = [f for n in view["nodes"] for f in n["findings"] if f["code"] == "L001"]
    assert len(placed) == 7 and all("占位符" in f["message"] for f in placed)
    title = next(f for f in view["fields"] if f["key"] == "title")
    assert title["value"] == "坚持“三性” 增强“三力” 推进工会工作创新发展"
    assert any(f["code"] == "I002" for f in title["findings"])
    assert all("file" not in f for f in seed_import["findings"])  # no server paths shown
    assert seed_import["yaml"].count("heading:") >= 8


def test_import_uploaded_docx_and_markdown(client, tmp_path):
    document = docx.Document()
    for text in ("关于开展安全生产检查的通知", "各科室：", "为做好安全生产工作，现将有关事项通知如下。",
                 "一、检查范围", "全体科室。", "某某局办公室", "2024年3月1日"):
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    response = client.post("/api/import", files={"file": ("通知.docx", buffer.getvalue())})
    assert response.status_code == 200, response.text
    assert response.json()["outline"]["title"] == "关于开展安全生产检查的通知"
    markdown = "# 工作总结\n\n## 主要成绩\n\n完成了全年任务。\n".encode()
    response = client.post("/api/import", files={"file": ("总结.md", markdown)}, data={"kind": "report"})
    assert response.status_code == 200, response.text
    assert response.json()["structure"]["kind"] == "report"


def test_import_uploaded_pdf(client, rendered_seed):
    response = client.post("/api/import", files={"file": ("讲话.pdf", base64.b64decode(rendered_seed["pdf"]))})
    assert response.status_code == 200, response.text
    assert response.json()["outline"]["title"].startswith("坚持“三性”")


def _zip_bomb(name: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(name, b"\0" * (60 * 2**20))
    return buffer.getvalue()


@pytest.mark.parametrize(("name", "data", "status", "fragment"), [
    ("稿子.txt", bytes(range(256)) * 40, 415, "二进制"),
    ("稿子.docx", b"this is not a zip at all", 415, "不是有效的 zip"),
    ("稿子.pdf", b"hello, not a pdf", 415, "不是 PDF"),
    ("稿子.doc", b"\xd0\xcf\x11\xe0 old word", 415, "另存为 .docx"),
    ("稿子.wps", b"\xd0\xcf\x11\xe0 wps", 415, "另存为 .docx"),
    ("程序.exe", b"MZ\x90\x00", 415, "不支持"),
    ("稿子.txt", b"", 400, "空的"),
])
def test_import_refuses_bad_uploads(client, name, data, status, fragment):
    assert_user_error(client.post("/api/import", files={"file": (name, data)}), status, fragment)


def test_import_refuses_a_zip_bomb_docx(client):
    assert_user_error(client.post("/api/import", files={"file": ("炸弹.docx", _zip_bomb("word/document.xml"))}),
                      413, "压缩")


def test_import_refuses_a_huge_upload(client):
    huge = b"\xe4\xb8\x80" * (4 * 2**20)  # 12 MiB of 一
    assert_user_error(client.post("/api/import", files={"file": ("大.txt", huge)}), 413, "太大")


def test_chunked_upload_over_the_limit_is_cut_off(client):
    def chunks():
        for _ in range(12):
            yield b"x" * 2**20

    response = client.post("/api/render", content=chunks(), headers={"content-type": "application/json"})
    assert_user_error(response, 413, "太大")


def test_pasted_text_over_a_form_field_limit_says_upload_it(client):
    assert_user_error(client.post("/api/import", data={"text": "一" * 400_000}), 400, "上传")


def test_import_without_input_and_with_an_unknown_kind(client):
    assert_user_error(client.post("/api/import", data={}), 400, "请粘贴文字")
    assert_user_error(client.post("/api/import", data={"text": "某某讲话", "kind": "poem"}), 400, "不认识的类型")


# --- /api/render ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def rendered_seed(client, seed_import):
    response = client.post("/api/render", json={"outline": seed_import["outline"],
                                                "import_findings": seed_import["findings"]})
    assert response.status_code == 200, response.text
    return response.json()


def test_render_returns_pages_docx_and_pdf(rendered_seed):
    assert rendered_seed["page_count"] == len(rendered_seed["pages"]) >= 4
    first = base64.b64decode(rendered_seed["pages"][0])
    assert first.startswith(b"\x89PNG") and len(first) < 150_000
    assert base64.b64decode(rendered_seed["pdf"]).startswith(b"%PDF-")
    paragraphs = [p.text for p in docx.Document(io.BytesIO(base64.b64decode(rendered_seed["docx"]))).paragraphs]
    assert "一、坚持政治性，增强向心力" in paragraphs
    # placeholders are found again on the rendered text, the truncation kept from the import
    view = rendered_seed["structure"]
    assert {f["code"] for f in node(view, "大力开展")["findings"]} == {"I004"}
    assert sum(f["code"] == "L001" for n in view["nodes"] for f in n["findings"]) == 7


def test_render_edits_a_heading_level_the_kind_and_a_field(client, seed_import):
    edits = [{"op": "level", "path": "sections.1.points.1", "level": 1},
             {"op": "set", "path": "speaker", "value": "王建国"}]
    response = client.post("/api/render", json={"outline": seed_import["outline"], "edits": edits})
    assert response.status_code == 200, response.text
    body = response.json()
    promoted = node(body["structure"], "大力推进“三创”，立足岗位争一流")
    assert (promoted["level"], promoted["number"]) == (1, "三、")
    assert node(body["structure"], "大力开展")["number"] == "（一）"
    assert body["outline"]["speaker"] == "王建国"
    paragraphs = [p.text for p in docx.Document(io.BytesIO(base64.b64decode(body["docx"]))).paragraphs]
    assert any(p.startswith("三、大力推进“三创”") for p in paragraphs)
    back = client.post("/api/render", json={"outline": body["outline"],
                                             "edits": [{"op": "level", "path": "sections.2", "level": 2},
                                                       {"op": "kind", "kind": "notice"}]})
    assert back.status_code == 200, back.text
    view = back.json()["structure"]
    assert view["kind"] == "notice" and node(view, "大力推进“三创”，立足岗位争一流")["level"] == 2


def test_render_download_and_yaml_editor_input(client):
    text = (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")
    response = client.post("/api/render?download=pdf", json={"yaml": text})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "attachment" in response.headers["content-disposition"]
    response = client.post("/api/render", json={"yaml": text, "preset": "windows"})
    assert response.status_code == 200, response.text
    assert response.json()["structure"]["kind"] == "notice"


@pytest.mark.parametrize(("request_body", "status", "fragment"), [
    ({"yaml": "kind: speech\ntitle: 讲话\nspeakr: 王\n"}, 400, "speakr"),
    ({"yaml": "kind: notice\ntitle: 通知\nbody: 见表\nsections:\n  - tables:\n      - csv: /etc/passwd\n"}, 400, ""),
    ({"yaml": "title: [unclosed\n"}, 400, ""),
    ({}, 400, "没有提纲"),
    ({"yaml": "kind: speech\ntitle: 讲话\n", "preset": "mac"}, 400, "样式方案"),
    ({"yaml": "kind: speech\ntitle: 讲话\n", "profile_yaml": "font_files:\n  fangsong: /etc/passwd\n"}, 400, "font_files"),
    ({"yaml": "kind: speech\ntitle: 讲话\n", "templates_zip": "UEsFBgAAAAAAAAAAAAAAAAAAAAAAAA=="}, 403, "--allow-templates"),
    ({"yaml": "kind: speech\ntitle: 讲话\n", "edits": [{"op": "level", "path": "sections.9", "level": 1}]}, 400, "找不到"),
    ({"yaml": "kind: speech\ntitle: 讲话\n", "edits": [{"op": "drop"}]}, 400, "不认识的修改"),
])
def test_render_refuses_bad_requests(client, request_body, status, fragment):
    assert_user_error(client.post("/api/render", json=request_body), status, fragment)


def test_a_file_outside_the_request_folder_is_refused_without_server_paths(client):
    outline = "kind: notice\ntitle: 通知\nbody: 正文。\nsignature: 某局\ndate: 2024-01-01\nseal: ../../etc/hostname\n"
    message = assert_user_error(client.post("/api/render", json={"yaml": outline}), 400, "提纲所在目录之外")
    assert "/tmp" not in message and "docgen-serve" not in message and "--allow-path" not in message


def test_render_with_a_malformed_json_body(client):
    response = client.post("/api/render", content=b"{not json", headers={"content-type": "application/json"})
    assert_user_error(response, 422, "请求的内容不对")


def test_unknown_page_is_json_in_chinese(client):
    assert_user_error(client.get("/no-such-page"), 404, "没有这个页面")


def test_a_render_over_its_time_is_stopped_with_504():
    from fastapi.testclient import TestClient

    from docgen.web import create_app
    from docgen.web.settings import Settings

    text = (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")
    with TestClient(create_app(Settings(processes=1, timeout=0.05))) as slow:
        assert_user_error(slow.post("/api/render", json={"yaml": text}), 504, "超时")


def test_busy_server_answers_503_at_once():
    import asyncio

    import httpx

    from docgen.web import create_app
    from docgen.web.settings import Settings

    app = create_app(Settings(processes=1, queue=0))
    text = (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")

    async def two_at_once():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as http:
            return await asyncio.gather(*(http.post("/api/render", json={"yaml": text}) for _ in range(2)))

    try:
        responses = asyncio.run(two_at_once())
    finally:
        if app.state.pool is not None:
            app.state.pool.close()
    assert sorted(r.status_code for r in responses) == [200, 503]
    assert_user_error(next(r for r in responses if r.status_code == 503), 503, "正忙")


def test_no_request_leaves_files_behind(client, seed_import):
    # Compared with what was there before: a server killed elsewhere on this machine may have left some.
    before = set(Path(tempfile.gettempdir()).glob("docgen-serve-*"))
    assert client.post("/api/render", json={"outline": seed_import["outline"]}).status_code == 200
    assert client.post("/api/import", files={"file": ("坏.docx", b"not a zip")}).status_code >= 400
    leftovers = set(Path(tempfile.gettempdir()).glob("docgen-serve-*")) - before
    assert leftovers == set()


# --- /api/check ----------------------------------------------------------------------------------
def test_check_a_text_draft_and_a_docx(client, seed_text, rendered_seed):
    response = client.post("/api/check", files={"file": ("讲话.txt", seed_text.encode())})
    assert response.status_code == 200, response.text
    assert sum(f["code"] == "L001" for f in response.json()["findings"]) == 7
    response = client.post("/api/check", files={"file": ("讲话.docx", base64.b64decode(rendered_seed["docx"]))})
    assert response.status_code == 200, response.text
    assert response.json()["errors"] == 0


def test_check_refuses_wrong_types(client):
    assert_user_error(client.post("/api/check", files={"file": ("a.xls", b"\xd0\xcf\x11\xe0")}), 415, "不支持")
    assert_user_error(client.post("/api/check", files={"file": ("a.docx", _zip_bomb("word/document.xml"))}), 413)


# --- /api/batch ----------------------------------------------------------------------------------
def _cli_report(tmp_path: Path) -> list[dict]:
    """What ``docgen batch`` writes for the example (the CLI's library call)."""
    from docgen.batch import Job, run_batch

    outcome = run_batch(Job(outline=EXAMPLES / "batch-notice.yaml", formats=("docx",), outdir=tmp_path),
                        EXAMPLES / "units.csv", name_pattern="{序号}-{单位}", workers=2)
    with outcome.report.open(encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


def test_batch_example_gives_a_zip_like_the_cli(client, tmp_path):
    files = {"outline": ("batch-notice.yaml", (EXAMPLES / "batch-notice.yaml").read_bytes()),
             "data": ("units.csv", (EXAMPLES / "units.csv").read_bytes())}
    response = client.post("/api/batch", files=files, data={"name": "{序号}-{单位}"})
    assert response.status_code == 200, response.text
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    names = archive.namelist()
    assert sum(n.endswith(".docx") for n in names) == 21 and "batch-report.csv" in names
    report = list(csv.DictReader(io.StringIO(archive.read("batch-report.csv").decode("utf-8-sig"))))
    expected = _cli_report(tmp_path)
    assert [(r["行号"], r["状态"], r["原因"]) for r in report] == [(r["行号"], r["状态"], r["原因"]) for r in expected]
    assert sum(r["状态"] == "失败" for r in report) == 1


def test_batch_stream_reports_progress_then_the_zip(client):
    files = {"outline": ("batch-notice.yaml", (EXAMPLES / "batch-notice.yaml").read_bytes()),
             "data": ("units.csv", (EXAMPLES / "units.csv").read_bytes())}
    response = client.post("/api/batch?stream=true", files=files)
    assert response.status_code == 200, response.text
    import json

    events = [json.loads(line) for line in response.text.splitlines()]
    assert [e["progress"] for e in events if "progress" in e][-1] == 22
    final = events[-1]
    assert final["done"] and final["succeeded"] == 21 and final["failed"] == 1
    failed = next(r for r in final["results"] if r["status"] == "失败")
    assert CHINESE.search(failed["reason"])
    assert zipfile.ZipFile(io.BytesIO(base64.b64decode(final["zip"]))).testzip() is None


@pytest.mark.parametrize(("data", "status", "fragment"), [
    (("units.xlsx", _zip_bomb("xl/worksheets/sheet1.xml")), 413, "压缩"),
    (("units.xls", b"\xd0\xcf\x11\xe0"), 415, "不支持"),
    (("units.csv", b"\x00\x01\x02binary"), 415, "二进制"),
])
def test_batch_refuses_bad_tables(client, data, status, fragment):
    files = {"outline": ("batch-notice.yaml", (EXAMPLES / "batch-notice.yaml").read_bytes()), "data": data}
    assert_user_error(client.post("/api/batch", files=files), status, fragment)


def test_batch_with_a_broken_outline_is_a_400(client):
    files = {"outline": ("提纲.yaml", "kind: notice\ntitle: [\n".encode()),
             "data": ("units.csv", (EXAMPLES / "units.csv").read_bytes())}
    assert_user_error(client.post("/api/batch?stream=true", files=files), 400)


# --- the page and /docs work offline -----------------------------------------------------------------
def test_page_and_docs_use_no_outside_address(client):
    page = client.get("/")
    assert page.status_code == 200 and "default-src 'self'" in page.headers["content-security-policy"]
    for path in ("/", "/static/app.js", "/static/app.css", "/docs"):
        text = client.get(path).text
        assert not re.search(r"(src|href)=[\"']?(https?:)?//", text), path
    docs = client.get("/docs").text
    for asset in re.findall(r'(?:src|href)="(/docs-assets/[^"]+)"', docs):
        assert client.get(asset).status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/import", "/api/render", "/api/check", "/api/batch"} <= set(spec["paths"])


def test_schema_lists_the_fields_and_the_starters(client):
    body = client.get("/api/schema").json()
    assert body["labels"]["recipients"] == "主送" and "kind: notice" in body["starters"]["notice"]
    assert body["max_bytes"] == 10 * 2**20 and body["allow_templates"] is False


def test_notice_preview_shows_the_red_masthead_and_page_number(client):
    from PIL import Image

    body = client.post("/api/render", json={"yaml": (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")}).json()
    first = Image.open(io.BytesIO(base64.b64decode(body["pages"][0])))
    assert _red_pixels(body["pages"][0]) > 2000  # 版头: the red issuer mark and the red line under the number
    assert abs(first.width - 595) <= 1 and abs(first.height - 842) <= 1  # A4 at 72 dpi


def test_user_templates_only_when_allowed(tmp_path):
    from fastapi.testclient import TestClient

    from docgen.web import create_app
    from docgen.web.settings import Settings

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("speech/body.md.j2", "{.title}\n{{ title }}\n\n这是单位自己的模板。\n")
        archive.writestr("../escape.j2", "outside")  # never written outside the request folder
    request = {"yaml": "kind: speech\ntitle: 讲话\n", "templates_zip": base64.b64encode(buffer.getvalue()).decode()}
    with TestClient(create_app(Settings(processes=1, allow_templates=True))) as allowed:
        response = allowed.post("/api/render", json=request)
    assert response.status_code == 200, response.text
    paragraphs = [p.text for p in docx.Document(io.BytesIO(base64.b64decode(response.json()["docx"]))).paragraphs]
    assert "这是单位自己的模板。" in paragraphs
    assert not (Path(tempfile.gettempdir()) / "escape.j2").exists()


def _red_pixels(png_b64: str) -> int:
    from PIL import Image

    import numpy

    pixels = numpy.asarray(Image.open(io.BytesIO(base64.b64decode(png_b64))).convert("RGB")).astype(int)
    red, green, blue = pixels[..., 0], pixels[..., 1], pixels[..., 2]
    return int(((red > 180) & (green < 90) & (blue < 90)).sum())


def test_an_uploaded_unit_profile_is_applied(client):
    text = (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")
    body = client.post("/api/render", json={"yaml": text, "profile_yaml": 'colors:\n  red: "#000000"\n'})
    assert body.status_code == 200, body.text
    assert _red_pixels(body.json()["pages"][0]) == 0  # the unit prints its 版头 in black
    bad = client.post("/api/render", json={"yaml": text, "profile_yaml": "colors:\n  red: 不是颜色\n"})
    assert_user_error(bad, 400, "样式.yaml")


def test_a_slow_render_does_not_block_the_page_for_others():
    import asyncio
    import time

    import httpx

    from docgen.web import create_app
    from docgen.web.settings import Settings

    app = create_app(Settings(processes=1))
    paragraph = "各单位要高度重视，认真组织，确保各项工作落到实处。" * 20
    long_speech = {"kind": "speech", "title": "讲话", "opening": "\n".join([paragraph] * 60)}

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test", timeout=120) as http:
            slow = asyncio.create_task(http.post("/api/render", json={"outline": long_speech}))
            await asyncio.sleep(0.5)
            started = time.monotonic()
            page, schema = await http.get("/"), await http.get("/api/schema")
            quick = time.monotonic() - started
            assert not slow.done()  # still rendering its pages
            return page.status_code, schema.status_code, quick, await slow

    try:
        page, schema, quick, slow = asyncio.run(scenario())
    finally:
        app.state.pool.close()
    assert (page, schema) == (200, 200) and quick < 0.5
    assert slow.status_code == 200 and slow.json()["page_count"] > 20


def test_a_chunked_body_within_the_limit_is_read_whole(client):
    body = json.dumps({"yaml": (EXAMPLES / "notice.yaml").read_text(encoding="utf-8")}).encode()

    def chunks():
        for start in range(0, len(body), 1000):
            yield body[start:start + 1000]

    response = client.post("/api/render?download=yaml", content=chunks(), headers={"content-type": "application/json"})
    assert response.status_code == 200, response.text
    assert "kind: notice" in response.text


def test_a_batch_over_its_time_is_stopped_with_504():
    from fastapi.testclient import TestClient

    from docgen.web import create_app
    from docgen.web.settings import Settings

    files = {"outline": ("batch-notice.yaml", (EXAMPLES / "batch-notice.yaml").read_bytes()),
             "data": ("units.csv", (EXAMPLES / "units.csv").read_bytes())}
    with TestClient(create_app(Settings(processes=1, batch_timeout=0.01))) as slow:
        assert_user_error(slow.post("/api/batch", files=files), 504, "超时")
        assert slow.app.state.batches == 0  # the next batch may start


def test_a_docx_with_broken_xml_is_a_chinese_4xx(client):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<nope")
        archive.writestr("word/document.xml", "<<<")
    response = client.post("/api/import", files={"file": ("坏.docx", buffer.getvalue())})
    assert_user_error(response, 400, "无法打开 Word 文件")


def _unparsable():
    from lxml import etree

    etree.fromstring("<<")


def test_an_unexpected_error_in_a_render_process_comes_back_by_name(capsys):
    import pickle

    from docgen.web.pool import Failure, guarded
    from docgen.web.work import WebError

    with pytest.raises(Failure, match="XMLSyntaxError") as caught:
        guarded(_unparsable)
    assert "Traceback" in capsys.readouterr().err  # in the server's log, not in the answer
    assert isinstance(pickle.loads(pickle.dumps(caught.value)), Failure)  # crosses the process boundary
    with pytest.raises(WebError) as user_error:
        guarded(lambda: (_ for _ in ()).throw(WebError("太大了", 413)))
    assert pickle.loads(pickle.dumps(user_error.value)).status == 413
