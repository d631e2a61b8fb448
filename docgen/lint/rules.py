"""Every rule ``docgen check``, ``render`` and ``batch`` report, registered here and only here.

This table is the documentation: code, severity, one-line Chinese title, GB/T 9704-2012 clause
(or the standard named in the title). ``docgen check --rules`` prints it. Content rules (``L…``)
run on a list of paragraphs (:mod:`docgen.lint.text`): outlines, the Document model, drafts and
the text of a .docx alike. Format rules (``F…``) measure a .docx's XML against the style profile
(:mod:`docgen.lint.docx`); styles are resolved (docDefaults → style chain → direct formatting), so
direct-formatted and styled documents are judged the same way. None of the format rules lays the
document out: rules that would need page positions decide only what the structure shows.
"""

from __future__ import annotations

from docgen.lint.registry import rule

# (code, severity, title, clause)
TABLE: tuple[tuple[str, str, str, str | None], ...] = (
    # --- content (L) ----------------------------------------------------------------------
    ("L000", "error", "提纲无法通过校验（字段缺失、取值无效等）", None),
    ("L001", "warning", "占位符（X、XX、×× 等）未替换", None),
    ("L002", "warning", "结构层次序数不连续、重复或颠倒（一、二、四……）", "7.3.3"),
    ("L003", "warning", "结构层次跳级（一、之后直接用 1.，缺（一））", "7.3.3"),
    ("L004", "error", "发文字号格式不对（应为 机关代字〔2024〕3号：六角括号、4 位年份、不加“第”、序号不编虚位）", "7.2.5"),
    ("L005", "error", "日期不存在或月、日编了虚位（2024年01月05日）", "7.3.5.4"),
    ("L006", "warning", "成文日期应使用阿拉伯数字", "7.3.5.4"),
    ("L007", "error", "印发日期早于成文日期", "7.4.3"),
    ("L008", "warning", "中文语境中使用了半角标点（, : ; ( ) ! ?）", "GB/T 15834"),
    ("L009", "warning", "引号、括号、书名号不成对", "GB/T 15834"),
    ("L010", "warning", "标点重复（。。、，，）", "GB/T 15834"),
    ("L011", "warning", "标题末尾标点不当（一级标题不加句号；标题不以逗号、顿号、分号、冒号结尾）", "7.3.3"),
    ("L012", "warning", "附件说明与所附附件不一致", "7.3.4"),
    ("L013", "warning", "主送机关末尾应加全角冒号“：”", "7.3.2"),
    ("L014", "info", "通知末尾没有“特此通知。”等结束语", None),
    ("L015", "error", "请示只能主送一个机关，且须标注签发人", "7.2.6"),
    ("L016", "warning", "段落重复", None),
    ("L017", "warning", "文字疑似被截断（结尾没有标点或以标题结束）", None),
    ("L018", "warning", "文字中有不可见的控制字符（双向控制符、C0 控制符等），已删除", None),
    # --- format (F), measured on a .docx ----------------------------------------------------
    ("F001", "error", "纸张不是 A4（210 mm × 297 mm）", "5.1"),
    ("F002", "error", "页边距不符（天头 37、订口 28、右 26、下 35 mm，允许 ±1 mm）", "5.2.1"),
    ("F003", "error", "每面行数不是 22 行（文档网格行距、固定行距）", "5.2.2"),
    ("F004", "error", "每行字数不是 28 字（字符间距、网格字距、字号）", "5.2.2"),
    ("F005", "warning", "字体不符（标题小标宋、正文仿宋、一级标题黑体、二级标题楷体……）", "7.3"),
    ("F006", "warning", "字号不符（标题 2号、正文与各级标题 3号）", "7.3"),
    ("F007", "warning", "东亚字体取自主题字体：Word 显示主题字体而不是写明的字体名", None),
    ("F008", "warning", "引号、破折号、省略号等宽度不定的标点落在西文字体上（会显示成半角）", None),
    ("F009", "error", "页码格式不是“— N —”（一字线 U+2014，两侧各一空格）", "7.5"),
    ("F010", "warning", "页码不是 4号宋体", "7.5"),
    ("F011", "warning", "页码位置不对（单页居右空一字，双页居左空一字）", "7.5"),
    ("F012", "error", "页码不是 PAGE 域或缺少缓存结果（每页显示同一个数字或域代码）", "7.5"),
    ("F013", "error", "发文机关标志不是红色或缺少红色分隔线", "7.2.4"),
    ("F014", "warning", "版记不在偶数页的版心下端（例如在页面顶部、奇数页分节）", "7.4.1"),
    ("F015", "warning", "版记缺少首条、末条分隔线，或版记页编了页码", "7.4.1"),
    ("F016", "warning", "文档处于兼容模式（Word 2007 及更早），排版与新版不同", None),
    ("F017", "warning", "关闭了中文换行禁则（kinsoku），标点可能出现在行首", "GB/T 15834 5.1"),
    ("F018", "info", "允许标点溢出边界（overflowPunct），行末标点可能挤出版心成为第 29 字", None),
    ("F019", "warning", "文档没有页码", "7.5"),
    # --- import (I): what docgen import / docgen format guessed, dropped or found missing ----------
    ("I001", "info", "推测的文档类型", None),
    ("I002", "info", "推测的要素（标题、副标题、称呼、日期、层级、框架……）", None),
    ("I003", "info", "删除的噪声行（网页导航、下载提示、页码、页眉页脚、相关文章）", None),
    ("I004", "warning", "文本不完整：稿子在句中结束，或某一条只有标题没有正文", None),
    ("I005", "warning", "层级序号不连续或重复（如“一、”之后是“三、”）", None),
    ("I006", "warning", "稿子的部分与框架不一致", None),
    ("I007", "info", "未能导入的内容（图片、图表）", None),
    ("I008", "info", "清理：半角标点改为全角、断行合并", None),
    ("I009", "warning", "稿子缺少必需的要素（标题、主送、签发人），提纲里暂填 XXX", None),
)

for _code, _severity, _title, _clause in TABLE:
    rule(_code, _severity, _title, _clause)
