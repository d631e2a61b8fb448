"""Write an imported outline as YAML: canonical keys in ``docgen new`` order, texts as ``|`` blocks,
and a comment header listing each guess and why."""

from __future__ import annotations

import io

_KIND_NAMES = {"speech": "讲话稿", "notice": "公文", "report": "工作总结/报告"}


def _plain(value):
    from ruamel.yaml.scalarstring import LiteralScalarString

    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str) and "\n" in value:
        return LiteralScalarString(value + "\n")
    return value


def outline_yaml(result) -> str:
    from ruamel.yaml import YAML

    yaml = YAML()
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(_plain(result.outline), buffer)
    name = result.source.name if result.source else "稿子"
    header = [f"# 由 docgen import 从“{name}”导入。请核对以下推测，改好后：docgen render 本文件 -f docx -f pdf"]
    for guess in sorted(result.guesses, key=lambda g: (g.label != "类型", g.line or 10**9)):
        place = f"，第 {guess.line} {'段' if _paragraphs(result) else '行'}" if guess.line else ""
        header.append(f"# {guess.label}：{guess.value}（依据：{guess.reason}{place}）")
    if result.dropped:
        header.append(f"# 删除的噪声行：{len(result.dropped)} 行（见导入报告）")
    warnings = [f for f in result.findings if f.severity == "warning"]
    if warnings:
        header.append(f"# 需要核对的问题：{len(warnings)} 处")
        header += [f"#   {str(f).split(' ', 1)[1] if f.file else f}" for f in warnings[:30]]
    return "\n".join(header) + "\n" + buffer.getvalue()


def _paragraphs(result) -> bool:
    return any(f.paragraph for f in result.findings) and not any(f.line for f in result.findings)
