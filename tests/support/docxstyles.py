"""Resolve a .docx's named styles the way Word does, so tests can check what a paragraph or run
*looks like* rather than where the property is written.

:func:`flatten` returns a copy of a part (document, footer) in which every ``w:pPr`` and ``w:rPr``
holds the **effective** properties: document defaults → the style chain (``w:basedOn``) →
the paragraph's direct formatting; for runs additionally the character style chain and the run's
own ``w:rPr``. ``w:rFonts``, ``w:ind`` and ``w:spacing`` merge attribute by attribute (as Word
does); on/off properties switched off (``w:val="0"``) are dropped, so ``find("w:keepNext") is not
None`` means "on". Style references (``w:pStyle``/``w:rStyle``) are kept.

:func:`direct_run_fonts` tells whether a run carries its own font attributes (direct formatting).
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from docgen.writers.ooxml import PPR_ORDER, RPR_ORDER

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
MERGED = ("rFonts", "ind", "spacing", "lang")
TOGGLES = ("keepNext", "keepLines", "pageBreakBefore", "b", "bCs", "i", "iCs")
OFF = ("0", "false", "off")


def w(name: str) -> str:
    return f"{{{W}}}{name}"


def local(element) -> str:
    return element.tag.split("}")[1]


class Styles:
    """The styles part: defaults and each style's pPr / rPr / basedOn."""

    def __init__(self, styles_root):
        self.root = styles_root
        self.by_id = {s.get(w("styleId")): s for s in styles_root.findall("w:style", NS)}
        defaults = styles_root.find("w:docDefaults", NS)
        self.default_ppr = defaults.find("w:pPrDefault/w:pPr", NS) if defaults is not None else None
        self.default_rpr = defaults.find("w:rPrDefault/w:rPr", NS) if defaults is not None else None
        self.default_paragraph = next(
            (s.get(w("styleId")) for s in styles_root.findall("w:style", NS)
             if s.get(w("type")) == "paragraph" and s.get(w("default")) == "1"), None)

    def chain(self, style_id: str | None) -> list:
        """The style and its ancestors, root first."""
        chain, seen = [], set()
        while style_id and style_id in self.by_id and style_id not in seen:
            seen.add(style_id)
            style = self.by_id[style_id]
            chain.insert(0, style)
            based = style.find("w:basedOn", NS)
            style_id = based.get(w("val")) if based is not None else None
        return chain

    def name(self, style_id: str | None) -> str | None:
        style = self.by_id.get(style_id or self.default_paragraph)
        if style is None:
            return None
        return style.find("w:name", NS).get(w("val"))


def merge(layers, order: tuple[str, ...], tag: str):
    """One ``w:pPr``/``w:rPr`` from property layers, later layers winning."""
    props: dict[str, etree._Element] = {}
    for layer in layers:
        if layer is None:
            continue
        for child in layer:
            if not isinstance(child.tag, str):
                continue
            name = local(child)
            if name in ("rPr", "sectPr", "pPrChange", "rPrChange", "pStyle", "rStyle"):
                continue
            if name in MERGED and name in props:
                merged = deepcopy(props[name])
                for key, value in child.attrib.items():
                    merged.set(key, value)
                props[name] = merged
            else:
                props[name] = deepcopy(child)
    result = etree.Element(w(tag))
    for name in order:
        element = props.get(name)
        if element is None:
            continue
        if name in TOGGLES and element.get(w("val")) in OFF:
            continue
        result.append(element)
    return result


def _style_of(element, prop: str, kind: str) -> str | None:
    ref = element.find(f"w:{kind}/w:{prop}", NS)
    return ref.get(w("val")) if ref is not None else None


def paragraph_layers(styles: Styles, p, part: str):
    style_id = _style_of(p, "pStyle", "pPr") or styles.default_paragraph
    chain = styles.chain(style_id)
    ppr_layers = [styles.default_ppr, *(s.find("w:pPr", NS) for s in chain), p.find("w:pPr", NS)]
    rpr_layers = [styles.default_rpr, *(s.find("w:rPr", NS) for s in chain)]
    return style_id, ppr_layers, rpr_layers


def flatten(part_root, styles_root):
    """A copy of ``part_root`` with effective properties on every paragraph and run."""
    styles = styles_root if isinstance(styles_root, Styles) else Styles(styles_root)
    root = deepcopy(part_root)
    for p in root.iter(w("p")):
        style_id, ppr_layers, rpr_layers = paragraph_layers(styles, p, "")
        mark = p.find("w:pPr/w:rPr", NS)
        ppr = merge(ppr_layers, PPR_ORDER, "pPr")
        if style_id:
            ref = etree.SubElement(ppr, w("pStyle"))
            ref.set(w("val"), style_id)
            ppr.insert(0, ref)
        ppr.append(merge([*rpr_layers, mark], RPR_ORDER, "rPr"))
        old = p.find("w:pPr", NS)
        sectpr = old.find("w:sectPr", NS) if old is not None else None
        if sectpr is not None:
            ppr.append(deepcopy(sectpr))
        if old is not None:
            p.replace(old, ppr)
        else:
            p.insert(0, ppr)
        for r in p.iter(w("r")):
            own = r.find("w:rPr", NS)
            char_id = _style_of(r, "rStyle", "rPr")
            char_layers = [s.find("w:rPr", NS) for s in styles.chain(char_id)]
            rpr = merge([*rpr_layers, *char_layers, own], RPR_ORDER, "rPr")
            if char_id:
                ref = etree.Element(w("rStyle"))
                ref.set(w("val"), char_id)
                rpr.insert(0, ref)
            if own is not None:
                r.replace(own, rpr)
            else:
                r.insert(0, rpr)
    return root


def direct_run_fonts(run) -> bool:
    """Whether a run states fonts, size or tracking itself (direct formatting)."""
    rpr = run.find("w:rPr", NS)
    return rpr is not None and any(rpr.find(f"w:{name}", NS) is not None
                                   for name in ("rFonts", "sz", "spacing", "b", "color"))
