"""bench/where.py charges py-spy samples to the right package and stage (the figures the speed
decisions are taken on)."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location("where", Path(__file__).parents[1] / "bench" / "where.py")
where = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(where)

MAIN = "_run_module_as_main (<frozen runpy>:198);main (docgen/entry.py:121);render (docgen/api.py:116)"
IMPORT = "_find_and_load (<frozen importlib._bootstrap>:1176)"
RAW = "\n".join([
    # pydantic building a model class while docgen.style.profile is imported: 30 samples
    f"{MAIN};{IMPORT};<module> (docgen/style/profile.py:234);__new__ (pydantic/_internal/_model_construction.py:89);"
    "_process_class (dataclasses.py:884) 30",
    # reportlab formatting inside the PDF step, through the standard library: 20 samples
    f"{MAIN};encode (docgen/api.py:149);save (reportlab/pdfgen/canvas.py:1300);compress (zlib.py:1) 20",
    # the compression thread: 10 samples
    "Thread._bootstrap (threading.py:1002);compress_some (docgen/writers/pdf.py:351) 10",
    # ruamel's scanner while the outline is read (py-spy names the file yaml/…): 40 samples
    f"{MAIN};load_outline (docgen/api.py:21);scan (yaml/scanner.py:200) 40",
    # the module bundle decoding jinja2's code as docgen.compose imports it: 6 samples
    f"{MAIN};{IMPORT};<module> (docgen/compose/environment.py:5);{IMPORT};<module> (jinja2/__init__.py:1);"
    f"{IMPORT};_BundledLoader.get_code (docgen/startup.py:460);ModuleBundle.code (docgen/startup.py:380) 6",
])


def test_samples_are_charged_to_package_stage_and_module_body():
    owners, stages, bodies, sampled = where.analyse(RAW, runs=2)  # 1 kHz: one sample = 1 ms
    assert sampled == 53
    # the bundle's own frames are import machinery: its samples go to jinja2, which is imported
    assert owners == {"ruamel.yaml": 20, "pydantic": 15, "reportlab": 10, "docgen": 5, "jinja2": 3}
    assert stages["导入模块"] == 18
    assert stages["排版与写出 PDF"] == 10
    assert stages["读取并校验提纲（YAML + pydantic）"] == 20
    assert stages["PDF 压缩线程（与主线程同时运行）"] == 5
    assert bodies == {"docgen.style.profile": 15, "（解码模块代码：模块包或 .pyc）": 3}


def test_lines_that_are_not_samples_are_ignored():
    assert where.analyse("\n" + RAW + "\nnot a sample line\n", runs=2)[3] == 53
