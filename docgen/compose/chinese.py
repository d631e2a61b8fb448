"""Chinese numerals, ordinals and dates as 公文 writes them."""

from __future__ import annotations

from datetime import date

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (0 < n < 10000)."""
    n = int(n)
    if not 0 < n < 10000:
        raise ValueError(f"只能写 1–9999 的汉字数字：{n}")
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    parts = []
    units = [(1000, "千"), (100, "百"), (10, "十"), (1, "")]
    zero = False
    for value, unit in units:
        digit = n // value % 10
        if digit:
            if zero and parts:
                parts.append("零")
            parts.append(_DIGITS[digit] + unit)
            zero = False
        elif parts:
            zero = True
    return "".join(parts)


def cn_ordinal(n: int, style: str = "第") -> str:
    """Ordinal words used inside paragraphs: 第一 / 一是 / 其一."""
    number = cn_number(n)
    if style == "是":
        return f"{number}是"
    if style == "其":
        return f"其{number}"
    return f"第{number}"


def cn_date(value: date) -> str:
    """2020-08-16 → 2020年8月16日 (GB/T 9704 7.3.5.4: Arabic, full year, no zero padding)."""
    if not isinstance(value, date):
        raise ValueError(f"不是日期：{value!r}")
    return f"{value.year}年{value.month}月{value.day}日"


def heading_number(pattern: str, n: int) -> str:
    """Fill a numbering pattern from the profile: '（{cn}）' → '（三）', '{n}.' → '3.'."""
    return pattern.format(cn=cn_number(n), n=n)
