"""Check that every property element of a .docx keeps its children in ECMA-376 schema order."""

from __future__ import annotations

from lxml import etree

from docgen.writers import ooxml

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
SEQUENCES = {"rPr": ooxml.RPR_ORDER, "pPr": ooxml.PPR_ORDER, "sectPr": ooxml.SECTPR_ORDER,
             "tblPr": ooxml.TBLPR_ORDER, "tcPr": ooxml.TCPR_ORDER, "pBdr": ooxml.PBDR_ORDER,
             "tblBorders": ooxml.BORDERS_ORDER, "tcBorders": ooxml.BORDERS_ORDER}


def assert_schema_order(parts: dict) -> int:
    """Assert the order in every part (name → XML root); return how many elements were checked."""
    checked = 0
    for name, root in parts.items():
        for tag, order in SEQUENCES.items():
            for element in root.iter(f"{{{W}}}{tag}"):
                names = [etree.QName(c).localname for c in element if isinstance(c.tag, str)]
                assert all(n in order for n in names), (name, tag, names)
                positions = [order.index(n) for n in names]
                assert positions == sorted(positions), (name, tag, names)
                checked += 1
    return checked
